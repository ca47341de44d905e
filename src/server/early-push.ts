import { fstatSync, readFileSync } from 'node:fs';
import { CatFileBatch } from '../git/cat-file-batch.ts';
import { NOTHING, walkOf } from '../git/history-source.ts';
import { startCommitLog, type StartedLog } from '../git/log-source.ts';
import { peelThrough, type Peeled } from '../git/peel.ts';
import { loadRepoInfo, type RepoInfo } from '../git/repo.ts';
import { configuredConfigPath } from './config.ts';
import { candidateIds } from './ref-updates.ts';

/**
 * pre-receive's start-up queries, which need no answer from each other and run side by side: where
 * the repository is, the configured policy file, what the pushed ids point to (through the
 * `--batch-check` process that lives on as the blob reader's: one git process less).
 */
export interface StartupQueries {
  located: Promise<RepoInfo>;
  configured: Promise<string>;
  check: CatFileBatch;
  peeled: Promise<Map<string, Peeled>>;
}

/** What pre-receive has started before its own code is loaded: git's ref-update lines, the push's `git log` if it could be guessed, and the start-up queries. */
export interface PushStart {
  stdin: string;
  log?: StartedLog;
  queries: StartupQueries;
}

/**
 * Starts the start-up queries; `located` when already asked (a hook run by hand asks it first);
 * the configured policy file's path only when it will be read (no --config given).
 */
export function startupQueries(stdin: string, cwd: string | undefined, located = loadRepoInfo(cwd), askConfigured = true): StartupQueries {
  const configured = askConfigured ? configuredConfigPath(cwd) : Promise.resolve('');
  const check = new CatFileBatch('--batch-check', cwd);
  const peeled = peelThrough(check, candidateIds(stdin));
  // Now, not on the next turn of the event loop: git answers while node loads the command.
  check.flush();
  // Awaited later; until then a failure (not a repository) must not count as unhandled.
  for (const query of [located, configured, peeled]) query.catch(() => undefined);
  return { located, configured, check, peeled };
}

/** Before the update, --all is what the server has: a push's commits are those it does not reach. */
export const PUSH_EXCLUDE: readonly string[] = ['--all'];

/** What the fast path started, for the command to take over (once). */
let pending: { cwd: string | undefined; start: PushStart | null } | null = null;

/**
 * Reads the ref-update lines git pipes to the hook and starts the push's `git log` and then the
 * start-up queries at once, before the command's modules are run and its config read: the log is
 * the push's longest step, and git works on the other core meanwhile (docs/performance.md, "Round
 * 8: the push"). This file is in the part kept apart, with the command: that part is compiled
 * (from its code cache) before the log starts.
 * Nothing is started when stdin is a terminal: run by hand, a wrong folder is said before waiting for typed input.
 */
export function startPushEarly(cwd: string | undefined, askConfigured = true): void {
  pending = { cwd, start: fstatSync(0).isCharacterDevice() ? null : withLog(readFileSync(0, 'utf8'), cwd, askConfigured) };
}

/** What startPushEarly started for this folder (taken once; the fast path gives no --config), else the same started now. */
export function startPush(cwd: string | undefined, askConfigured = true): PushStart | null {
  const kept = pending;
  pending = null;
  if (kept && kept.cwd === cwd) return kept.start;
  if (kept?.start) {
    // Started for another folder: stdin was read there already; the processes start again here.
    kept.start.log?.cancel();
    kept.start.queries.check.close();
    return withLog(kept.start.stdin, cwd, askConfigured);
  }
  startPushEarly(cwd, askConfigured);
  return startPush(cwd, askConfigured);
}

/**
 * The guess: each pushed id is a commit (a branch or tag pushed as usual), so the selection that
 * pushSelection makes of them walks exactly these tips, less PUSH_EXCLUDE. commitChanges takes
 * this log only if it is the very walk the selection asks for, and cancels it otherwise (a tag
 * object, a blob, a deleted ref): the guess saves time, never changes what is scanned. Where worker
 * threads may take the commits, it runs while they are listed, and is read when they are too few
 * for the threads (parallel/scan-history.ts).
 */
function withLog(stdin: string, cwd: string | undefined, askConfigured: boolean): PushStart {
  const log = guessedLog(stdin, cwd);
  // The log first: it is the push's longest step.
  return { stdin, ...(log ? { log } : {}), queries: startupQueries(stdin, cwd, loadRepoInfo(cwd), askConfigured) };
}

function guessedLog(stdin: string, cwd: string | undefined): StartedLog | undefined {
  const ids = candidateIds(stdin);
  if (ids.length === 0) return undefined;
  return startCommitLog(walkOf({ ...NOTHING, tips: ids, exclude: PUSH_EXCLUDE }), cwd);
}
