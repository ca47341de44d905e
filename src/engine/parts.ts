import type { AddedLine, FileChange } from './types.ts';

/** How many of a part's last lines the next part of its file begins with again (FilePart.carried; short lines only). */
export const CARRIED_LINES = 8;

/**
 * For a part after the first of a large file (FileChange.part): the number of its last carried
 * line, the last line the part before also held; 0 otherwise. A rule that maps a span of the file
 * (a multi-line call, a continued requirement) to the first added line in it leaves spans starting
 * at or before this line to the part before, which held an added line of each of them: reported
 * there, they are not reported again at another line.
 */
export function earlierPartsEnd(change: FileChange): number {
  const carried = change.part?.carried ?? 0;
  return carried > 0 ? change.addedLines[carried - 1]!.number : 0;
}

/** The first added line of a file (line 1), also for its later parts, or undefined. */
export function firstLineOf(change: FileChange): AddedLine | undefined {
  const first = change.part?.first ?? change.addedLines[0];
  return first?.number === 1 ? first : undefined;
}

/**
 * What a rule works out once for a large file and shares among its parts (read and parsed once,
 * not once per part): the value for the last blob asked about, made anew for another blob or
 * another key (the scan's config, a reading of the file).
 */
export class PerFile<T> {
  #blob: string | null = null;
  #key: unknown = undefined;
  #value: T | undefined = undefined;

  of(blob: string, key: unknown, make: () => T): T {
    if (this.#blob !== blob || this.#key !== key) {
      this.#blob = blob;
      this.#key = key;
      this.#value = make();
    }
    return this.#value as T;
  }
}

/**
 * The added lines' numbers, sorted (ascending as the diff gives them; sorted here, not assumed),
 * for the first added line in a span (engine/sorted.ts firstWithin): one typed array, not a Set of
 * a number per line of a new lock file.
 */
export function sortedAddedNumbers(change: FileChange): Int32Array {
  const lines = change.addedLines;
  const numbers = new Int32Array(lines.length);
  for (let k = 0; k < lines.length; k++) numbers[k] = lines[k]!.number;
  return numbers.sort();
}
