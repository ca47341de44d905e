import { textLine } from './binary-text.ts';
import { lineFacts } from './line-facts.ts';
import type { AddedLine, FileChange, RawFinding } from './types.ts';

/**
 * A change whose added lines hold NUL characters, with those lines read as text (readNuls). git
 * reads a file as text when none of its first 8000 bytes is a NUL, so UTF-16 text after that
 * (ASCII with a NUL beside each character: `t\0o\0k\0e\0n`) reaches the rules as lines no pattern
 * matches, in every door alike. Read so, such a line is the text it encodes; no credential,
 * keyword or call holds a NUL, so that hides nothing. A line left with a CR at its end (UTF-16's
 * `\r\0` before the newline) is a CRLF line. Where the two byte orders read a line differently,
 * the second reading follows the first, with the same number (a private key's body follows either
 * reading of its header; a part's count of carried lines counts both). The lines' facts
 * (engine/line-facts.ts) say when no line holds a NUL: the diff parser's lists are not read again.
 */
export function withoutNuls(change: FileChange): FileChange {
  const lines = change.addedLines;
  if (lineFacts(lines)?.nulFree) return change;
  const carried = change.part?.carried ?? 0;
  let read: AddedLine[] | null = null;
  let carriedRead = carried;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (!holdsNul(line)) {
      read?.push(line);
      continue;
    }
    read ??= lines.slice(0, k);
    const readings = readNuls(line.text).map((text) => textLine(line.number, text, line.cr === true));
    read.push(...readings);
    if (k < carried) carriedRead += readings.length - 1;
  }
  if (read === null) return change;
  const part = change.part && carriedRead !== carried ? { part: { ...change.part, carried: carriedRead } } : {};
  return { ...change, addedLines: read, ...part, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/**
 * Findings on lines read two ways (withoutNuls), reported once. The readings differ only at the
 * edges of UTF-16 runs, where one of them cuts a character off a value or glues on half of a
 * character past ASCII (`g hp_…`, `ghp_…-N`): two values on a line of which one, without its first
 * and last characters, lies in the other are one secret. The one that blocks is kept, else the
 * shorter.
 */
export function onceAcrossReadings(raws: readonly RawFinding[]): readonly RawFinding[] {
  const blocks = (raw: RawFinding) => (raw.severity ?? raw.rule.severity) === 'block';
  const same = (a: string, b: string) => a !== b && Math.min(a.length, b.length) >= 8 && (b.includes(a.slice(1, -1)) || a.includes(b.slice(1, -1)));
  const byLine = new Map<number | null, RawFinding[]>();
  for (const raw of raws) if (raw.secret !== undefined) (byLine.get(raw.line) ?? byLine.set(raw.line, []).get(raw.line)!).push(raw);
  return raws.filter((raw) => {
    const secret = raw.secret;
    if (secret === undefined) return true;
    return !byLine.get(raw.line)!.some((other) => same(secret, other.secret!) && (blocks(other) !== blocks(raw) ? blocks(other) : other.secret!.length < secret.length));
  });
}

/** A long line cut into windows as it came is read by its windows (its whole text is not made). */
function holdsNul(line: AddedLine): boolean {
  return line.windows === undefined ? line.text.includes('\0') : line.windows.texts.some((text) => text.includes('\0'));
}

/**
 * A text's NULs read, as one text or two. NULs two characters apart with a character between (and
 * none beside them) are ASCII written in UTF-16: read little-endian, each such NUL's character is
 * the one before it; big-endian, the one after. Each run of them reads as its characters, set apart
 * by a space from what stands around it (a character past ASCII, whose bytes read as other
 * characters: `中` as `-N`). Any other NUL (a separator between strings, padding) is read as a
 * space, so the strings on either side stay apart. The two readings differ only at the edges of
 * runs; one text when they are the same.
 */
export function readNuls(text: string): string[] {
  const little = readingOf(text, false);
  const big = readingOf(text, true);
  return little === big ? [little] : [little, big];
}

function readingOf(text: string, big: boolean): string {
  const nul = (k: number) => k >= 0 && k < text.length && text.charCodeAt(k) === 0;
  // A NUL of a run: none beside it, and one two characters on or back.
  const inRun = (k: number) => nul(k) && !nul(k - 1) && !nul(k + 1) && (nul(k - 2) || nul(k + 2));
  let read = '';
  let from = 0;
  for (let at = text.indexOf('\0'); at !== -1; at = text.indexOf('\0', from)) {
    if (!inRun(at)) {
      read += `${text.slice(from, at)} `;
      from = at + 1;
      continue;
    }
    let end = at;
    while (inRun(end + 2)) end += 2;
    // Its characters: the one before each NUL (little-endian; a NUL first in the text has none) or after it.
    const first = big ? at + 1 : at - 1 >= from ? at - 1 : at + 1;
    const last = big ? Math.min(end + 1, text.length - 1) : end - 1;
    let chars = '';
    for (let k = first; k <= last; k += 2) chars += text[k];
    read += text.slice(from, Math.min(first, at));
    if (read !== '') read += ' ';
    read += chars;
    from = big ? last + 1 : end + 1;
    if (from < text.length) read += ' ';
  }
  return read + text.slice(from);
}
