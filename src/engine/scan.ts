import { nowMs } from './clock.ts';
import { globMatcher } from './globs.ts';
import { DEFAULT_LIMITS, type GitwardConfig } from '../config/types.ts';
import type { Detector, RuleContext } from '../rules/types.ts';
import { recoverTextLines } from './binary-text.ts';
import { onceAcrossReadings, withoutNuls } from './nul-text.ts';
import { LimitError, addedTextBytes, columnInLine, windowedLines } from './limits.ts';
import { movedFrom, wholeFileChange } from './moved-in.ts';
import { READ_AHEAD, readAhead, widerRead, type ReadAheadLimits } from './read-ahead.ts';
import { fingerprint, redact, scrub } from './redact.ts';
import { AllowNames, configAllowReason, inlineAllow, missDetail } from './suppress.ts';
import { prescanDebugLines, setPrescans, type Prescans } from './prescans.ts';
import type { AddedLine, BlobReadOptions, FileChange, Finding, RawFinding, Severity } from './types.ts';

export interface ScanStats {
  files: number;
  addedLines: number;
  commits: number;
  bytes: number;
  durationMs: number;
}

export interface ScanResult {
  /** Findings that count (blocking or warning). */
  findings: Finding[];
  /** Findings an allow comment, the config or the baseline let through (never printed with values). */
  suppressed: Finding[];
  notices: string[];
  stats: ScanStats;
}

/** Extra suppression (baseline, server policy): returns why a finding is allowed, or null. */
export type Suppressor = (finding: Finding) => string | null;

export interface ScanOptions {
  config: GitwardConfig;
  detectors: readonly Detector[];
  suppressors?: readonly Suppressor[];
  /** When the scan began (nowMs), for limits.timeout-seconds: a worker thread counts from its main thread's start. */
  started?: number;
  /**
   * Takes each finding instead of the lists, in order, with what an allow comment or the config
   * said of it (`suppressedBy`) and before `suppressors`: a worker thread's scan, whose findings
   * the main thread's scanner takes in (absorb) and judges with the baseline.
   */
  sink?: (finding: Finding) => void;
}

/** What a worker thread's scan of a batch of commits found, for the main thread's absorb(). */
export interface ScannedBatch {
  /** In the order they were made; suppressedBy as the worker's own config decided it. */
  findings: Finding[];
  notices: string[];
  files: number;
  addedLines: number;
  bytes: number;
}

/** The single scan loop every door uses: changes → rules → findings → suppressions. */
export class Scanner {
  private readonly findings: Finding[] = [];
  private readonly suppressed: Finding[] = [];
  private readonly notices: string[] = [];
  /** Commits seen (their changes come one commit after another), and the last one's id. */
  private commits = 0;
  private lastCommit: string | null = null;
  private readonly stats: ScanStats = { files: 0, addedLines: 0, commits: 0, bytes: 0, durationMs: 0 };
  /** When the scan began (nowMs). */
  readonly started: number;
  // Built on the first change: picomatch is loaded only when the config has exclude globs.
  private excluded: ((path: string) => boolean) | null = null;
  private readonly ctx: RuleContext;
  /** Findings of the file being scanned (all its parts), each reported once. */
  private seen = new Set<string>();
  /** Mistyped names of the file's allow comments given a "did you mean" (engine/suppress.ts missDetail). */
  private hinted = new Set<string>();
  // Built for the first finding (its allow comment is read with it).
  private allowNames: AllowNames | null = null;

  constructor(private readonly options: ScanOptions) {
    this.started = options.started ?? nowMs();
    this.ctx = { config: options.config, notice: (message) => this.notice(message) };
  }

  notice(message: string): void {
    if (!this.notices.includes(message)) this.notices.push(message);
  }

  async scanAll(changes: AsyncIterable<FileChange>): Promise<ScanResult> {
    await this.prescanning(async () => {
      for await (const change of this.ahead(changes)) await this.scanChange(change);
    });
    return this.result();
  }

