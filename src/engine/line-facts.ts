import type { LineKeywords } from './line-keywords.ts';
import type { AddedLine } from './types.ts';

/**
 * What the diff parser learned of a file's added lines while it read them, so that the passes that
 * would read every line again only to count or measure them (the byte count, the long-line check,
 * "are these lines the whole new file") answer at once. On a 400-file commit each such pass was
 * 45,000 lines walked in cold code. Kept per list of lines (by identity): a list made otherwise
 * (filtered, cut into windows, made by hand) has none, and the passes read it as before.
 */
export interface AddedLinesFacts {
  /** Each line's length and its newline, all lines (as addedTextBytes counts them). */
  readonly bytes: number;
  /** The leading lines a later part of a file carries over from the part before (FilePart.carried), and their bytes. */
  readonly carried: number;
  readonly carriedBytes: number;
  /** The longest line's length. */
  readonly longest: number;
  /** The lines are numbered 1, 2, 3, … in order. */
  readonly numberedFromOne: boolean;
  /** Every line holds only ASCII characters (true only when known: false may be either). */
  readonly ascii: boolean;
  /** No line holds a NUL character (true only when known: false may be either). See engine/nul-text.ts. */
  readonly nulFree: boolean;
  /** The lines' keyword events found in git's bytes as they came, where known (engine/line-keywords.ts). */
  readonly keywords?: LineKeywords;
}

const factsOfLines = new WeakMap<readonly AddedLine[], AddedLinesFacts>();

/** Records the facts of a list of lines that is complete (nothing is added to it after this). */
export function recordLineFacts(lines: readonly AddedLine[], facts: AddedLinesFacts): void {
  factsOfLines.set(lines, facts);
}

export function lineFacts(lines: readonly AddedLine[]): AddedLinesFacts | undefined {
  return factsOfLines.get(lines);
}
