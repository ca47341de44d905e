import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../engine/errors.ts';
import { spawnGit } from './git-process.ts';

/** Handles one object's answer: its header line, then its body bytes (the batch mode only). */
export interface BatchRequest {
  /** The header line git printed (without its newline). */
  header(line: string): void;
  body(bytes: Buffer): void;
  done(): void;
  fail(error: Error): void;
}

/**
 * One long-lived `git cat-file --batch` or `--batch-check`: requests are answered in order, so
 * many reads share one process and pipeline through one pipe. The ids asked for in one turn of
 * the event loop go out in one write (a write per id cost a system call and a wake-up of git each).
 */
export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queue: BatchRequest[] = [];
  private pending: Buffer = Buffer.alloc(0);
  /** Body bytes (plus the newline after them) still due for the request at the head of the queue; -1 before its header. */
  private due = -1;
  private bodyLeft = 0;
  private failed: Error | null = null;
  private closed = false;
  /** Ids requested since the last write, sent together on the next turn of the event loop. */
  private unsent: string[] = [];
  private flushScheduled = false;
  /** Processes ended by renew(), still closing. */
  private readonly retired = new Set<ChildProcessWithoutNullStreams>();

  constructor(
    private readonly mode: '--batch' | '--batch-check',
    private readonly cwd: string | undefined,
  ) {}

  request(id: string, request: BatchRequest): void {
    if (this.failed) {
      request.fail(this.failed);
      return;
    }
    if (this.closed) {
      // A late request (a read-ahead landing after the scan stopped) must not start a process nobody ends.
      request.fail(new GitError(`cat-file ${this.mode}`, 'asked after the reader was closed'));
      return;
    }
    this.queue.push(request);
    this.unsent.push(id);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Ends an idle process (no answer due): the next request starts a fresh one. A long history
   * scan does this between its `git log` runs, so no cat-file keeps the pack pages it touched
   * mapped for the whole scan. A busy process is left as it is.
   */
  renew(): void {
    if (!this.child || this.queue.length > 0 || this.unsent.length > 0) return;
    this.retired.add(this.child);
    this.child.stdin.end();
    this.child = null;
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.child?.stdin.end();
    this.child = null;
  }

  /** Sends the ids asked for so far now (starting the process), not on the next turn of the event loop. */
  flush(): void {
    this.flushScheduled = false;
    if (this.unsent.length === 0) return;
    const ids = this.unsent;
    this.unsent = [];
    // A request failed in the meantime (the process died) was answered by the failure already.
    if (this.failed) return;
    this.ensureStarted().stdin.write(`${ids.join('\n')}\n`);
  }

  private ensureStarted(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const what = `cat-file ${this.mode}`;
    const child = spawnGit(['cat-file', this.mode], this.cwd);
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString();
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const request of this.queue.splice(0)) request.fail(error);
    };
    // A renewed process ended idle: what happens to it is no failure of its successor's requests.
    child.on('error', (error) => {
      if (!this.retired.has(child)) fail(new GitError(what, error.message));
    });
    child.on('close', (code, signal) => {
      // A process that died with requests open fails them (never leaves a rule waiting forever);
      // one that ended idle is started again by the next request.
      if (this.retired.delete(child)) return;
      if (this.child === child) this.child = null;
      if (this.queue.length > 0) fail(new GitError(what, stderr || `exited with ${signal ?? code}`));
    });
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  private onData(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      const request = this.queue[0];
      if (!request) return;
      if (this.due < 0) {
        const newline = data.indexOf(10);
        if (newline === -1) {
          this.pending = data;
          return;
        }
        const line = data.toString('utf8', 0, newline);
        data = data.subarray(newline + 1);
        request.header(line);
        // In batch mode an object's body follows its header, then a newline; a missing one has none.
        const object = this.mode === '--batch' ? parseObjectHeader(line) : null;
        this.bodyLeft = object ? object.size : 0;
        this.due = object ? object.size + 1 : 0;
      }
      const piece = data.subarray(0, this.due);
      data = data.subarray(piece.length);
      const body = piece.subarray(0, Math.min(piece.length, this.bodyLeft));
      if (body.length > 0) request.body(body);
      this.bodyLeft -= body.length;
      this.due -= piece.length;
      if (this.due === 0) {
        this.queue.shift();
        this.due = -1;
        request.done();
      }
    }
  }
}

/**
 * One object's type and bytes through `batch` (a `--batch` process), null when git has no such
 * object. `name` may be anything cat-file takes (`<tip>:<path>` too). Past `maxBytes` the body is
 * read to its end but not kept.
 */
export function readObject(batch: CatFileBatch, name: string, maxBytes = Infinity): Promise<{ type: string; body: Buffer } | null> {
  return new Promise((resolve, reject) => {
    let type: string | null = null;
    const parts: Buffer[] = [];
    let kept = 0;
    batch.request(name, {
      header: (line) => (type = parseObjectHeader(line)?.type ?? null),
      body: (bytes) => {
        if (kept >= maxBytes) return;
        const part = bytes.subarray(0, Math.min(bytes.length, maxBytes - kept));
        parts.push(Buffer.from(part));
        kept += part.length;
      },
      done: () => resolve(type === null ? null : { type, body: Buffer.concat(parts) }),
      fail: reject,
    });
  });
}

/** Parses `<id> <type> <size>`; null for `<id> missing` (or ambiguous) answers. */
export function parseObjectHeader(line: string): { type: string; size: number } | null {
  const parts = line.split(' ');
  if (parts.length < 3 || parts[1] === 'missing') return null;
  const size = Number(parts[2]);
  return Number.isSafeInteger(size) && size >= 0 ? { type: parts[1]!, size } : null;
}
