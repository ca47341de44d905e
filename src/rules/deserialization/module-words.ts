import type { GitwardConfig } from '../../config/types.ts';
import type { AddedLine, FileChange } from '../../engine/types.ts';
import { lowerCaseName } from '../../engine/file-names.ts';
import { lineFacts } from '../../engine/line-facts.ts';
import { PerFile } from '../../engine/parts.ts';
import type { Hit } from './scan-python.ts';

/**
 * Every name the rules judge resolves from a module whose name the file spells out somewhere (in an
 * import, a rebinding, or the call itself: `pd.read_pickle`, `np.load`), and every such module name
 * holds one of these words. A file without them cannot hold an unsafe call, so it is not tokenized.
 */
const MODULE_WORDS = /pickle|Pickle|marshal|shelve|joblib|yaml|torch|numpy|\bnp\b|keras|dill/;

/**
 * A declared encoding other than UTF-8 counts as a word: Python decodes the file with it, and the
 * words may only show once decoded (`# coding: utf-7` spells `pickle` as `+AHA-ickle`). Only git's
 * first two lines can hold the declaration (Python's lines 1 and 2, a lone CR ending one, are in
 * them), so only they are searched: an alternative in MODULE_WORDS cost every line (+12 % on a push).
 */
const FOREIGN_CODING = /coding[:=][ \t]*(?![uU][tT][fF][-_]?8(?![-\w.]))[-\w.]/;

/** Whether a text that starts a file declares an encoding other than UTF-8 in its first two lines. */
function declaresForeignEncoding(text: string): boolean {
  const first = text.indexOf('\n');
  const second = first === -1 ? -1 : text.indexOf('\n', first + 1);
  return holdsForeignDeclaration(second === -1 ? text : text.slice(0, second));
}

/**
 * Whether a text declares an encoding other than UTF-8 on any line: a blob that does is never
 * remembered clean (rememberClean), since deleting the lines above would put the declaration in
 * force (Python reads it on lines 1 and 2 only) and change what every line decodes to.
 */
export function holdsForeignDeclaration(text: string): boolean {
  return text.includes('coding') && FOREIGN_CODING.test(text);
}

/** A Jupyter notebook: its code is JSON strings, where a \u escape can spell a letter. */
export function isNotebook(path: string): boolean {
  return lowerCaseName(path).endsWith('.ipynb');
}

/**
 * What a text holds: a module word ('word', also once NFKC-normalised: Python normalises
 * identifiers), else a `\u` escape ('escape': a notebook's JSON may spell a word with one), else
 * neither ('none'). Only 'none' is clean whatever kind of file the same blob is read as.
 */
export type Words = 'word' | 'escape' | 'none';

/**
 * `ascii`: whether the text is known to hold only ASCII (a blob's bytes checked with node's
 * isAscii, far faster than searching the decoded text for a character past 0x7f); undefined: unknown.
 */
export function wordsIn(text: string, ascii?: boolean): Words {
  if (MODULE_WORDS.test(text) || declaresForeignEncoding(text)) return 'word';
  if (ascii !== true && (ascii === false || /[^\x00-\x7f]/.test(text)) && MODULE_WORDS.test(text.normalize('NFKC'))) return 'word';
  return text.includes('\\u') ? 'escape' : 'none';
}

/** The prefilter: may a file (a notebook or not) with these words hold an unsafe call? */
export function mayHoldUnsafeCall(words: Words, notebook: boolean): boolean {
  return words === 'word' || (notebook && words === 'escape');
}

/**
 * wordsIn over added lines, line by line: no word and no `\u` escape spans lines (nor does NFKC
 * normalisation reach across a newline), so this is wordsIn of the lines joined. Joining them was
 * the dear part: on 400 new Python files (45,000 lines, none with a word) the joins took ~25 ms of
 * a cold run and the searches ~5 ms; two regular expression tests a line take ~11 ms in all.
 */
