import type { ScannedBatch, Scanner } from '../engine/scan.ts';
import type { CommitSink, FileChange } from '../engine/types.ts';
import type { BlobReader } from '../git/blob-reader.ts';
import { GitwardError } from '../engine/errors.ts';
import { gitOutput } from '../git/git-run.ts';
import { hasCommits, historyChanges, walkOf, type HistorySelection } from '../git/history-source.ts';
import { commitChanges, listedCommitChanges, type StartedLog } from '../git/log-source.ts';
import type { ConfigRecipe } from './config-recipe.ts';

export interface HistoryScan {
  scanner: Scanner;
  selection: HistorySelection;
  cwd: string | undefined;
  blobs: BlobReader;
  /** How the scanner's config was loaded, for the worker threads to load the same. */
  recipe: ConfigRecipe;
  /** Filled with every commit read, in scan order. */
  commits?: CommitSink;
  /** Filled with each scanned tag object's name, by its id. */
  tagNames?: Map<string, string>;
  /** Seen before each change (or worker's batch) is taken in: a deadline check, a progress bar; and the number of commits once they are listed. */
  observe?: { change(change: FileChange): void; batch(batch: ScannedBatch): void; listed?(commits: number): void };
  /** ms since epoch past which the scan stops with onDeadline()'s error. */
  deadline?: number;
  onDeadline?: () => Error;
  /** The selection's walking `git log`, started early (pre-receive); cancelled where the listed commits are read another way (threads, a range). */
  log?: StartedLog;
}

/**
 * Scans a history selection into `scan.scanner`: its commits on worker threads when there are
 * enough of them to pay for the threads' start (settings.ts), else on this thread as before; then
 * annotated tags' messages and tagged files here. The findings, their order and the counts are
 * those of one thread either way.
 */
export async function scanHistory(scan: HistoryScan): Promise<void> {
  const { scanner, cwd } = scan;
  let rest = scan.selection;
  // Loaded here, not with this module: the everyday commit's scan loads neither node:os nor worker_threads.
  let plan = { workers: 1, fromCommits: 0 };
  if (hasCommits(scan.selection)) {
    plan = (await import('./settings.ts')).workerPlan();
    (await import('../engine/optimizer-budget.ts')).lightenOptimizing('history');
  }
  // The commits are listed first (one `git rev-list`) where threads may take them, and for a range
  // or a whole history, which is then read in bounded `git log` runs; a push on one thread is read
  // by its walking `git log` (no process before it) until it proves long (scanWalked).
  let log = scan.log;
  if (plan.workers > 1 || scan.selection.revisions.length > 0) {
    const ids = await commitIds(scan.selection, cwd);
    scan.observe?.listed?.(ids.length);
    const threads = plan.workers > 1 && ids.length > 0 && ids.length >= plan.fromCommits;
    // Too few commits for threads in a walk of tips (a push) are read walking, as on one thread:
    // from the push's log started early, which ran meanwhile, or from one started now.
    if (threads || scan.selection.revisions.length > 0) {
      log?.cancel();
      log = undefined;
      if (threads) await scanOnThreads(scan, ids, plan.workers);
      else await scanListed(scan, ids);
      rest = { ...scan.selection, tips: [], revisions: [] };
    }
  }
  if (hasCommits(rest)) {
    await scanWalked(scan, log);
    rest = { ...rest, tips: [], revisions: [] };
  }
  await scanChanges(scan, historyChanges(rest, cwd, scan.blobs, scan.commits, scan.tagNames));
}

/**
 * A push's commits on one thread, read walking (from the push's `git log` started early, or one
 * started now). Past logBatchPlan's `from` commits the push is a long one, such as a whole
 * history pushed to a new server: the walk is stopped at a commit's start and the rest is listed
 * and read as a long `--history` is (scanListed), since one walking `git log` holds every commit
 * and page of pack it touched to its end and V8's heap grows to several times what is live
 * (sympy's 63k commits: git 265 MB, node 352 MB). The listing's order is the walk's.
 */
