import { fstatSync, readFileSync } from 'node:fs';
import { CatFileBatch } from '../git/cat-file-batch.ts';
import { peelThrough, type Peeled } from '../git/peel.ts';
import { loadRepoInfo, type RepoInfo } from '../git/repo.ts';
import { configuredConfigPath } from './config.ts';
import { candidateIds } from './ref-updates.ts';
import { takePushLog, withGuessedLog, type PushLog } from './push-log.ts';

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
export interface PushStart extends PushLog {
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

/** What the fast path started, for the command to take over (once). */
let pending: { cwd: string | undefined; start: PushStart | null } | null = null;

/**
 * Starts the start-up queries, before the command's modules are run and its config read, beside
 * the push's `git log` that the main bundle started (push-log.ts: it runs before this part kept
 * apart is compiled), or reads the ref-update lines and starts that log now when it did not run.
 * Nothing is started when stdin is a terminal: run by hand, a wrong folder is said before waiting for typed input.
 */
export function startPushEarly(cwd: string | undefined, askConfigured = true): void {
  const logged = takePushLog(cwd)?.start;
  const start = logged !== undefined ? logged : fstatSync(0).isCharacterDevice() ? null : withGuessedLog(readFileSync(0, 'utf8'), cwd);
  pending = { cwd, start: start ? withQueries(start, cwd, askConfigured) : null };
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
    return withQueries(withGuessedLog(kept.start.stdin, cwd), cwd, askConfigured);
  }
  startPushEarly(cwd, askConfigured);
  return startPush(cwd, askConfigured);
}

/** The push's log (started first: it is the push's longest step) with the start-up queries beside it. */
function withQueries(start: PushLog, cwd: string | undefined, askConfigured: boolean): PushStart {
  return { ...start, queries: startupQueries(start.stdin, cwd, loadRepoInfo(cwd), askConfigured) };
}
