/** Where `value` goes in the ascending `sorted`, by halving: the first index holding it or more. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first of the ascending `sorted` in [from, to], or undefined. */
export function firstWithin(sorted: ArrayLike<number> | undefined, from: number, to: number): number | undefined {
  if (sorted === undefined) return undefined;
  const k = lowerBound(sorted, from);
  return k < sorted.length && sorted[k]! <= to ? sorted[k] : undefined;
}
