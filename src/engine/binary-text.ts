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
 * A change git called binary, given the added lines of its new content when the bytes are text:
 * the lines of the new blob that are not lines of the old blob (a set difference: git's patch is
 * not available, so a moved line counts as old), numbered in the new blob. Real binary, or a
 * change with no readable new blob, comes back unchanged.
 */
export async function recoverTextLines(change: FileChange, limits: RecoveryLimits, notice: (message: string) => void): Promise<FileChange> {
  if (!change.binary || change.newBlob === null || change.status === 'D') return change;
  // The sniff decides first: real binary (the usual case) costs its first 8000 bytes, not max-file-bytes.
  const sniff = await change.loadContent({ headBytes: Math.min(SNIFF_BYTES, limits.maxFileBytes) });
  if (!sniff || sniff.size === 0) return change;
  const encoding = textEncoding(sniff.head);
  if (encoding === null) return change;
  const content = sniff.complete ? sniff : await change.loadContent({ headBytes: limits.maxFileBytes });
  if (!content) return change;
  if (!content.complete) {
    notice(`${change.path}: marked binary, holds text; only its first ${limits.maxFileBytes} bytes were scanned (limits.max-file-bytes)`);
  } else if (encoding !== 'utf-8') {
    notice(`${change.path}: ${encoding.toUpperCase()} text, scanned decoded`);
  }
  const lines = splitLines(decode(content.head, encoding), content.complete);
  const old = await oldLines(change, limits);
  const added = old ? lines.filter((line) => !old.has(line.text)) : lines;
  return { ...change, addedLines: added, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

async function oldLines(change: FileChange, limits: RecoveryLimits): Promise<Set<string> | null> {
  if (change.status === 'A' || !change.loadOldContent) return null;
  const content: BlobContent | null = await change.loadOldContent({ headBytes: limits.maxFileBytes });
  if (!content) return null;
  const encoding = textEncoding(content.head) ?? 'utf-8';
  return new Set(splitLines(decode(content.head, encoding), content.complete).map((l) => l.text));
}
