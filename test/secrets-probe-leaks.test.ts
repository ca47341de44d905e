import { test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import assert from 'node:assert/strict';
import { Repo, type JsonReport } from './helpers/git.ts';
import { fake, fakeMore, join } from '../src/rules/secrets/fake.ts';

// Shapes a trust probe of Python leaks found passing: a Google app password written without its
// spaces (16 lower-case letters, read as "words" before), a JWT signed with a literal key passed as
// the second argument (only a high-entropy warning, or nothing), a command-line option's default and
// keyring's stored password (nothing). Every value is generated.

const N = 120;
const appPassword = () => fakeMore.lowerAlpha(16);
const signingKey = () => fake.alnum(24 + (fake.digits(1).charCodeAt(0) % 9));

/** Commits the files through the hook: it must pass without a secret finding, not even a warning. */
function commitsQuietly(files: Record<string, string>): void {
  const run = Repo.init().installPreCommitHook().commit(files);
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /secret\./, run.output);
}

/** Lines of `file` (1-based) with a blocking secret finding. */
function blockedLines(json: JsonReport, file: string): Set<number | null> {
  return new Set(json.findings.filter((f) => f.path === file && f.severity === 'block' && f.rule.startsWith('secret.')).map((f) => f.line));
}

test('a Google app password without its spaces is refused under a password name, in a login call and in a URL', () => {
  const repo = Repo.init();
  const shapes = [
    (v: string) => `EMAIL_HOST_PASSWORD = "${v}"`,
    (v: string) => `server.login("alerts@corp.example", "${v}")`,
    (v: string) => `MAIL_URL = "smtps://alerts%40corp.example:${v}@smtp.gmail.com:465"`,
  ];
  const lines = Array.from({ length: N }, (_, i) => shapes[i % shapes.length]!(appPassword()));
  const { json } = repo.stageAndScan({ 'app/mail.py': `${lines.join('\n')}\n` });
  const blocked = blockedLines(json, 'app/mail.py');
  // A random draw reads as words or English letter pairs ~9 % of the time (value.ts, isUnspacedAppPassword).
  assert.ok(blocked.size >= N * 0.8, `only ${blocked.size} of ${N} refused`);
  for (let s = 0; s < shapes.length; s++) {
    const ofShape = [...blocked].filter((line) => line !== null && (line - 1) % shapes.length === s).length;
    assert.ok(ofShape >= (N / shapes.length) * 0.75, `shape ${s}: only ${ofShape} refused`);
  }
});

test('lower-case words under a password name still pass: placeholders, words run together, other lengths', () => {
  const repo = Repo.init().installPreCommitHook();
  const values = [
    'thequickbrownfox', 'postgrespostgres', 'helloworldhellow', 'supersecretvalue', 'correcthorsebatt',
    'developmentadmin', 'changemechangeme', 'thisisnotasecret', 'jenkinsadminuser', 'airflowairflowai',
    // not 16 letters: a random word of another length is no app password's shape
    fakeMore.lowerAlpha(15), fakeMore.lowerAlpha(17),
    // a keyboard's rows, the alphabet
    'qwertyuiopasdfgh', 'zxcvbnmasdfghjkl', 'nopqrstuvwxyzabc',
  ];
  const body = values.map((v, i) => `EMAIL_PASSWORD_${i} = "${v}"\nserver.login("me", "${v}")`).join('\n');
  const run = repo.commit({ 'settings/dev.py': `${body}\n` });
  assert.equal(run.code, 0, run.output);
});

test('16 random lower-case letters where no mail is sent are a word, as letters are under a password\'s name', () => {
  // An app password is a mail password: elsewhere (`POSTGRES_PASSWORD`) such a value is judged as letters are.
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'settings/db.py': [...Array.from({ length: 5 }, appPassword), 'djangopostgresql', 'rabbitmqguestusr'].map((v, i) => `POSTGRES_PASSWORD_${i} = "${v}"`).join('\n') + '\n' });
  assert.equal(run.code, 0, run.output);
});

