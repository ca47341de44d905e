// The look-alike search's index of targets: one pass over ~5,000 names per requirement was ~1.7 ms a name.

/** A target as the search needs it, computed once per process instead of once per (name, target) pair. */
export interface IndexedTarget {
  readonly name: string;
  readonly rank: number;
  readonly mask: number;
  readonly withoutDigits: string;
}

/** Targets grouped by length, each group most popular first. */
export type TargetsByLength = ReadonlyArray<readonly IndexedTarget[] | undefined>;

/**
 * Which characters occur, one bit per class (a–z each, the ten digits folded onto five bits, the
 * rest onto one): a character class present in one name and absent from the other needs an edit
 * of its own, so more such classes than the allowed edits rule the pair out without the distance.
 */
export function charMask(name: string): number {
  let mask = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const bit = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + ((c - 48) % 5) : 31;
    mask |= 1 << bit;
  }
  return mask;
}

export function popCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function indexTargets(targets: readonly string[], minLength: number, withoutDigits: (name: string) => string): TargetsByLength {
  const byLength: IndexedTarget[][] = [];
  targets.forEach((name, rank) => {
    if (name.length < minLength) return;
    (byLength[name.length] ??= []).push({ name, rank, mask: charMask(name), withoutDigits: withoutDigits(name) });
  });
  return byLength;
}
