import type { PieceScanner } from './line-keywords.ts';
import type { StartPrescan } from './window-prescan.ts';

/**
 * What a detector offers git's readers to do while they read (a rule's work that depends only on
 * the bytes, done as they come): the keyword pass of a long line's windows (engine/window-prescan.ts)
 * and of the pieces of long records (engine/line-keywords.ts). The reader's result travels with
 * what it reads to the rule, which takes it instead of doing the work again.
 */
export interface Prescans {
  readonly window: StartPrescan | null;
  readonly pieces: PieceScanner | null;
}

const NONE: Prescans = { window: null, pieces: null };

/**
 * The prescans of the scan running now, set by the Scanner for the length of its scan loop
 * (Scanner.prescanning): the staged diff is started before the config that decides them is read, so
 * git's readers ask here as they read. One scan runs at a time in a thread (a worker's batches one
 * after another), so whatever a reader took belongs to that scan's table.
 */
let current: Prescans = NONE;
/** What rules took since the scan began (for GITWARD_DEBUG): windows, and lists of lines. */
const taken = { windows: 0, lists: 0 };

export function setPrescans(prescans: Prescans | null): void {
  current = prescans === null ? NONE : { window: prescans.window, pieces: prescans.pieces !== null && prescans.pieces.usable ? prescans.pieces : null };
  taken.windows = 0;
  taken.lists = 0;
}

/** What scans a long line's windows as they come now (null: nothing). */
export function windowPrescan(): StartPrescan | null {
  return current.window;
}

/** What scans pieces of long records as they come now (null: nothing). */
export function pieceScanner(): PieceScanner | null {
  return current.pieces;
}

/** A rule took a prescan's result: a window's scan, or a list of lines' events. */
export function notePrescanTaken(kind: keyof typeof taken): void {
  taken[kind]++;
}

/** The GITWARD_DEBUG lines saying what the rules took since the scan began. */
export function prescanDebugLines(): string[] {
  const lines: string[] = [];
  if (taken.windows > 0) lines.push(`${taken.windows} windows of long lines were scanned for keywords as they came`);
  if (taken.lists > 0) lines.push(`the keywords of ${taken.lists} files' (or parts') lines were found in git's bytes as they came`);
  return lines;
}
