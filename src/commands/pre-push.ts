import { readFileSync } from 'node:fs';
import { hasBlocking } from '../engine/scan.ts';
import { loadConfig } from '../config/load.ts';
import { repoInfo } from '../git/repo.ts';
import { pushSelection } from '../git/history-source.ts';
import { peelSync, peelToCommits } from '../git/peel.ts';
import { historyAdvice, scanCommits, withAuthors } from '../server/scan-commits.ts';
import { commitScope } from '../report/words.ts';
import { checkCommonArgs, report, type CommonArgs } from './common.ts';

export interface PrePushArgs extends CommonArgs {
  remote?: string;
  url?: string;
}

/**
 * The client hook: git's pre-push stdin is `<local ref> <local id> <remote ref> <remote id>`.
 * Scans the commits the remote does not have yet (not on its remote-tracking refs, nor the
 * remote's current id), each commit's message and own patch, pushed annotated tags' messages, and
 * pushed tags of blobs and trees whole.
 */
export async function runPrePush(args: PrePushArgs): Promise<number> {
  checkCommonArgs(args);
  const repo = repoInfo(args.cwd);
  const config = loadConfig(args.config ?? null, repo.topLevel);
  const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
  const pushed: { ref: string; id: string }[] = [];
  const remotes: string[] = [];
  for (const line of lines) {
    const [, localId, remoteRef, remoteId] = line.trim().split(/\s+/);
    // Named by the ref the remote will hold, as pre-receive names it there.
    if (localId && localId !== repo.zeroId) pushed.push({ ref: remoteRef ?? '', id: localId });
    if (remoteId && remoteId !== repo.zeroId) remotes.push(remoteId);
  }
  // The remote's id may be unknown here (someone else pushed it): only known commits exclude.
  const exclude = peelToCommits(remotes, args.cwd);
  if (args.remote) exclude.push(`--remotes=${args.remote}`);
  const selection = pushSelection(pushed, peelSync(pushed.map((p) => p.id), args.cwd), exclude);
  const recipe = { kind: 'repository' as const, explicit: args.config ?? null, topLevel: repo.topLevel };
  const { result, commits } = await scanCommits({ config, cwd: args.cwd, selection, recipe });
  const shown = { ...result, findings: withAuthors(result.findings, commits) };
  const footer = hasBlocking(result) ? historyAdvice(result.findings) : [];
  return report(shown, args, commitScope(result.stats.commits, args.remote ? `to push to ${args.remote}` : 'to push'), footer);
}
