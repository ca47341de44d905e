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

/** Whether `a` is `b` or one edit from it (an insert, a delete, a substitution or a swap of neighbours), without a table. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) [a, b] = [b, a];
  if (a.length - b.length > 1) return false;
  let i = 0;
  while (i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === b.length) return true;
  // Whether a from `from` is b from `to`.
  const tailsMatch = (from: number, to: number) => a.length - from === b.length - to && a.endsWith(b.slice(to));
  if (a.length > b.length) return tailsMatch(i + 1, i);
  if (tailsMatch(i + 1, i + 1)) return true;
  return a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && tailsMatch(i + 2, i + 2);
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
