import { readFileSync } from 'node:fs';
import { hasBlocking } from '../engine/scan.ts';
import { loadConfig } from '../config/load.ts';
import { repoInfo } from '../git/repo.ts';
import { peelToCommits } from '../server/ref-updates.ts';
import { historyAdvice, scanCommits, withAuthors } from '../server/scan-commits.ts';
import { report, type CommonArgs } from './common.ts';

export interface PrePushArgs extends CommonArgs {
  remote?: string;
  url?: string;
}

/**
 * The client hook: git's pre-push stdin is `<local ref> <local id> <remote ref> <remote id>`.
 * Scans the commits the remote does not have yet (not on its remote-tracking refs, nor the
 * remote's current id), each commit's own patch.
 */
export async function runPrePush(args: PrePushArgs): Promise<number> {
  const repo = repoInfo(args.cwd);
  const config = loadConfig(args.config ?? null, repo.topLevel);
  const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
  const locals: string[] = [];
  const remotes: string[] = [];
  // Ids the remote does not have yet under that ref: an annotated tag's message is scanned too.
  const tags: string[] = [];
  for (const line of lines) {
    const [, localId, , remoteId] = line.trim().split(/\s+/);
    if (localId && localId !== repo.zeroId) locals.push(localId);
    if (remoteId && remoteId !== repo.zeroId) remotes.push(remoteId);
    if (localId && localId !== repo.zeroId && localId !== remoteId) tags.push(localId);
  }
  const tips = peelToCommits(locals, args.cwd);
  // The remote's id may be unknown here (someone else pushed it): only known commits exclude.
  const exclude = peelToCommits(remotes, args.cwd);
  if (args.remote) exclude.push(`--remotes=${args.remote}`);
  const { result, commits } = await scanCommits({ config, cwd: args.cwd, tips, exclude, tags });
  const shown = { ...result, findings: withAuthors(result.findings, commits) };
  const footer = hasBlocking(result) ? historyAdvice(result.findings) : [];
  return report(shown, args, `${result.stats.commits} commit(s) to push`, footer);
}
