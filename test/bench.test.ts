import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT, Repo } from './helpers/git.ts';

// A smoke test of the harness only: no timing is asserted (timings depend on the machine).
test('bench --quick --only commit-small prints a table row with a ratio against the floor', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'commit-small'], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const row = run.stdout.split('\n').find((line) => line.startsWith('| commit-small |'));
  assert.ok(row, `no commit-small row in:\n${run.stdout}`);
  const cells = row.split('|').map((c) => c.trim());
  assert.match(cells[2]!, /^\d+(\.\d+)? m?s$/, 'gitward median');
  assert.match(cells[6]!, /^\d+\.\d\d×$/, 'ratio');
  assert.doesNotMatch(run.stdout, /commit-large|push-500/, '--only runs one workload');
});

// --repo: a real clone's last commits replayed as a push into a fresh bare repository.
test('bench --repo replays a clone\'s last commits as a push (and says how many), and refuses a missing folder', () => {
  const repo = Repo.init();
  for (let i = 0; i < 6; i++) repo.commit({ [`src/mod_${i}.py`]: `def f${i}():\n    return ${i}\n` }, `change ${i}`);
  const bench = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', ...args], { cwd: ROOT, env: process.env, encoding: 'utf8' });
  const run = bench(['--only', 'repo-push', '--repo', repo.dir, '--commits', '4']);
  assert.equal(run.status, 0, run.stderr);
  const row = run.stdout.split('\n').find((line) => line.startsWith('| repo-push |'));
  assert.ok(row, `no repo-push row in:\n${run.stdout}`);
  assert.match(row.split('|')[6]!.trim(), /^\d+\.\d\d×$/, 'ratio');
  assert.match(run.stdout, /repo-push: the last 4 commits of /);
  const missing = bench(['--repo', `${repo.dir}/nowhere`]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^bench: --repo: no such folder: /);
});
