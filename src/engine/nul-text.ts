import { lineFacts } from './line-facts.ts';
import type { AddedLine, FileChange } from './types.ts';

/**
 * A change whose added lines hold NUL characters, with those lines read as text (readNuls). git
 * reads a file as text when none of its first 8000 bytes is a NUL, so UTF-16 text after that
 * (ASCII with a NUL beside each character: `t\0o\0k\0e\0n`) reaches the rules as lines no pattern
 * matches, in every door alike. Read so, such a line is the text it encodes; no credential,
 * keyword or call holds a NUL, so that hides nothing. A line left with a CR at its end (UTF-16's
 * `\r\0` before the newline) is a CRLF line. The lines' facts (engine/line-facts.ts) say when no
 * line holds one: the diff parser's lists are not read again.
 */
export function withoutNuls(change: FileChange): FileChange {
  const lines = change.addedLines;
  if (lineFacts(lines)?.nulFree) return change;
  let read: AddedLine[] | null = null;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (!holdsNul(line)) {
      read?.push(line);
      continue;
    }
    read ??= lines.slice(0, k);
    let text = readNuls(line.text);
    const cr = line.cr === true || text.endsWith('\r');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    read.push(cr ? { number: line.number, text, cr } : { number: line.number, text });
  }
  return read === null ? change : { ...change, addedLines: read, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/** A long line cut into windows as it came is read by its windows (its whole text is not made). */
function holdsNul(line: AddedLine): boolean {
  return line.windows === undefined ? line.text.includes('\0') : line.windows.texts.some((text) => text.includes('\0'));
}

/**
 * A text's NULs read: one that alternates with characters (ASCII written in UTF-16: a NUL on
 * neither side of it, and one two characters on) is taken out; any other (a separator between
 * strings, padding) is read as a space, so that the strings on either side of it stay apart.
 */
export function readNuls(text: string): string {
  let read = '';
  let from = 0;
  for (let at = text.indexOf('\0'); at !== -1; at = text.indexOf('\0', at + 1)) {
    read += text.slice(from, at) + (inUtf16(text, at) ? '' : ' ');
    from = at + 1;
  }
  return read + text.slice(from);
}

function inUtf16(text: string, at: number): boolean {
  const nul = (k: number) => k >= 0 && k < text.length && text.charCodeAt(k) === 0;
  return !nul(at - 1) && !nul(at + 1) && (nul(at - 2) || nul(at + 2));
}
