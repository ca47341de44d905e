import type { CommitSink, FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { gitOutput } from './git-run.ts';
import { commitChanges, type StartedLog } from './log-source.ts';
import { messageChange } from './message-source.ts';
import { commitsOf, filesOf, peelEach, type Peeled } from './peel.ts';
import { tagMessages } from './tag-messages.ts';
import { taggedFileChanges, type TaggedObject } from './tagged-files.ts';

/**
 * What a door that reads history scans, in one shape for all of them (`scan --range`,
 * `scan --history`, `pre-push`, the pre-commit framework's push hook, `pre-receive`; see
 * docs/doors.md). The doors differ only in which commits and refs they select; what each commit
 * adds (its message and its patch) is decided in one place (commitChanges), annotated tags'
 * messages in another (tagMessages), and refs on blobs and trees in a third (taggedFileChanges).
 */
export interface HistorySelection {
  /** Commit ids to scan from, given to git on stdin (any number of them fits). */
  tips: readonly string[];
  /** Revision arguments to scan from: a range such as `A..B`, or `--all`. */
  revisions: readonly string[];
  /** What the receiving side already has: commit ids, `--all`, `--remotes=<name>`. */
  exclude: readonly string[];
  /** Refs on blobs and trees, scanned whole after the commits. */
  files: readonly TaggedObject[];
  /** Annotated tags (ids of tag objects) whose messages are scanned after the commits. */
  tags: readonly string[];
}

export const NOTHING: HistorySelection = { tips: [], revisions: [], exclude: [], files: [], tags: [] };

/** The commits of a range (`A..B`, `A...B`, or one revision and all its ancestors). */
export function rangeSelection(range: string): HistorySelection {
  return { ...NOTHING, revisions: [range] };
}

/**
 * A push (pre-push, pre-receive): the commits the pushed ids lead to, less what the receiving side
 * has (`exclude`), and the pushed refs that point at blobs or trees.
 */
export function pushSelection(pushed: readonly { ref: string; id: string }[], peeled: ReadonlyMap<string, Peeled>, exclude: readonly string[]): HistorySelection {
  const ids = pushed.map((p) => p.id);
  // An id that peels to another object is a tag object: its message is pushed too.
  const tags = ids.filter((id) => peeled.has(id) && peeled.get(id)!.id !== id);
  return { tips: commitsOf(ids, peeled), revisions: [], exclude, files: filesOf(pushed, peeled), tags };
}

/** Everything every ref holds: all commits, annotated tags' messages, and the blobs and trees refs point at. */
export async function allRefsSelection(cwd: string | undefined): Promise<HistorySelection> {
  return { ...NOTHING, revisions: ['--all'], ...(await refsOutsideCommits(cwd)) };
}

/**
 * Refs whose object is not a commit (most are annotated tags of commits): the tag objects among
 * them, and, peeled in one call, those that end at a blob or a tree. Two small git calls beside a
 * history scan.
 */
async function refsOutsideCommits(cwd: string | undefined): Promise<{ files: TaggedObject[]; tags: string[] }> {
  const out = await gitOutput(['for-each-ref', '--format=%(objecttype) %(objectname) %(refname)'], { cwd });
  const refs: { ref: string; id: string }[] = [];
  const tags: string[] = [];
  for (const line of out.split('\n')) {
    const [type = '', id = '', ...ref] = line.split(' ');
    if (type && type !== 'commit') refs.push({ id, ref: ref.join(' ') });
    if (type === 'tag') tags.push(id);
  }
  return { files: filesOf(refs, await peelEach(refs.map((r) => r.id), cwd)), tags };
}

/** Whether the selection names commits (not only tags and tagged files). */
export function hasCommits(selection: HistorySelection): boolean {
  return selection.tips.length > 0 || selection.revisions.length > 0;
}

/** The revision arguments (and stdin) that walk the selection's commits, for `git log` or `git rev-list`. */
export function walkOf(selection: HistorySelection): { revisions: string[]; stdin?: string } {
  const revisions = [...selection.revisions];
  // Tips on stdin (no argument-length limit with many refs); exclusions on the command line.
  if (selection.tips.length > 0) revisions.push('--stdin');
  if (selection.exclude.length > 0) revisions.push('--not', ...selection.exclude);
  return selection.tips.length > 0 ? { revisions, stdin: `${selection.tips.join('\n')}\n` } : { revisions };
}

/**
 * The selection's changes: each selected commit's message and own patch, oldest first, then the
 * annotated tags' messages, then the tagged files.
 */
export async function* historyChanges(
  selection: HistorySelection,
  cwd: string | undefined,
  blobs: BlobReader,
  commits?: CommitSink,
  /** Filled with each scanned tag object's name (`v1.0`), by its id. */
  tagNames?: Map<string, string>,
  /** The walk's `git log`, if already started (taken when it is the same walk). */
  log?: StartedLog,
): AsyncGenerator<FileChange> {
  if (hasCommits(selection)) yield* commitChanges({ ...walkOf(selection), commits }, cwd, blobs, log);
  for (const tag of await tagMessages(selection.tags, cwd)) {
    tagNames?.set(tag.id, tag.name);
    yield messageChange('tag-message', tag.message, tag.id);
  }
  yield* taggedFileChanges(selection.files, cwd, blobs);
}
