import { fstatSync, readFileSync } from 'node:fs';
import type { GitwardConfig } from '../config/types.ts';
import { GitwardError } from '../engine/errors.ts';
import { hasBlocking, type ScanResult } from '../engine/scan.ts';
import { gitSync } from '../git/git-process.ts';
import { loadRepoInfo } from '../git/repo.ts';
import { formatText, location } from '../report/text.ts';
import { audit, type AuditEvent } from '../server/audit.ts';
import { configuredConfigPath, serverConfigFrom, serverSettings, withPushedConfig, type ServerSettings } from '../server/config.ts';
import { bypassReason, pushOptions, pusher } from '../server/push-options.ts';
import { candidateIds, commitsOf, parseRefUpdates, peelEach, type RefUpdate } from '../server/ref-updates.ts';
import { ScanTimeout, historyAdvice, scanCommits, withAuthors } from '../server/scan-commits.ts';

export interface PreReceiveArgs {
  config?: string;
  timeout?: number;
  cwd?: string;
}

const say = (line = '') => process.stderr.write(`${line}\n`);

/** The server hook: rejects (exit 1) a push whose new commits bring a blocking finding. */
export async function runPreReceive(args: PreReceiveArgs): Promise<number> {
  // The start-up queries (where the repository is, the configured policy file, the commits the
  // pushed ids point to) need no answer from each other: they run side by side.
  const located = loadRepoInfo(args.cwd);
  const configured = args.config ? Promise.resolve('') : configuredConfigPath(args.cwd);
  located.catch(() => undefined);
  configured.catch(() => undefined);
  // Run by hand in a terminal: a wrong folder is said before waiting for typed input. (A stat, not
  // node:tty, which costs ~3 ms to load.)
  if (fstatSync(0).isCharacterDevice()) await located;
  const stdin = readFileSync(0, 'utf8');
  const peeled = peelEach(candidateIds(stdin), args.cwd);
  peeled.catch(() => undefined);
  const repo = await located;
  const config = serverConfigFrom(args.config ?? null, await configured, repo.gitDir);
  const settings = serverSettings(config);
  const timeout = args.timeout ?? settings.timeout;
  const updates = parseRefUpdates(stdin, repo.zeroId);
  const base = { repository: repo.gitDir, refs: updates, pusher: pusher() };
  const bypass = bypassReason(pushOptions());
  let commitCount = 0;
  try {
    const work = scanPush(config, settings, updates, peeled, repo.zeroId, args.cwd, timeout);
    const { result, commits } = await withHardLimit(work, timeout);
    commitCount = result.stats.commits;
    const blocking = hasBlocking(result);
    const findings = withAuthors(result.findings, commits);
    const shown: ScanResult = { ...result, findings };
    if (!blocking) {
      const text = formatText(shown, { colour: false, scope: `${commitCount} pushed commit(s)` });
      if (text) process.stderr.write(text);
      reportAllowed(result);
      say(`gitward: ${commitCount} new commit(s) scanned in ${result.stats.durationMs} ms: nothing blocking.`);
      return 0;
    }
    if (bypass && settings.allowBypass) {
      audit(settings.auditLog, repo.gitDir, { ...base, event: 'bypass', commits: commitCount, reason: bypass, findings: result.findings });
      process.stderr.write(formatText(shown, { colour: false, scope: `${commitCount} pushed commit(s)`, help: false }));
      say(`gitward: BYPASSED by push option (reason: ${bypass}); this push has been recorded in the audit log.`);
      return 0;
    }
    const footer = historyAdvice(result.findings);
    if (bypass !== null) {
      footer.push(settings.allowBypass
        ? '  - gitward.bypass needs a reason: git push -o gitward.bypass="<why>"'
        : '  - bypass (git push -o gitward.bypass=...) is not enabled on this server.');
    }
    process.stderr.write(formatText(shown, { colour: false, scope: `${commitCount} pushed commit(s)`, footer }));
    reportAllowed(result);
    audit(settings.auditLog, repo.gitDir, { ...base, event: 'rejected', commits: commitCount, reason: 'blocking findings', findings: result.findings });
    return 1;
  } catch (error) {
    const timedOut = error instanceof ScanTimeout;
    const accept = timedOut ? settings.onTimeout === 'accept' : settings.onError === 'accept';
    const event: AuditEvent['event'] = timedOut ? 'timeout-accepted' : 'error-accepted';
    if (timedOut) {
      say(`gitward: ${(error as Error).message}.`);
      say('gitward: push fewer commits at a time (e.g. `git push origin <commit>:<branch>` in steps), or ask an admin to raise [server] timeout.');
    } else {
      say(`gitward: could not scan the push: ${(error as Error).message}`);
    }
    if (accept) {
      audit(settings.auditLog, repo.gitDir, { ...base, event, commits: commitCount, reason: (error as Error).message, findings: [] });
      say('gitward: the server is configured to let the push through unscanned; it has been recorded in the audit log.');
      return 0;
    }
    say('gitward: the push was rejected (fail closed).');
    return timedOut ? 1 : 2;
  }
}

async function scanPush(
  config: GitwardConfig,
  settings: ServerSettings,
  updates: RefUpdate[],
  peeled: Promise<Map<string, string>>,
  zeroId: string,
  cwd: string | undefined,
  timeout: number,
) {
  const newIds = updates.filter((u) => u.newId !== zeroId).map((u) => u.newId);
  const peeledIds = await peeled;
  const tips = commitsOf(newIds, peeledIds);
  const tags = newTags(newIds, peeledIds, cwd);
  let policy = config;
  if (settings.trustPushedConfig && tips.length > 0) {
    const text = gitSync(['cat-file', '-p', `${tips[0]}:.gitward.toml`], { cwd, allowFail: true });
    policy = withPushedConfig(config, text || null, `.gitward.toml in ${tips[0].slice(0, 12)}`);
  }
  const deadline = timeout > 0 ? Date.now() + timeout * 1000 : undefined;
  return scanCommits({ config: policy, cwd, tips, exclude: ['--all'], deadline, timeoutSeconds: timeout, tags });
}

/**
 * Pushed ids that are no commit (annotated tags, or tags of trees and blobs) and are not already
 * the value of one of the server's refs: the tags whose messages this push brings.
 */
function newTags(newIds: readonly string[], peeled: ReadonlyMap<string, string>, cwd: string | undefined): string[] {
  const candidates = newIds.filter((id) => peeled.get(id) !== id);
  if (candidates.length === 0) return [];
  const known = new Set(gitSync(['for-each-ref', '--format=%(objectname)'], { cwd }).split('\n'));
  return candidates.filter((id) => !known.has(id));
}

/** A backstop for a single slow step: the scan loop checks the deadline between changes. */
function withHardLimit<T>(work: Promise<T>, seconds: number): Promise<T> {
  if (!(seconds > 0)) return work;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScanTimeout(seconds)), seconds * 1000 + 500);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Each finding an inline comment or the config let through is named (without its value). */
function reportAllowed(result: ScanResult): void {
  for (const f of result.suppressed) {
    say(`gitward: allowed: ${f.rule} ${location(f)} (${f.suppressedBy})`);
  }
}

export { GitwardError };
