/**
 * Work a rule can do on a long line's window from its bytes as git prints them. The 10 MB line of
 * a minified file comes in 64 KiB pieces for ~50 ms, and node waits between them for git; the
 * rules then read its windows (engine/limits.ts) only once the line has ended. A rule that scans
 * a window the same way whatever came before it (the secrets rule's keyword pass) can scan its
 * bytes as they come and keep the result for when it reads the window: the same result, sooner.
 */

/** One window's scan, fed its bytes as they come. */
export interface TextPrescan {
  /** The window's next bytes: ASCII only (each byte is a character). */
  feed(bytes: Uint8Array): void;
  /** The window's text, once cut: the scan is kept for it when every byte of it was fed. */
  done(text: string): void;
}

/** Starts a window's scan. */
export type StartPrescan = () => TextPrescan;

let current: StartPrescan | null = null;
/** Windows handed to a prescan whole since the scan began (for GITWARD_DEBUG). */
let handed = 0;

/** What the scan running now has windows prescanned with (null: nothing). Set by the Scanner. */
export function windowPrescan(): StartPrescan | null {
  return current;
}

export function setWindowPrescan(start: StartPrescan | null): void {
  current = start;
  handed = 0;
}

/** A window was scanned whole as it came (WindowRuns). */
export function noteWindowPrescanned(): void {
  handed++;
}

export function windowsPrescanned(): number {
  return handed;
}
