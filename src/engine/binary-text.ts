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
 * A change git called binary, given the added lines of its new content (blobLines): the lines of
 * the new blob that are not lines of the old blob (a set difference: git's patch is not available,
 * so a moved line counts as old), numbered in the new blob. A change with no readable new blob, or
 * whose bytes hold no text at all, comes back unchanged.
 */
export async function recoverTextLines(change: FileChange, limits: RecoveryLimits, notice: (message: string) => void): Promise<FileChange> {
  if (!change.binary || change.newBlob === null || change.status === 'D') return change;
  // Text or not, it is read up to max-file-bytes (the scan plans that read ahead: Scanner.plannedRead).
  const content = await change.loadContent({ headBytes: limits.maxFileBytes });
  if (!content || content.size === 0) return change;
  const read = blobLines(content);
  if (read.lines.length === 0) return change;
  if (!content.complete) {
    const what = read.encoding === 'binary' ? `binary; only the text in its first ${limits.maxFileBytes} bytes was` : `marked binary, holds text; only its first ${limits.maxFileBytes} bytes were`;
    notice(`${change.path}: ${what} scanned (limits.max-file-bytes)`);
  } else if (read.encoding === 'utf-16le' || read.encoding === 'utf-16be') {
    notice(`${change.path}: ${read.encoding.toUpperCase()} text, scanned decoded`);
  }
  const old = change.status === 'A' || !change.loadOldContent ? null : await change.loadOldContent({ headBytes: limits.maxFileBytes });
  const oldTexts = old ? new Set(blobLines(old).lines.map((l) => l.text)) : null;
  const addedLines = oldTexts ? read.lines.filter((line) => !oldTexts.has(line.text)) : read.lines;
  return { ...change, addedLines, ...(read.binaryText ? { binaryText: true } : {}), loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/**
 * What a blob git called binary holds as lines. Text in UTF-8 or UTF-16 (textEncoding) is its
 * lines. Other bytes are read for their printable runs (printableRuns): as text when control bytes
 * are only a few stray ones (one NUL before a file of keys makes git call it binary), else as the
 * text inside binary (`binaryText`: compiled constants, symbols, an archive's members), which the
 * secrets rule reads as it reads code. A blob that starts like UTF-16 but holds runs of ASCII
 * in its raw bytes (a BOM before a file of keys) is read both ways.
 */
function blobLines(content: BlobContent): { lines: AddedLine[]; encoding: TextEncoding | 'binary'; binaryText: boolean } {
  const encoding = textEncoding(content.head);
  if (encoding === 'utf-8') return { lines: splitLines(decode(content.head, encoding), content.complete), encoding, binaryText: false };
  const runs = printableRuns(content.head, content.complete);
  if (encoding === null) return { lines: runs, encoding: 'binary', binaryText: !fewControlBytes(content.head) };
  const lines = splitLines(decode(content.head, encoding), content.complete);
  if (runs.length === 0) return { lines, encoding, binaryText: false };
  return { lines: [...lines, ...runs].sort((x, y) => x.number - y.number), encoding, binaryText: true };
}

/**
 * Whether the bytes are text but for a few control bytes (other than tab, newline and CR): at most
 * one in STRAY_CONTROL, and no more than STRAY_CONTROL_MIN in a small file. Stops counting at the
 * limit: real binary has control bytes from its first few hundred.
 */
function fewControlBytes(bytes: Buffer): boolean {
  const limit = Math.max(STRAY_CONTROL_MIN, Math.floor(bytes.length / STRAY_CONTROL));
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) {
      if (++count > limit) return false;
    }
  }
  return true;
}
const STRAY_CONTROL = 1000;
const STRAY_CONTROL_MIN = 16;

/**
 * The text in binary bytes, as `strings` finds it: each run of bytes that holds a stretch of at
 * least MIN_RUN printable ASCII characters, taken with the bytes past 0x7f around it (UTF-8 text)
 * up to a control character other than the tab, DEL, a CR or a newline, and decoded as UTF-8;
 * numbered by the newlines before it. One NUL before a file of keys makes git call it binary; so
 * does a key pasted into a compiled file or an archive stored uncompressed. A run cut by the
 * read's end is left out, as a partial line is. The stretches are found over a one-byte string
 * (8 MiB of random bytes: ~10 ms, where decoding them all as UTF-8 first took ~250 ms) by a
 * pattern of fixed length: `{8,}` over a 6 MB stretch overflowed V8's regexp stack.
 */
export function printableRuns(bytes: Buffer, complete = true): AddedLine[] {
  const text = bytes.toString('latin1');
  const runs: AddedLine[] = [];
  let number = 1;
  // The first newline not counted yet: each is counted once, however many runs a line holds.
  let newline = bytes.indexOf(0x0a);
  ASCII_STRETCH.lastIndex = 0;
  for (let m = ASCII_STRETCH.exec(text); m !== null; m = ASCII_STRETCH.exec(text)) {
    let start = m.index;
    while (start > 0 && isRunByte(bytes[start - 1]!)) start--;
    let end = m.index + MIN_RUN;
    while (end < bytes.length && isRunByte(bytes[end]!)) end++;
    ASCII_STRETCH.lastIndex = end;
    if (!complete && end === bytes.length) break;
    const run = bytes.toString('utf8', start, end).trim();
    if (run.length < MIN_RUN) continue;
    for (; newline !== -1 && newline < start; newline = bytes.indexOf(0x0a, newline + 1)) number++;
    runs.push({ number, text: run });
  }
  return runs;
}
/** Shorter stretches of printable characters in binary bytes are not scanned: no credential is that short. */
const MIN_RUN = 8;
/** MIN_RUN printable ASCII characters (or tabs), over the bytes read as latin1. */
const ASCII_STRETCH = /[\t\x20-\x7e]{8}/g;

/** A byte of a run: printable ASCII, a tab, or a byte of a UTF-8 character past ASCII. */
function isRunByte(b: number): boolean {
  return b === 9 || (b >= 0x20 && b !== 0x7f);
}