export function wordsInLines(lines: readonly AddedLine[]): Words {
  // Lines the diff parser saw to be ASCII need no search for a character past 0x7f: with that
  // class among its alternatives the expression is tried at every character (irregexp cannot skip
  // ahead to a word's letters), ~40 % more of its cost (docs/performance.md, round 9).
  const ascii = lineFacts(lines)?.ascii === true;
  const search = ascii ? WORD_OR_ASCII_ESCAPE : WORD_OR_ESCAPE;
  let escape = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    if (lines[i]!.number <= 2 && declaresForeignEncoding(text)) return 'word';
    // Most lines hold neither: one search tells (two did, a cold regular expression call per line each).
    if (!search.test(text)) continue;
    const words = wordsIn(text, ascii || undefined);
    if (words === 'word') return 'word';
    escape ||= words === 'escape';
  }
  return escape ? 'escape' : 'none';
}
/** A line that can answer otherwise than 'none': a module word, a non-ASCII character (NFKC) or a `\u`. */
const WORD_OR_ESCAPE = new RegExp(`${MODULE_WORDS.source}|[^\\x00-\\x7f]|\\\\u`);
/** WORD_OR_ESCAPE for an ASCII line. */
const WORD_OR_ASCII_ESCAPE = new RegExp(`${MODULE_WORDS.source}|\\\\u`);

/**
 * Blobs known to hold no module word, so no unsafe call (by id: a blob's content never changes),
 * kept per scan (keyed by its config), each with what it holds instead ('none' or only a `\u`
 * escape: 'escape' is clean for a Python file, not for a notebook). A modified file whose old blob
 * is one and whose added lines hold no word cannot hold one either: every line of the new content
 * is a line of the old one or an added line. Along a history or a push, read oldest first, each
 * version of a file is the old version of the next, so most modified Python files are cleared
 * without reading their blob. A merge is cleared this way only when the blobs of all its parents
 * are known clean: its new content also holds lines of the other parents.
 */
const MAX_BLOBS = 50_000;

/** What the rule has read of the blob of a large file coming in parts: its unsafe calls. */
export interface BlobCalls {
  hits: Hit[] | null;
  /** Only the blob's head (max-file-bytes) was read. */
  partial: boolean;
  /** The text the hits were found in, where kept (an unchanged line's allow comment is looked for in it). */
  text?: string;
}

/** What a blob known to hold no module word holds (see above). */
export type CleanWords = Exclude<Words, 'word'>;

/** What the rule has learned during one scan, kept per scan (keyed by the scan's config object). */
export interface ScanMemory {
  /** Blobs known to hold no module word, with whether they hold a `\u` escape (see above). */
  readonly clean: Map<string, CleanWords>;
  /**
   * The large file whose parts (FileChange.part) are being scanned: whether a module word has
   * occurred in its parts so far, and its unsafe calls once read (each part asks about one blob).
   */
  readonly parts: PerFile<{ wordSeen: boolean; calls: Promise<BlobCalls> | null }>;
  /**
   * The unsafe calls of blobs read whole, as the keys that tell them from another version's
   * (detector.ts, callKey), by blob id and reading (a notebook's or not): along a history each
   * version of a file is the old version of the next, whose calls off the added lines are matched
   * against these rather than its old blob read and tokenized again.
   */
  readonly callKeys: Map<string, BlobCallKeys>;
}

/** What callKeys holds of a blob. */
export interface BlobCallKeys {
  readonly keys: readonly string[];
  /** Its first line is a shebang naming Python (the rule reads it as Python whatever its name). */
  readonly shebang: boolean;
}

const memories = new WeakMap<GitwardConfig, ScanMemory>();

export function memoryOf(config: GitwardConfig): ScanMemory {
  let memory = memories.get(config);
  if (!memory) memories.set(config, (memory = { clean: new Map(), parts: new PerFile(), callKeys: new Map() }));
  return memory;
}

/** Remembers the call keys of a blob read whole (see ScanMemory.callKeys), as read as a notebook or not. */
export function rememberCalls(config: GitwardConfig, id: string | null, notebook: boolean, calls: BlobCallKeys): void {
  if (id === null) return;
  const { callKeys } = memoryOf(config);
  if (callKeys.size >= MAX_CALL_BLOBS) callKeys.clear();
  callKeys.set(`${notebook ? 'n' : 'p'}${id}`, calls);
}

