import { BaselineFilter, loadBaseline } from '../baseline/baseline.ts';
import { GitwardError } from '../engine/errors.ts';
import type { ScanResult, Suppressor } from '../engine/scan.ts';
import { CommitCount, type FileChange } from '../engine/types.ts';
import { indexEntries, wholeFileChanges } from '../git/files-source.ts';
import { gitSync } from '../git/git-process.ts';
import { allRefsSelection, pushSelection, rangeSelection, type HistorySelection } from '../git/history-source.ts';
import { peelSync } from '../git/peel.ts';
import { mergeHeads } from '../git/merge-heads.ts';
import { cancelStaged, stagedChanges, startStaged, type StagedStart } from '../git/staged-source.ts';
import { namedPaths, workTreeChanges } from '../git/work-tree-source.ts';
import { commitScope, count, inTreeWording } from '../report/words.ts';
import { HistoryProgress } from './history-progress.ts';
import { checkCommonArgs, newTextWanted, openSession, report, scanHistoryWith, scanWith, type CommonArgs, type Session } from './common.ts';

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
  /** The staged scan's git processes, when the fast path started them before this module loaded. */
  started?: StagedStart;
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
  | { kind: 'pushed'; ref: string; selection: HistorySelection }
  | { kind: 'history' };

export async function runScan(args: ScanArgs): Promise<number> {
  const plan = planScan(args);
  if (plan.kind !== 'staged' && args.started) cancelStaged(args.started);
  // git starts on the staged diff while the repository and the config are looked up.
  const started = plan.kind === 'staged' ? (args.started ?? startStaged(args.cwd)) : null;
  let session: Session;
  let filter: BaselineFilter | null;
  try {
    if (started) checkCommonArgs(args);
    session = openSession(args, started ? await started.repo : undefined);
    filter = args.baseline === false ? null : baselineFilter(session);
  } catch (error) {
    if (started) cancelStaged(started);
    throw error;
  }
  const suppressors: Suppressor[] = filter ? [filter.suppressor] : [];
  const cwd = args.cwd;

  if (plan.kind === 'staged') {
    const staged = stagedChanges(cwd, session.blobs, started!.diff, mergeHeads(session.repo.gitDir), newTextWanted(session), started!.newFile);
    const changes = plan.only ? onlyPaths(staged, plan.only) : staged;
    const result = await scanWith(session, changes, suppressors);
    if (!plan.only && result.stats.files === 0 && args.format === 'text') hintNothingStaged(cwd);
    return report(result, args, 'the staged changes', STAGED_FOOTER);
  }
  if (plan.kind === 'files') {
    const entries = indexEntries(cwd, plan.paths);
    const named = plan.paths.length > 0 ? namedPaths(cwd, plan.paths, entries) : { untracked: [], files: [] };
    const changes = concat(
      wholeFileChanges(entries, session.blobs),
      workTreeChanges(session.repo.topLevel ?? '.', named.files, session.config.limits.maxFileBytes),
    );
    const scanned = await scanWith(session, changes, suppressors);
    // Whole files are what the tree holds, not a change being committed: messages and titles say so.
    const findings = scanned.findings.map((f) => ({ ...f, message: inTreeWording(f.message), meta: { ...f.meta, title: inTreeWording(f.meta.title) } }));
    const result = { ...scanned, findings };
    for (const p of named.untracked) result.notices.push(`${p}: not tracked by git, scanned from the work tree`);
    if (plan.paths.length === 0 && filter) noteStale(result, filter);
    const files = entries.length + named.files.length;
    const scope = plan.paths.length > 0 ? count(files, 'file') : `all ${count(files, 'tracked file')}`;
    return report(result, args, `${scope} (in the tree)`);
  }
  if (plan.kind === 'range') {
    checkRange(plan.range, cwd);
    const commits = new CommitCount();
    const result = await scanHistoryWith(session, args, rangeSelection(plan.range), commits, suppressors);
    return report(result, args, commitScope(commits.size, `range ${plan.range}`), RANGE_FOOTER);
  }
  if (plan.kind === 'pushed') {
    const commits = new CommitCount();
    const result = await scanHistoryWith(session, args, plan.selection, commits, suppressors);
    return report(result, args, commitScope(commits.size, `to push: ${plan.ref}`), RANGE_FOOTER);
  }
  return runHistory(args, session, suppressors);
}

