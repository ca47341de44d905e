import { setFlagsFromString } from 'node:v8';

/**
 * A hook's scan of a large change is one cold pass: each function runs for a few thousand lines and
 * the process ends. Counted in instructions (valgrind, `node --single-threaded`, a 400-file commit
 * of 45,000 lines), about half of what the scan costs beyond start-up was V8's optimizing compiler
 * compiling the hot functions with all they call inlined, work that a run this short does not earn
 * back (docs/performance.md, "Round 6: large changes and long lines"). For the rest of the run a
 * function must run about four times longer before it is optimized, and only small functions are
 * inlined. Process-wide, so only a large staged change asks for it (loaded then: node:v8 is not
 * free to load); a small commit keeps V8's defaults.
 */
export function lightenOptimizing(): void {
  setFlagsFromString('--interrupt-budget=300000');
  setFlagsFromString('--max-inlined-bytecode-size=50');
}
