import type { Readable } from 'node:stream';

/** How far git may run ahead of the scan: bytes of output waiting here, at most (then git waits). */
export const GIT_OUTPUT_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * The chunks of a child's output, read off the pipe as soon as they arrive instead of when the
 * consumer asks. The pipe holds only 64 KiB: read lazily, git stops each time the scan is busy and
 * the two never run at once. Here git fills a queue of up to `limit` bytes while the scan works
 * (on a 2-core machine the history scan's git and JavaScript then overlap), and the consumer
 * yields to the event loop between chunks so that the pipe is emptied even when the scan never
 * has to wait for anything.
 */
export async function* eagerChunks(stream: Readable, limit = GIT_OUTPUT_AHEAD_BYTES): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > limit) stream.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: Error) => {
    failure = error;
    notify();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('close', onEnd);
  stream.on('error', onError);
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        if (stream.isPaused() && queued <= limit / 2) stream.resume();
        yield chunk;
        // A turn of the event loop: whatever git wrote meanwhile is read off the pipe.
        if (!ended) await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('close', onEnd);
    stream.off('error', onError);
  }
}
