/** Shannon entropy in bits per character. */
export function shannon(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The Shannon entropy a string of `length` characters drawn uniformly at random from `alphabet`
 * symbols measures on average: less than log2 of the alphabet, as a short sample holds each
 * symbol unevenly (64 random letters and digits measure ~5.16 bits, not 5.95). Exact, from the
 * binomial count of each symbol; kept per (length, alphabet).
 */
export function expectedEntropy(length: number, alphabet: number): number {
  const key = length * 1024 + alphabet;
  let bits = expected.get(key);
  if (bits === undefined) {
    const p = 1 / alphabet;
    // P(a symbol occurs j times), from j = 0 up; E[H] = log2(n) - (k/n) * sum_j P(j) * j * log2(j).
    let pj = Math.pow(1 - p, length);
    let sum = 0;
    for (let j = 1; j <= length; j++) {
      pj = (pj * (length - j + 1) * p) / (j * (1 - p));
      sum += pj * j * Math.log2(j);
    }
    bits = Math.log2(length) - (alphabet / length) * sum;
    expected.set(key, bits);
  }
  return bits;
}
const expected = new Map<number, number>();
