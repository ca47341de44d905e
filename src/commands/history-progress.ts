import { nowMs } from '../engine/clock.ts';
import { addedTextBytes } from '../engine/limits.ts';
import type { ScanStats } from '../engine/scan.ts';
import type { CommitSink } from '../engine/types.ts';
import type { HistoryScan } from '../parallel/scan-history.ts';
import { count, grouped } from '../report/words.ts';

const BAR_WIDTH = 28;
const REDRAW_MS = 100;

/**
 * Progress of a history scan on stderr: a bar while it runs (only on a terminal, so logs and CI
 * stay clean), and one summary line of time and volume at the end (always, on stderr, so that
 * stdout holds only the report).
 */
export class HistoryProgress {
  private lastDraw = 0;
  private drawn = false;
  private bytes = 0;
  /** The bar's end: the number of commits the scan listed (scan-history.ts), known before the first is read. */
  private total = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** Counts each change (or worker thread's batch) for the bar; off a terminal, nothing (no work per change). */
  observer(commits: CommitSink): HistoryScan['observe'] {
    if (!this.stream.isTTY) return undefined;
    return {
      listed: (total) => {
        this.total = total;
      },
      change: (change) => {
        this.bytes += addedTextBytes(change.addedLines, change.part?.carried ?? 0);
        this.maybeDraw(commits.size);
      },
      batch: (batch) => {
        this.bytes += batch.bytes;
        this.maybeDraw(commits.size);
      },
    };
  }

  finish(stats: ScanStats): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    const seconds = stats.durationMs / 1000;
    // A rate is shown only when it means something (not "0 commits/s" for a run of a few ms).
    const rate = seconds >= 0.1 && stats.commits > 0 ? `, ${rateOf(stats.commits / seconds)} commits/s` : '';
    this.stream.write(
      `gitward: scanned ${count(stats.commits, 'commit')}, ${count(stats.files, 'file change')}, ${count(stats.addedLines, 'added line')} ` +
        `(${mebibytes(stats.bytes)}) in ${seconds.toFixed(1)} s${rate}\n`,
    );
  }

  private maybeDraw(done: number): void {
    if (!this.stream.isTTY) return;
    const now = nowMs();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    this.stream.write(`\r\u001b[K${bar} ${done}/${this.total} commits  ${mebibytes(this.bytes)}`);
  }
}

function rateOf(perSecond: number): string {
  return perSecond >= 10 ? grouped(Math.round(perSecond)) : perSecond.toFixed(1);
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
