import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const githubPat = () => withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));

test('install on a plain repository: the hook blocks a secret; uninstall removes it', () => {
  const repo = Repo.init();
  const run = repo.gitward(['install', '--pre-push']);
  assert.equal(run.code, 0, run.output);
  assert.ok(existsSync(join(repo.dir, '.git/hooks/pre-commit')) && existsSync(join(repo.dir, '.git/hooks/pre-push')));
  assert.notEqual(repo.commit({ 'a.py': `T = "${githubPat()}"\n` }).code, 0);
  repo.git(['rm', '-q', '--cached', 'a.py']);
  writeFileSync(join(repo.dir, 'a.py'), 'x = 1\n');
  assert.equal(repo.commit({}).code, 0);
  assert.equal(repo.gitward(['uninstall']).code, 0);
  assert.ok(!existsSync(join(repo.dir, '.git/hooks/pre-commit')) && !existsSync(join(repo.dir, '.git/hooks/pre-push')));
});

test('install honours core.hooksPath', () => {
  const repo = Repo.init();
  repo.git(['config', 'core.hooksPath', 'githooks']);
  assert.equal(repo.gitward(['install']).code, 0);
  assert.ok(existsSync(join(repo.dir, 'githooks/pre-commit')));
  assert.ok(!existsSync(join(repo.dir, '.git/hooks/pre-commit')));
  assert.notEqual(repo.commit({ 'a.py': `T = "${githubPat()}"\n` }).code, 0);
  assert.equal(repo.gitward(['uninstall']).code, 0);
  assert.ok(!existsSync(join(repo.dir, 'githooks/pre-commit')));
});

test('a foreign hook is never overwritten without --force, and uninstall restores it', () => {
  const repo = Repo.init();
  const hook = join(repo.dir, '.git/hooks/pre-commit');
  mkdirSync(join(repo.dir, '.git/hooks'), { recursive: true });
  writeFileSync(hook, '#!/bin/sh\necho mine\n');
  chmodSync(hook, 0o755);
  const refused = repo.gitward(['install']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /not written by gitward/);
  assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\necho mine\n');
  assert.equal(repo.gitward(['uninstall']).code, 0);
  assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\necho mine\n', 'uninstall leaves a foreign hook alone');
  assert.equal(repo.gitward(['install', '--force']).code, 0);
  assert.match(readFileSync(hook, 'utf8'), /gitward:managed-hook/);
  assert.equal(repo.gitward(['uninstall']).code, 0);
  assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\necho mine\n', 'the replaced hook is restored');
});

test('the hook says clearly when gitward is gone', () => {
  const repo = Repo.init();
  repo.gitward(['install']);
  const hook = join(repo.dir, '.git/hooks/pre-commit');
  writeFileSync(hook, readFileSync(hook, 'utf8').replace(/GITWARD_CLI='[^']*'/, "GITWARD_CLI='/nonexistent/gitward.mjs'"));
  const run = repo.git(['commit', '-q', '--allow-empty', '-m', 'x'], { allowFail: true, env: { ...repo.env, PATH: '/usr/bin:/bin' } });
  assert.notEqual(run.code, 0);
  assert.match(run.output, /cannot run: .* is gone and no gitward is on PATH/);
});
