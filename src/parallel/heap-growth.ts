import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the heap grow to several times what is live before collecting (sympy's history: ~15 MB
 * live, 60-90 MB of heap); a long history scan asks it to collect at 1.25 times instead, for a
 * smaller peak (docs/performance.md, "Long histories"). Process-wide and for the rest of the run,
 * so only long scans call it (a history, a range, a push past its first 8,192 commits): a commit
 * and an everyday push keep V8's defaults.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=25');
}
