import { allowPrefetch } from '../engine/read-ahead.ts';
import type { BlobContent, BlobReadOptions, FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { DiffParser, OBJECT_ID, type DiffEvent, type ParsedFile } from './diff-parser.ts';
import { eagerChunks } from './eager-read.ts';
import { spawnGit, waitForExit } from './git-process.ts';

const GITLINK = '160000';
const SYMLINK = '120000';

/**
 * A diff read from the moment it starts: node runs on while git works, and output still on the pipe
 * when git exits would be dropped (node empties the pipes of an exited child nobody listens to).
 */
export class StartedDiff {
  readonly batches: AsyncGenerator<DiffEvent[]>;
  readonly first: Promise<IteratorResult<DiffEvent[], void>>;
  private stopped = false;

  constructor(private readonly run: PatchRun) {
    this.batches = run.batches();
    this.first = this.batches.next();
    this.first.catch(() => undefined);
  }

  /** Every event in the batches PatchRun.batches gives: the first, asked for when it started, then the rest. */
  async *allBatches(): AsyncGenerator<DiffEvent[]> {
    // Stopped, the diff's reading ends as if git had printed nothing: read then, a change would pass
    // unseen. A caller starts a new diff instead (staged-source.ts); one that does not fails closed.
    if (this.stopped) throw new Error('a stopped git diff was read as the staged change');
    try {
      const first = await this.first;
      if (first.done) return;
      yield first.value;
      yield* this.batches;
    } finally {
      // Left while at the first batch (a scan stopped early), `batches` is still paused: ended
      // here, its own `finally` stops git (a no-op once it ended).
      await this.batches.return(undefined);
    }
  }

  /**
   * Stops git, and ends the reading so that what git wrote ahead is let go. Only for a run that
   * will not be read, or whose reading is over: a reader still at it would see the end, not an error.
   */
  cancel(): void {
    this.stopped = true;
    this.run.cancel();
    this.batches.return(undefined).catch(() => undefined);
  }

  /** True once cancel() was called. */
  get cancelled(): boolean {
    return this.stopped;
  }

  /** True once git printed its first bytes. */
  get printed(): boolean {
    return this.run.printed;
  }
}

/**
 * A `--raw -p -z` git command started at once, so that git works while the caller does other
 * things (the staged diff runs beside the repository and config queries). `events()` reads it;
 * `cancel()` stops a run that will not be read.
 */
export class PatchRun {
  private readonly child;
  private readonly exited: Promise<void>;
  /** What to do once, before the chunk that takes the output past `bytes` is parsed (see whenLarger). */
  private large: LargeOutput | null = null;
  private sawOutput = false;

  constructor(args: string[], cwd: string | undefined, stdin?: string, private readonly headerEnd?: string) {
    this.child = spawnGit(args, cwd);
    this.exited = waitForExit(this.child, args[0] ?? 'diff');
    this.exited.catch(() => undefined);
    this.child.stdin.on('error', () => undefined);
    if (stdin !== undefined) this.child.stdin.end(stdin);
    else this.child.stdin.end();
  }

  /** Runs `act` once the output is larger than `bytes`, before that chunk is parsed. */
  whenLarger(large: LargeOutput): this {
    this.large = large;
    return this;
  }

  cancel(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  async *events(): AsyncGenerator<DiffEvent> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The events each chunk of output completed, as one array per chunk (none empty). A long history
   * has thousands of events (a commit, its files, its end): handed over an array at a time, each
   * costs the reader a loop step instead of a step of every async generator on the way.
   */
  async *batches(): AsyncGenerator<DiffEvent[]> {
    try {
      const large = this.large;
      this.large = null;
      yield* parsedBatches(this.printing(), new DiffParser(this.headerEnd), large);
    } finally {
      this.cancel();
    }
    await this.exited;
  }

  /** True once git printed its first bytes (read off the pipe by batches()). */
  get printed(): boolean {
    return this.sawOutput;
  }

  private async *printing(): AsyncGenerator<Buffer> {
    for await (const chunk of eagerChunks(this.child.stdout)) {
      this.sawOutput = true;
      yield chunk;
    }
  }
}

/** What to do once, before the chunk that takes a patch's output past `bytes` is parsed (PatchRun.whenLarger). */
export interface LargeOutput {
  bytes: number;
  act: () => Promise<void>;
}

/** Parses patch output chunk by chunk: the events each chunk completed, as one array per chunk (none empty). */
export async function* parsedBatches(chunks: AsyncIterable<Buffer>, parser: DiffParser, large: LargeOutput | null): AsyncGenerator<DiffEvent[]> {
  let read = 0;
  for await (const chunk of chunks) {
    if (large !== null && (read += chunk.length) > large.bytes) {
      const { act } = large;
      large = null;
      await act();
    }
    const events = parser.push(chunk);
    if (events.length > 0) yield events;
  }
  const events = parser.end();
  if (events.length > 0) yield events;
}

/** Turns a parsed patch section into the FileChange the rules see (`newText`: see FileChange.newText). */
export function toFileChange(file: ParsedFile, commit: string | null, blobs: BlobReader, newText?: string): FileChange {
  const { raw } = file;
  const deleted = raw.status === 'D';
  const newMode = deleted ? null : raw.newMode;
  const newId = isObjectId(raw.newBlob);
  const oldId = isObjectId(raw.oldBlob);
  const readable = !deleted && isFileMode(newMode) && newId;
  const oldReadable = raw.status !== 'A' && isFileMode(raw.oldMode) && oldId;
  // Added lines in a text patch mean git read both blobs whole already; a binary change (or a pure
  // rename, which prints no patch) may be a 200 MB model, so its blobs are sized first.
  const hint = { text: !file.binary && file.added.length > 0 };
  const change: FileChange = {
    path: raw.path,
    oldPath: raw.oldPath,
    status: raw.status,
    oldMode: raw.oldMode === '000000' ? null : raw.oldMode,
    newMode,
    oldBlob: oldId ? raw.oldBlob : null,
    newBlob: readable ? raw.newBlob : null,
    binary: file.binary,
    // A gitlink's "+Subproject commit …" line and a deletion's nothing are not content.
    addedLines: deleted || newMode === GITLINK ? [] : file.added,
    commit,
    ...(file.part ? { part: file.part } : {}),
    ...(file.hunks && !raw.combined ? { hunks: file.hunks } : {}),
    ...(raw.combined ? { merge: true, otherParentBlobs: raw.otherParentBlobs ?? [] } : {}),
    ...(newText !== undefined && readable ? { newText } : {}),
    ...(file.notice ? { notice: file.notice } : {}),
    loadContent(options?: BlobReadOptions): Promise<BlobContent | null> {
      return readable ? blobs.read(raw.newBlob, options, hint) : Promise.resolve(null);
    },
    loadOldContent(options?: BlobReadOptions): Promise<BlobContent | null> {
      return oldReadable ? blobs.read(raw.oldBlob, options, hint) : Promise.resolve(null);
    },
  };
  return readable ? allowPrefetch(change, (options, admit) => blobs.prefetch(raw.newBlob, options, hint, admit)) : change;
}

/** A regular file's mode (not a gitlink, a symlink or "no file"). */
function isFileMode(mode: string | null): boolean {
  return mode !== null && mode !== GITLINK && mode !== SYMLINK && mode !== '000000';
}

const NOT_ZERO = /[1-9a-f]/;

function isObjectId(id: string): boolean {
  return OBJECT_ID.test(id) && NOT_ZERO.test(id);
}
