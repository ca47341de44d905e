import { BaselineFilter, loadBaseline } from '../baseline/baseline.ts';
import { GitwardError } from '../engine/errors.ts';
import type { ScanResult, Suppressor } from '../engine/scan.ts';
import type { CommitInfo, FileChange } from '../engine/types.ts';
import { indexEntries, untrackedPaths, wholeFileChanges } from '../git/files-source.ts';
import { gitSync } from '../git/git-process.ts';
import { commitChanges } from '../git/log-source.ts';
import { messageChange } from '../git/message-source.ts';
import { tagMessages } from '../git/tag-messages.ts';
import { stagedChanges, stagedDiff } from '../git/staged-source.ts';
import { HistoryProgress } from './history-progress.ts';
import { openSession, report, scanWith, type CommonArgs, type Session } from './common.ts';

export interface ScanArgs extends CommonArgs {
  staged?: boolean;
  range?: string;
  allFiles?: boolean;
  history?: boolean;
  /** Whole files to scan (pathspecs relative to the current folder). */
  paths?: string[];
  /** Called by the pre-commit framework (see .pre-commit-hooks.yaml): `commit` or `push`. */
  preCommit?: 'commit' | 'push';
  /** false: ignore .gitward-baseline.json. */
  baseline?: boolean;
}

const STAGED_FOOTER = [
  'Nothing was committed. Fix the findings above and commit again;',
  'to let one through after checking it, see "allow" above. (`git commit --no-verify` skips all checks: the server may still refuse the push.)',
];

const RANGE_FOOTER = [
  'These commits hold the findings above. Rewrite them (`git rebase -i`, or `git filter-repo` for older history) and rotate any real credential:',
  'deleting it in a new commit leaves it in history.',
];

/** What one scan reads, decided from the arguments. */
type Plan =
  | { kind: 'staged'; only?: Set<string> }
  | { kind: 'range'; range: string }
  | { kind: 'files'; paths: string[] }
  | { kind: 'history' };

export async function runScan(args: ScanArgs): Promise<number> {
  const plan = planScan(args);
  // git starts on the staged diff while the repository and the config are looked up.
  const diff = plan.kind === 'staged' ? stagedDiff(args.cwd) : null;
  let session: Session;
  let filter: BaselineFilter | null;
  try {
    session = openSession(args);
    filter = args.baseline === false ? null : baselineFilter(session);
  } catch (error) {
    diff?.cancel();
    throw error;
  }
  const suppressors: Suppressor[] = filter ? [filter.suppressor] : [];
  const cwd = args.cwd;

  if (plan.kind === 'staged') {
    const staged = stagedChanges(cwd, session.blobs, diff!);
    const changes = plan.only ? onlyPaths(staged, plan.only) : staged;
    return report(await scanWith(session, changes, suppressors), args, 'the staged changes', STAGED_FOOTER);
  }
  if (plan.kind === 'files') {
    const entries = indexEntries(cwd, plan.paths);
    const result = await scanWith(session, wholeFileChanges(entries, session.blobs), suppressors);
    if (plan.paths.length > 0) {
      for (const p of untrackedPaths(cwd, plan.paths)) result.notices.push(`${p}: not tracked by git, not scanned (git add it first)`);
    } else if (filter) {
      noteStale(result, filter);
    }
    const scope = plan.paths.length > 0 ? `${count(entries.length, 'file')}` : `all ${count(entries.length, 'tracked file')}`;
    return report(result, args, scope);
  }
  if (plan.kind === 'range') {
    checkRange(plan.range, cwd);
    const commits = new Map<string, CommitInfo>();
    const result = await scanWith(session, commitChanges({ revisions: [plan.range], commits, messages: true }, cwd, session.blobs), suppressors);
    return report(result, args, `${count(commits.size, 'commit')} (${plan.range})`, RANGE_FOOTER);
  }
  return runHistory(args, session, suppressors);
}

function planScan(args: ScanArgs): Plan {
  const paths = (args.paths ?? []).map(String);
  if (args.preCommit) return frameworkPlan(args.preCommit, paths, args.cwd);
  const chosen = [args.range !== undefined && '--range', args.allFiles && '--all-files', args.history && '--history', paths.length > 0 && 'PATH…'].filter(Boolean);
  if (chosen.length > 1) throw new GitwardError(`choose one of ${chosen.join(', ')}`, 'Run `gitward scan --help` for usage.');
  if (args.range !== undefined) {
    if (!args.range.trim() || args.range.startsWith('-')) throw new GitwardError(`--range needs a revision range such as origin/main..HEAD, not "${args.range}"`);
    return { kind: 'range', range: args.range };
  }
  if (args.allFiles) return { kind: 'files', paths: [] };
  if (args.history) return { kind: 'history' };
  if (paths.length > 0) return { kind: 'files', paths };
  return { kind: 'staged' };
}

