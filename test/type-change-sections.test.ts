// A symlink or a submodule replaced by a regular file (or back) is one `--raw` record (status T)
// but two patch sections: the old side deleted, then the new side created. Both sections are that
// record's: paired in order, the new file's lines went to the next record's path (a mode-only
// change here), or nowhere when the type change was the last record, and a secret in it passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, type JsonReport, type Run } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const PAT = 'secret.github-pat';

const found = (run: Run, what: string) => {
  assert.notEqual(run.code, 2, `${what}: ${run.output}`);
  return (JSON.parse(run.stdout) as JsonReport).findings.map((f) => `${f.rule} ${f.path}:${f.line}`).sort();
};

/** A repository whose `link.py` and `mod` are a symlink and a submodule, and `run.sh` a plain file. */
function setup(): Repo {
  const repo = Repo.init();
  repo.git(['config', 'core.fileMode', 'true']);
  repo.write({ 'run.sh': 'echo 1\n', 'a.py': 'a = 1\n' });
  symlinkSync('a.py', join(repo.dir, 'link.py'));
  repo.git(['add', '-A']);
  repo.git(['update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},mod`]);
  repo.git(['commit', '-q', '--no-verify', '-m', 'root']);
  return repo;
}

/** Stages `link.py` and `mod` as regular files holding a token each (and run.sh made executable, listed after link.py). */
function stageTypeChanges(repo: Repo): void {
  rmSync(join(repo.dir, 'link.py'));
  repo.git(['rm', '-q', '--cached', 'mod']);
  repo.write({ 'link.py': `L = "${fakeGithubPat()}"\n`, mod: `M = "${fakeGithubPat()}"\n` });
  repo.git(['update-index', '--chmod=+x', 'run.sh']);
  repo.git(['add', 'link.py', 'mod']);
  const raw = repo.git(['diff', '--cached', '--raw']).stdout;
  assert.match(raw, /^:120000 100644 .* T\tlink\.py$/m, 'link.py: symlink to file');
  assert.match(raw, /^:160000 100644 .* T\tmod$/m, 'mod: submodule to file, the last record');
  assert.match(raw, /^:100644 100755 .* M\trun\.sh$/m, 'run.sh: a mode change after link.py');
}

const expected = [`${PAT} link.py:1`, `${PAT} mod:1`];

test('a file that replaced a symlink or a submodule: its lines are its own, in the staged scan and a real commit', () => {
  const repo = setup();
  stageTypeChanges(repo);
  assert.deepEqual(found(repo.gitward(['scan', '--staged', '--format', 'json']), 'staged'), expected);
  repo.installPreCommitHook();
  const commit = repo.git(['commit', '-q', '-m', 'type changes'], { allowFail: true });
  assert.notEqual(commit.code, 0, 'the pre-commit hook refuses the commit');
  assert.match(commit.stderr, /link\.py:1/);
  assert.match(commit.stderr, /mod:1/);
});

test('a file that replaced a symlink or a submodule: every door that reads history reports its lines', () => {
  const repo = setup();
  stageTypeChanges(repo);
  repo.git(['commit', '-q', '--no-verify', '-m', 'type changes']);
  assert.deepEqual(found(repo.gitward(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']), 'range'), expected);
  assert.deepEqual(found(repo.gitward(['scan', '--history', '--format', 'json']), 'history'), expected);
  const server = Repo.init({ bare: true, env: repo.env }).installPreReceiveHook();
  const push = repo.git(['push', '--no-verify', server.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.stderr, /link\.py:1/);
  assert.match(push.stderr, /mod:1/);
});

test('a type change is one file: its file rules report once and it is counted once', () => {
  const repo = Repo.init();
  repo.write({ 'a.py': 'a = 1\n' });
  symlinkSync('a.py', join(repo.dir, '.env'));
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'root']);
  rmSync(join(repo.dir, '.env'));
  repo.write({ '.env': 'DEBUG=1\n' });
  repo.git(['add', '.env']);
  assert.match(repo.git(['diff', '--cached', '--raw']).stdout, /^:120000 100644 .* T\t\.env$/m);
  const staged = JSON.parse(repo.gitward(['scan', '--staged', '--format', 'json']).stdout) as JsonReport;
  assert.deepEqual(staged.findings.map((f) => `${f.rule} ${f.path}`), ['env-file.committed .env']);
  assert.equal(staged.stats.files, 1);
  repo.git(['commit', '-q', '--no-verify', '-m', 'env']);
  const range = JSON.parse(repo.gitward(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']).stdout) as JsonReport;
  assert.deepEqual(range.findings.map((f) => `${f.rule} ${f.path}`), ['env-file.committed .env']);
  assert.equal(range.stats.files, 1);
});
