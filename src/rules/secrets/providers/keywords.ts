import { minMatchLength } from '../min-length.ts';
import { PROVIDER_COUNT, providerAt } from './rows.ts';

/**
 * Each row's keywords, in table order: all that the line scanner needs of every row at start-up.
 * Run from source (tests, scripts) this makes every row. The build replaces this module with the
 * list it works out from it (scripts/build.mjs), so the CLI makes a row only when a line holds one
 * of its keywords (making all 271 was ~14 ms CPU of every commit's start-up on a loaded machine,
 * and most of a scavenge: docs/performance.md, "Round 5").
 */
export const PROVIDER_KEYWORDS: readonly (readonly string[])[] = Array.from({ length: PROVIDER_COUNT }, (_, i) => providerAt(i).keywords);

/** Each row's rule id, in table order, replaced by the build's list too: a config's [rules] checks its names against them without making the rows. */
export const PROVIDER_IDS: readonly string[] = Array.from({ length: PROVIDER_COUNT }, (_, i) => providerAt(i).id);

/**
 * Each row's least match length (min-length.ts), replaced by the build's list too: a line shorter
 * than a row's is not searched, and the row not made, though it holds the row's keyword.
 */
export const PROVIDER_MIN_LENGTHS: readonly number[] = Array.from({ length: PROVIDER_COUNT }, (_, i) => minMatchLength(providerAt(i).source, providerAt(i).flags));
