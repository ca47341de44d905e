import type { AddedLine } from './types.ts';

/**
 * Work a rule can do on a long line's window from its bytes as git prints them. The 10 MB line of
 * a minified file comes in 64 KiB pieces for ~50 ms, and node waits between them for git; the
 * rules then read its windows (engine/limits.ts) only once the line has ended. A rule that scans
 * a window the same way whatever came before it (the secrets rule's keyword pass) can scan its
 * bytes as they come: the scan travels with the window (LineWindows.scans, then the window's
 * line, windowScanOf) to the rule, which takes it instead of scanning the window's text again.
 * The scan running now offers it through engine/prescans.ts.
 */

/** One window's scan, fed its bytes as they come. */
export interface TextPrescan {
  /** The window's next bytes: ASCII only (each byte is a character). */
  feed(bytes: Uint8Array): void;
  /** The window's text, once cut: the finished scan, when every byte of it (and no more) was fed. */
  done(text: string): object | undefined;
}

/** Starts a window's scan. */
export type StartPrescan = () => TextPrescan;

/** The scans made of a window while it came, by the window's line (windowedLines makes the lines). */
const scans = new WeakMap<AddedLine, object>();

export function setWindowScan(line: AddedLine, scan: object): void {
  scans.set(line, scan);
}

/** The scan made of this window line's text as it came, if any (only long lines have one). */
export function windowScanOf(line: AddedLine): object | undefined {
  return scans.get(line);
}
