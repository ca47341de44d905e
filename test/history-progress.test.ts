// On a terminal, `scan --history` draws a bar whose end is the number of commits the scan lists
// (no `rev-list --count` of its own); off a terminal, no bar. The terminal is script(1)'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, Repo } from './helpers/git.ts';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('the history bar ends at the number of commits listed, on a terminal only', { skip: !hasScript && 'script(1) is not installed' }, () => {
  const repo = Repo.init();
  for (let i = 0; i < 3; i++) repo.commit({ [`f${i}.py`]: `x = ${i}\n` });
  repo.git(['branch', 'side', 'HEAD~1']);
  const command = `'${process.execPath}' '${CLI}' scan --history > /dev/null`;
  const tty = spawnSync('script', ['-qc', command, '/dev/null'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stdout + tty.stderr);
  assert.match(tty.stdout, /\d+\/3 commits/);
  assert.match(tty.stdout, /scanned 3 commits/);
  const plain = repo.gitward(['scan', '--history']);
  assert.doesNotMatch(plain.stderr, /\/3 commits/);
  assert.match(plain.stderr, /scanned 3 commits/);
});
