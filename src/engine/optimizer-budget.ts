import { setFlagsFromString } from 'node:v8';
import { noteOptimizing, type OptimizingSetting } from './optimizer-state.ts';

/**
 * A hook's scan of a large change or of many commits is one short, cold run: each hot function (the
 * diff parser, the scan loop, the rules) runs for a few thousand lines and the process ends. With
 * V8's defaults about half of what such a run costs beyond start-up was TurboFan compiling those
 * functions with all they call inlined, on background threads that share the 2 cores with the main
 * thread and git (commit-large: 1,727 M instructions in all threads with the defaults, 1,440 M with
 * these settings; flask's 868-commit push 3,178 M -> 2,496 M; walls 10-25% lower, docs/performance.md
 * "Round 6: one setting for large changes and pushes"). Without inlining each function is compiled
 * alone; with a larger interrupt budget (V8's default is 67,584) a function must run about four
 * times longer before it is optimized, so those used only briefly never are. Process-wide for the
 * rest of the run (worker threads too), so only large staged changes (staged-source.ts) and
 * history scans (parallel/scan-history.ts) ask for it: the everyday commit keeps V8's defaults.
 * A large staged change asks for half the budget (docs/performance.md, "Round 7: the 400-file
 * commit"): its per-line passes ran unoptimized for thousands of lines, and at 150,000 the main
 * thread and all threads together did less work; a push's many commits keep 300,000.
 *
 * Not changed mid-run: `--no-regexp-tier-up` (each pattern straight to machine code) saved ~15 M
 * instructions on a 400-file commit, but set after a pattern had run once it made node 20 crash
 * (SIGSEGV) in a hot loop of that pattern (docs/performance.md, "Round 10: merged, reviewed, measured").
 */
export function lightenOptimizing(scan: OptimizingSetting): void {
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET[scan]}`);
  noteOptimizing(scan);
}

const INTERRUPT_BUDGET = { 'large staged change': 150_000, history: 300_000 } as const;
