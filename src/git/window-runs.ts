import type { StartPrescan, TextPrescan } from '../engine/window-prescan.ts';

interface Run {
  /** The window's start in the line's text. */
  readonly start: number;
  readonly scan: TextPrescan;
  /** Its bytes fed so far. */
  fed: number;
}

/**
 * The prescans of a held line's windows (engine/window-prescan.ts), fed the line's text bytes as
 * they come: a scan starts where each window will start (`step` apart), takes the `size` bytes of
 * its window, and is finished when TextQueue cuts the window, to go with it (LineWindows.scans).
 * At most two are open at a time (windows overlap by a few KiB). A window cut short (the line's
 * last) has no scan.
 */
export class WindowRuns {
  private readonly runs: Run[] = [];
  /** Where the next window starts. */
  private nextStart = 0;
  /** The text's bytes fed so far. */
  private fed = 0;

  constructor(
    private readonly start: StartPrescan,
    private readonly size: number,
    private readonly step: number,
  ) {}

  /** The text's next bytes (ASCII), in order. */
  feed(bytes: Uint8Array): void {
    const from = this.fed;
    const to = from + bytes.length;
    for (; this.nextStart < to; this.nextStart += this.step) this.runs.push({ start: this.nextStart, scan: this.start(), fed: 0 });
    for (const run of this.runs) {
      const a = Math.max(run.start + run.fed, from);
      const b = Math.min(run.start + this.size, to);
      if (b <= a) continue;
      run.scan.feed(bytes.subarray(a - from, b - from));
      run.fed += b - a;
    }
    this.fed = to;
  }

  /**
   * The window starting at `start` was cut: its finished scan, when it took the whole window (done()
   * then checks that the text is no shorter: the line's last window may be).
   */
  cut(start: number, text: string): object | undefined {
    const at = this.runs.findIndex((run) => run.start === start);
    if (at === -1) return undefined;
    const run = this.runs.splice(at, 1)[0]!;
    return run.fed === this.size ? run.scan.done(text) : undefined;
  }
}
