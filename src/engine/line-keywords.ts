import type { AddedLine } from './types.ts';

/**
 * The keyword pass over the lines of a file of long records, from the bytes git printed, a piece at
 * a time (a long line's windows have their own prescan: engine/window-prescan.ts).
 *
 * The secrets rule's keyword pass (rules/secrets/keyword-scan.ts) reads every character of every
 * added line. Line by line it reads each line's string with charCodeAt (~2.8 ns a character, and a
 * call a line); over the bytes of a ~64 KiB piece of git's output in one loop it costs ~1.8 ns, less
 * with two stretches of the piece walked at once (20 MB of NDJSON: ~65 → ~28 ms in a harness). So
 * the text queue (git/text-queue.ts) has each ASCII piece of long lines scanned once, as it comes:
 * the scan gives the piece's events, the places where a keyword or flag word ends with the
 * automaton's state there. The diff parser notes which added lines it cut whole from such a piece
 * (LineKeywords), and the rule replays each line's events instead of scanning its text: the same
 * automaton over the same characters, so the same groups, flags and word ends
 * (test/line-keywords.test.ts). On short lines (code) replaying saves less than it costs, so
 * pieces of them are not scanned (TextQueue's longLines).
 *
 * Why the events of a line are exact: no keyword holds a newline, nor the `+` that stands before an
 * added line in a patch (PieceScanner.usable), so both take the automaton back to its start; the
 * state where a line's text begins is the start, whatever came before, and every event inside the
 * text is a word inside it. A line that is not whole in one scanned piece (it spans two chunks, it
 * was held as bytes, the piece held a byte past 0x7f) has no events, and the rule scans its string.
 */

/** Scans the bytes of a piece (ASCII) for the rule's keywords. */
export interface PieceScanner {
  /** The piece's events: pairs (end offset in the piece, state), in order of end (an empty array: none). */
  scan(bytes: Uint8Array): Int32Array;
  /** No keyword holds `+` or a newline (else lines' events would not be exact: no piece is scanned, engine/prescans.ts). */
  readonly usable: boolean;
}

/**
 * The events of a list of added lines (the lines as the diff parser added them; a list made
 * otherwise has none), kept as runs: lines that follow one another in one scanned piece, each
 * line's text starting where the one before ended plus its CR, its newline and the next line's
 * prefix. The parser only counts a line into its run; the rule, reading the lines in order, works
 * out where each starts from the lengths of those before it and takes its events from the
 * piece's. A line in no run (one a part carries over from the part before, one that spanned two
 * pieces) has none, and the rule scans its text.
 */
export class LineKeywords {
  /** Per run: its first line's index, its lines, its first line's start in the piece, the lines' prefix width; its piece's events. */
  private readonly first: number[] = [];
  private readonly count: number[] = [];
  private readonly start: number[] = [];
  private readonly width: number[] = [];
  private readonly pieces: Int32Array[] = [];
  /** The line that continues the last run, and where its text must start in the same piece. */
  private nextLine = -1;
  private nextStart = -1;

  /** Where read() is: the run it is in (-1: none yet), the line whose start it knows, that start, and the run's events read so far. */
  private run = -1;
  private line = -1;
  private at = 0;
  private cursor = 0;
  /** What read() found: the events [read's result, eventsEnd) of the piece `events`, their ends counted from `lineStart`. */
  events: Int32Array = NO_EVENTS;
  eventsEnd = 0;
  lineStart = 0;

  /** @param scanner the scanner that made the events: only its own rule's automaton may replay them */
  constructor(readonly scanner: PieceScanner) {}

  /**
   * Line `index` (the next one) is the text at `start` of a piece whose events are `events`,
   * `length` characters long, followed by a CR (`cr`) and a newline; a line after it has a prefix
   * of `width` characters.
   */
  add(index: number, events: Int32Array, start: number, length: number, cr: boolean, width: number): void {
    const last = this.first.length - 1;
    if (last >= 0 && index === this.nextLine && start === this.nextStart && events === this.pieces[last]) this.count[last]!++;
    else {
      this.first.push(index);
      this.count.push(1);
      this.start.push(start);
      this.width.push(width);
      this.pieces.push(events);
    }
    this.nextLine = index + 1;
    this.nextStart = start + length + (cr ? 1 : 0) + 1 + width;
  }

  /**
   * Line `index` of `lines` (the list these are of), asked in ascending order: the index in
   * `this.events` of its first event (to `eventsEnd`, ends from `lineStart`), or -1 when it is in
   * no run (scan its text).
   */
  read(lines: readonly AddedLine[], index: number): number {
    if (index <= this.line) this.rewind();
    let run = Math.max(this.run, 0);
    while (run < this.first.length && this.first[run]! + this.count[run]! <= index) run++;
    if (run >= this.first.length || this.first[run]! > index) return -1;
    if (run !== this.run) {
      this.run = run;
      this.line = this.first[run]!;
      this.at = this.start[run]!;
      this.cursor = 0;
    }
    const width = this.width[run]!;
    while (this.line < index) {
      const line = lines[this.line++]!;
      this.at += line.text.length + (line.cr === true ? 1 : 0) + 1 + width;
    }
    const events = this.pieces[run]!;
    const start = this.at;
    const end = start + lines[index]!.text.length;
    let k = this.cursor;
    // An event ending at `start` is a word before the text (a `+` prefix or a newline ends none).
    while (k < events.length && events[k]! <= start) k += 2;
    const from = k;
    while (k < events.length && events[k]! <= end) k += 2;
    this.cursor = k;
    this.events = events;
    this.eventsEnd = k;
    this.lineStart = start;
    return from;
  }

  private rewind(): void {
    this.run = -1;
    this.line = -1;
  }
}

const NO_EVENTS = new Int32Array(0);
