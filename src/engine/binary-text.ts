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
  return { ...change, addedLines, ...(compiled ? { compiled: true } : {}), loadContent: change.loadContent, loadOldContent: change.loadOldContent };
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
 * The text in binary bytes, in one pass over them. Lines (up to each newline) that hold a stretch
 * of MIN_RUN printable ASCII characters other than spaces (no credential is shorter): a line
 * three quarters printable ASCII or more is text, read as UTF-8 with its control bytes (but tabs)
 * as spaces (`password =\x0c"…"`, a PEM key whose lines end in CRs or NULs, read as in a text
 * file); in any other line (machine code, compressed data) only its runs of printable bytes that
 * hold such a stretch, each up to a control byte, as `strings` finds them. And runs of at least
 * MIN_RUN ASCII characters written in UTF-16 (each beside a NUL), little- or big-endian. A line
 * cut by the read's end is left out. A byte loop, not regular expressions: over 155 MB of
 * libraries and executables, patterns for the stretches took ~1.4 s.
 */
export function binaryTextLines(bytes: Buffer, complete = true): { lines: AddedLine[]; utf16: AddedLine[] } {
  const lines: AddedLine[] = [];
  const utf16: AddedLine[] = [];
  // The runs of the line so far that hold a stretch (start, end pairs), kept until it is judged.
  const runs: number[] = [];
  const n = bytes.length;
  let number = 1;
  let lineStart = 0;
  let printable = 0;
  let stretch = 0;
  let lineHasStretch = false;
  let runStart = 0;
  let runHasStretch = false;
  // UTF-16 pairs by the parity of their second byte: how many in a row end there, and where the last ended.
  // (Locals, not arrays or variables a closure shares: the loop keeps them in registers.)
  let le0 = 0;
  let le1 = 0;
  let leEnd0 = -2;
  let leEnd1 = -2;
  let be0 = 0;
  let be1 = 0;
  let beEnd0 = -2;
  let beEnd1 = -2;
  let utf16Until = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 0x0a) {
      if (lineHasStretch) {
        if (runHasStretch) runs.push(runStart, i);
        judgedLine(bytes, lineStart, i, number, printable, runs, lines);
      }
      number++;
      lineStart = runStart = i + 1;
      printable = stretch = runs.length = 0;
      lineHasStretch = runHasStretch = false;
      continue;
    }
    if (c > 0x20 && c < 0x7f) {
      printable++;
      if (++stretch >= MIN_RUN) lineHasStretch = runHasStretch = true;
    } else {
      stretch = 0;
      if (c === 0x20 || c === 9) printable++;
      else if (c < 0x20 || c === 0x7f) {
        if (runHasStretch) runs.push(runStart, i);
        runStart = i + 1;
        runHasStretch = false;
      }
    }
    if (i < utf16Until || i === 0) continue;
    const before = bytes[i - 1]!;
    let count = 0;
    if (c === 0 && isTextByte(before)) {
      if ((i & 1) === 0) {
        le0 = leEnd0 === i - 2 ? le0 + 1 : 1;
        leEnd0 = i;
        count = le0;
      } else {
        le1 = leEnd1 === i - 2 ? le1 + 1 : 1;
        leEnd1 = i;
        count = le1;
      }
    } else if (before === 0 && isTextByte(c)) {
      if ((i & 1) === 0) {
        be0 = beEnd0 === i - 2 ? be0 + 1 : 1;
        beEnd0 = i;
        count = -be0;
      } else {
        be1 = beEnd1 === i - 2 ? be1 + 1 : 1;
        beEnd1 = i;
        count = -be1;
      }
    }
    // Little-endian counts up, big-endian down: the eighth character in a row starts a run. The
    // same characters read in the other order one byte on (or back) are a run too, and one of the
    // two readings is exact (text after `0a 00`, or before a character past ASCII, is off by a
    // byte in the other): both are kept.
    if (count === MIN_RUN || count === -MIN_RUN) {
      const at = i + 1 - 2 * MIN_RUN;
      const big = count < 0;
      utf16Until = Math.max(
        utf16Run(bytes, at, big, number, complete, utf16),
        utf16Run(bytes, at + 1, !big, number, complete, utf16),
        utf16Run(bytes, at - 1, !big, number, complete, utf16),
      );
    }
  }
  if (complete && lineHasStretch) {
    if (runHasStretch) runs.push(runStart, n);
    judgedLine(bytes, lineStart, n, number, printable, runs, lines);
  }
  return { lines, utf16 };
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
function utf16Run(bytes: Buffer, at: number, big: boolean, number: number, complete: boolean, out: AddedLine[]): number {
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
