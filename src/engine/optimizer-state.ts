/**
 * Which of optimizer-budget.ts's settings is in effect (V8's flags are process-wide), and the code
 * cache of the part kept apart that fits it. V8 takes a code cache only when the flags it runs with
 * are those the cache was made under: the part apart, first needed after a large staged change
 * lightened the optimizing (a lock file, a pickle, SARIF), compiled all it ran from source (a 800 KB
 * lock file's scan: ~15 ms). The build trains a cache for that setting too (scripts/build.mjs).
 * Apart from optimizer-budget.ts, which loads node:v8: the part apart's loader, in every run's
 * bundle, reads this.
 */
export type OptimizingSetting = 'large staged change' | 'history';

/** Past this much patch text a staged change is scanned with V8 optimizing less eagerly (optimizer-budget.ts). */
export const LARGE_STAGED_CHANGE_BYTES = 32 * 1024;

/** The part apart's code cache files by the setting they were made under (the build makes these two). */
export const CODE_CACHE_ENDINGS = { defaults: '.cache', 'large staged change': '.large.cache' } as const;

let setting: OptimizingSetting | null = null;

export function noteOptimizing(now: OptimizingSetting): void {
  setting = now;
}

/** The ending of the code cache file made under the setting now in effect; null where none is made (a history scan loads the part apart before it lightens). */
export function codeCacheEnding(): string | null {
  if (setting === null) return CODE_CACHE_ENDINGS.defaults;
  return setting === 'large staged change' ? CODE_CACHE_ENDINGS[setting] : null;
}