/**
 * The pre-commit framework gives a hook no sign of `--all-files` except the file names it passes:
 * on a commit they are the staged files, with `--all-files` every tracked file. So when every name
 * given is staged, the staged diff is scanned (only what changed, limited to those names, as the
 * framework may split a long list into several runs); otherwise the given files are scanned whole.
 * For pre-push the framework exports the pushed range in PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF; a
 * push of a whole new history comes without them and is scanned as all files.
 */
function frameworkPlan(stage: 'commit' | 'push', paths: string[], cwd: string | undefined): Plan {
  if (stage === 'push') {
    const from = process.env.PRE_COMMIT_FROM_REF;
    const to = process.env.PRE_COMMIT_TO_REF;
    if (from && to) return { kind: 'range', range: `${from}..${to}` };
    return { kind: 'files', paths };
  }
  if (paths.length === 0) return { kind: 'staged' };
  const staged = new Set(gitSync(['diff', '--cached', '--name-only', '-z', '--no-relative', '--diff-filter=ACMRTUXB'], { cwd }).split('\0').filter(Boolean));
  if (paths.every((p) => staged.has(p))) return { kind: 'staged', only: new Set(paths) };
  return { kind: 'files', paths };
}

async function* onlyPaths(changes: AsyncIterable<FileChange>, keep: Set<string>): AsyncGenerator<FileChange> {
  for await (const change of changes) if (keep.has(change.path)) yield change;
}

function baselineFilter(session: Session): BaselineFilter | null {
  const baseline = loadBaseline(session.repo.topLevel);
  return baseline ? new BaselineFilter(baseline) : null;
}

function noteStale(result: ScanResult, filter: BaselineFilter): void {
  const stale = filter.stale();
  if (stale.length === 0) return;
  const sample = stale.slice(0, 3).map((e) => `${e.rule} in ${e.path}`).join('; ');
  result.notices.push(
    `${count(stale.length, 'baseline entry', 'baseline entries')} no longer match anything (${sample}${stale.length > 3 ? '; …' : ''}); ` +
      'run `gitward baseline --prune` to remove them',
  );
}

/** A bad range is a usage error with git's reason, not an empty scan that passes. */
function checkRange(range: string, cwd: string | undefined): void {
  const ends = range.includes('..') ? range.split(/\.{2,3}/) : [range];
  for (const end of ends) {
    if (end && !gitSync(['rev-parse', '--verify', '--quiet', `${end}^{commit}`], { cwd, allowFail: true }).trim()) {
      throw new GitwardError(`--range ${range}: "${end}" is not a commit in this repository`, 'In CI, fetch enough history first (actions/checkout with fetch-depth: 0).');
    }
  }
}

async function runHistory(args: ScanArgs, session: Session, suppressors: Suppressor[]): Promise<number> {
  // The total only feeds the progress bar, which is drawn on a terminal alone (counting walks the whole history).
  const total = process.stderr.isTTY ? Number(gitSync(['rev-list', '--count', '--all'], { cwd: args.cwd }).trim()) || 0 : 0;
  const commits = new Map<string, CommitInfo>();
  const progress = new HistoryProgress(total, process.stderr);
  const source = withTagMessages(commitChanges({ revisions: ['--all'], commits, messages: true }, args.cwd, session.blobs), args.cwd);
  const result = await scanWith(session, progress.track(source, commits), suppressors);
  const code = await report(result, args, `the whole history (${count(commits.size, 'commit')})`, RANGE_FOOTER);
  progress.finish(result.stats);
  return code;
}

/** The whole history also holds every annotated tag's message: after the commits, each tag once. */
async function* withTagMessages(changes: AsyncIterable<FileChange>, cwd: string | undefined): AsyncGenerator<FileChange> {
  yield* changes;
  const ids = gitSync(['for-each-ref', '--format=%(objectname)', 'refs/tags'], { cwd }).split('\n').filter(Boolean);
  for (const tag of await tagMessages(ids, cwd)) yield messageChange('tag-message', tag.message, tag.id);
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
