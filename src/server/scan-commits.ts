import type { GitwardConfig } from '../config/types.ts';
import { Scanner, type ScanResult } from '../engine/scan.ts';
import type { CommitInfo, FileChange, Finding } from '../engine/types.ts';
import { GitwardError } from '../engine/errors.ts';
import { BlobReader } from '../git/blob-reader.ts';
import { commitChanges } from '../git/log-source.ts';
import { messageChange } from '../git/message-source.ts';
import { tagMessages } from '../git/tag-messages.ts';
import { DETECTORS } from '../rules/index.ts';

export class ScanTimeout extends GitwardError {
  constructor(seconds: number) {
    super(`the push was too large to scan within ${seconds}s`);
    this.name = 'ScanTimeout';
  }
}

/**
 * Scans every commit reachable from `tips` and from none of `exclude` (e.g. `--all`), each
 * commit's message and own patch (merges: what the merge itself adds, via a combined diff), in one
 * `git log -p`; then the messages of the annotated tags among `tags` (pushed ids).
 * Past `deadline` (ms since epoch) it stops with ScanTimeout.
 */
export async function scanCommits(options: {
  config: GitwardConfig;
  cwd?: string;
  tips: readonly string[];
  exclude: readonly string[];
  deadline?: number;
  timeoutSeconds?: number;
  /** Pushed ids that may be annotated tags: their messages are scanned too. */
  tags?: readonly string[];
}): Promise<{ result: ScanResult; commits: Map<string, CommitInfo> }> {
  const commits = new Map<string, CommitInfo>();
  const scanner = new Scanner({ config: options.config, detectors: DETECTORS });
  const tags = options.tags ?? [];
  if (options.tips.length === 0 && tags.length === 0) return { result: scanner.result(), commits };
  const blobs = new BlobReader(options.cwd, options.config.limits.maxFileBytes);
  const changes = commitChanges(
    // Tips from stdin (no argument-length limit with many refs); exclusions on the command line.
    { revisions: ['--stdin', '--not', ...options.exclude], stdin: `${options.tips.join('\n')}\n`, extra: ['-c'], commits, messages: true },
    options.cwd,
    blobs,
  );
  const overdue = () => {
    if (options.deadline !== undefined && Date.now() > options.deadline) throw new ScanTimeout(options.timeoutSeconds ?? 0);
  };
  const names = new Map<string, string>();
  try {
    if (options.tips.length > 0) {
      for await (const change of scanner.ahead(changes)) {
        overdue();
        await scanner.scanChange(change);
      }
    }
    for (const tag of await tagMessages(tags, options.cwd)) {
      overdue();
      names.set(tag.id, tag.name);
      await scanner.scanChange(messageChange('tag-message', tag.message, tag.id));
    }
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

/** Adds the commit's author and subject to each finding, for the pusher's message. */
export function withAuthors(findings: readonly Finding[], commits: ReadonlyMap<string, CommitInfo>): Finding[] {
  return findings.map((f) => {
    const info = f.commit ? commits.get(f.commit) : undefined;
    if (!info) return f;
    return { ...f, details: [...f.details, `commit by ${info.authorName} <${info.authorEmail}>: ${info.subject.slice(0, 100)}`] };
  });
}

/** How to take a finding out of history; printed after the findings. */
export function historyAdvice(findings: readonly Finding[]): string[] {
  const ids = [...new Set(findings.map((f) => f.commit).filter((c): c is string => c !== null))];
  const short = ids.map((c) => c.slice(0, 12));
  const lines = [
    '',
    'The findings are in the history being pushed, so the push must change that history:',
    '  - in your last commit only: fix the file, `git add` it, `git commit --amend`, and push again;',
    `  - in an earlier commit (${short.join(', ') || 'see above'}): \`git rebase -i <commit>^\`, mark the commit "edit",`,
    '    fix it, `git commit --amend`, `git rebase --continue`, then push again;',
    '  - across many commits: `git filter-repo --replace-text <file>` (or --invert-paths --path <file>).',
  ];
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
