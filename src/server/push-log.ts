import { fstatSync, readFileSync } from 'node:fs';
import { NOTHING, walkOf } from '../git/history-source.ts';
import { startCommitLog, type StartedLog } from '../git/log-source.ts';
import { candidateIds } from './ref-updates.ts';

/** Before the update, --all is what the server has: a push's commits are those it does not reach. */
export const PUSH_EXCLUDE: readonly string[] = ['--all'];

/** git's ref-update lines, read once, and the push's `git log` if it could be guessed from them. */
export interface PushLog {
  stdin: string;
  log?: StartedLog;
}

/** What startPushLog read and started, for early-push.ts to take over (once). */
let pending: { cwd: string | undefined; start: PushLog | null } | null = null;

/**
 * Reads the ref-update lines and starts the push's guessed `git log` (the push's longest step)
 * from the main bundle, before the part kept apart that holds the rest of the command's start is
 * compiled: git walks the pushed commits meanwhile (docs/performance.md, "Round 11: the push's log
 * sooner"). Nothing is read or started when stdin is a terminal: run by hand, a wrong folder is
 * said before waiting for typed input.
 */
export function startPushLog(cwd: string | undefined): void {
  pending = { cwd, start: fstatSync(0).isCharacterDevice() ? null : withGuessedLog(readFileSync(0, 'utf8'), cwd) };
  // Observable on purpose: a test checks that the log starts before the part kept apart is compiled.
  if (pending.start?.log && process.env.GITWARD_DEBUG) process.stderr.write('gitward: debug: the push\'s git log started from the main bundle\n');
}

/** What startPushLog read and started for this folder (taken once), or undefined when it did not run for it. */
export function takePushLog(cwd: string | undefined): { start: PushLog | null } | undefined {
  const kept = pending;
  pending = null;
  if (!kept) return undefined;
  if (kept.cwd === cwd) return { start: kept.start };
  // Started for another folder: stdin was read there already; the log starts again here.
  kept.start?.log?.cancel();
  return kept.start ? { start: withGuessedLog(kept.start.stdin, cwd) } : undefined;
}

/** The ref-update lines with their guessed log (see guessedLog). */
export function withGuessedLog(stdin: string, cwd: string | undefined): PushLog {
  const log = guessedLog(stdin, cwd);
  return { stdin, ...(log ? { log } : {}) };
}

/**
 * The guess: each pushed id is a commit (a branch or tag pushed as usual), so the selection that
 * pushSelection makes of them walks exactly these tips, less PUSH_EXCLUDE. commitChanges takes
 * this log only if it is the very walk the selection asks for, and cancels it otherwise (a tag
 * object, a blob, a deleted ref): the guess saves time, never changes what is scanned. Where worker
 * threads may take the commits, it runs while they are listed, and is read when they are too few
 * for the threads (parallel/scan-history.ts).
 */
function guessedLog(stdin: string, cwd: string | undefined): StartedLog | undefined {
  const ids = candidateIds(stdin);
  if (ids.length === 0) return undefined;
  return startCommitLog(walkOf({ ...NOTHING, tips: ids, exclude: PUSH_EXCLUDE }), cwd);
}
