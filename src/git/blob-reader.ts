import type { Prefetched } from '../engine/read-ahead.ts';
import type { BlobContent, BlobReadOptions } from '../engine/types.ts';
import { BlobWindow, narrow } from './blob-window.ts';
import { streamBlob } from './blob-stream.ts';
import { CatFileBatch, parseObjectHeader } from './cat-file-batch.ts';

/**
 * Above this size a blob is read by its own streaming `git cat-file blob` (stopped once the bytes
 * asked for are in) instead of the shared `--batch`, which pipes every byte of it (a process that
 * answers other reads cannot be stopped halfway). Below it, the shared process is cheaper than
 * starting one.
 */
export const STREAM_THRESHOLD = 2 * 1024 * 1024;
const PIPE_CHUNK = 64 * 1024;
/** Sizes remembered from `--batch-check` (ids repeat when several rules read one blob). */
const MAX_SIZES = 10_000;

export interface ReadHint {
  /**
   * git printed this blob as a text patch, so reading it whole is what the diff already did: skip
   * the size check. Blobs git called binary (or that no diff printed) are sized first.
   */
  text?: boolean;
}

type ObjectInfo = { type: string; size: number } | null;

const MISSING: Prefetched = { serve: () => null };

/**
 * Every blob a rule reads, from long-lived git processes: `--batch-check` for sizes, `--batch`
 * for blobs up to STREAM_THRESHOLD, one streaming child per read of a larger blob (one at a
 * time). Only the head and tail a caller asks for are kept, so a 200 MB model never sits in
 * memory, neither here nor in git. The last blob read is held, so the next rule asking for the
 * same bytes (a sniff, then the full head) costs nothing.
 */
export class BlobReader {
  private readonly batch: CatFileBatch;
  private readonly check: CatFileBatch;
  private readonly sizes = new Map<string, Promise<ObjectInfo>>();
  private last: { id: string; content: BlobContent } | null = null;
  private streams: Promise<unknown> = Promise.resolve();

  /** `check`: a `--batch-check` process already started (pre-receive's peel), taken over: closed with this reader. */
  constructor(
    private readonly cwd: string | undefined,
    private readonly defaultHeadBytes: number,
    check?: CatFileBatch,
  ) {
    this.batch = new CatFileBatch('--batch', cwd);
    this.check = check ?? new CatFileBatch('--batch-check', cwd);
  }

  async read(id: string, options: BlobReadOptions = {}, hint: ReadHint = {}): Promise<BlobContent | null> {
    const headBytes = options.headBytes ?? this.defaultHeadBytes;
    const tailBytes = options.tailBytes ?? 0;
    const held = this.last?.id === id ? narrow(this.last.content, headBytes, tailBytes) : null;
    if (held) return held;
    if (!hint.text) {
      const info = await this.info(id);
      if (info === null) return null;
      if (info.type === 'blob' && info.size > STREAM_THRESHOLD) {
        // The pipe delivers 64 KiB at a time: a smaller sniff keeps a full chunk for the next rule.
        const whole = await this.fromStream(id, info.size, Math.max(headBytes, PIPE_CHUNK), tailBytes);
        this.hold(id, whole);
        return narrow(whole, headBytes, tailBytes);
      }
    }
    const whole = await this.fromBatch(id, headBytes, tailBytes);
    if (!whole) return null;
    this.hold(id, whole);
    return narrow(whole, headBytes, tailBytes);
  }

  /**
   * What `read(id, options, hint)` would fetch, read ahead of need (engine/read-ahead.ts) and kept
   * only if `admit(bytes)` agrees once the size is known; undefined when not kept. A blob that
   * would be streamed (not printed as text and larger than STREAM_THRESHOLD) is left to the rule's
   * own read. Nothing here touches the blob held for `read`.
   */
  async prefetch(id: string, options: BlobReadOptions, hint: ReadHint, admit: (bytes: number) => boolean): Promise<Prefetched | undefined> {
    if (!hint.text) {
      const info = await this.info(id);
      if (info === null) return MISSING;
      if (info.type === 'blob' && info.size > STREAM_THRESHOLD) return undefined;
    }
    const whole = await this.fromBatch(id, options.headBytes ?? this.defaultHeadBytes, options.tailBytes ?? 0, admit);
    if (whole === undefined) return undefined;
    if (whole === null) return MISSING;
    return { serve: (o = {}) => narrow(whole, o.headBytes ?? this.defaultHeadBytes, o.tailBytes ?? 0) ?? undefined };
  }

  /** Starts the idle cat-file processes afresh on their next request (CatFileBatch.renew). */
  renew(): void {
    this.batch.renew();
    this.check.renew();
  }

  close(): void {
    this.batch.close();
    this.check.close();
  }

  private hold(id: string, content: BlobContent | null): void {
    if (content) this.last = { id, content };
  }

  private info(id: string): Promise<ObjectInfo> {
    let info = this.sizes.get(id);
    if (info) return info;
    info = new Promise<ObjectInfo>((resolve, reject) => {
      let found: ObjectInfo = null;
      this.check.request(id, {
        header: (line) => (found = parseObjectHeader(line)),
        body: () => undefined,
        done: () => resolve(found),
        fail: reject,
      });
    });
    if (this.sizes.size >= MAX_SIZES) this.sizes.clear();
    this.sizes.set(id, info);
    info.catch(() => this.sizes.delete(id));
    return info;
  }

  /**
   * The blob from the shared `--batch` process: all of a small one, else the head and tail asked
   * for; null when missing; undefined when `admit` turned its bytes down (they are read past).
   */
  private fromBatch(id: string, headBytes: number, tailBytes: number, admit?: (bytes: number) => boolean): Promise<BlobContent | null | undefined> {
    return new Promise((resolve, reject) => {
      let window: BlobWindow | null = null;
      let refused = false;
      this.batch.request(id, {
        header: (line) => {
          const object = parseObjectHeader(line);
          if (!object) return;
          // A small blob passes through the pipe whole anyway: keep all of it for the next rule.
          const keep = object.size <= STREAM_THRESHOLD ? Math.max(headBytes, object.size) : headBytes;
          const kept = Math.min(object.size, keep) + (object.size > keep ? Math.min(tailBytes, object.size) : 0);
          if (admit && !admit(kept)) refused = true;
          else window = new BlobWindow(object.size, keep, tailBytes);
        },
        body: (bytes) => window?.push(bytes),
        done: () => resolve(refused ? undefined : (window?.result() ?? null)),
        fail: reject,
      });
    });
  }

  /** One streaming child at a time: each may hold a head of up to max-file-bytes. */
  private fromStream(id: string, size: number, headBytes: number, tailBytes: number): Promise<BlobContent> {
    const read = this.streams.then(() => streamBlob(this.cwd, id, size, headBytes, tailBytes));
    this.streams = read.catch(() => undefined);
    return read;
  }
}
