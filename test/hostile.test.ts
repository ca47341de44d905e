import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fake, fakeMore, join, randomFrom } from '../src/rules/secrets/fake.ts';

const awsKey = () => join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));
/** A fake RSA private key's lines (header, five lines of body, footer), made at run time. */
const pemLines = () => {
  const dashes = '-'.repeat(5);
  return [join(dashes, 'BEGIN RSA ', 'PRIVATE KEY', dashes), ...Array.from({ length: 5 }, () => fakeMore.b64bytes(48)), join(dashes, 'END RSA ', 'PRIVATE KEY', dashes)];
};

function scan(repo: Repo, extra: string[] = []) {
  const run = repo.gitward(['scan', '--format', 'json', ...extra]);
  assert.ok(run.code === 0 || run.code === 1, run.output);
  return { run, json: JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[]; stats: { notices: string[] } } };
}

/** `files` written and staged in `repo`, then scanned: blocked, with these findings ([rule, path, line], in order). */
function assertBlocked(repo: Repo, files: Record<string, string | Buffer>, expected: [string, string, number][]): void {
  repo.write(files);
  repo.git(['add', '-A']);
  const { run, json } = scan(repo);
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.path, f.line]).sort(), expected);
}

for (const [name, attributes, config] of [
  ['-diff', 'secrets.txt -diff\n', []],
  ['binary', 'secrets.txt binary\n', []],
  ['a textconv driver', 'secrets.txt diff=hide\n', ['diff.hide.textconv', 'true']],
  ['a binary diff driver', 'secrets.txt diff=bin\n', ['diff.bin.binary', 'true']],
] as const) {
  test(`a text file marked binary by .gitattributes (${name}) is still scanned: only its new lines, numbered in the new file`, () => {
    const repo = Repo.init();
    if (config.length) repo.git(['config', ...config]);
    const old = awsKey();
    repo.commitUnchecked({ '.gitattributes': attributes, 'secrets.txt': `first\nold = "${old}"\n` });
    const secret = awsKey();
    repo.write({ 'secrets.txt': `first\nold = "${old}"\nthird\nnew = "${secret}"\n` });
    repo.git(['add', '-A']);
    const { run, json } = scan(repo);
    assert.equal(run.code, 1, run.output);
    assert.deepEqual(json.findings.map((f) => [f.rule, f.path, f.line]), [['secret.aws-access-key-id', 'secrets.txt', 4]]);
    assert.ok(!run.output.includes(secret));
  });
}

test('UTF-16 files (with and without BOM, LE and BE) are scanned decoded, with a notice', () => {
  const repo = Repo.init();
  const le = awsKey();
  const be = awsKey();
  const bare = awsKey();
  const text = (s: string) => `line one\r\nkey = "${s}"\r\n`;
  const { run, json } = (() => {
    repo.write({
      'le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(le), 'utf16le')]),
      'be.txt': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text(be), 'utf16le').swap16()]),
      'nobom.txt': Buffer.from(text(bare), 'utf16le'),
    });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => `${f.path}:${f.line}`).sort(), ['be.txt:2', 'le.txt:2', 'nobom.txt:2']);
  assert.ok(json.stats.notices.some((n) => /UTF-16/.test(n)), JSON.stringify(json.stats.notices));
});

test('binary content is scanned for its printable text: a key in it is found at its line, random bytes report nothing', () => {
  const repo = Repo.init();
  const secret = awsKey();
  // One NUL before a file of keys makes git call it binary; a key can also sit inside real binary.
  const prefixed = `x\0\nconfig = 1\nAWS_KEY = "${awsKey()}"\n`;
  const embedded = Buffer.concat([Buffer.from([0, 1, 2, 0, 0xff, 0]), Buffer.from(`\n${secret}\n`), Buffer.alloc(100)]);
  // Look-alikes: random bytes (printable stretches of 8 and more occur, none a credential), a
  // PNG's header, a compressed archive, and text that is only short printable runs.
  const noise = randomBytes(300_000);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(50_000)]);
  const gz = gzipSync(Buffer.from(`password = "${fake.alnum(24)}"\n`.repeat(50)));
  const short = Buffer.from(Array.from({ length: 2000 }, (_, i) => `ab${i % 10}\0`).join(''));
  const { run, json } = (() => {
    repo.write({ 'notes.txt': prefixed, 'blob.bin': embedded, 'noise.bin': noise, 'logo.png': png, 'keys.gz': gz, 'short.dat': short });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.path, f.line]).sort(), [['secret.aws-access-key-id', 'blob.bin', 2], ['secret.aws-access-key-id', 'notes.txt', 3]]);
  assert.ok(!run.output.includes(secret));
  // A new version of a binary file: only the runs the old version lacks.
  repo.git(['commit', '-q', '--no-verify', '-m', 'binary']);
  const added = awsKey();
  repo.write({ 'blob.bin': Buffer.concat([embedded, Buffer.from(`\0\nnew_key = "${added}"\n`)]) });
  repo.git(['add', '-A']);
  const again = scan(repo);
  assert.deepEqual(again.json.findings.map((f) => [f.rule, f.path, f.line]), [['secret.aws-access-key-id', 'blob.bin', 4]]);
});

