import { availableParallelism } from 'node:os';
import { GitwardError } from '../engine/errors.ts';

/** More threads than this gain little: each also runs its own `git log` and `git cat-file`. */
export const MAX_WORKERS = 8;
/**
 * Fewer commits than this are scanned on the main thread: a worker's start (a thread, the bundle
 * compiled again, its own git processes) costs about what ~150 small commits take to scan
 * (docs/performance.md, "Worker threads and memory").
 */
export const WORKERS_FROM_COMMITS = 400;

export interface WorkerPlan {
  /** Threads that scan commits; 1: the main thread alone, as before. */
  workers: number;
  /** Commits from which the threads start. */
  fromCommits: number;
}

/**
 * By default one thread per core but one (at most MAX_WORKERS): the main thread and the threads'
 * git processes need a core too, and two threads cost 1.5-1.8x the CPU of the main thread alone
 * for the same commits (their start, their own JIT warm-up and heap, a `git log` per batch). On 2
 * cores that is 1: two threads were slower than one there (docs/performance.md, "Worker threads
 * and memory"); GITWARD_WORKERS=2 forces them.
 */
export function defaultWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, MAX_WORKERS));
}

/**
 * GITWARD_WORKERS (1 to 64; default: defaultWorkers()) and GITWARD_WORKERS_FROM
 * (commits, 0 or more; default WORKERS_FROM_COMMITS), read once per scan. A value that is not
 * one of those is a usage error (exit 2), not a silent default.
 */
export function workerPlan(env: NodeJS.ProcessEnv = process.env): WorkerPlan {
  const workers = whole(env, 'GITWARD_WORKERS', 1, 64, 'a number of threads from 1 to 64 (1: one thread)') ?? defaultWorkers();
  const fromCommits = whole(env, 'GITWARD_WORKERS_FROM', 0, Number.MAX_SAFE_INTEGER, 'a number of commits, 0 or more') ?? WORKERS_FROM_COMMITS;
  return { workers, fromCommits };
}

/**
 * How one thread reads a long history: `git log` runs of `size` commits once there are more than
 * `from` (scan-history.ts, listedChanges); a push read walking is listed and read so after its
 * first `from` commits (scanWalked). GITWARD_LOG_BATCH (commits, 1 or more) sets both, so that a
 * small history can be read in many runs (the tests); by default 4,096 past 8,192.
 */
export function logBatchPlan(env: NodeJS.ProcessEnv = process.env): { from: number; size: number } {
  const size = whole(env, 'GITWARD_LOG_BATCH', 1, Number.MAX_SAFE_INTEGER, 'a number of commits, 1 or more');
  return size === null ? { from: LOG_BATCH_FROM, size: LOG_BATCH } : { from: size, size };
}

/**
 * Past this many commits a history is read in several `git log` runs of at most LOG_BATCH
 * commits each. One `git log --reverse` over a long history holds every commit it walked and the
 * pack it mapped until it ends (sympy's 62k commits: 262 MB of RSS, more than gitward itself);
 * each run starts afresh, for a few percent more of git's CPU (docs/performance.md, "Long histories").
 */
const LOG_BATCH_FROM = 8192;
const LOG_BATCH = 4096;

function whole(env: NodeJS.ProcessEnv, name: string, min: number, max: number, what: string): number | null {
  const text = env[name];
  if (text === undefined || text === '') return null;
  const value = /^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value >= min && value <= max)) throw new GitwardError(`${name} must be ${what}, not "${text.slice(0, 40)}"`);
  return value;
}
