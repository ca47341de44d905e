import type { AddedLine } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import type { ParsedFile } from './diff-parser.ts';

/**
 * A merge's added lines put at their true numbers, and whole.
 *
 * Numbers: with no context (-U0) git's combined diff leaves out a result line that every parent
 * holds when removed lines stand before it, yet counts it in the hunk header: the lines after it
 * read one short, and the printed text alone cannot tell (the same output comes from histories
 * where nothing was left out). The parser marks how far each such line may lie further on
 * (ParsedFile.slack); the new blob says where it is: the first line within reach holding that text.
 *
 * Whole: a combined diff prints each line only up to its first NUL (git 2.39: `++T` for the UTF-16
 * line `T\0 \0=\0…`), where a two-way diff prints it all. In a merge's text file that holds a NUL,
 * each line within reach whose text up to its first NUL is what git printed, and that holds a NUL,
 * is taken whole from the new blob (then read as text: engine/nul-text.ts). Where the printed text
 * cannot tell such a line from a line every parent holds (an empty line, printed as the UTF-16 line
 * after it is), both are read. Lines past the blob's head (a file over max-file-bytes) keep what
 * git printed, with a notice.
 *
 * So a merge's new blob is read for each file with added lines; it is the blob the rules read next.
 */
export async function placeCombinedLines(file: ParsedFile, blobs: BlobReader): Promise<ParsedFile> {
  const slack = file.slack;
  // A submodule's lines ("Subproject commit …") are not content and are dropped anyway.
  if (file.raw.newMode === '160000' || (!slack && (!file.raw.combined || file.added.length === 0))) return file;
  const content = await blobs.read(file.raw.newBlob, {}, { text: true });
  if (!content) return file;
  const cut = content.head.includes(0);
  // The lines read whole (a blob cut at max-file-bytes ends in part of one).
  const known = content.complete ? Infinity : countLines(content.head);
  // Added lines past what was read of the blob may hold a NUL no one saw: git cut them there.
  const notice = file.raw.combined && file.added.some((line) => line.number > known) ? `${file.raw.path}: a merge's file larger than limits.max-file-bytes; its lines past that are read as git's combined diff prints them, up to any NUL` : undefined;
  if (!slack && !cut) return notice ? { ...file, notice } : file;
  const lines = content.head.toString('utf8').split('\n');
  const placed: AddedLine[] = [];
  const whole = new Set<number>();
  for (const line of file.added) {
    const reach = slack?.get(line) ?? 0;
    // What git printed of the line (a CR before the newline, or before a NUL, included).
    const printed = line.cr ? `${line.text}\r` : line.text;
    let same: AddedLine | null = null;
    let cutHere = false;
    for (let shift = 0; shift <= reach && line.number + shift <= Math.min(known, lines.length); shift++) {
      const at = line.number - 1 + shift;
      const text = lines[at]!;
      const nul = cut ? text.indexOf('\0') : -1;
      if (nul !== -1) {
        if (text.slice(0, nul) !== printed) continue;
        cutHere = true;
        if (!whole.has(at)) placed.push(wholeLine(at + 1, text));
        whole.add(at);
      } else if (same === null && text === printed) {
        same = shift === 0 ? line : { ...line, number: at + 1 };
        // Without NULs in the file, the first line within reach that matches is the one.
        if (!cut) break;
      }
    }
    if (same !== null) placed.push(same);
    else if (!cutHere) placed.push(line);
  }
  // Lines taken whole come where their numbers put them (a private key's body follows its header).
  if (cut) placed.sort((a, b) => a.number - b.number);
  const { slack: _settled, ...rest } = file;
  return { ...rest, added: placed, ...(notice ? { notice } : {}) };
}

/** The newlines in `bytes`: the lines that end in them. */
function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

function wholeLine(number: number, text: string): AddedLine {
  return text.endsWith('\r') ? { number, text: text.slice(0, -1), cr: true } : { number, text };
}
