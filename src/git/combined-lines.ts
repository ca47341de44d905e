import { textLine } from '../engine/binary-text.ts';
import { firstWithin, lowerBound } from '../engine/sorted.ts';
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
 * So a merge's new blob is read for each file with added lines (a rule that reads blobs, the
 * requirements or deserialization rule, then finds it read: BlobReader keeps the last blob).
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
  const reachable = Math.min(known, lines.length);
  const placed = cut ? wholeLines(file, lines, reachable) : file.added.map((line) => placedLine(line, slack?.get(line) ?? 0, lines, reachable));
  const { slack: _settled, ...rest } = file;
  return { ...rest, added: placed, ...(notice ? { notice } : {}) };
}

/** A line at the first line within its reach that holds its text (none: where it is). */
function placedLine(line: AddedLine, reach: number, lines: readonly string[], reachable: number): AddedLine {
  for (let shift = 0; shift <= reach && line.number + shift <= reachable; shift++) {
    const text = lines[line.number - 1 + shift]!;
    if ((line.cr ? text.slice(0, -1) : text) === line.text) return shift === 0 ? line : { ...line, number: line.number + shift };
  }
  return line;
}

/**
 * The added lines of a merge's file that holds a NUL: each printed line placed as placedLine does
 * among the lines without a NUL, and with it every line within its reach that holds a NUL and whose
 * text up to it is what git printed, taken whole (each once). Lines are looked up by their text,
 * so a long reach (every removed line before a line counts in it) costs a search, not a walk.
 */
function wholeLines(file: ParsedFile, lines: readonly string[], reachable: number): AddedLine[] {
  // Line indices by text; those holding a NUL by their text up to it, with how many were taken.
  const plain = new Map<string, number[]>();
  const cut = new Map<string, number[]>();
  const taken = new Map<string, number>();
  for (let at = 0; at < reachable; at++) {
    const text = lines[at]!;
    const nul = text.indexOf('\0');
    if (nul === -1) push(plain, text, at);
    else push(cut, text.slice(0, nul), at);
  }
  const placed: AddedLine[] = [];
  for (const line of file.added) {
    const from = line.number - 1;
    const to = from + (file.slack?.get(line) ?? 0);
    // What git printed of the line (a CR before the newline, or before a NUL, included).
    const printed = line.cr ? `${line.text}\r` : line.text;
    const before = placed.length;
    const whole = cut.get(printed);
    if (whole) {
      // The printed lines come in the order of their numbers, as a diff's hunks do: those taken lie behind.
      let k = Math.max(taken.get(printed) ?? 0, lowerBound(whole, from));
      for (; k < whole.length && whole[k]! <= to; k++) placed.push(textLine(whole[k]! + 1, lines[whole[k]!]!));
      taken.set(printed, k);
    }
    const same = firstWithin(plain.get(printed), from, to);
    if (same !== undefined) placed.push(same === from ? line : { ...line, number: same + 1 });
    else if (placed.length === before) placed.push(line);
  }
  // In the order of their numbers (a private key's body follows its header).
  return placed.sort((a, b) => a.number - b.number);
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  const list = map.get(key);
  if (list) list.push(at);
  else map.set(key, [at]);
}

/** The newlines in `bytes`: the lines that end in them. */
function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}
