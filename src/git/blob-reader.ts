import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { BlobContent, BlobReadOptions } from '../engine/types.ts';
import { GitError } from '../engine/errors.ts';
import { spawnGit } from './git-process.ts';

interface Request {
  id: string;
  headBytes: number;
  tailBytes: number;
  resolve: (blob: BlobContent | null) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived `git cat-file --batch` for every blob a rule needs in full. Requests are
 * answered in order; a blob larger than the caller's head is streamed through, keeping only its
 * head and tail, so a 200 MB model never sits in memory.
 */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queue: Request[] = [];
  private pending: Buffer = Buffer.alloc(0);
  // State of the blob being received.
  private size = -1;
  private received = 0;
  private head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly cwd: string | undefined,
    private readonly defaultHeadBytes: number,
  ) {}

  read(id: string, options: BlobReadOptions = {}): Promise<BlobContent | null> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const request: Request = {
        id,
        headBytes: options.headBytes ?? this.defaultHeadBytes,
        tailBytes: options.tailBytes ?? 0,
        resolve,
        reject,
      };
      this.queue.push(request);
      this.ensureStarted().stdin.write(`${id}\n`);
    });
  }

  close(): void {
    this.child?.stdin.end();
    this.child = null;
  }

  private ensureStarted(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawnGit(['cat-file', '--batch'], this.cwd);
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const fail = (error: Error) => {
      this.failed = error;
      for (const request of this.queue.splice(0)) request.reject(error);
    };
    child.on('error', (error) => fail(new GitError('cat-file --batch', error.message)));
    child.on('close', (code, signal) => {
      // A reader that died with requests open fails them (never leaves a rule waiting forever);
      // one that ended idle is started again by the next read.
      if (this.child === child) this.child = null;
      if (this.queue.length > 0) fail(new GitError('cat-file --batch', stderr || `exited with ${signal ?? code}`));
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
      if (this.size < 0) {
        const newline = data.indexOf(10);
        if (newline === -1) {
          this.pending = data;
          return;
        }
        const header = data.toString('utf8', 0, newline);
        data = data.subarray(newline + 1);
        const parts = header.split(' ');
        if (parts[1] === 'missing' || parts.length < 3) {
          this.queue.shift();
          request.resolve(null);
          continue;
        }
        this.size = Number(parts[2]);
        this.received = 0;
        this.head = [];
        this.headLength = 0;
        this.tail = null;
      }
      // Body plus the trailing newline.
      const want = this.size + 1 - this.received;
      const piece = data.subarray(0, want);
      data = data.subarray(piece.length);
      this.keep(request, piece.subarray(0, Math.max(0, Math.min(piece.length, this.size - this.received))));
      this.received += piece.length;
      if (this.received === this.size + 1) {
        this.queue.shift();
        const complete = this.size <= request.headBytes;
        request.resolve({
          size: this.size,
          head: Buffer.concat(this.head),
          tail: complete ? null : this.tail,
          complete,
        });
        this.size = -1;
      }
    }
  }

  private keep(request: Request, body: Buffer): void {
    if (body.length === 0) return;
    if (this.headLength < request.headBytes) {
      const take = body.subarray(0, request.headBytes - this.headLength);
      this.head.push(Buffer.from(take));
      this.headLength += take.length;
    }
    if (request.tailBytes > 0) {
      // Only bytes at or past size - tailBytes belong to the tail: copied once into a buffer of
      // the final size, so a 200 MB blob costs no more than its last tailBytes.
      const tailLength = Math.min(request.tailBytes, this.size);
      const tailStart = this.size - tailLength;
      const offset = this.received;
      const end = offset + body.length;
      if (end > tailStart) {
        this.tail ??= Buffer.alloc(tailLength);
        const from = Math.max(0, tailStart - offset);
        body.copy(this.tail, offset + from - tailStart, from);
      }
    }
  }
}
