import { setFlagsFromString } from 'node:v8';

/**
 * A history or a push is scanned in one run of a few hundred milliseconds to a few seconds, while
 * V8 compiles the hot functions (the scan loop, the diff parser, the rules) with TurboFan on its
 * background threads. With inlining, each of those compilations takes in its callees too (the
 * async generators' promise machinery, the Python tokenizer): on flask's 868-commit push that was
 * ~0.4 s of background CPU beside ~0.7 s on the main thread, on a 2-core machine where git's log
 * needs the other core. Without inlining the same functions are still optimized, for fewer
 * instructions in all and the same main-thread time (docs/performance.md, "Round 6: pushes").
 * Process-wide and for the rest of the run (worker threads too), so only history scans call it.
 */
export function lighterOptimization(): void {
  setFlagsFromString('--no-turbo-inlining');
}
