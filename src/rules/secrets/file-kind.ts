/**
 * What a path says about its content, for the secret rules. Plain string tests instead of
 * regular expressions: a regular expression is compiled on its first use (and again when V8
 * tiers it up), ~0.4 ms for these three on every commit, for a question asked once per file.
 */

/** Lock files by name; any `*.lock` is one too. */
const LOCK_FILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'go.sum']);
/** Extensions of source files (ASCII case-insensitive): an unquoted value there is a variable. */
const CODE_EXTENSIONS = new Set(['py', 'pyi', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'go', 'rb', 'java', 'kt', 'scala', 'cs', 'php', 'rs', 'swift', 'c', 'cc', 'cpp', 'h', 'hpp', 'ipynb', 'gs']);
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

/** A shell script or a Dockerfile, where double quotes expand `$NAME` (a .env is read by libraries that differ). */
export function isShellScript(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return /\.(?:sh|bash|zsh|ksh)$/.test(name) || name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile');
}

/** Minified bundles, source maps and SVG: one long line of generated text. */
export function isMinified(path: string): boolean {
  return path.endsWith('.min.js') || path.endsWith('.min.css') || path.endsWith('.map') || path.endsWith('.svg');
}

/** Public material: certificates and CA bundles, public keys, known_hosts, and vector art files (embedded previews). */
const PUBLIC_EXTENSIONS = new Set(['pem', 'crt', 'cer', 'csr', 'der', 'p7b', 'p7c', 'pub', 'ai', 'eps', 'ps', 'pdf', 'svg', 'graffle']);
const PUBLIC_NAMES = new Set(['known_hosts', 'authorized_keys']);

/**
 * Files whose long random-looking strings are public (no high-entropy warning); tokens by format are
 * still found. Generated protobuf modules (`*_pb2.py`) hold serialized descriptors, not keys.
 */
export function isPublicMaterial(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (PUBLIC_NAMES.has(name) || name.endsWith('_pb2.py')) return true;
  const dot = name.lastIndexOf('.');
  return dot >= 0 && PUBLIC_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Documentation: prose and examples. A generic assignment there is a warning; a provider's token still blocks. */
const DOC_EXTENSIONS = new Set(['md', 'markdown', 'mdx', 'rst', 'adoc', 'asciidoc']);

/** A built documentation site's search index: the pages' text as JSON (MkDocs) or JavaScript (Sphinx). */
const DOC_INDEX_NAMES = new Set(['search_index.json', 'searchindex.js']);

export function isDocumentation(path: string): boolean {
  if (path.startsWith('docs/') || path.startsWith('doc/') || path.includes('/docs/') || path.includes('/doc/')) return true;
  // The code samples a documentation site includes (FastAPI's, Typer's and SQLModel's layout).
  if (path.startsWith('docs_src/') || path.includes('/docs_src/')) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (DOC_INDEX_NAMES.has(name)) return true;
  const dot = name.lastIndexOf('.');
  return dot >= 0 && DOC_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}
