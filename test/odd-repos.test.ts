import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { fake, join, randomFrom } from '../src/rules/secrets/fake.ts';

const awsKey = () => join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));

interface Report {
  findings: { rule: string; path: string; line: number | null }[];
  stats: { notices: string[] };
}

function scan(repo: Repo, cwd?: string): { code: number; output: string; json: Report } {
  const run = repo.gitward(['scan', '--format', 'json'], { cwd });
  assert.ok(run.code === 0 || run.code === 1, run.output);
  return { code: run.code, output: run.output, json: JSON.parse(run.stdout) as Report };
}

const where = (r: Report) => r.findings.map((f) => `${f.rule} ${f.path}:${f.line}`).sort();

test('empty repository, nothing staged: exit 0, no findings', () => {
  const repo = Repo.init();
  const { code, json } = scan(repo);
  assert.equal(code, 0);
  assert.deepEqual(json.findings, []);
});

test('initial commit: everything staged is new', () => {
  const repo = Repo.init();
  repo.write({ 'a.py': `x = 1\nk = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id a.py:2']);
});

test('detached HEAD', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.txt': 'a\n' });
  repo.git(['checkout', '-q', '--detach']);
  repo.write({ 'b.py': `k = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id b.py:1']);
});

test('a linked worktree scans its own index', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.txt': 'a\n' });
  const wt = `${repo.dir}-wt`;
  repo.git(['worktree', 'add', '-q', wt]);
  const other = new Repo(wt, repo.env);
  other.write({ 'w.py': `k = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(other).json), ['secret.aws-access-key-id w.py:1']);
  assert.deepEqual(scan(repo).json.findings, [], 'the main worktree has nothing staged');
  repo.git(['worktree', 'remove', '--force', wt]);
});

test('a submodule (gitlink) is not a file: its commit line is not content', () => {
  const sub = Repo.init();
  sub.commitUnchecked({ 'inner.py': `k = "${awsKey()}"\n` });
  const repo = Repo.init();
  repo.git(['-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', sub.dir, 'vendor/sub']);
  const { json } = scan(repo);
  assert.deepEqual(where(json), []);
  assert.ok(!json.findings.some((f) => f.path === 'vendor/sub'));
});

test('a symlink is not followed: a link named .env to /etc/passwd, and a link to a file with a secret, are not read', () => {
  const repo = Repo.init();
  const outside = joinPath(tempDir(), 'creds.txt');
  const secret = awsKey();
  writeFileSync(outside, `k = "${secret}"\n`);
  symlinkSync('/etc/passwd', joinPath(repo.dir, '.env'));
  symlinkSync(outside, joinPath(repo.dir, 'creds.txt'));
  repo.git(['add', '-A']);
  const { output, json } = scan(repo);
  assert.ok(!json.findings.some((f) => f.rule.startsWith('secret.')), output);
  assert.doesNotMatch(output, /root:/);
  assert.ok(!output.includes(secret));
});

test('a file mode change alone is not new content; with new content it is', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'run.sh': `echo "${awsKey()}"\n` });
  repo.git(['update-index', '--chmod=+x', 'run.sh']);
  assert.deepEqual(scan(repo).json.findings, []);
  repo.write({ 'run.sh': `${repo.git(['show', 'HEAD:run.sh']).stdout}k="${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id run.sh:2']);
});

test('renames and copies: only lines new to the file are reported, under the new path', () => {
  const repo = Repo.init();
  const body = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
  repo.commitUnchecked({ 'old.py': `${body}\nk = "${awsKey()}"\n` });
  repo.git(['mv', 'old.py', 'new.py']);
  assert.deepEqual(scan(repo).json.findings, [], 'a pure rename adds nothing');
  repo.write({ 'new.py': `${repo.git(['show', 'HEAD:old.py']).stdout}k2 = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id new.py:22']);
});

test('CRLF line endings: the line is found and the CR is not part of the value', () => {
  const repo = Repo.init();
  const secret = awsKey();
  repo.write({ 'win.ini': `[a]\r\nkey=${secret}\r\n` }).git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  assert.deepEqual(where(JSON.parse(run.stdout) as Report), ['secret.aws-access-key-id win.ini:2']);
});

test('a Git LFS pointer is scanned as the small text it is (no secret in it, no finding)', () => {
  const repo = Repo.init();
  const oid = fake.hex(64);
  repo.write({ '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n', 'model.bin': `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 1234\n` });
  repo.git(['add', '-A']);
  const { code, json } = scan(repo);
  assert.equal(code, 0, JSON.stringify(json));
});

test('sparse checkout: staged changes are scanned', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'in/a.txt': 'a\n', 'out/b.txt': 'b\n' });
  repo.git(['sparse-checkout', 'set', 'in']);
  repo.write({ 'in/c.py': `k = "${awsKey()}"\n` }).git(['add', 'in/c.py']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id in/c.py:1']);
});

test('shallow clone: staged changes are scanned', () => {
  const origin = Repo.init();
  origin.commitUnchecked({ 'a.txt': 'a\n' });
  origin.commitUnchecked({ 'a.txt': 'b\n' });
  const dir = joinPath(tempDir(), 'clone');
  origin.git(['clone', '-q', '--depth=1', `file://${origin.dir}`, dir]);
  const clone = new Repo(dir, origin.env);
  clone.write({ 's.py': `k = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(clone).json), ['secret.aws-access-key-id s.py:1']);
});

test('user git config cannot steer the scanner: quotePath, external diff, noprefix, relative, mnemonicPrefix, colour, submodule log', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'sub/keep.txt': 'k\n' });
  const marker = joinPath(tempDir(), 'external-ran');
  for (const [key, value] of [
    ['core.quotePath', 'true'],
    ['diff.external', `sh -c 'touch ${marker}'`],
    ['diff.noprefix', 'true'],
    ['diff.relative', 'true'],
    ['diff.mnemonicPrefix', 'true'],
    ['color.ui', 'always'],
    ['color.diff', 'always'],
    ['diff.submodule', 'log'],
    ['diff.renames', 'copies'],
    ['diff.context', '10'],
  ]) {
    repo.git(['config', '--global', key, value]);
  }
  const names = ['naïve.py', 'sub/quo"te.py', 'top.py'];
  for (const name of names) repo.write({ [name]: `k = "${awsKey()}"\n` });
  repo.git(['add', '-A']);
  const { json } = scan(repo, joinPath(repo.dir, 'sub'));
  assert.deepEqual(where(json), names.map((n) => `secret.aws-access-key-id ${n}:1`).sort());
  assert.equal(exists(marker), false, 'the external diff program was run');
});

test('SHA-256 repository', () => {
  const repo = Repo.init({ objectFormat: 'sha256' });
  repo.commitUnchecked({ 'a.txt': 'a\n' });
  repo.write({ 'a.txt': `a\nk = "${awsKey()}"\n` }).git(['add', '-A']);
  assert.deepEqual(where(scan(repo).json), ['secret.aws-access-key-id a.txt:2']);
});

function exists(path: string): boolean {
  return existsSync(path);
}
