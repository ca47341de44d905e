/**
 * What a path says about its content, for the secret rules. Plain string tests instead of
 * regular expressions: a regular expression is compiled on its first use (and again when V8
 * tiers it up), ~0.4 ms for these three on every commit, for a question asked once per file.
 */

/** Lock files by name; any `*.lock` is one too. */
const LOCK_FILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'go.sum']);
/** Extensions of source files (ASCII case-insensitive): an unquoted value there is a variable. */
const CODE_EXTENSIONS = new Set(['py', 'pyi', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'go', 'rb', 'java', 'kt', 'scala', 'cs', 'php', 'rs', 'swift', 'c', 'cc', 'cpp', 'h', 'hpp', 'ipynb']);
const LONGEST_CODE_EXTENSION = 5;

/** package-lock.json, yarn.lock, Cargo.lock, go.sum, … (hashes and registry data, no credentials). */
export function isLockFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.lock') || LOCK_FILE_NAMES.has(name);
}

export function isCodeFile(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || path.length - dot - 1 > LONGEST_CODE_EXTENSION) return false;
  let extension = '';
  for (let i = dot + 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128) return false; // /i without the u flag never folds a non-ASCII character to ASCII
    extension += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return CODE_EXTENSIONS.has(extension);
}

/** Minified bundles, source maps and SVG: one long line of generated text. */
export function isMinified(path: string): boolean {
  return path.endsWith('.min.js') || path.endsWith('.min.css') || path.endsWith('.map') || path.endsWith('.svg');
}
