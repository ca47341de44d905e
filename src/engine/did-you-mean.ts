/**
 * Optimal string alignment distance (inserts, deletes, substitutions and swaps of neighbours); once
 * it must exceed `max`, some number above it: for "did you mean" hints, typos in allow comments and
 * look-alike package names.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows of the table, reused: the row before the last (for swaps), the last, this one.
  const width = b.length + 1;
  if (scratch.length < 3 * width) scratch = new Int32Array(3 * width * 2);
  let prev2 = 0;
  let prev = width;
  let row = 2 * width;
  for (let j = 0; j < width; j++) scratch[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    scratch[row] = i;
    let best = i;
    for (let j = 1; j < width; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(scratch[prev + j]! + 1, scratch[row + j - 1]! + 1, scratch[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, scratch[prev2 + j - 2]! + 1);
      scratch[row + j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return scratch[prev + b.length]!;
}
let scratch = new Int32Array(3 * 64);

/**
 * Whether `a` is at most `max` edits from `b` (editDistance's edits: an insert, a delete, a
 * substitution or a swap of neighbours), without a table: after the common start, the first
 * difference is one of the four, and what follows it is at most `max - 1` edits apart. For small
 * `max` (typos), work linear in the names' length rather than the table's product of them.
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  return within(a, 0, b, 0, max);
}

function within(a: string, i: number, b: string, j: number, max: number): boolean {
  while (i < a.length && j < b.length && a.charCodeAt(i) === b.charCodeAt(j)) {
    i++;
    j++;
  }
  const left = Math.abs(a.length - i - (b.length - j));
  if (i === a.length || j === b.length) return left <= max;
  if (max === 0 || left > max) return false;
  return (
    within(a, i + 1, b, j + 1, max - 1) ||
    within(a, i + 1, b, j, max - 1) ||
    within(a, i, b, j + 1, max - 1) ||
    (i + 1 < a.length && j + 1 < b.length && a.charCodeAt(i) === b.charCodeAt(j + 1) && a.charCodeAt(i + 1) === b.charCodeAt(j) && within(a, i + 2, b, j + 2, max - 1))
  );
}

/**
 * The known names closest to `word` (at most `max`), when close enough to be a typo of it: within
 * a third of its length (at least 1, at most 3 edits), or a longer name that contains it.
 */
export function closest(word: string, known: readonly string[], max = 3): string[] {
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  return known
    .map((name) => ({ name, d: editDistance(lower, name.toLowerCase()) }))
    .filter(({ name, d }) => d <= limit || (lower.length >= 4 && name.toLowerCase().includes(lower)))
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map(({ name }) => name);
}

/** " (did you mean "a" or "b"?)", or "" when nothing is close. */
export function didYouMean(word: string, known: readonly string[]): string {
  const near = closest(word, known);
  if (near.length === 0) return '';
  return ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`;
}
