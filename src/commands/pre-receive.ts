import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { GitwardConfig } from '../config/types.ts';
import { GitwardError } from '../engine/errors.ts';
import { hasBlocking, type ScanResult } from '../engine/scan.ts';
import { killGitChildren } from '../git/children.ts';
import { gitSync } from '../git/git-process.ts';
import { loadRepoInfo } from '../git/repo.ts';
import { tipFiles } from '../git/tip-files.ts';
import { formatText, location } from '../report/text.ts';
import { commitScope, count } from '../report/words.ts';
import { audit, AuditWriteError, type AuditEvent } from '../server/audit.ts';
import { serverSettings, withPushedConfig, type ServerSettings } from '../server/config.ts';
import { configFrom, type ConfigRecipe } from '../parallel/config-recipe.ts';
import { bypassReason, pushOptions, pusher } from '../server/push-options.ts';
import { pushSelection } from '../git/history-source.ts';
import type { StartedLog } from '../git/log-source.ts';
import { PUSH_EXCLUDE, startPush, startupQueries, type StartupQueries } from '../server/early-push.ts';
import type { CatFileBatch } from '../git/cat-file-batch.ts';
import type { Peeled } from '../git/peel.ts';
import { parseRefUpdates, type RefUpdate } from '../server/ref-updates.ts';
import { ScanTimeout, historyAdvice, scanCommits, withAuthors } from '../server/scan-commits.ts';
import { serverSection } from '../server/section.ts';
import { checkCommonArgs } from './common.ts';

export interface PreReceiveArgs {
  config?: string;
  timeout?: number;
  cwd?: string;
}

/** What the pusher sees at most: findings per rule and in all; the audit log keeps every one. */
export const SHOWN_FINDINGS = { perRule: 20, total: 50 };
/**
 * The scan stops `timeout` seconds after the hook started; this much more is left for the report
 * and the audit line. Past both the hook ends itself (rejecting), whatever it was waiting for.
 */
export const HOOK_GRACE_MS = 1000;

const say = (line = '') => process.stderr.write(`${line}\n`);

/** The server hook: rejects (exit 1) a push whose new commits bring a blocking finding. */
export async function runPreReceive(args: PreReceiveArgs): Promise<number> {
  const started = Date.now();
  if (args.timeout !== undefined && !(Number.isFinite(args.timeout) && args.timeout >= 0)) {
    throw new GitwardError('--timeout needs a number of seconds, 0 or more (0: no limit)');
  }
  checkCommonArgs({ config: args.config });
  // Run by git: the pushed ids are read first, and the push's `git log` started (startPush; the
  // fast path did it already, before this module was loaded). Run by hand in a terminal: a wrong
  // folder is said before waiting for typed input.
  const start = startPush(args.cwd, !args.config);
  const early = start?.log;
  let stdin: string;
  let queries: StartupQueries;
  if (start) {
    ({ stdin, queries } = start);
  } else {
    const located = loadRepoInfo(args.cwd);
    located.catch(() => undefined);
    await located;
    stdin = readFileSync(0, 'utf8');
    queries = startupQueries(stdin, args.cwd, located, !args.config);
  }
  const { located, configured, check, peeled } = queries;
  const repo = await located.catch((error: unknown) => {
    check.close();
    early?.cancel();
    throw error;
  });

  const push: Push = { gitDir: repo.gitDir, refs: [], pusher: pusher(), commits: 0, settings: serverSection.defaults() };
  const stopWatchdog = { stop: () => undefined as void };
  try {
    push.refs = parseRefUpdates(stdin, repo.zeroId);
    // An unreadable policy is an error refusal, audited where the default log is.
    const recipe: ConfigRecipe = { kind: 'server', explicit: args.config ?? null, configured: await configured, gitDir: repo.gitDir };
    const config = configFrom(recipe);
    push.settings = serverSettings(config);
    const timeout = args.timeout ?? push.settings.timeout;
    const deadline = timeout > 0 ? started + timeout * 1000 : undefined;
    if (deadline !== undefined) {
      stopWatchdog.stop = watchdog(deadline + HOOK_GRACE_MS);
      // Start-up alone took the time: refused now, with the grace left for the report and audit.
      if (Date.now() >= deadline) throw new ScanTimeout(timeout);
    }
    const scan = scanPush(config, recipe, push.settings, push.refs, peeled, check, repo.zeroId, args.cwd, deadline, timeout, early);
    const { result, commits, tips } = await withHardLimit(scan, deadline, timeout);
    // Observable on purpose: a test checks that a plain push's scan reads the log started early.
    if (early && process.env.GITWARD_DEBUG) say(`gitward: debug: the git log started with the push ${early.taken ? 'was taken' : 'was cancelled (not the walk asked for, or read another way)'}`);
    push.commits = result.stats.commits;
    return await judged(push, config, { ...result, findings: withAuthors(result.findings, commits) }, result, tips, args.cwd);
  } catch (error) {
    return await failed(push, error);
  } finally {
    stopWatchdog.stop();
    check.close();
    early?.cancel();
  }
}

