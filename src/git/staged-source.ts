import { LARGE_STAGED_CHANGE_BYTES } from '../engine/optimizer-state.ts';
import type { AddedLine, FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import type { DiffEvent, ParsedFile } from './diff-parser.ts';
import { NewFileTexts, type NewTextWanted } from './new-file-text.ts';
import { PATCH_FLAGS } from './git-process.ts';
import { startNewFileRead, type NewFileRead } from './new-file-blob.ts';
import { PatchRun, StartedDiff, toFileChange, type LargeOutput } from './patch-stream.ts';
import { loadRepoInfo, type RepoInfo } from './repo.ts';

/**
 * The staged scan's git processes, started together: the diff, the query of where it runs, and
 * the checks of whether the change's one new file is read from its blob (git/new-file-blob.ts).
 */
export interface StagedStart {
  diff: StartedDiff;
  repo: Promise<RepoInfo>;
  newFile: Promise<NewFileRead | null>;
}

/**
 * Starts them all without waiting for any: git answers the repository query while node goes on (a
 * blocking query held node for the whole life of a git process, ~20 ms of every commit).
 */
export function startStaged(cwd: string | undefined): StagedStart {
  const diff = new StartedDiff(stagedDiff(cwd));
  const repo = loadRepoInfo(cwd);
  // Awaited by the scan; until then a failure (not a repository) must not count as unhandled.
  repo.catch(() => undefined);
  return { diff, repo, newFile: startNewFileRead(cwd, diff, repo, STAGED_FILTER) };
}

/** Stops a staged start that will not be read. */
export function cancelStaged(start: StagedStart): void {
  start.diff.cancel();
  void start.newFile.then((read) => read?.stop());
}

/** What the staged diff lists: renames found, deletions left out. */
const STAGED_FILTER = ['-M', '--diff-filter=ACMRTUXB'];

/** A large staged change is scanned with V8 optimizing less eagerly (engine/optimizer-budget.ts). */
const LARGE_STAGED_CHANGE: LargeOutput = {
  bytes: LARGE_STAGED_CHANGE_BYTES,
  act: async () => (await import('../engine/optimizer-budget.ts')).lightenOptimizing('large staged change'),
};

/** Starts `git diff --cached` against HEAD, or against the commit `against` (read it with stagedChanges). */
function stagedDiff(cwd: string | undefined, against?: string): PatchRun {
  const run = new PatchRun(['diff', '--cached', ...PATCH_FLAGS, ...STAGED_FILTER, ...(against ? [against, '--'] : [])], cwd);
  return run.whenLarger(LARGE_STAGED_CHANGE);
}

/**
 * The staged change: one streamed `git diff --cached`. In a repository with no commit yet, git
 * compares the index with the empty tree by itself. While a merge is concluded (`others`: its
 * other parents), a line counts as added only when it is added against HEAD and against every
 * other parent too — what the merge commit itself adds, as the history doors read it (see
 * docs/doors.md); a file equal to one parent adds nothing. A new file that `wholeText` names comes
 * with its text made from its lines (FileChange.newText, git/new-file-text.ts), not read again.
 * One large new file may be read from its blob instead of the diff (`newFile`, git/new-file-blob.ts).
 */
export async function* stagedChanges(
  cwd: string | undefined,
  blobs: BlobReader,
  run: StartedDiff = new StartedDiff(stagedDiff(cwd)),
  others: readonly string[] = [],
  wholeText?: NewTextWanted,
  newFile: Promise<NewFileRead | null> = Promise.resolve(null),
): AsyncGenerator<FileChange> {
  // Read from its start (StartedDiff), so the run's output is off its pipe while the other diffs run.
  // A merge being concluded keeps only some of a file's lines: never its whole text.
  const texts = wholeText && others.length === 0 ? new NewFileTexts(wholeText) : null;
  let fromBlob: AsyncGenerator<DiffEvent[]> | null = null;
  try {
    const againstOthers = await Promise.all(others.map((id) => addedLineNumbers(stagedDiff(cwd, id))));
    const read = await newFile;
    if (read !== null && others.length === 0 && !wholeText?.wanted(read.path)) fromBlob = read.batches(LARGE_STAGED_CHANGE);
    else if (read !== null) {
      // A file read whole, or a merge's: read from a diff after all, a new one (choosing the blob
      // cancelled the first).
      read.stop();
      run = new StartedDiff(stagedDiff(cwd));
    } else if (run.cancelled) {
      // The blob read stopped the diff before a late check declined it (git/new-file-blob.ts).
      run = new StartedDiff(stagedDiff(cwd));
    }
    for await (const batch of fromBlob ?? run.allBatches()) {
      for (const event of batch) {
        if (event.kind !== 'file') continue;
        const file = againstOthers.length > 0 ? addedAgainstAll(event.file, againstOthers) : event.file;
        if (!file) continue;
        if (texts === null) yield toFileChange(file, null, blobs);
        else for (const ready of texts.take(file)) yield toFileChange(ready.file, null, blobs, ready.text);
      }
    }
    if (texts !== null) for (const ready of texts.end()) yield toFileChange(ready.file, null, blobs, ready.text);
  } finally {
    // Also when the loop never began (a failed diff against another parent): git is not left running.
    await fromBlob?.return(undefined);
    void newFile.then((read) => read?.stop());
    await run.batches.return(undefined);
  }
}

/** Per path, the numbers of the index's lines that a diff shows as added. */
async function addedLineNumbers(run: PatchRun): Promise<Map<string, Set<number>>> {
  const added = new Map<string, Set<number>>();
  for await (const event of run.events()) {
    if (event.kind !== 'file') continue;
    const numbers = added.get(event.file.raw.path) ?? new Set<number>();
    for (const line of event.file.added) numbers.add(line.number);
    added.set(event.file.raw.path, numbers);
  }
  return added;
}

/** The file's lines added against HEAD kept when every other parent's diff adds them too (null: equal to a parent). */
function addedAgainstAll(file: ParsedFile, others: readonly Map<string, Set<number>>[]): ParsedFile | null {
  const sets = others.map((o) => o.get(file.raw.path));
  if (sets.some((s) => s === undefined)) return null;
  const keep = (line: AddedLine) => sets.every((s) => s!.has(line.number));
  const added = file.added.filter(keep);
  const part = file.part && { ...file.part, carried: file.added.slice(0, file.part.carried).filter(keep).length };
  return { ...file, added, ...(part ? { part } : {}), raw: { ...file.raw, combined: true } };
}
