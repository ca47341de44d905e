import type { GitwardConfig } from '../../config/types.ts';
import type { AddedLine, FileChange } from '../../engine/types.ts';
import type { Hit } from './scan-python.ts';

/**
 * Every name the rules judge resolves from a module whose name the file spells out somewhere (in an
 * import, a rebinding, or the call itself: `pd.read_pickle`, `np.load`), and every such module name
 * holds one of these words. A file without them cannot hold an unsafe call, so it is not tokenized.
 */
const MODULE_WORDS = /pickle|Pickle|marshal|shelve|joblib|yaml|torch|numpy|\bnp\b|keras|dill/;

/** A Jupyter notebook: its code is JSON strings, where a \u escape can spell a letter. */
export function isNotebook(path: string): boolean {
  return /\.ipynb$/i.test(path);
}

/**
 * What a text holds: a module word ('word', also once NFKC-normalised: Python normalises
 * identifiers), else a `\u` escape ('escape': a notebook's JSON may spell a word with one), else
 * neither ('none'). Only 'none' is clean whatever kind of file the same blob is read as.
 */
export type Words = 'word' | 'escape' | 'none';

export function wordsIn(text: string): Words {
  if (MODULE_WORDS.test(text)) return 'word';
  if (/[^\x00-\x7f]/.test(text) && MODULE_WORDS.test(text.normalize('NFKC'))) return 'word';
  return text.includes('\\u') ? 'escape' : 'none';
}

/** The prefilter: may a file (a notebook or not) with these words hold an unsafe call? */
export function mayHoldUnsafeCall(words: Words, notebook: boolean): boolean {
  return words === 'word' || (notebook && words === 'escape');
}

/** wordsIn over added lines, joined a batch at a time: one regular expression call per ~1000 lines, no whole-file copy. */
export function wordsInLines(lines: readonly AddedLine[]): Words {
  const BATCH = 1024;
  let escape = false;
  for (let from = 0; from < lines.length; from += BATCH) {
    const texts: string[] = [];
    for (let i = from; i < lines.length && i < from + BATCH; i++) texts.push(lines[i]!.text);
    const words = wordsIn(texts.join('\n'));
    if (words === 'word') return 'word';
    escape ||= words === 'escape';
  }
  return escape ? 'escape' : 'none';
}

/**
 * Blobs known to hold no module word, so no unsafe call (by id: a blob's content never changes),
 * kept per scan (keyed by its config). A modified file whose old blob is one and whose added lines
 * hold none cannot hold one either: every line of the new content is a line of the old one or an
 * added line. Along a history or a push, read oldest first, each version of a file is the old
 * version of the next, so most modified Python files are cleared without reading their blob. A
 * merge is never cleared this way: its new content also holds lines of the other parents.
 */
const MAX_BLOBS = 50_000;

/** What the rule has read of the blob of a large file coming in parts: its unsafe calls. */
export interface BlobCalls {
  hits: Hit[] | null;
  /** Only the blob's head (max-file-bytes) was read. */
  partial: boolean;
}

/** What the rule has learned during one scan, kept per scan (keyed by the scan's config object). */
export interface ScanMemory {
  /** Blobs known to hold no module word (see above). */
  readonly clean: Set<string>;
  /**
   * The large file whose parts (FileChange.part) are being scanned: whether a module word has
   * occurred in its parts so far, and its unsafe calls once read (each part asks about one blob).
   */
  parts: { id: string; notebook: boolean; wordSeen: boolean; calls: Promise<BlobCalls> | null } | null;
}

const memories = new WeakMap<GitwardConfig, ScanMemory>();

export function memoryOf(config: GitwardConfig): ScanMemory {
  let memory = memories.get(config);
  if (!memory) memories.set(config, (memory = { clean: new Set(), parts: null }));
  return memory;
}

export function rememberClean(config: GitwardConfig, id: string | null): void {
  if (id === null) return;
  const { clean } = memoryOf(config);
  if (clean.size >= MAX_BLOBS) clean.clear();
  clean.add(id);
}

/** The old content is known clean, so the new one is clean when the added lines are (see above). */
export function oldContentKnownClean(change: FileChange, config: GitwardConfig): boolean {
  if (change.oldBlob === null || change.binary || change.merge || change.part) return false;
  return memories.get(config)?.clean.has(change.oldBlob) ?? false;
}
