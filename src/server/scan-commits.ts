import type { GitwardConfig } from '../config/types.ts';
import { Scanner, type ScanResult } from '../engine/scan.ts';
import type { CommitInfo, FileChange, Finding } from '../engine/types.ts';
import { GitwardError } from '../engine/errors.ts';
import { BlobReader } from '../git/blob-reader.ts';
import type { CatFileBatch } from '../git/cat-file-batch.ts';
import type { HistorySelection } from '../git/history-source.ts';
import type { StartedLog } from '../git/log-source.ts';
import type { ConfigRecipe } from '../parallel/config-recipe.ts';
import { scanHistory } from '../parallel/scan-history.ts';
import { DETECTORS } from '../rules/index.ts';

export class ScanTimeout extends GitwardError {
  constructor(seconds: number) {
    super(`the push was too large to scan within ${seconds}s`);
    this.name = 'ScanTimeout';
  }
}

/**
 * Scans a push's selection (see HistorySelection: each new commit's message and own patch, merges
 * for what they add against every parent, annotated tags' messages, refs on blobs and trees
 * whole), in one `git log -p`.
 * Past `deadline` (ms since epoch) it stops with ScanTimeout.
 */
export async function scanCommits(options: {
  config: GitwardConfig;
  cwd?: string;
  selection: HistorySelection;
  /** How `config` was loaded, for worker threads to load the same. */
  recipe: ConfigRecipe;
  deadline?: number;
  timeoutSeconds?: number;
  /** A `--batch-check` process already running (the peel's), for the blob reader's sizes: closed here. */
  check?: CatFileBatch;
  /** The push's `git log`, started before the selection was known: used when it walks the selection (see StartedLog). */
  log?: StartedLog;
}): Promise<{ result: ScanResult; commits: Map<string, CommitInfo> }> {
  const commits = new Map<string, CommitInfo>();
  const scanner = new Scanner({ config: options.config, detectors: DETECTORS });
  const blobs = new BlobReader(options.cwd, options.config.limits.maxFileBytes, options.check);
  const names = new Map<string, string>();
  const { deadline } = options;
  const onDeadline = () => new ScanTimeout(options.timeoutSeconds ?? 0);
  const checkDeadline = () => {
    if (deadline !== undefined && Date.now() > deadline) throw onDeadline();
  };
  try {
    await scanHistory({
      scanner,
      selection: options.selection,
      cwd: options.cwd,
      blobs,
      recipe: options.recipe,
      commits,
      tagNames: names,
      observe: { change: checkDeadline, batch: checkDeadline },
      ...(deadline !== undefined ? { deadline } : {}),
      onDeadline,
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    blobs.close();
  }
  const result = scanner.result();
  result.stats.commits = commits.size;
  return { result: names.size > 0 ? namingTags(result, names) : result, commits };
}

/** A finding in a tag's message names the tag. */
function namingTags(result: ScanResult, names: ReadonlyMap<string, string>): ScanResult {
  const name = (f: Finding): Finding =>
    f.location === 'tag-message' && f.commit && names.has(f.commit) ? { ...f, details: [...f.details, `in tag ${names.get(f.commit)!.slice(0, 100)}`] } : f;
  return { ...result, findings: result.findings.map(name), suppressed: result.suppressed.map(name) };
}

/**
 * Adds the commit's author and subject to each finding, for the pusher's message. A commit whose
 * message holds a finding keeps its subject to itself: the subject may be where the secret is.
 */
export function withAuthors(findings: readonly Finding[], commits: ReadonlyMap<string, CommitInfo>): Finding[] {
  const leakyMessages = new Set(findings.filter((f) => f.location === 'commit-message' && f.commit !== null).map((f) => f.commit));
  return findings.map((f) => {
    const info = f.commit ? commits.get(f.commit) : undefined;
    if (!info) return f;
    const subject = leakyMessages.has(f.commit) ? '(subject not shown: the message holds a finding)' : info.subject.slice(0, 100);
    return { ...f, details: [...f.details, `commit by ${info.authorName} <${info.authorEmail}>: ${subject}`] };
  });
}

/** How to take a finding out of history; printed after the findings. */
export function historyAdvice(findings: readonly Finding[]): string[] {
  const ids = [...new Set(findings.filter((f) => f.location !== 'tag-message').map((f) => f.commit).filter((c): c is string => c !== null))];
  const short = ids.map((c) => c.slice(0, 12));
  const lines = [
    '',
    'The findings are in the history being pushed, so the push must change that history:',
    '  - in your last commit only: fix the file, `git add` it, `git commit --amend`, and push again;',
    `  - in an earlier commit (${short.join(', ') || 'see above'}): \`git rebase -i <commit>^\`, mark the commit "edit",`,
    '    fix it, `git commit --amend`, `git rebase --continue`, then push again;',
    '  - across many commits: `git filter-repo --replace-text <file>` (or --invert-paths --path <file>).',
  ];
  if (findings.some((f) => f.commit === null)) {
    lines.push('  - in a tag on a file or a folder (the path starts with the tag\'s name): delete the tag (`git tag -d <tag>`, and on the remote) or point it elsewhere.');
  }
  if (findings.some((f) => f.location === 'commit-message')) {
    lines.push('  - in a commit message: `git commit --amend` (last commit) or `git rebase -i <commit>^` with "reword";');
  }
  if (findings.some((f) => f.location === 'tag-message')) {
    lines.push('  - in a tag message: `git tag -f -a <name>` with a new message, then push the tag again;');
  }
  if (findings.some((f) => f.category === 'secret')) {
    lines.push('  - a credential that was committed must be treated as leaked: revoke and rotate it, even after the history is clean.');
  }
  return lines;
}
