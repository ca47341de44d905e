import type { CommitSink, FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { placeCombinedLines } from './combined-lines.ts';
import { BOUNDED_MEMORY, NEUTRAL_CONFIG, PATCH_FLAGS } from './git-process.ts';
import { messageChange } from './message-source.ts';
import { randomHex } from '../engine/node-crypto.ts';
import type { DiffEvent } from './diff-parser.ts';
import { PatchRun, StartedDiff, toFileChange } from './patch-stream.ts';

/**
 * What a commit adds, for every door that reads history (see docs/doors.md):
 * - a root commit (also an orphan branch's first commit): every line (`--root`);
 * - a commit with one parent: the lines its own patch adds (`-M`: a renamed file's unchanged lines
 *   are not added again);
 * - a merge (two parents, octopus, criss-cross): the lines added against EVERY parent, i.e. those
 *   the combined diff marks '+' in each parent's column (DiffParser keeps only those). A merge
 *   shown against its first parent alone would repeat the merged branch's lines; shown not at all
 *   (git log's default) it would let an "evil merge" through. The dense form (`--cc`) leaves out
 *   the hunks whose parents hold only two versions of which the merge took one as it was: every
 *   line of such a hunk is in that parent, so none is '+' in every column, and a file left with no
 *   hunk adds nothing (it is still listed by `--raw`; DiffParser pairs patches by path). Its
 *   '+'-in-every-column lines are those of `-c`, for about half of the merges' output (see
 *   docs/performance.md, "Round 5: pushes").
 * These flags are not optional: no caller adds or removes any.
 */
const WHAT_A_COMMIT_ADDS = ['--root', '-M', '--cc'];

/**
 * The header with the raw message after the fields. A message may hold any byte, \x02 too, so
 * the header ends with a mark made afresh for each run, which no message can know in advance.
 */
function messageFormat(): { format: string; end: string } {
  // Made here, not at import: the everyday commit's path imports this module but reads no history.
  const mark = randomHex(16);
  return { format: `--format=%x01%H%x00%P%x00%an%x00%ae%x00%s%x00%B%x02${mark}%x02`, end: `\x02${mark}\x02` };
}

export interface LogOptions {
  /** Revision arguments for `git log` (`A..B`, `--all`, tips and `--not` …), or `--stdin` with `stdin`. */
  revisions: string[];
  stdin?: string;
  /** Filled with every commit seen, in log order (also commits with no file changes). */
  commits?: CommitSink;
  /**
   * The commits are listed on stdin, one id a line, already in the order to scan them (a worker's
   * batch of a walk made by the main thread): each is shown alone, in that order, with no walk.
   */
  listed?: boolean;
  /**
   * The walk stops at the start of the commit after the first `commits` (its id is put in `at`,
   * nothing of it read): the rest is read another way (a long push, parallel/scan-history.ts).
   */
  until?: { readonly commits: number; at: string | null };
}

/**
 * A walking `git log` started before its reader is ready (pre-receive starts it as soon as the
 * pushed ids are read, beside the start-up queries): commitChanges takes it over when asked for
 * the very same walk, and starts its own otherwise (cancel() then ends this one).
 */
export interface StartedLog {
  readonly walk: { revisions: readonly string[]; stdin?: string };
  /** Read from the start (StartedDiff): git may end before it is taken. */
  readonly diff: StartedDiff;
  /** Set once commitChanges has taken it over. */
  taken: boolean;
  cancel(): void;
}

/** Starts the walking `git log` that commitChanges would start for `walk` (see StartedLog). */
export function startCommitLog(walk: { revisions: readonly string[]; stdin?: string }, cwd: string | undefined): StartedLog {
  const diff = new StartedDiff(logRun(walk.revisions, walk.stdin, false, cwd));
  return { walk, diff, taken: false, cancel: () => diff.cancel() };
}

/** The `git log` of commitChanges, started. */
function logRun(revisions: readonly string[], stdin: string | undefined, listed: boolean | undefined, cwd: string | undefined): PatchRun {
  // Every door that reads history scans each commit's message too (before its files).
  const header = messageFormat();
  return new PatchRun(logArgs(header.format, revisions, listed), cwd, stdin, header.end);
}

/**
 * The whole command line of the walking `git log` of `revisions`, as spawnGit runs it (with
 * gitEnv()): the bench times it beside its floor, to show what reading a change as gitward must
 * (merges' combined diffs, renames, raw records, messages) costs git itself.
 */
export function walkLogCommand(revisions: readonly string[]): string[] {
  return [...NEUTRAL_CONFIG, ...BOUNDED_MEMORY, ...logArgs(messageFormat().format, revisions, false)];
}

function logArgs(format: string, revisions: readonly string[], listed: boolean | undefined): string[] {
  return [
    'log',
    format,
    ...PATCH_FLAGS,
    ...WHAT_A_COMMIT_ADDS,
    '--no-color',
    '--no-show-signature',
    // Oldest first: each version of a file comes before the next, so what a rule learned of one
    // blob carries to the change that edits it (and findings read in the order they were made).
    // A listed batch is already in that order (a commit's patch is the same, walked or not).
    ...(listed ? ['--no-walk=unsorted'] : ['--reverse']),
    // No --diff-filter here: it would also drop commits with no matching change from the log.
    ...revisions,
  ];
}

/** Whether `started` runs exactly the log that `options` asks for. */
function sameWalk(started: StartedLog, options: LogOptions): boolean {
  const { walk } = started;
  return !options.listed && walk.stdin === options.stdin && walk.revisions.length === options.revisions.length && walk.revisions.every((r, i) => r === options.revisions[i]);
}

/**
 * Every commit's own patch, in one streamed `git log -p` (never one process per commit): a secret
 * added in one commit and removed in the next is still seen in the first.
 */
export async function* commitChanges(options: LogOptions, cwd: string | undefined, blobs: BlobReader, started?: StartedLog): AsyncGenerator<FileChange> {
  let batches: AsyncGenerator<DiffEvent[]>;
  if (started && !started.taken && sameWalk(started, options)) {
    started.taken = true;
    batches = started.diff.allBatches();
  } else {
    // Not one another reader has taken: cancelling ends its reading too (StartedDiff.cancel).
    if (started && !started.taken) started.cancel();
    batches = logRun(options.revisions, options.stdin, options.listed, cwd).batches();
  }
  const until = options.until;
  let commits = 0;
  // A batch at a time (PatchRun.batches): only the changes go through the generators after this one.
  for await (const events of batches) {
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.kind === 'commit') {
        if (until !== undefined && commits++ === until.commits) {
          until.at = event.commit.id;
          return; // leaving the loop ends the batches, which stops git
        }
        options.commits?.set(event.commit.id, event.commit);
        if (event.message) yield messageChange('commit-message', event.message, event.commit.id);
      } else if (event.kind === 'file') {
        // A merge's lines may read one short, or be cut at a NUL (see combined-lines.ts).
        const file = event.file.slack || event.file.raw.combined ? await placeCombinedLines(event.file, blobs) : event.file;
        yield toFileChange(file, event.commit?.id ?? null, blobs);
      }
    }
  }
}

/** These commits' changes, in the order given (each shown alone, no walk: see LogOptions.listed). */
export function listedCommitChanges(ids: readonly string[], cwd: string | undefined, blobs: BlobReader, commits?: CommitSink): AsyncGenerator<FileChange> {
  return commitChanges({ revisions: ['--stdin'], stdin: `${ids.join('\n')}\n`, listed: true, ...(commits ? { commits } : {}) }, cwd, blobs);
}
