import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo, type JsonReport } from './helpers/git.ts';
import { fake, fakeMore, join } from '../src/rules/secrets/fake.ts';

// Two shapes a trust probe found passing: a Google app password written without its spaces (16
// lower-case letters, read as "words" before) and a JWT signed with a literal key passed as the
// second argument (only a high-entropy warning, or nothing). Every value is generated.

const N = 120;
const appPassword = () => fakeMore.lowerAlpha(16);
const signingKey = () => fake.alnum(24 + (fake.digits(1).charCodeAt(0) % 9));

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
  ];
  const body = values.map((v, i) => `DB_PASSWORD_${i} = "${v}"\nserver.login("me", "${v}")`).join('\n');
  const run = repo.commit({ 'settings/dev.py': `${body}\n` });
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
  const repo = Repo.init().installPreCommitHook();
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
    `i = jwt.decode(token, "${join('-----BEGIN PUBLIC', ' KEY-----\\n', fake.base64(64), '\\n-----END PUBLIC', ' KEY-----')}", algorithms=["RS256"])`,
  ].join('\n');
  const run = repo.commit({ 'auth/tokens.py': `${code}\n` });
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /secret\./, run.output);
});
