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
 * line `T\0 \0=\0…`), where a two-way diff prints it all. A merge's text file that holds a NUL has
 * its added lines taken from the new blob (then read without their NULs: engine/nul-text.ts).
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
  if (!slack && !cut) return file;
  const lines = content.head.toString('utf8').split('\n');
  // A line past the blob's head (a file over the size limit) keeps its number and text.
  const known = lines.length - (content.complete ? 0 : 1);
  const placed = file.added.map((line): AddedLine => {
    const reach = slack?.get(line) ?? 0;
    for (let shift = 0; shift <= reach; shift++) {
      const at = line.number - 1 + shift;
      if (at >= known) break;
      const text = lines[at]!;
      const printed = cut ? beforeNul(text) : text;
      if ((line.cr && printed === text ? text.slice(0, -1) : printed) !== line.text) continue;
      if (printed !== text) return wholeLine(line.number + shift, text);
      return shift === 0 ? line : { ...line, number: line.number + shift };
    }
    return line;
  });
  const { slack: _settled, ...rest } = file;
  return { ...rest, added: placed };
}

/** What git's combined diff prints of a line: up to its first NUL. */
function beforeNul(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

function wholeLine(number: number, text: string): AddedLine {
  return text.endsWith('\r') ? { number, text: text.slice(0, -1), cr: true } : { number, text };
}