/** What rememberCalls kept of a blob, or undefined. */
export function rememberedCalls(config: GitwardConfig, id: string, notebook: boolean): BlobCallKeys | undefined {
  return memories.get(config)?.callKeys.get(`${notebook ? 'n' : 'p'}${id}`);
}

/** Blobs whose calls are kept: only blobs with a module word are, and their keys are a line or so each. */
const MAX_CALL_BLOBS = 4096;

/** Remembers what a whole blob holds, when it holds no module word (a fact about the blob, whatever file it is read as). */
export function rememberClean(config: GitwardConfig, id: string | null, words: Words): void {
  if (id === null || words === 'word') return;
  const { clean } = memoryOf(config);
  if (clean.size >= MAX_BLOBS) clean.clear();
  clean.set(id, words);
}

/**
 * What the old content holds when it is known to hold no module word (see above), else null: the
 * new content then holds a word only if an added line does.
 */
function oldContentWords(change: FileChange, config: GitwardConfig): CleanWords | null {
  if (change.oldBlob === null || change.binary || change.part) return null;
  const clean = memories.get(config)?.clean;
  let words = clean?.get(change.oldBlob) ?? null;
  if (!change.merge || words === null) return words;
  // A merge's new content also holds lines of the other parents: all of them must be known clean.
  const others = change.otherParentBlobs;
  if (!others || others.length === 0) return null;
  for (const id of others) {
    const parent = clean!.get(id);
    if (parent === undefined) return null;
    if (parent === 'escape') words = 'escape';
  }
  return words;
}

/** What the new content of a change holds, from the old content's words and the added lines' (an upper bound: 'escape' if either holds one). */
function combinedWords(old: CleanWords, added: Words): Words {
  if (added === 'word') return 'word';
  return old === 'escape' ? 'escape' : added;
}

/** wordsInLines of a change's added lines, once per change (the read-ahead's plan and the scan both ask). */
const addedWordsOf = new WeakMap<readonly AddedLine[], Words>();
function addedWords(change: FileChange): Words {
  let words = addedWordsOf.get(change.addedLines);
  if (words === undefined) addedWordsOf.set(change.addedLines, (words = wordsInLines(change.addedLines)));
  return words;
}

/**
 * What a change's new content holds when the patch tells without reading its blob: a new text file
 * whose added lines are all of it, or a new version of a blob known to hold no module word (see
 * above). Null when only the blob can tell. What it finds is remembered for the new blob, so the
 * read-ahead's plan (which runs up to a few changes before the scan, in the same order) already
 * knows the next version of the file without waiting for this change's scan.
 */
export function wordsWithoutReading(change: FileChange, config: GitwardConfig): Words | null {
  if (change.part) return null;
  let words: Words | null = null;
  if (addedLinesAreWholeFile(change)) words = addedWords(change);
  else {
    const old = oldContentWords(change, config);
    if (old !== null) words = combinedWords(old, addedWords(change));
  }
  if (words !== null && words !== 'word' && !change.addedLines.some((line) => holdsForeignDeclaration(line.text))) rememberClean(config, change.newBlob, words);
  return words;
}

/**
 * The added lines are the whole new file: an added text file whose lines run 1, 2, 3, … (a line cut
 * into windows repeats its number). Then a file none of whose lines holds a module word cannot
 * hold an unsafe call, whatever its size (past max-file-bytes only the blob's head would be read,
 * and a part of the file holds no word the whole does not). No prefilter word spans lines.
 */
function addedLinesAreWholeFile(change: FileChange): boolean {
  if (change.status !== 'A' || change.binary) return false;
  const lines = change.addedLines;
  if (lineFacts(lines)?.numberedFromOne) return true;
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const number = lines[i]!.number;
    if (number === expected) expected++;
    else if (number !== expected - 1 || i === 0) return false;
  }
  return true;
}