async function scanWalked(scan: HistoryScan, log: StartedLog | undefined): Promise<void> {
  const batch = (await import('./settings.ts')).logBatchPlan();
  const until = { commits: batch.from, at: null as string | null };
  const walk = { ...walkOf(scan.selection), ...(scan.commits ? { commits: scan.commits } : {}), until };
  await scanChanges(scan, commitChanges(walk, scan.cwd, scan.blobs, log));
  if (until.at === null) return;
  const ids = await commitIds(scan.selection, scan.cwd);
  const at = ids.indexOf(until.at);
  if (at === -1) throw new GitwardError(`git rev-list did not list commit ${until.at}, which git log walked`);
  scan.observe?.listed?.(ids.length);
  if (process.env.GITWARD_DEBUG) process.stderr.write(`gitward: debug: the walk passed ${batch.from} commits: the other ${ids.length - at} are read listed\n`);
  scan.blobs.renew();
  await scanListed(scan, ids.slice(at), true);
}

/** The listed commits on worker threads, taken in here batch by batch in their order. */
async function scanOnThreads(scan: HistoryScan, ids: readonly string[], workers: number): Promise<void> {
  const { batchSize, scannedBatches } = await import('./pool.ts');
  const setup = { cwd: scan.cwd, recipe: scan.recipe, started: scan.scanner.started, ...(scan.deadline !== undefined ? { deadline: scan.deadline } : {}) };
  const onDeadline = scan.onDeadline ?? (() => new Error('the scan ran out of time'));
  if (process.env.GITWARD_DEBUG) {
    const batches = Math.ceil(ids.length / batchSize(ids.length, workers));
    process.stderr.write(`gitward: debug: ${ids.length} commits in ${batches} batches on ${Math.min(workers, batches)} worker threads\n`);
  }
  for await (const batch of scannedBatches(ids, { workers, setup, onDeadline })) {
    for (const commit of batch.commits) scan.commits?.set(commit.id, commit);
    scan.observe?.batch(batch);
    scan.scanner.absorb(batch);
  }
}

/** The listed commits on this thread: a long list (or the rest of one, `long`) in bounded `git log` runs (settings.ts logBatchPlan). */
async function scanListed(scan: HistoryScan, ids: readonly string[], long = false): Promise<void> {
  const batch = (await import('./settings.ts')).logBatchPlan();
  const runs = long || ids.length > batch.from;
  const size = runs ? batch.size : Math.max(1, ids.length);
  if (runs) (await import('./heap-growth.ts')).boundHeapGrowth();
  if (process.env.GITWARD_DEBUG && size < ids.length) process.stderr.write(`gitward: debug: ${ids.length} commits in ${Math.ceil(ids.length / size)} git log runs\n`);
  await scanChanges(scan, listedChanges(ids, size, scan.cwd, scan.blobs, scan.commits));
}

async function scanChanges(scan: HistoryScan, changes: AsyncIterable<FileChange>): Promise<void> {
  await scan.scanner.prescanning(async () => {
    for await (const change of scan.scanner.ahead(changes)) {
      scan.observe?.change(change);
      await scan.scanner.scanChange(change);
    }
  });
}

/**
 * The listed commits' changes, in their order: one `git log --no-walk` (the commit's patch is the
 * same walked or not) per `size` commits, with the blob reader's processes started afresh between
 * runs (their pack mappings too).
 */
async function* listedChanges(ids: readonly string[], size: number, cwd: string | undefined, blobs: BlobReader, commits?: CommitSink): AsyncGenerator<FileChange> {
  for (let at = 0; at < ids.length; at += size) {
    if (at > 0) blobs.renew();
    yield* listedCommitChanges(ids.slice(at, at + size), cwd, blobs, commits);
  }
}

/** The selection's commits in the order `git log --reverse` gives them (one `git rev-list`). */
async function commitIds(selection: HistorySelection, cwd: string | undefined): Promise<string[]> {
  const walk = walkOf(selection);
  const out = await gitOutput(['rev-list', '--reverse', ...walk.revisions], { cwd, input: walk.stdin });
  return out.split('\n').filter(Boolean);
}
