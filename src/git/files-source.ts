import type { BlobContent, BlobReadOptions, FileChange } from '../engine/types.ts';
import { gitSniffsBinary, splitLines } from '../engine/binary-text.ts';
import type { BlobReader } from './blob-reader.ts';
import { gitSync } from './git-process.ts';

const GITLINK = '160000';
const SYMLINK = '120000';
/** Blobs asked of `git cat-file --batch` ahead of the one being scanned (keeps the pipe busy). */
const READ_AHEAD = 32;

export interface IndexEntry {
  mode: string;
  blob: string;
  path: string;
}

/**
 * Tracked files as the index holds them (`git ls-files -s -z`, one process). The index, not the
 * work tree: it is what a commit records, what the pre-commit framework hands to hooks (it
 * stashes unstaged edits first), and every blob then comes from the one `git cat-file --batch`
 * already used for diffs — no file-system walk, no ignored or untracked junk, exact paths.
 * `paths` are pathspecs relative to `cwd`; output paths are relative to the top of the work tree.
 */
export function indexEntries(cwd: string | undefined, paths: readonly string[] = []): IndexEntry[] {
  const out = gitSync(['ls-files', '-s', '-z', '--full-name', '--', ...paths], { cwd });
  const entries: IndexEntry[] = [];
  const seen = new Set<string>();
  for (const record of out.split('\0')) {
    if (!record) continue;
    // "<mode> <object> <stage>\t<path>"; in a conflict the same path appears per stage: keep one.
    const tab = record.indexOf('\t');
    const [mode = '', blob = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (seen.has(path)) continue;
    seen.add(path);
    entries.push({ mode, blob, path });
  }
  return entries;
}

/**
 * Whole files as changes whose every line is "added", so the same rules judge them as they judge a
 * diff. Each blob is read once (head up to the per-file limit); reads are pipelined.
 */
export async function* wholeFileChanges(entries: readonly IndexEntry[], blobs: BlobReader): AsyncGenerator<FileChange> {
  const reads: (Promise<BlobContent | null> | null)[] = [];
  const start = (i: number) => {
    const entry = entries[i];
    reads[i] = entry && hasContent(entry.mode) ? blobs.read(entry.blob) : null;
  };
  for (let i = 0; i < Math.min(READ_AHEAD, entries.length); i++) start(i);
  for (let i = 0; i < entries.length; i++) {
    if (i + READ_AHEAD < entries.length) start(i + READ_AHEAD);
    const entry = entries[i];
    const content = await reads[i];
    reads[i] = null;
    yield wholeFileChange(entry, content ?? null, blobs);
  }
}

function hasContent(mode: string): boolean {
  return mode !== GITLINK && mode !== SYMLINK;
}

function wholeFileChange(entry: IndexEntry, content: BlobContent | null, blobs: BlobReader): FileChange {
  return wholeContentChange(entry, content, (options) => blobs.read(entry.blob, options));
}

/**
 * A whole file as a change whose every line is added, from its first read (`content`, null when
 * unreadable) and a way to read it again with other bounds (`reread`).
 */
export function wholeContentChange(
  entry: IndexEntry,
  content: BlobContent | null,
  reread: (options?: BlobReadOptions) => Promise<BlobContent | null>,
): FileChange {
  const binary = content !== null && gitSniffsBinary(content.head);
  const readable = content !== null;
  return {
    path: entry.path,
    oldPath: null,
    status: 'A',
    oldMode: null,
    newMode: entry.mode,
    oldBlob: null,
    newBlob: readable ? entry.blob : null,
    binary,
    addedLines: content && !binary ? splitLines(content.head.toString('utf8'), content.complete) : [],
    commit: null,
    loadContent(options?: BlobReadOptions): Promise<BlobContent | null> {
      if (!readable) return Promise.resolve(null);
      // The head already read serves any request it covers; a tail needs a fresh read.
      const wantsMore = (options?.tailBytes ?? 0) > 0 && !content.complete;
      const headFits = options?.headBytes === undefined || content.complete || options.headBytes <= content.head.length;
      if (!wantsMore && headFits) {
        const head = options?.headBytes !== undefined && options.headBytes < content.head.length ? content.head.subarray(0, options.headBytes) : content.head;
        return Promise.resolve({ ...content, head, complete: content.size <= head.length });
      }
      return reread(options);
    },
  };
}

