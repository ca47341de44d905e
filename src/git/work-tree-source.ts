import { closeSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { GitwardError } from '../engine/errors.ts';
import type { BlobContent, BlobReadOptions, FileChange } from '../engine/types.ts';
import { wholeContentChange, type IndexEntry } from './files-source.ts';
import { gitSync } from './git-process.ts';

/** What the paths named on the command line hold beyond the tracked files. */
export interface NamedPaths {
  /** Named paths that match no tracked file but exist: scanned from the work tree. */
  untracked: string[];
  /** The files under those paths, relative to the top of the work tree. */
  files: IndexEntry[];
}

/**
 * Sorts the named paths (relative to `cwd`) against the tracked files found for them: a path
 * that matches none is read from the work tree when it exists, and is an error when it does not
 * (a typo must not become a scan of nothing that passes).
 */
export function namedPaths(cwd: string | undefined, paths: readonly string[], tracked: readonly IndexEntry[]): NamedPaths {
  const prefix = gitSync(['rev-parse', '--show-prefix'], { cwd }).trim();
  const names = tracked.map((e) => e.path);
  const out: NamedPaths = { untracked: [], files: [] };
  const missing: string[] = [];
  for (const path of paths) {
    const full = posix.normalize(posix.join(prefix, path)).replace(/\/+$/, '').replace(/^\.$/, '');
    const matched = full === '' || names.some((n) => n === full || n.startsWith(`${full}/`));
    // A pathspec with glob characters may match tracked files a literal comparison misses.
    if (matched || (/[*?[]/.test(path) && gitSync(['ls-files', '-z', '--', path], { cwd }) !== '')) continue;
    const stat = lstatOrNull(cwd ? posix.join(cwd, path) : path);
    if (!stat) {
      missing.push(path);
      continue;
    }
    out.untracked.push(path);
    // A named file is scanned even when ignored; a folder's files less what .gitignore excludes.
    const others = ['ls-files', '-z', '--others', '--full-name', ...(stat.isDirectory() ? ['--exclude-standard'] : []), '--', path];
    for (const name of gitSync(others, { cwd }).split('\0')) {
      if (name) out.files.push({ path: name, mode: '', blob: '' });
    }
  }
  if (missing.length > 0) {
    throw new GitwardError(
      `${missing.map((p) => `"${p}"`).join(', ')}: no such file or folder`,
      'Name files or folders that exist (paths are relative to the current folder).',
    );
  }
  return out;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Untracked files read from the work tree (at most `maxBytes` of each, like a blob). */
export async function* workTreeChanges(topLevel: string, files: readonly IndexEntry[], maxBytes: number): AsyncGenerator<FileChange> {
  for (const entry of files) {
    const file = posix.join(topLevel, entry.path);
    const stat = lstatOrNull(file);
    const mode = !stat ? '100644' : stat.isSymbolicLink() ? '120000' : stat.mode & 0o111 ? '100755' : '100644';
    const readable = stat !== null && stat.isFile();
    const read = (options?: BlobReadOptions) => Promise.resolve(readable ? readFileBounded(file, options, maxBytes) : null);
    // Not an object id: each file its own key for what the rules remember per blob in a scan.
    yield wholeContentChange({ path: entry.path, mode, blob: `work-tree:${entry.path}` }, await read(), read);
  }
}

/** The head (and, when asked, the tail) of a file, as BlobReader gives a blob's. */
function readFileBounded(file: string, options: BlobReadOptions | undefined, maxBytes: number): BlobContent | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = lstatSync(file).size;
    const headBytes = Math.min(size, options?.headBytes ?? maxBytes);
    const head = Buffer.alloc(headBytes);
    const got = readSync(fd, head, 0, headBytes, 0);
    const complete = got >= size;
    let tail: Buffer | null = null;
    const tailBytes = Math.min(options?.tailBytes ?? 0, size - got);
    if (!complete && tailBytes > 0) {
      tail = Buffer.alloc(tailBytes);
      readSync(fd, tail, 0, tailBytes, size - tailBytes);
    }
    return { size, head: head.subarray(0, got), tail, complete };
  } finally {
    closeSync(fd);
  }
}