  /**
   * Runs `scan` (a loop of scanChange) with git's readers offering the detectors' prescans, as they
   * read (engine/window-prescan.ts, engine/line-keywords.ts): every door's scan loop runs in one.
   */
  async prescanning(scan: () => Promise<void>): Promise<void> {
    setPrescans(this.prescans());
    try {
      await scan();
      if (process.env.GITWARD_DEBUG) for (const line of prescanDebugLines()) process.stderr.write(`gitward: debug: ${line}\n`);
    } finally {
      setPrescans(null);
    }
  }

  /**
   * The prescans of the one detector that offers them (the secrets rule's keyword pass), for this
   * scan. A long line's windows only at the default limits.max-line-length, whose windows the diff
   * parser cuts (under another, the scan cuts its own and could take none of them).
   * GITWARD_WINDOW_PRESCAN=0 and GITWARD_LINE_PRESCAN=0 turn each off, for tests and comparing.
   */
  private prescans(): Prescans | null {
    const offered = this.options.detectors.find((d) => d.prescans !== undefined)?.prescans?.(this.options.config);
    if (!offered) return null;
    const windows = process.env.GITWARD_WINDOW_PRESCAN !== '0' && this.options.config.limits.maxLineLength === DEFAULT_LIMITS.maxLineLength;
    return { window: windows ? offered.window : null, pieces: process.env.GITWARD_LINE_PRESCAN !== '0' ? offered.pieces : null };
  }

  /**
   * The changes in the same order, with the blob reads their detectors will make started while
   * earlier changes are scanned (see read-ahead.ts): scan each change it gives with scanChange.
   */
  ahead(changes: AsyncIterable<FileChange>, limits: ReadAheadLimits = READ_AHEAD): AsyncGenerator<FileChange> {
    const quiet: RuleContext = { config: this.options.config, notice: () => undefined };
    return readAhead(changes, (change) => this.plannedRead(change, quiet), limits);
  }

  /** The widest read the detectors (and the binary-text check) will make of a change's new content. */
  private plannedRead(change: FileChange, ctx: RuleContext): BlobReadOptions | null {
    // A message is its own text: nothing to read.
    if (change.location || this.excluded?.(change.path)) return null;
    const limits = this.options.config.limits;
    // recoverTextLines reads every binary change's new blob (its text, or its printable runs).
    let read: BlobReadOptions | null = change.binary ? { headBytes: limits.maxFileBytes } : null;
    for (const detector of this.options.detectors) {
      if (!detector.prefetch || !detector.appliesTo(change, ctx)) continue;
      read = widerRead(read, detector.prefetch(change, ctx), limits.maxFileBytes);
    }
    return read;
  }

