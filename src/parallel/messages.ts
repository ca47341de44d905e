import type { ScannedBatch } from '../engine/scan.ts';
import type { CommitInfo } from '../engine/types.ts';
import type { ConfigRecipe } from './config-recipe.ts';

/** The argument that starts the bundle (or src/cli.ts under tsx) as a scan worker, not the CLI. */
export const WORKER_ARGUMENT = '--gitward-scan-worker';

/** Given to each worker thread at its start. */
export interface WorkerSetup {
  cwd: string | undefined;
  recipe: ConfigRecipe;
  /** The main thread's scan start (nowMs, the same clock in every thread), for limits.timeout-seconds. */
  started: number;
  /** ms since epoch past which the scan stops (the server's time limit). */
  deadline?: number;
}

/** main → worker: scan these commits, in this order. */
export interface BatchOrder {
  seq: number;
  ids: string[];
}

/** worker → main: a batch scanned, or why it could not be. */
export type BatchReply =
  | { seq: number; batch: ScannedBatch & { commits: CommitInfo[] } }
  | { seq: number; deadline: true }
  /** `user`: a GitwardError (a limit, a git failure), said as it is; otherwise an internal error. */
  | { seq: number; error: { message: string; hint?: string; user: boolean } };
