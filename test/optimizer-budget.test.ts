import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const budget = fileURLToPath(new URL('../src/engine/optimizer-budget.ts', import.meta.url));

// V8 flags changed mid-run must leave patterns that already ran working: node 20 crashed (SIGSEGV)
// when `--no-regexp-tier-up` was set after a pattern's first run and the pattern then ran hot, as
// a large staged change's start-up patterns do (docs/performance.md, "Round 10: merged, reviewed,
// measured"). Run in a child process so that a crash is an exit status, not this test runner's end.
for (const scan of ['large staged change', 'history'] as const) {
  test(`lightenOptimizing(${scan}) leaves a pattern that ran once before it working in a hot loop`, () => {
    const script = `
      import { lightenOptimizing } from ${JSON.stringify(budget)};
      const pattern = /a(b+)c/;
      pattern.test('x');
      lightenOptimizing(${JSON.stringify(scan)});
      let matched = 0;
      for (let i = 0; i < 300000; i++) if (pattern.test('xxabbbc' + i)) matched++;
      console.log(matched);
    `;
    for (let run = 0; run < 3; run++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(child.signal, null, `run ${run} ended by ${child.signal}`);
      assert.equal(child.status, 0, child.stderr);
      assert.equal(child.stdout.trim(), '300000');
    }
  });
}
