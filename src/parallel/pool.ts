import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { GitwardError } from '../engine/errors.ts';
import type { ScannedBatch } from '../engine/scan.ts';
import type { CommitInfo } from '../engine/types.ts';
import { stopWithGit } from '../git/children.ts';
import { WORKER_ARGUMENT, type BatchReply, type WorkerSetup } from './messages.ts';

/** Batches a worker has in hand or finished ahead of the one the report waits for, per worker. */
const AHEAD_PER_WORKER = 3;
const BATCHES_PER_WORKER = 4;
const MAX_BATCH = 2048;
/**
 * Each thread's young generation (V8's default is several times larger): what a scan allocates
 * dies young, and a smaller nursery keeps each thread's heap small (flask's history on two
 * threads: 181 -> 154 MB peak RSS, no more CPU). Not a limit that can fail: the old generation is
 * left to V8.
 */
const YOUNG_GENERATION_MB = 8;

export interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  /** The error to stop with when a worker finds the deadline passed. */
  onDeadline: () => Error;
}

/**
 * The commits `ids` (in scan order), scanned in batches by `workers` threads, and given back in
 * the same order as they were sent: what one thread would have found, batch after batch. At most
 * AHEAD_PER_WORKER batches per worker are out at a time, so memory is that of the work in flight,
 * not of the history. The first failure (in scan order) ends the scan; the threads end with it.
 */
export async function* scannedBatches(ids: readonly string[], options: PoolOptions): AsyncGenerator<ScannedBatch & { commits: CommitInfo[] }> {
  const size = batchSize(ids.length, options.workers);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += size) batches.push(ids.slice(i, i + size));
  const replies = new Map<number, BatchReply>();
  const threads: Worker[] = [];
  const idle: Worker[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  let sent = 0;
  let taken = 0;
  const window = options.workers * AHEAD_PER_WORKER;
  const dispatch = () => {
    while (idle.length > 0 && sent < batches.length && sent < taken + window) {
      idle.pop()!.postMessage({ seq: sent, ids: batches[sent] });
      sent++;
    }
  };
  const stopAll = () => {
    finished = true;
    for (const thread of threads) void thread.terminate();
  };
  const unregister = stopWithGit(stopAll);
  try {
    for (let i = 0; i < Math.min(options.workers, batches.length); i++) {
      const thread = new Worker(workerEntry(), { argv: [WORKER_ARGUMENT], workerData: options.setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      thread.on('message', (reply: BatchReply) => {
        replies.set(reply.seq, reply);
        idle.push(thread);
        dispatch();
        notify();
      });
      thread.on('error', (error) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
        notify();
      });
      thread.on('exit', (code) => {
        if (finished) return;
        failure ??= new Error(`a scan worker thread stopped (exit code ${code}) before the scan ended`);
        notify();
      });
      threads.push(thread);
      idle.push(thread);
    }
    dispatch();
    while (taken < batches.length) {
      const reply = replies.get(taken);
      if (!reply) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      replies.delete(taken);
      taken++;
      dispatch();
      if ('error' in reply) throw reply.error.user ? new GitwardError(reply.error.message, reply.error.hint) : new Error(reply.error.message);
      if ('deadline' in reply) throw options.onDeadline();
      yield reply.batch;
    }
  } finally {
    unregister();
    stopAll();
  }
}

/**
 * Commits per batch: about BATCHES_PER_WORKER per worker, so that one with a few huge commits does
 * not leave a thread working alone at the end, but few, as each batch costs a `git log` start (and
 * git's own set-up for it); at most MAX_BATCH, so a batch's findings and commits stay small.
 */
export function batchSize(commits: number, workers: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(commits / (workers * BATCHES_PER_WORKER))));
}

/**
 * What a worker thread runs: the bundle itself (its entry sees WORKER_ARGUMENT), or under tsx the
 * CLI's source, which does the same.
 */
function workerEntry(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../cli.ts', here);
  // The bundle sits in dist/chunks/; dist/gitward.cjs (or .mjs) starts it with V8's code cache
  // (scripts/build.mjs). The bundle file itself is no entry: run by node, it exits 2.
  const cjs = new URL('../gitward.cjs', here);
  if (existsSync(cjs)) return cjs;
  const mjs = new URL('../gitward.mjs', here);
  if (existsSync(mjs)) return mjs;
  throw new GitwardError('gitward is installed incompletely: dist/gitward.cjs and dist/gitward.mjs are both missing', 'Reinstall gitward (npm ci, or npm install gitward).');
}