interface Push {
  gitDir: string;
  refs: RefUpdate[];
  pusher: Record<string, string>;
  commits: number;
  settings: ServerSettings;
}

/** Writes the push's one audit line; false (and says why) when it could not be written. */
async function recorded(push: Push, entry: Pick<AuditEvent, 'event' | 'reason' | 'findings' | 'bypassRequested'>): Promise<boolean> {
  try {
    await audit(push.settings.auditLog, push.gitDir, { repository: push.gitDir, refs: push.refs, commits: push.commits, pusher: push.pusher, ...entry });
    return true;
  } catch (error) {
    say(`gitward: ${error instanceof AuditWriteError ? error.message : `could not write the audit log: ${(error as Error).message}`}`);
    return false;
  }
}

/** The scan finished: let the push through, through by bypass, or refuse it. */
async function judged(push: Push, config: GitwardConfig, shown: ScanResult, result: ScanResult, tips: readonly string[], cwd: string | undefined): Promise<number> {
  const scope = commitScope(push.commits, 'pushed');
  const text = { colour: false, scope, limit: SHOWN_FINDINGS, configName: serverConfigName(config) };
  if (!hasBlocking(result)) {
    const report = formatText(shown, text);
    if (report) process.stderr.write(report);
    reportAllowed(result);
    say(`gitward: ${count(push.commits, 'new commit')} scanned in ${result.stats.durationMs} ms: nothing blocking.`);
    return 0;
  }
  const bypass = bypassReason(pushOptions());
  const { settings } = push;
  if (bypass && settings.allowBypass) {
    process.stderr.write(formatText(shown, { ...text, help: false }));
    if (await recorded(push, { event: 'bypass', reason: bypass, findings: result.findings })) {
      say(`gitward: BYPASSED by push option (reason: ${bypass}); this push has been recorded in the audit log.`);
      return 0;
    }
    say('gitward: the bypass was refused: it could not be recorded. The push was rejected.');
    return 1;
  }
  const footer = historyAdvice(result.findings);
  const refusedBypass = bypass === null ? null : settings.allowBypass ? 'a bypass needs a reason' : 'bypass is not enabled on this server';
  if (refusedBypass) {
    footer.push(settings.allowBypass
      ? '  - gitward.bypass needs a reason: git push -o gitward.bypass="<why>"'
      : '  - bypass (git push -o gitward.bypass=...) is not enabled on this server.');
  }
  const ignored = await pushedConfigIgnored(tips[0], settings.trustPushedConfig, cwd);
  if (ignored) {
    footer.push(settings.trustPushedConfig
      ? `  - the pushed ${ignored} was not used: this server reads a pushed .gitward.toml only.`
      : `  - the pushed ${ignored} was not used: this server judges pushes by its own config only.`);
  }
  process.stderr.write(formatText(shown, { ...text, footer }));
  reportAllowed(result);
  await (refusedBypass
    ? recorded(push, { event: 'bypass-refused', reason: refusedBypass, bypassRequested: bypass!, findings: result.findings })
    : recorded(push, { event: 'rejected', reason: 'blocking findings', findings: result.findings }));
  return 1;
}

/** The scan did not finish (time limit, fault): the server's on-timeout / on-error decides. */
async function failed(push: Push, error: unknown): Promise<number> {
  const timedOut = error instanceof ScanTimeout;
  const message = (error as Error)?.message ?? String(error);
  if (timedOut) {
    say(`gitward: ${message}.`);
    say('gitward: push fewer commits at a time (e.g. `git push origin <commit>:<branch>` in steps), or ask an admin to raise [server] timeout.');
  } else if (error instanceof GitwardError) {
    say(`gitward: could not scan the push: ${message}`);
    if (error.hint) say(`gitward: ${error.hint}`);
  } else {
    say(`gitward: could not scan the push (internal error): ${message}`);
  }
  const accept = timedOut ? push.settings.onTimeout === 'accept' : push.settings.onError === 'accept';
  const kind = timedOut ? 'timeout' : 'error';
  if (accept) {
    if (await recorded(push, { event: `${kind}-accepted`, reason: message, findings: [] })) {
      say('gitward: the server is configured to let the push through unscanned; it has been recorded in the audit log.');
      return 0;
    }
    say('gitward: the push could not be let through unscanned, as it could not be recorded.');
  } else {
    await recorded(push, { event: `${kind}-rejected`, reason: message, findings: [] });
  }
  say('gitward: the push was rejected (fail closed).');
  return timedOut ? 1 : 2;
}