  async scanChange(original: FileChange): Promise<void> {
    const message = original.location !== undefined;
    if (original.commit && original.location !== 'tag-message' && original.commit !== this.lastCommit) {
      this.lastCommit = original.commit;
      this.commits++;
    }
    this.excluded ??= excludeMatcher(this.options.config.exclude);
    // `exclude` names paths: a message has none, and is always scanned.
    if (!message && this.excluded(original.path)) return;
    this.checkTime();
    if (original.notice) this.ctx.notice(original.notice);
    const limits = this.options.config.limits;
    // recoverTextLines changes only a binary change: a text change is not awaited (a microtask per change).
    const read = message || !original.binary ? original : await recoverTextLines(original, limits, this.ctx.notice);
    const change = message ? read : withoutNuls(read);
    // A part after the first continues the file before it: its carried lines and findings were counted there.
    const part = change.part;
    if (!part || part.index === 0) {
      if (!message) this.stats.files++;
      this.seen = new Set();
      this.hinted = new Set();
    }
    // Counted as read (a line holding NULs may be read two ways: engine/nul-text.ts).
    const lines = read.addedLines;
    // A message's lines count toward the bytes read (max-push-bytes), not the files' added lines.
    if (!message) this.stats.addedLines += lines.length - (part?.carried ?? 0);
    this.addBytes(addedTextBytes(lines, part?.carried ?? 0));
    const scanned = windowedLines(change, limits.maxLineLength, this.ctx.notice);
    const seen = this.seen;
    let lineMap: Map<number, AddedLine> | null = null;
    // A rename into the paths a rule judges gives that rule the whole file (engine/moved-in.ts).
    const moved = message ? null : movedFrom(change);
    let whole: { change: FileChange; lines: Map<number, AddedLine>; detail: string } | null | undefined;
    for (const detector of this.options.detectors) {
      if (message && !detector.messages) continue;
      let view = scanned;
      let inView: { lines: Map<number, AddedLine>; detail: string } | null = null;
      if (moved !== null && detector.judgesPath?.(change.path, this.options.config) === true && !detector.judgesPath(moved, this.options.config)) {
        if (whole === undefined) whole = await this.wholeFile(change, moved);
        if (whole !== null) [view, inView] = [whole.change, whole];
      }
      if (!detector.appliesTo(view, this.ctx)) continue;
      // The secrets rule, which applies to every change, answers at once: only a promise is awaited.
      const answer = detector.scan(view, this.ctx);
      const found = answer instanceof Promise ? await answer : answer;
      this.checkTime();
      if (found.length === 0) continue;
      // Lines holding NULs may be read two ways: what both found is one finding.
      const raws = inView !== null || change.addedLines.length === read.addedLines.length ? found : onceAcrossReadings(found);
      const lines = inView?.lines ?? (lineMap ??= linesByNumber(change.addedLines));
      for (const raw of raws) {
        // Overlapping windows of one long line, or a part's carried lines, may report the same thing twice.
        const identity = `${raw.rule.id}\0${raw.line}\0${raw.secret ?? raw.key ?? raw.message}`;
        if (seen.has(identity)) continue;
        seen.add(identity);
        this.accept(raw, change, lines, view.addedLines, inView?.detail);
      }
    }
  }

  /**
   * A renamed file's whole new content as its added lines (engine/moved-in.ts), cut into windows as
   * any change is: of a file larger than limits.max-file-bytes its first part, with a notice; null,
   * with a notice, when it cannot be read.
   */
  private async wholeFile(change: FileChange, from: string): Promise<{ change: FileChange; lines: Map<number, AddedLine>; detail: string } | null> {
    const made = await wholeFileChange(change);
    if (made === null) {
      this.ctx.notice(`${change.path}: renamed from ${from}, but its content could not be read: only its changed lines were checked`);
      return null;
    }
    if (!made.complete) this.ctx.notice(`${change.path}: renamed from ${from} and larger than limits.max-file-bytes: only its first part was checked whole`);
    const whole = windowedLines(made.change, this.options.config.limits.maxLineLength, this.ctx.notice);
    return { change: whole, lines: linesByNumber(made.change.addedLines), detail: `renamed from ${from}: every line was checked, not only the changed ones` };
  }

  private addBytes(bytes: number): void {
    this.stats.bytes += bytes;
    const limit = this.options.config.limits.maxPushBytes;
    if (this.stats.bytes > limit) {
      throw new LimitError(`the change holds more than ${limit} bytes of added text (limits.max-push-bytes); it was not scanned to the end, so it is refused (to scan it, raise \`max-push-bytes\` under \`[limits]\` in the config, or scan a --range at a time)`);
    }
  }

  /**
   * Takes in a worker thread's batch, the next in scan order: its counts (and the byte limit over
   * all batches so far), notices and findings, each then judged by the suppressors (the baseline)
   * as scanChange would have.
   */
  absorb(batch: ScannedBatch): void {
    for (const notice of batch.notices) this.notice(notice);
    this.stats.files += batch.files;
    this.stats.addedLines += batch.addedLines;
    this.addBytes(batch.bytes);
    for (const finding of batch.findings) this.settle(finding);
    this.checkTime();
  }