function planScan(args: ScanArgs): Plan {
  const paths = (args.paths ?? []).map(String);
  const chosen = [args.preCommit && '--pre-commit', args.range !== undefined && '--range', args.allFiles && '--all-files', args.history && '--history', paths.length > 0 && 'PATH…'].filter(Boolean);
  // --pre-commit comes with the names the framework passes; nothing else may be added to it.
  if (args.preCommit && chosen.length === 2 && paths.length > 0) return frameworkPlan(args.preCommit, paths, args.cwd);
  if (chosen.length > 1) throw new GitwardError(`choose one of ${chosen.join(', ')}`, 'Run `gitward scan --help` for usage.');
  if (args.preCommit) return frameworkPlan(args.preCommit, paths, args.cwd);
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
 * push of a whole new history comes without them, but with the pushed ref and the remote's name:
 * its commits are then those pre-push would scan (not on the remote's tracking refs). Only when
 * even those are missing are all files scanned.
 */
function frameworkPlan(stage: 'commit' | 'push', paths: string[], cwd: string | undefined): Plan {
  if (stage === 'push') {
    const { PRE_COMMIT_FROM_REF: from, PRE_COMMIT_TO_REF: to, PRE_COMMIT_LOCAL_BRANCH: local, PRE_COMMIT_REMOTE_NAME: remote } = process.env;
    if (from && to) return { kind: 'range', range: `${from}..${to}` };
    if (local && remote) return { kind: 'pushed', ref: local, selection: newHistorySelection(local, remote, cwd) };
    return { kind: 'files', paths };
  }
  if (paths.length === 0) return { kind: 'staged' };
  const staged = new Set(gitSync(['diff', '--cached', '--name-only', '-z', '--no-relative', '--diff-filter=ACMRTUXB'], { cwd }).split('\0').filter(Boolean));
  if (paths.every((p) => staged.has(p))) return { kind: 'staged', only: new Set(paths) };
  return { kind: 'files', paths };
}

/**
 * A staged scan that saw no file, run by hand: one line (on stderr, so stdout stays the report) when
 * the index really holds no change, pointing at the scans of what is already committed. Not in a
 * commit's hook (git sets GIT_INDEX_FILE there): `git commit --amend` of a message stays quiet.
 */
function hintNothingStaged(cwd: string | undefined): void {
  if (process.env.GIT_INDEX_FILE) return;
  if (gitSync(['diff', '--cached', '--name-only', '-z', '--no-relative'], { cwd, allowFail: true }) !== '') return;
  process.stderr.write('gitward: nothing is staged; `gitward scan --all-files` scans the tracked files, `gitward scan --history` every commit.\n');
}

async function* concat<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/** A pushed ref whose whole history is new to the remote `remote` (pre-push's selection for it). */
function newHistorySelection(ref: string, remote: string, cwd: string | undefined): HistorySelection {
  const id = gitSync(['rev-parse', '--verify', '--quiet', ref], { cwd, allowFail: true }).trim();
  if (!id) throw new GitwardError(`PRE_COMMIT_LOCAL_BRANCH=${ref} is not a ref in this repository`);
  return pushSelection([{ ref, id }], peelSync([id], cwd), [`--remotes=${remote}`]);
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
  const commits = new CommitCount();
  // On a terminal, a bar whose end is the number of commits the scan lists (no count of its own).
  const progress = new HistoryProgress(process.stderr);
  // Every commit read counts (also merges and empty commits): the same number as the bar's end.
  const result = await scanHistoryWith(session, args, await allRefsSelection(args.cwd), commits, suppressors, progress.observer(commits));
  const code = await report(result, args, commitScope(commits.size, 'whole history'), RANGE_FOOTER);
  progress.finish(result.stats);
  return code;
}
