import { nameEndsWith } from './file-names.ts';
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
  return parts.map((part, i) => textLine(i + 1, part));
}

/** A line of text numbered `number`, a CR at its end kept off the text and said in `cr` (as is one kept off before: `cr`). */
export function textLine(number: number, text: string, cr = false): AddedLine {
  const ends = text.endsWith('\r');
  return ends || cr ? { number, text: ends ? text.slice(0, -1) : text, cr: true } : { number, text };
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
  if (!content.complete) {
    const what = read.encoding === 'binary' ? `binary; only the text in its first ${limits.maxFileBytes} bytes was` : `marked binary, holds text; only its first ${limits.maxFileBytes} bytes were`;
    notice(`${change.path}: ${what} scanned (limits.max-file-bytes)`);
  } else if (read.encoding === 'utf-16le' || read.encoding === 'utf-16be') {
    notice(`${change.path}: ${read.encoding.toUpperCase()} text, scanned decoded`);
  }
  if (read.lines.length === 0) return change;
  const old = change.status === 'A' || !change.loadOldContent ? null : await change.loadOldContent({ headBytes: limits.maxFileBytes });
  const oldTexts = old ? new Set(blobLines(old).lines.map((l) => l.text)) : null;
  const addedLines = oldTexts ? read.lines.filter((line) => !oldTexts.has(line.text)) : read.lines;
  const compiled = read.encoding === 'binary' && isCompiledCode(change.path, content.head);
  const runs = read.encoding === 'binary' ? { printableRuns: true as const } : {};
  return { ...change, addedLines, ...(compiled ? { compiled: true } : {}), ...runs, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/**
 * What a blob git called binary holds as lines: text in UTF-8 is its lines; anything else is read
 * for every text it may hold, so that no prefix of bytes (a NUL, control bytes, a BOM, binary
 * padding) can hide a file of keys: its lines of text and runs of printable bytes (binaryTextLines),
 * and its UTF-16 text, decoded whole when it reads as UTF-16, else as the runs of ASCII written in
 * UTF-16 that the same pass finds (as `strings -el` and `-eb` do).
 */
function blobLines(content: BlobContent): { lines: AddedLine[]; encoding: TextEncoding | 'binary' } {
  const { head, complete } = content;
  const encoding = textEncoding(head);
  // Marked binary, with no NUL in its first 8000 bytes: text, unless a NUL comes later (UTF-16 after ASCII).
  if (encoding === 'utf-8' && head.indexOf(0, SNIFF_BYTES) === -1) return { lines: splitLines(decode(head, encoding), complete), encoding };
  const found = binaryTextLines(head, complete);
  const decoded = encoding === null ? [] : splitLines(decode(head, encoding), complete);
  // Each reading adds what the others do not hold (the same line read twice is one line).
  const seen = new Set<string>();
  const lines: AddedLine[] = [];
  for (const line of [...decoded, ...found.lines, ...found.utf16]) {
    const key = `${line.number}\n${line.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(line);
  }
  return { lines: lines.sort((x, y) => x.number - y.number), encoding: encoding ?? 'binary' };
}

/**
 * The text in binary bytes. Lines (up to each newline) that hold a stretch of MIN_RUN printable
 * ASCII characters other than spaces (no credential is shorter): a line three quarters printable
 * ASCII or more is text, read as UTF-8 with its control bytes (but tabs) as spaces (`password
 * =\x0c"…"`, a PEM key whose lines end in CRs or NULs, read as in a text file); in any other line
 * (machine code, compressed data) only its runs of printable bytes that hold such a stretch, each
 * up to a control byte, as `strings` finds them. And runs of at least MIN_RUN ASCII characters
 * written in UTF-16 (each beside a NUL), little- or big-endian. A line cut by the read's end is
 * left out. Byte loops, not regular expressions: over 155 MB of libraries and executables,
 * patterns for the stretches took ~1.4 s.
 *
 * Most of a binary (weights, compressed data, machine code) holds neither, so the pass looks at
 * every eighth byte only (positions 7 mod 8): a stretch of eight bytes covers one of them, and so
 * do the fifteen bytes that eight UTF-16 characters in a row need before the eighth is counted
 * (Utf16Events). Only a line with a stretch is read byte by byte (lineText), and only a run of
 * UTF-16 events that reaches such a byte. The result is the one a loop over every byte gives;
 * test/binary-text.test.ts holds it to that loop.
 */
export function binaryTextLines(bytes: Buffer, complete = true): { lines: AddedLine[]; utf16: AddedLine[] } {
  const lines: AddedLine[] = [];
  const events = new Utf16Events(bytes, complete);
  const n = bytes.length;
  let number = 1;
  for (let start = 0; start <= n; number++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? n : newline;
    let hasStretch = false;
    // The first position 7 mod 8 in the line (`start | 7` would overflow past 2 GiB).
    for (let p = start + ((7 - start) & 7); p < end; p += 8) {
      const c = bytes[p]!;
      if (!hasStretch && isStretchByte(c)) hasStretch = stretchAround(bytes, p, start, end);
      if (p >= events.until && isEvent(bytes, p)) events.runAt(p, number);
    }
    // A line cut by the read's end is not whole: not judged (its UTF-16 runs say so themselves).
    if (hasStretch && (newline !== -1 || complete)) lineText(bytes, start, end, number, lines);
    if (newline === -1) break;
    start = newline + 1;
  }
  return { lines, utf16: events.out };
}

/** Printable ASCII other than a space: the bytes of a stretch. */
function isStretchByte(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** Whether the printable bytes around `p` (itself one, inside the line [start, end)) number MIN_RUN or more. */
function stretchAround(bytes: Buffer, p: number, start: number, end: number): boolean {
  let from = p;
  while (from > start && from > p - (MIN_RUN - 1) && isStretchByte(bytes[from - 1]!)) from--;
  let to = p + 1;
  while (to < end && to < from + MIN_RUN && isStretchByte(bytes[to]!)) to++;
  return to - from >= MIN_RUN;
}

/** A line that holds a stretch, read byte by byte: its printable bytes and its runs, judged (judgedLine). */
function lineText(bytes: Buffer, start: number, end: number, number: number, out: AddedLine[]): void {
  // The runs that hold a stretch (start, end pairs), for a line judged not to be text.
  const runs: number[] = [];
  let printable = 0;
  let stretch = 0;
  let runStart = start;
  let runHasStretch = false;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (isStretchByte(c)) {
      printable++;
      if (++stretch >= MIN_RUN) runHasStretch = true;
    } else {
      stretch = 0;
      if (c === 0x20 || c === 9) printable++;
      else if (c < 0x20 || c === 0x7f) {
        if (runHasStretch) runs.push(runStart, i);
        runStart = i + 1;
        runHasStretch = false;
      }
    }
  }
  if (runHasStretch) runs.push(runStart, end);
  judgedLine(bytes, start, end, number, printable, runs, out);
}

/**
 * A UTF-16 event at `i`: a NUL after a text byte (the second byte of a little-endian character), or
 * a text byte after a NUL (of a big-endian one). ASCII in UTF-16 is events at every byte, so eight
 * characters in a row of one byte order are fifteen events in a row, and no line break (0x0a is
 * no text byte) lies among them.
 */
function isEvent(bytes: Buffer, i: number): boolean {
  if (i === 0) return false;
  const c = bytes[i]!;
  const before = bytes[i - 1]!;
  return c === 0 ? isTextByte(before) : before === 0 && isTextByte(c);
}

/**
 * The UTF-16 runs of a blob, from its runs of events. Each byte order's characters are counted by
 * the parity of their second byte; the eighth in a row starts a run (utf16Run), and the bytes up to
 * that run's end are not counted again (`until`). Only events change the counts, and a count goes
 * on only from the event two bytes back, which lies in the same run of events: so a run of events
 * read whole, from its first event, counts as a loop over every byte would.
 */
class Utf16Events {
  readonly out: AddedLine[] = [];
  /** Bytes before this are not looked at again: inside a run found, or events read already. */
  until = 0;
  // How many characters in a row end at each parity, and where the last ended.
  private le0 = 0;
  private le1 = 0;
  private leEnd0 = -2;
  private leEnd1 = -2;
  private be0 = 0;
  private be1 = 0;
  private beEnd0 = -2;
  private beEnd1 = -2;

  constructor(private readonly bytes: Buffer, private readonly complete: boolean) {}

  /**
   * The run of events through `p` (an event at or past `until`, on line `number`), read from its
   * first event. A run found in it ends at the run of events' end at the latest (its characters
   * are events), so `until` never reaches into the next run of events.
   */
  runAt(p: number, number: number): void {
    const { bytes } = this;
    let first = p;
    while (first - 1 >= this.until && isEvent(bytes, first - 1)) first--;
    let i = first;
    for (; i < bytes.length && isEvent(bytes, i); i++) if (i >= this.until) this.count(i, number);
    this.until = Math.max(this.until, i);
  }

  private count(i: number, number: number): void {
    const { bytes } = this;
    let count: number;
    if (bytes[i] === 0) {
      if ((i & 1) === 0) {
        this.le0 = this.leEnd0 === i - 2 ? this.le0 + 1 : 1;
        this.leEnd0 = i;
        count = this.le0;
      } else {
        this.le1 = this.leEnd1 === i - 2 ? this.le1 + 1 : 1;
        this.leEnd1 = i;
        count = this.le1;
      }
    } else if ((i & 1) === 0) {
      this.be0 = this.beEnd0 === i - 2 ? this.be0 + 1 : 1;
      this.beEnd0 = i;
      count = -this.be0;
    } else {
      this.be1 = this.beEnd1 === i - 2 ? this.be1 + 1 : 1;
      this.beEnd1 = i;
      count = -this.be1;
    }
    // Little-endian counts up, big-endian down: the eighth character in a row starts a run. The
    // same characters read in the other order one byte on (or back) are a run too, and one of the
    // two readings is exact (text after `0a 00`, or before a character past ASCII, is off by a
    // byte in the other): both are kept.
    if (count === MIN_RUN || count === -MIN_RUN) {
      const at = i + 1 - 2 * MIN_RUN;
      const big = count < 0;
      this.until = Math.max(
        this.until,
        utf16Run(bytes, at, big, number, this.complete, this.out),
        utf16Run(bytes, at + 1, !big, number, this.complete, this.out),
        utf16Run(bytes, at - 1, !big, number, this.complete, this.out),
      );
    }
  }
}

/**
 * A line of binary bytes that holds a stretch, into `out`: whole when three quarters of it or more
 * is printable ASCII (its control bytes as spaces, a CR at its end kept off), else its runs.
 */
function judgedLine(bytes: Buffer, start: number, end: number, number: number, printable: number, runs: readonly number[], out: AddedLine[]): void {
  if (printable * 4 >= (end - start) * 3) {
    const cr = end > start && bytes[end - 1] === 0x0d;
    const text = bytes.toString('utf8', start, cr ? end - 1 : end).replace(CONTROL, ' ');
    out.push(cr ? { number, text, cr: true } : { number, text });
    return;
  }
  for (let k = 0; k < runs.length; k += 2) out.push({ number, text: bytes.toString('utf8', runs[k]!, runs[k + 1]!).trim() });
}
/** No credential is shorter: shorter stretches of printable characters in binary bytes are not read. */
const MIN_RUN = 8;
/** Control characters but the tab (a line holds no newline). */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;

/**
 * The UTF-16 run (little- or big-endian) whose first MIN_RUN characters start at `at`, extended
 * both ways, put in `out` when it holds a stretch of MIN_RUN characters other than spaces (and is
 * not cut by the read's end); returns where it ends, for the pass to go on after it (`at` when no
 * run starts there: the other byte order's reading, tried one byte on and back). A newline (0x0a
 * beside a NUL) is not one of its characters, so it lies on one line.
 */
export function utf16Run(bytes: Buffer, at: number, big: boolean, number: number, complete: boolean, out: AddedLine[]): number {
  const isChar = (k: number) => k >= 0 && k + 1 < bytes.length && bytes[big ? k : k + 1] === 0 && isTextByte(bytes[big ? k + 1 : k]!);
  for (let k = 0; k < MIN_RUN; k++) if (!isChar(at + 2 * k)) return at;
  let start = at;
  while (isChar(start - 2)) start -= 2;
  let end = at + 2 * MIN_RUN;
  while (isChar(end)) end += 2;
  if (!complete && end + 2 > bytes.length) return bytes.length;
  const text = (big ? Buffer.from(bytes.subarray(start, end)).swap16() : bytes.subarray(start, end)).toString('utf16le');
  if (STRETCH_ONCE.test(text)) out.push({ number, text });
  return end;
}
const STRETCH_ONCE = /[\x21-\x7e]{8}/;

/** A printable ASCII byte or a tab. */
function isTextByte(b: number): boolean {
  return b === 9 || (b >= 0x20 && b < 0x7f);
}

/**
 * Compiled code, by its format or its name: ELF, Mach-O, PE and WebAssembly binaries, Java classes,
 * `ar` archives (static libraries), Python bytecode and native extensions. Its text is symbols and
 * constants: the secrets rule checks only token formats in it (FileChange.compiled).
 */
export function isCompiledCode(path: string, head: Buffer): boolean {
  for (const magic of COMPILED_MAGIC) if (head.length >= magic.length && head.subarray(0, magic.length).equals(magic)) return true;
  return nameEndsWith(path, COMPILED_SUFFIXES);
}
const COMPILED_MAGIC = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal, Java class
  [0x4d, 0x5a], // PE (MZ)
  [0x00, 0x61, 0x73, 0x6d], // WebAssembly
  [0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a], // ar: !<arch>\n
].map((bytes) => Buffer.from(bytes));
const COMPILED_SUFFIXES = ['.pyc', '.pyo', '.pyd', '.so', '.a', '.o', '.obj', '.lib', '.dll', '.dylib', '.exe', '.class', '.wasm', '.node'];