  /** Fails closed when the scan has run longer than limits.timeout-seconds. */
  private checkTime(): void {
    const seconds = this.options.config.limits.timeoutSeconds;
    if (seconds > 0 && nowMs() - this.started > seconds * 1000) {
      throw new LimitError(`the scan ran longer than ${seconds} s (limits.timeout-seconds) and was stopped before the end, so it is refused (to let it finish, raise \`timeout-seconds\` under \`[limits]\` in the config; 0 is no limit)`);
    }
  }

  result(): ScanResult {
    this.stats.commits = this.commits;
    this.stats.durationMs = Math.round(nowMs() - this.started);
    return { findings: this.findings, suppressed: this.suppressed, notices: this.notices, stats: this.stats };
  }

  private accept(raw: RawFinding, change: FileChange, lines: Map<number, AddedLine>, scanned: readonly AddedLine[], detail?: string): void {
    const config = this.options.config;
    const configured = config.rules[raw.rule.id] ?? config.rules[raw.rule.category];
    if (configured === 'off') return;
    const severity: Severity = configured ?? raw.severity ?? raw.rule.severity;
    // A message's findings are keyed by the kind of message (no path can hold a NUL).
    const print = fingerprint(raw.rule.id, change.location ? `\0${change.location}` : change.path, raw.secret ?? raw.key ?? raw.message);
    const inline = config.inlineAllow ? inlineAllow(raw, lines, this.names(), raw.fileLines) : null;
    const details = [...(raw.details ?? []), ...(detail === undefined ? [] : [detail])];
    if (inline?.kind === 'named-others') details.push(missDetail(raw.rule, inline, this.names(), this.hinted));
    let finding: Finding = {
      rule: raw.rule.id,
      category: raw.rule.category,
      severity,
      path: change.location ? null : change.path,
      location: change.location ?? 'file',
      line: raw.line,
      column: columnInLine(scanned, raw.line, raw.column ?? null, raw.secret),
      commit: change.commit,
      // Defence in depth: even a rule's own message is scrubbed of the value it found.
      message: raw.secret !== undefined ? `${scrub(raw.message, [raw.secret])}: ${redact(raw.secret)}` : raw.message,
      fingerprint: print,
      redacted: raw.secret !== undefined ? redact(raw.secret) : null,
      snippet: raw.secret !== undefined ? null : (raw.snippet ?? null),
      details,
      suppressedBy: null,
      meta: raw.rule,
    };
    const reason = (inline?.kind === 'allowed' ? inline.reason : null) ?? configAllowReason(raw, print, config);
    if (reason) finding = { ...finding, suppressedBy: reason };
    if (this.options.sink) this.options.sink(finding);
    else this.settle(finding);
  }

  private names(): AllowNames {
    const { detectors, config } = this.options;
    return (this.allowNames ??= new AllowNames(detectors.flatMap((d) => d.ruleNames ?? d.rules), config.customRules.map((r) => r.id)));
  }

  /** A finding an allow comment or the config let through (suppressedBy), or else the suppressors judge. */
  private settle(finding: Finding): void {
    let reason: string | null = null;
    if (finding.suppressedBy === null) for (const suppressor of this.options.suppressors ?? []) reason ??= suppressor(finding);
    if (finding.suppressedBy !== null) this.suppressed.push(finding);
    else if (reason) this.suppressed.push({ ...finding, suppressedBy: reason });
    else this.findings.push(finding);
  }
}

/** A change's lines by number, where allow comments are looked for (engine/suppress.ts). */
function linesByNumber(lines: readonly AddedLine[]): Map<number, AddedLine> {
  return new Map(lines.map((line) => [line.number, line]));
}

function excludeMatcher(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return globMatcher(globs, { dot: true });
}

export function hasBlocking(result: ScanResult): boolean {
  return result.findings.some((f) => f.severity === 'block');
}
