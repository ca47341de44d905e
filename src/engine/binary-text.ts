import type { AddedLine, BlobContent, FileChange } from './types.ts';

/** git's own test: a NUL in the first 8000 bytes makes a file binary. */
export const SNIFF_BYTES = 8000;

/** Whether git calls content starting with `head` binary by its bytes alone (a NUL among the first SNIFF_BYTES). */
export function gitSniffsBinary(head: Buffer): boolean {
  return head.subarray(0, SNIFF_BYTES).includes(0);
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The encoding of a blob that is really text, or null for real binary. Attributes (`-diff`,
 * `binary`, a textconv driver) make git print "Binary files differ" for text; a pusher controls
 * them, so the scanner judges the bytes itself. UTF-16 is recognised by its BOM, or by the
 * pattern of NULs that ASCII text in UTF-16 has.
 */
export function textEncoding(head: Buffer): TextEncoding | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (!gitSniffsBinary(head)) return 'utf-8';
  return utf16WithoutBom(head.subarray(0, SNIFF_BYTES));
}

function utf16WithoutBom(sniff: Buffer): TextEncoding | null {
  if (sniff.length < 16 || sniff.length % 2 !== 0) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sniff.length; i += 2) {
    if (sniff[i] === 0) evenNul++;
    if (sniff[i + 1] === 0) oddNul++;
  }
  const pairs = sniff.length / 2;
  if (oddNul > pairs * 0.9 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs * 0.9 && oddNul === 0) return 'utf-16be';
  return null;
}

export function decode(bytes: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf-8') return bytes.toString('utf8').replace(/^\uFEFF/, '');
  const even = bytes.length - (bytes.length % 2);
  let body = bytes.subarray(0, even);
  if (encoding === 'utf-16be') body = Buffer.from(body).swap16();
  return body.toString('utf16le').replace(/^\uFEFF/, '');
}

/** Lines of a text, numbered from 1; a trailing CR is kept off the text. */
export function splitLines(text: string, complete: boolean): AddedLine[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  // A blob cut at the byte limit ends in a partial line: it is not whole, so it is not judged.
  else if (!complete) parts.pop();
  return parts.map((part, i) => (part.endsWith('\r') ? { number: i + 1, text: part.slice(0, -1), cr: true } : { number: i + 1, text: part }));
}

export interface RecoveryLimits {
  maxFileBytes: number;
}

/**
 * A change git called binary, given the added lines of its new content: when the bytes are text,
 * the lines of the new blob that are not lines of the old blob (a set difference: git's patch is
 * not available, so a moved line counts as old), numbered in the new blob; when they are binary,
 * the runs of printable text in it that the old blob does not hold (printableRuns). A change with
 * no readable new blob comes back unchanged.
 */
export async function recoverTextLines(change: FileChange, limits: RecoveryLimits, notice: (message: string) => void): Promise<FileChange> {
  if (!change.binary || change.newBlob === null || change.status === 'D') return change;
  // Text or not, it is read up to max-file-bytes (the scan plans that read ahead: Scanner.plannedRead).
  const content = await change.loadContent({ headBytes: limits.maxFileBytes });
  if (!content || content.size === 0) return change;
  const encoding = textEncoding(content.head);
  if (encoding === null) {
    const runs = printableRuns(content.head, content.complete);
    if (runs.length === 0) return change;
    if (!content.complete) notice(`${change.path}: binary; the text in its first ${limits.maxFileBytes} bytes was scanned (limits.max-file-bytes)`);
    const old = await oldLines(change, limits, (c) => printableRuns(c.head, c.complete));
    return withAddedLines(change, old ? runs.filter((line) => !old.has(line.text)) : runs);
  }
  if (!content.complete) {
    notice(`${change.path}: marked binary, holds text; only its first ${limits.maxFileBytes} bytes were scanned (limits.max-file-bytes)`);
  } else if (encoding !== 'utf-8') {
    notice(`${change.path}: ${encoding.toUpperCase()} text, scanned decoded`);
  }
  const lines = splitLines(decode(content.head, encoding), content.complete);
  const old = await oldLines(change, limits, textLines);
  return withAddedLines(change, old ? lines.filter((line) => !old.has(line.text)) : lines);
}

function withAddedLines(change: FileChange, addedLines: AddedLine[]): FileChange {
  return { ...change, addedLines, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/** A text blob's lines (its encoding by its bytes; UTF-8 when they are binary). */
function textLines(content: BlobContent): AddedLine[] {
  return splitLines(decode(content.head, textEncoding(content.head) ?? 'utf-8'), content.complete);
}

/**
 * The text in binary bytes, as `strings` finds it: each run of bytes that holds a stretch of at
 * least MIN_RUN printable ASCII characters, taken with the bytes past 0x7f around it (UTF-8 text)
 * up to a control character other than the tab, DEL, a CR or a newline, and decoded as UTF-8;
 * numbered by the newlines before it. One NUL before a file of keys makes git call it binary; so
 * does a key pasted into a compiled file or an archive stored uncompressed. A run cut by the
 * read's end is left out, as a partial line is. The stretches are found over a one-byte string
 * (8 MiB of random bytes: ~10 ms, where decoding them all as UTF-8 first took ~250 ms).
 */
export function printableRuns(bytes: Buffer, complete = true): AddedLine[] {
  const text = bytes.toString('latin1');
  const runs: AddedLine[] = [];
  let number = 1;
  let counted = 0;
  ASCII_STRETCH.lastIndex = 0;
  for (let m = ASCII_STRETCH.exec(text); m !== null; m = ASCII_STRETCH.exec(text)) {
    let start = m.index;
    while (start > 0 && isRunByte(bytes[start - 1]!)) start--;
    let end = m.index + m[0].length;
    while (end < bytes.length && isRunByte(bytes[end]!)) end++;
    ASCII_STRETCH.lastIndex = end;
    if (!complete && end === bytes.length) break;
    const run = bytes.toString('utf8', start, end).trim();
    if (run.length < MIN_RUN) continue;
    for (let at = bytes.indexOf(0x0a, counted); at !== -1 && at < start; at = bytes.indexOf(0x0a, at + 1)) number++;
    counted = start;
    runs.push({ number, text: run });
  }
  return runs;
}
/** Shorter stretches of printable characters in binary bytes are not scanned: no credential is that short. */
const MIN_RUN = 8;
/** A stretch of printable ASCII (and tabs), over the bytes read as latin1. */
const ASCII_STRETCH = /[\t\x20-\x7e]{8,}/g;

/** A byte of a run: printable ASCII, a tab, or a byte of a UTF-8 character past ASCII. */
function isRunByte(b: number): boolean {
  return b === 9 || (b >= 0x20 && b !== 0x7f);
}

/** The old blob's lines, as `linesOf` reads them, to leave out of the new blob's. */
async function oldLines(change: FileChange, limits: RecoveryLimits, linesOf: (content: BlobContent) => AddedLine[]): Promise<Set<string> | null> {
  if (change.status === 'A' || !change.loadOldContent) return null;
  const content: BlobContent | null = await change.loadOldContent({ headBytes: limits.maxFileBytes });
  if (!content) return null;
  return new Set(linesOf(content).map((l) => l.text));
}