test('compiled code is read for tokens only: no warning on symbols or docstrings, a key in it is found; other binaries are read whole', () => {
  const repo = Repo.init();
  // Control bytes throughout (length prefixes, padding), as in an object file or a .pyc.
  const binary = (...texts: string[]) => Buffer.concat([Buffer.alloc(64), ...texts.flatMap((t) => [Buffer.from([0, 3, 0x1f, 0, 0xe3, 1, 0, 0]), Buffer.from(t)])]);
  const symbols = Array.from({ length: 40 }, (_, i) => `_ZN4absl12lts_2023080218container_internal${i}Raw${fake.alnum(12)}HashSetIvE6resizeEm`);
  const docstring = "    password: Optional. The database native user's password.\n    credentials: _JWTAccessCredentials for the service.";
  const key = awsKey();
  const { run, json } = (() => {
    repo.write({
      'libx.so': binary(...symbols),
      // Compiled by its format, whatever its name: an ELF file.
      'bin/tool': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), binary(...symbols)]),
      'm.pyc': binary('Fields:\n', docstring, 'api_key'),
      'app.pyc': binary('settings', `AWS = ${key}`, `db_password = "${fake.alnum(24)}"`),
      // Not compiled code: every rule reads its text.
      'cache.bin': binary('settings', `db_password = "${fake.alnum(24)}"`),
    });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.path]).sort(), [['secret.aws-access-key-id', 'app.pyc'], ['secret.generic-assignment', 'cache.bin']]);
});

test('what a binary prefix or control bytes cannot hide: keys split by CRs or NULs, a form feed in an assignment, UTF-16 runs', () => {
  const repo = Repo.init();
  const pem = pemLines().join('\n');
  const password = join('Kx9', fake.alnum(20));
  const key = awsKey();
  assertBlocked(repo, {
    'cr.dat': Buffer.from(`\0\n${pem.replace(/\n/g, '\r')}`),
    'nul.dat': Buffer.from(`\0\n${pem.replace(/\n/g, '\0')}`),
    'ff.ini': Buffer.from(`\0\n[db]\npassword =\x0c"${password}"\n`),
    // UTF-16LE with no BOM, an odd length and a character whose low byte is a NUL (U+4E00).
    'cjk.txt': Buffer.concat([Buffer.from(`# \u4e00\nkey = "${key}"\n`, 'utf16le'), Buffer.from([0x41])]),
  }, [
    ['secret.aws-access-key-id', 'cjk.txt', 2],
    ['secret.generic-assignment', 'ff.ini', 3],
    ['secret.private-key', 'cr.dat', 2],
    ['secret.private-key', 'nul.dat', 2],
  ]);
});

test('UTF-16 cannot hide keys: after a BOM of the other order, after 8 KB of ASCII, next to a character past ASCII; a key beside runs', () => {
  const repo = Repo.init();
  const pem = pemLines();
  const keys = [awsKey(), awsKey(), awsKey()];
  const { run, json } = (() => {
    repo.write({
      '.gitattributes': 'late.dat binary\n',
      // A big-endian BOM before little-endian text: decoded whole it reads as other characters.
      'bom.dat': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`\nkey = "${keys[0]}"\n`, 'utf16le')]),
      // No NUL in the first 8000 bytes (git is told it is binary), then UTF-16.
      'late.dat': Buffer.concat([Buffer.from(`# notes\n`.repeat(1100)), Buffer.from(`\nkey = "${keys[1]}"\n`, 'utf16le')]),
      // After a newline's `0a 00`, and followed by a Cyrillic letter whose low byte is a digit.
      'cyr.dat': Buffer.concat([Buffer.alloc(16), Buffer.from(`\n${keys[2]}\u0430\n`, 'utf16le')]),
      // A PEM key whose lines end in NULs, on a line that is mostly not text (its runs share a number).
      'pem.dat': Buffer.concat([Buffer.alloc(600, 0xff), Buffer.from(pem.join('\0'))]),
    });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  const found = json.findings.map((f) => [f.rule, f.path]).sort();
  assert.deepEqual(found, [['secret.aws-access-key-id', 'bom.dat'], ['secret.aws-access-key-id', 'cyr.dat'], ['secret.aws-access-key-id', 'late.dat'], ['secret.private-key', 'pem.dat']]);
});

