import { addedTextBytes } from './limits.ts';
import type { BlobContent, BlobReadOptions, FileChange } from './types.ts';

/** A blob read started before a rule asked for it: serves the reads it covers. */
export interface Prefetched {
  /** The content a `loadContent(options)` would return, or undefined when what was read does not cover it. */
  serve(options?: BlobReadOptions): BlobContent | null | undefined;
}

/**
 * Starts reading a change's new content. `admit(bytes)` is asked once the blob's size is known: on
 * false nothing is kept and the promise gives undefined (the rule's own read then reads it).
 */
export type Prefetcher = (options: BlobReadOptions, admit: (bytes: number) => boolean) => Promise<Prefetched | undefined>;

const prefetchers = new WeakMap<FileChange, Prefetcher>();

/** Registers how a change's new content can be read ahead (the git sources do this for each change they make). */
export function allowPrefetch<T extends FileChange>(change: T, prefetcher: Prefetcher): T {
  prefetchers.set(change, prefetcher);
  return change;
}

export interface ReadAheadLimits {
  /** Changes taken from the source ahead of the one being scanned. */
  changes: number;
  /**
   * Bytes held ahead: added-line text of the changes taken (the one being scanned included) and
   * blobs read ahead. Past it no change is taken and no further blob kept until the scan catches
   * up, so a 20 MB change is never held twice; at most one blob (up to max-file-bytes) more.
   */
  bytes: number;
}

export const READ_AHEAD: ReadAheadLimits = { changes: 16, bytes: 8 * 1024 * 1024 };

interface Entry {
  change: FileChange;
  /** Added-line bytes plus the bytes its read-ahead keeps. */
  held: number;
  /** Of `held`, the bytes of its blob read ahead. */
  blob: number;
  released: boolean;
}

/**
 * The changes of `source` in the same order, each with the blob read its rules will make
 * (`plan(change)`, null for none) already started while earlier changes are scanned: reads
 * pipeline through git instead of each costing the scan loop a round trip. A rule's
 * `loadContent` is served from the read when it covers the request and reads as before
 * otherwise, so results are the same with and without read-ahead. An error of the source
 * surfaces where it happened, after the changes before it.
 */
export async function* readAhead(
  source: AsyncIterable<FileChange>,
  plan: (change: FileChange) => BlobReadOptions | null,
  limits: ReadAheadLimits = READ_AHEAD,
): AsyncGenerator<FileChange> {
  const iterator = source[Symbol.asyncIterator]();
  const ready: Entry[] = [];
  let held = 0;
  let blobs = 0;
  let pulling = false;
  let finished = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  let current: Entry | null = null;
  /** The consumer has stopped: a pull still in flight is dropped when it lands (no read is started). */
  let closed = false;

  const release = (entry: Entry) => {
    if (entry.released) return;
    entry.released = true;
    held -= entry.held;
    blobs -= entry.blob;
  };
  // One blob is always let in (a rule reading it would hold as much): a blob past the bound would
  // otherwise be piped twice, once here and once for the rule.
  const admitFor = (entry: Entry) => (bytes: number) => {
    if (entry.released || (blobs > 0 && held + bytes > limits.bytes)) return false;
    entry.held += bytes;
    entry.blob += bytes;
    held += bytes;
    blobs += bytes;
    return true;
  };
  // The parts of one large file (and a blob changed the same way twice in a row) share one read.
  let lastRead: { blob: string; read: Promise<Prefetched | undefined> } | null = null;
  const take = (change: FileChange): Entry => {
    const entry: Entry = { change, held: addedTextBytes(change.addedLines), blob: 0, released: false };
    held += entry.held;
    const prefetcher = prefetchers.get(change);
    const options = prefetcher && held < limits.bytes ? plan(change) : null;
    if (prefetcher && options) {
      let read = lastRead?.blob === change.newBlob ? lastRead.read : null;
      if (!read) {
        read = prefetcher(options, admitFor(entry)).catch(() => undefined);
        lastRead = change.newBlob === null ? null : { blob: change.newBlob, read };
      }
      entry.change = servedFrom(change, read);
    }
    return entry;
  };
  const fill = () => {
    if (pulling || finished || ready.length >= limits.changes || held >= limits.bytes) return;
    pulling = true;
    iterator.next().then(
      (next) => {
        pulling = false;
        if (closed) return;
        try {
          if (next.done) finished = true;
          else ready.push(take(next.value));
        } catch (error) {
          finished = true;
          failure = { error };
        }
        wake?.();
        fill();
      },
      (error: unknown) => {
        pulling = false;
        finished = true;
        failure = { error };
        wake?.();
      },
    );
  };

  try {
    for (;;) {
      fill();
      const entry = ready.shift();
      if (!entry) {
        if (failure) throw (failure as { error: unknown }).error;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      current = entry;
      fill();
      yield entry.change;
      release(entry);
      current = null;
    }
  } finally {
    closed = true;
    if (current) release(current);
    for (const entry of ready.splice(0)) release(entry);
    if (!finished) {
      // With a pull in flight the source's clean-up (killing git) runs once that pull is answered:
      // the scan does not wait for it.
      const closing = Promise.resolve(iterator.return?.()).catch(() => undefined);
      if (!pulling) await closing;
    }
  }
}

/** The change with `loadContent` answered from the read started ahead, when that read covers it. */
function servedFrom(change: FileChange, read: Promise<Prefetched | undefined>): FileChange {
  const load = change.loadContent;
  return {
    ...change,
    loadContent: (options?: BlobReadOptions) =>
      read.then((prefetched) => {
        const served = prefetched?.serve(options);
        return served === undefined ? load(options) : served;
      }),
  };
}

/** The larger of two reads (a longer head serves a shorter one; a tail is kept only when asked for). */
export function widerRead(a: BlobReadOptions | null, b: BlobReadOptions | null, defaultHeadBytes: number): BlobReadOptions | null {
  if (!a) return b;
  if (!b) return a;
  return {
    headBytes: Math.max(a.headBytes ?? defaultHeadBytes, b.headBytes ?? defaultHeadBytes),
    tailBytes: Math.max(a.tailBytes ?? 0, b.tailBytes ?? 0),
  };
}
