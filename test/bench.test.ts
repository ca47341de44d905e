import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from './helpers/git.ts';

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
