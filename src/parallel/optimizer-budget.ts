import { setFlagsFromString } from 'node:v8';

/**
 * A history or a push is scanned in one run of a second or a few, while V8 compiles the hot
 * functions (the scan loop, the diff parser, the rules) with TurboFan on its background threads.
 * On flask's 868-commit push that compilation took ~0.45 s of CPU beside the main thread's ~0.7 s,
 * and git's log needs ~0.45 s more: on a 2-core machine the run is bound by the CPU of both cores,
 * not by the main thread alone. Two settings cut the compilation: no inlining (each function is
 * compiled alone, not with its callees: the async generators' promise machinery, the Python
 * tokenizer), and twice V8's default interrupt budget (67,584), so a function is optimized after
 * twice as much use and those used only briefly are not optimized at all. Measured interleaved
 * (docs/performance.md, "Round 6: pushes"): node's CPU -16% on the push and -19% on flask's
 * whole history, the main thread's time within +2% and +9%. Process-wide for the rest of the run
 * (worker threads too), so only history scans call it: the everyday commit keeps V8's defaults.
 */
export function lighterOptimization(): void {
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString('--interrupt-budget=135168');
}