async function scanPush(
  config: GitwardConfig,
  recipe: ConfigRecipe,
  settings: ServerSettings,
  updates: RefUpdate[],
  peeled: Promise<Map<string, Peeled>>,
  check: CatFileBatch,
  zeroId: string,
  cwd: string | undefined,
  deadline: number | undefined,
  timeout: number,
  log: StartedLog | undefined,
) {
  const pushed = updates.filter((u) => u.newId !== zeroId).map((u) => ({ ref: u.ref, id: u.newId }));
  // Tags of blobs and trees are scanned whole (whether the server already holds their content
  // would take a walk of every object).
  const pushedSelection = pushSelection(pushed, await peeled, PUSH_EXCLUDE);
  const selection = { ...pushedSelection, tags: newTags(pushedSelection.tags, cwd) };
  const tips = selection.tips;
  let policy = config;
  let policyRecipe = recipe;
  if (settings.trustPushedConfig && tips.length > 0 && recipe.kind === 'server') {
    const text = (await pushedFiles(tips[0], [PUSHED_CONFIG], cwd)).get(PUSHED_CONFIG);
    const pushed = { text: text || null, where: `${PUSHED_CONFIG} in ${tips[0].slice(0, 12)}` };
    policy = withPushedConfig(config, pushed.text, pushed.where);
    policyRecipe = { ...recipe, pushed };
  }
  const scanned = await scanCommits({ config: policy, recipe: policyRecipe, cwd, selection, deadline, timeoutSeconds: timeout, check, ...(log ? { log } : {}) });
  return { ...scanned, tips };
}

/** The pushed tag objects that are not already the value of one of the server's refs: the tags whose messages this push brings. */
function newTags(tags: readonly string[], cwd: string | undefined): string[] {
  if (tags.length === 0) return [];
  const known = new Set(gitSync(['for-each-ref', '--format=%(objectname)'], { cwd }).split('\n'));
  return tags.filter((id) => !known.has(id));
}

/**
 * A backstop for a single slow step (the scan loop checks the deadline between changes): at the
 * deadline the scan is given up and its git processes killed, leaving the grace for the audit.
 */
function withHardLimit<T>(work: Promise<T>, deadline: number | undefined, seconds: number): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      killGitChildren();
      reject(new ScanTimeout(seconds));
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Ends the hook at `at` (ms since epoch) whatever it waits for (a stalled disk, a slow git): rejected. */
function watchdog(at: number): () => void {
  const timer = setTimeout(() => {
    killGitChildren();
    say('gitward: the hook ran out of time before it could finish; the push was rejected (fail closed).');
    process.exit(1);
  }, Math.max(0, at - Date.now()));
  timer.unref();
  return () => clearTimeout(timer);
}

/** How the allow advice names the config a pusher's admin must edit (never the pushed .gitward.toml). */
function serverConfigName(config: GitwardConfig): string {
  const file = config.source ? basename(config.source) : 'gitward.toml';
  return `the server's config (${file}, kept by the server's admin)`;
}

/**
 * The config in the pushed tip that the server did not use: `.gitward.toml` (unless the server
 * trusts pushed config), or `[tool.gitward]` in pyproject.toml (never read on the server).
 */
async function pushedConfigIgnored(tip: string | undefined, trusted: boolean, cwd: string | undefined): Promise<string | null> {
  if (!tip) return null;
  // Both asked at once: a refused push waited on three git processes here, one after the other.
  const files = await pushedFiles(tip, [PUSHED_CONFIG, 'pyproject.toml'], cwd, PYPROJECT_READ_BYTES);
  if (files.get(PUSHED_CONFIG) != null) return trusted ? null : PUSHED_CONFIG;
  return /^\s*\[tool\.gitward[\].]/m.test(files.get('pyproject.toml') ?? '') ? '[tool.gitward] in pyproject.toml' : null;
}

const PUSHED_CONFIG = '.gitward.toml';
/** Enough of a pushed pyproject.toml to find a [tool.gitward] table in any real one (the note is advice only). */
const PYPROJECT_READ_BYTES = 1024 * 1024;

/** The pushed tip's files (tipFiles); none where git could not read them, as before (the config is then the server's own). */
function pushedFiles(tip: string, paths: readonly string[], cwd: string | undefined, maxBytes?: number): Promise<Map<string, string | null>> {
  return tipFiles(tip, paths, cwd, maxBytes).catch(() => new Map<string, string | null>());
}

/** Each finding an inline comment or the config let through is named (without its value). */
function reportAllowed(result: ScanResult): void {
  for (const f of result.suppressed) {
    say(`gitward: allowed: ${f.rule} ${location(f)} (${f.suppressedBy})`);
  }
}

export { GitwardError };
