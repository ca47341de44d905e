import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
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
  // The host's cost of fresh memory, which decides how the ratios read (docs/performance.md, round 12).
  assert.match(run.stdout, /^memory touched first: \d+\.\d\d ms a MiB \(again: \d+\.\d\d\)$/m);
});

// --repo: a real clone's last commits replayed as a push into a fresh bare repository.
test('bench --repo replays a clone\'s last commits as a push (and says how many), and refuses a missing folder', () => {
  const repo = Repo.init();
  for (let i = 0; i < 6; i++) repo.commit({ [`src/mod_${i}.py`]: `def f${i}():\n    return ${i}\n` }, `change ${i}`);
  const bench = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const run = bench(['--only', 'repo-push', '--repo', repo.dir, '--commits', '4'], { ...process.env, GITWARD_BENCH_KEEP: '1' });
  assert.equal(run.status, 0, run.stderr);
  // The replayed push is one the hook really scans: the 4 commits are new to the server.
  const work = /workloads in (\S+)/.exec(run.stdout)![1]!;
  try {
    const bare = new Repo(join(work, 'repo-push.git'));
    const [old, tip] = [repo.git(['rev-parse', 'HEAD~4']).stdout.trim(), repo.git(['rev-parse', 'HEAD']).stdout.trim()];
    const hook = bare.gitward(['pre-receive'], { input: `${old} ${tip} refs/heads/main\n` });
    assert.equal(hook.code, 0, hook.output);
    assert.match(hook.stderr, /gitward: 4 new commits scanned/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const row = run.stdout.split('\n').find((line) => line.startsWith('| repo-push |'));
  assert.ok(row, `no repo-push row in:\n${run.stdout}`);
  assert.match(row.split('|')[6]!.trim(), /^\d+\.\d\d×$/, 'ratio');
  assert.match(run.stdout, /repo-push: the last 4 commits of /);
  // What the hook's own git log costs beside the floor's, and the ratio against it.
  assert.match(run.stdout, /repo-push: gitward's own git log \(merges' combined diffs, renames, raw records, messages\) \d+ ms against the floor's \d+ ms; gitward \/ \(node \+ its own git log\) = \d+\.\d\d×/);
  const missing = bench(['--repo', `${repo.dir}/nowhere`]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^bench: --repo: no such folder: /);
});
