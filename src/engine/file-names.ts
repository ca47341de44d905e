// File names told by string tests instead of case-insensitive regular expressions: every pattern
// a run executes is compiled on its first use (twice when used again: bytecode, then machine
// code), and a `/i` pattern's compile looks up each letter's other cases. The everyday commit's
// paths went through seven such name patterns (~5 M instructions, ~1 ms, of every commit;
// docs/performance.md, "Round 8: the everyday commit").

/**
 * `text` with the ASCII capitals A-Z lowered and nothing else changed: the letters a `/i` pattern
 * without the `u` flag matches regardless of case. Such a pattern never matches an ASCII letter
 * with another character (`toLowerCase()` would turn the Kelvin sign, U+212A, into `k`).
 */
export function asciiLowerCase(text: string): string {
  let lowered: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) {
      lowered ??= text.slice(0, i);
      lowered += String.fromCharCode(code + 32);
    } else if (lowered !== null) {
      lowered += text[i];
    }
  }
  return lowered ?? text;
}

/** The last segment of a slash-separated path with its ASCII capitals lowered (see asciiLowerCase). */
export function lowerCaseName(path: string): string {
  return asciiLowerCase(path.slice(path.lastIndexOf('/') + 1));
}

/** Whether the path's name ends with one of `suffixes` (lower case), ASCII capitals counted as lower case. */
export function nameEndsWith(path: string, suffixes: readonly string[]): boolean {
  return endsWithAny(lowerCaseName(path), suffixes);
}

/** Whether `name` ends with one of `suffixes`. */
export function endsWithAny(name: string, suffixes: readonly string[]): boolean {
  return suffixes.some((suffix) => name.endsWith(suffix));
}