test('a JWT signed or checked with a literal random key is refused, in Python and JavaScript', () => {
  const repo = Repo.init();
  const shapes = [
    (k: string) => `token = jwt.encode(payload, "${k}", algorithm="HS256")`,
    (k: string) => `claims = jwt.decode(token, '${k}', algorithms=["HS256"])`,
    (k: string) => `token = jwt.encode({"sub": user.id, "exp": expires}, "${k}", algorithm="HS512")`,
    (k: string) => `const t = jwt.sign({ id: user.id, role }, "${k}", { expiresIn: "1h" });`,
    (k: string) => `const claims = jwt.verify(req.headers.token, '${k}');`,
  ];
  const files: Record<string, string> = {};
  shapes.forEach((shape, i) => (files[`auth/case${i}.${i < 3 ? 'py' : 'js'}`] = `${shape(signingKey())}\n`));
  const { json } = repo.stageAndScan(files);
  for (const path of Object.keys(files)) assert.ok(blockedLines(json, path).has(1), `${path} must be refused:\n${files[path]}${JSON.stringify(json.findings.filter((f) => f.path === path))}`);
});

test('JWT calls with a placeholder, a variable, an environment lookup or a public key pass', () => {
  const code = [
    'import jwt, os',
    'a = jwt.encode({"some": "payload"}, "secret", algorithm="HS256")',
    'b = jwt.encode(payload, "your-256-bit-secret", algorithm="HS256")',
    'c = jwt.decode(token, "my-super-secret-key", algorithms=["HS256"])',
    'd = jwt.encode(payload, SECRET_KEY, algorithm="HS256")',
    'e = jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])',
    'f = jwt.decode(token, options={"verify_signature": False})',
    'g = jwt.encode(payload, "changeme", algorithm="HS256")',
    'h = jwt.decode(token, "test-signing-key", algorithms=["HS256"])',
    // a public key in DER, made here; jwt.io's example secret
    `j = jwt.decode(token, "${generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}", algorithms=["ES256"])`,
    `k = jwt.encode(payload, "${join('a-string-', 'secret-at-least-256-bits-long')}", algorithm="HS256")`,
    `i = jwt.decode(token, "${join('-----BEGIN PUBLIC', ' KEY-----\\n', fake.base64(64), '\\n-----END PUBLIC', ' KEY-----')}", algorithms=["RS256"])`,
  ].join('\n');
  commitsQuietly({ 'auth/tokens.py': `${code}\n` });
});

test('a command-line option with a credential as its default, and a password stored with keyring, are refused', () => {
  const repo = Repo.init();
  const files: Record<string, string> = {
    'cli/argparse_case.py': `parser.add_argument("--api-key", default="${fake.alnum(32)}", help="the API key")\n`,
    'cli/click_case.py': `@click.option("--password", "-p", default="${join('Zq8', fake.alnum(10), '#7k')}")\ndef main(password): ...\n`,
    'cli/click_short_first.py': `@click.option("-t", "--auth-token", default='${fake.alnum(40)}', show_default=False)\n`,
    'cli/keyring_case.py': `import keyring\nkeyring.set_password("smtp", "alerts", "${join('Zq8', fake.alnum(10), '#7k')}")\n`,
  };
  const { json } = repo.stageAndScan(files);
  for (const path of Object.keys(files)) assert.ok(blockedLines(json, path).has(1) || blockedLines(json, path).has(2), `${path} must be refused:\n${files[path]}${JSON.stringify(json.findings.filter((f) => f.path === path))}`);
});

test('options without a literal credential default and keyring reads pass', () => {
  const code = [
    '@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)',
    'parser.add_argument("--api-key", default=os.environ.get("API_KEY"))',
    'parser.add_argument("--token", default="", help="a token")',
    'parser.add_argument("--password", default="changeme")',
    'parser.add_argument("--password-file", default="/etc/app/password.txt")',
    'parser.add_argument("--secret-name", default="prod/db/credentials")',
    'keyring.set_password("smtp", user, password)',
    'pw = keyring.get_password("smtp", "alerts")',
  ].join('\n');
  commitsQuietly({ 'cli/options.py': `${code}\n` });
});