test('a text file that turns binary reports no old line again; past max-file-bytes a binary says so', () => {
  const repo = Repo.init();
  const old = `config:\n    aws_key: ${awsKey()}\n    region: eu-west-1\n`;
  repo.commitUnchecked({ 'conf.yml': old, '.gitward.toml': '[limits]\nmax-file-bytes = 100000\n' });
  const { run, json } = (() => {
    repo.write({ 'conf.yml': Buffer.from(`\0\n${old}`), 'padded.dat': Buffer.concat([Buffer.alloc(150_000), Buffer.from(`\nkey = "${awsKey()}"\n`)]) });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(json.findings, []);
  assert.ok(json.stats.notices.some((n) => /^padded\.dat: binary; only the text in its first 100000 bytes was scanned/.test(n)), JSON.stringify(json.stats.notices));
});

test('a start that looks like UTF-16 does not hide the ASCII text after it', () => {
  const repo = Repo.init();
  const first = awsKey();
  const second = awsKey();
  const { run, json } = (() => {
    repo.write({
      // A BOM and one NUL (git calls it binary), then a file of keys.
      'bom.txt': Buffer.concat([Buffer.from([0xff, 0xfe, 0]), Buffer.from(`\nkey = "${first}"\n`)]),
      // 8000 bytes that read as UTF-16 without a BOM, then ASCII keys.
      'pairs.txt': Buffer.concat([Buffer.from('A\0'.repeat(4000), 'latin1'), Buffer.from(`\nkey = "${second}"\n`)]),
    });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.path, f.line]).sort(), [['secret.aws-access-key-id', 'bom.txt', 2], ['secret.aws-access-key-id', 'pairs.txt', 2]]);
});

test('a binary blob holding a 6 MB run of text is scanned, not an error', () => {
  const repo = Repo.init();
  const { run, json } = (() => {
    repo.write({ 'big.dat': Buffer.concat([Buffer.from('\0\n'), Buffer.from('a'.repeat(6_000_000)), Buffer.from(`\nkey = "${awsKey()}"\n`)]) });
    repo.git(['add', '-A']);
    return scan(repo);
  })();
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['secret.aws-access-key-id', 3]]);
});

test('a 10 MB minified line is scanned in windows with a visible notice, and a secret at its end is found', () => {
  const repo = Repo.init();
  const secret = awsKey();
  const line = `${'var a=1;'.repeat(10 * 131072)}k="${secret}";`;
  repo.write({ 'app.min.js': `${line}\n` });
  repo.git(['add', '-A']);
  const { run, json } = scan(repo);
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['secret.aws-access-key-id', 1]]);
  assert.ok(json.stats.notices.some((n) => /app\.min\.js:1: a line of \d+ characters was scanned in windows/.test(n)), run.stdout);
  const text = repo.gitward(['scan']);
  assert.match(text.output, /gitward: note: app\.min\.js:1: a line of/);
});

test('a change larger than limits.max-push-bytes fails closed (exit 2) with a message naming the limit', () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': '[limits]\nmax-push-bytes = 4096\n', 'big.txt': 'hello world\n'.repeat(1000) });
  repo.git(['add', 'big.txt']);
  const run = repo.gitward(['scan']);
  assert.equal(run.code, 2, run.output);
  assert.match(run.stderr, /limits\.max-push-bytes/);
  assert.match(run.stderr, /raise the limit under \[limits\]/);
});

test('a git failure inside the streamed diff is exit 2 with git\'s message, never a pass', () => {
  const repo = Repo.init();
  repo.write({ 'a.txt': 'x\n' });
  repo.git(['add', 'a.txt']);
  // A corrupt index: git diff --cached fails after the scanner has started.
  repo.write({ '.git/index': Buffer.from('DIRC garbage') });
  const run = repo.gitward(['scan']);
  assert.equal(run.code, 2, run.output);
  assert.match(run.stderr, /gitward: error: git /);
});

test('UTF-16 after the first 8000 bytes of a file git reads as text: its lines are read as text, beside characters past ASCII too; stray NULs join nothing', () => {
  const repo = Repo.init();
  const header = Buffer.from('# exported\n'.repeat(800));
  const key = awsKey();
  const key2 = awsKey();
  const pem = pemLines();
  assertBlocked(repo, {
    // git prints these as text (no NUL in their first 8000 bytes): `k\0e\0y\0…`, which no pattern matched.
    'settings.reg': Buffer.concat([header, Buffer.from(`key = "${key}"\r\n`, 'utf16le')]),
    'db.ini': Buffer.concat([header, Buffer.from(`[db]\npassword = "${join('Kx9', fake.alnum(20))}"\n`, 'utf16le').swap16()]),
    // Beside a character past ASCII: 中 big-endian is the bytes N and -, little-endian - and N.
    'key.txt': Buffer.concat([header, Buffer.from(`${pem[0]}中\n${pem.slice(1).join('\n')}\n`, 'utf16le').swap16()]),
    'cjk.txt': Buffer.concat([header, Buffer.from(`キー：中${key2}。\r\n`, 'utf16le')]),
    // Look-alikes: NULs among ordinary text, a NUL between two halves of nothing secret.
    'plain.txt': Buffer.concat([header, Buffer.from('name\0 = "value"\nid = 12\x0034\n')]),
  }, [
    ['secret.aws-access-key-id', 'cjk.txt', 801],
    ['secret.aws-access-key-id', 'settings.reg', 801],
    ['secret.generic-assignment', 'db.ini', 802],
    ['secret.private-key', 'key.txt', 801],
  ]);
});
