import { fstatSync, readFileSync } from 'node:fs';
import { NOTHING, walkOf } from '../git/history-source.ts';
import { startCommitLog, type StartedLog } from '../git/log-source.ts';
import { workerPlan } from '../parallel/settings.ts';
import { candidateIds } from './ref-updates.ts';

/** What pre-receive has before its start-up queries: git's ref-update lines, and the push's `git log` if it could be guessed. */
export interface PushStart {
  stdin: string;
  log?: StartedLog;
}

/** Before the update, --all is what the server has: a push's commits are those it does not reach. */
export const PUSH_EXCLUDE: readonly string[] = ['--all'];

/** The one read of stdin per process (the fast path starts it; the command takes it over). */
let started: { cwd: string | undefined; start: PushStart } | null = null;

/**
 * Reads the ref-update lines git pipes to the hook and starts the push's `git log` at once, before
 * the repository, policy and peel queries and before the command's code is loaded: the log is the
 * push's longest step, and it works on the other core meanwhile (docs/performance.md, "Round 8:
 * the push"). Null when stdin is a terminal: run by hand, a wrong folder is said before waiting for
 * typed input. The same answer on every call (stdin is read once); asked for another folder, the
 * log is started again there.
 */
export function startPush(cwd: string | undefined): PushStart | null {
  if (started) {
    if (started.cwd !== cwd && started.start.log) {
      started.start.log.cancel();
      started = { cwd, start: withLog(started.start.stdin, cwd) };
    }
    return started.start;
  }
  // A stat, not node:tty, which costs ~3 ms to load.
  if (fstatSync(0).isCharacterDevice()) return null;
  started = { cwd, start: withLog(readFileSync(0, 'utf8'), cwd) };
  return started.start;
}

/**
 * The guess: each pushed id is a commit (a branch or tag pushed as usual), so the selection that
 * pushSelection makes of them walks exactly these tips, less PUSH_EXCLUDE. commitChanges takes
 * this log only if it is the very walk the selection asks for, and cancels it otherwise (a tag
 * object, a blob, a deleted ref): the guess saves time, never changes what is scanned. No guess
 * where the commits would be listed first for worker threads.
 */
function withLog(stdin: string, cwd: string | undefined): PushStart {
  const ids = candidateIds(stdin);
  if (ids.length === 0) return { stdin };
  try {
    if (workerPlan().workers > 1) return { stdin };
  } catch {
    return { stdin }; // the scan says what is wrong with the setting
  }
  return { stdin, log: startCommitLog(walkOf({ ...NOTHING, tips: ids, exclude: PUSH_EXCLUDE }), cwd) };
}
