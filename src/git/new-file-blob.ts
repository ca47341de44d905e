import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gitSniffsBinary, SNIFF_BYTES } from '../engine/binary-text.ts';
import { GitError } from '../engine/errors.ts';
import { DiffParser, type DiffEvent, type RawEntry } from './diff-parser.ts';
import { eagerChunks } from './eager-read.ts';
import { spawnGit, waitForExit } from './git-process.ts';
import { parseObjectHeader } from './cat-file-batch.ts';
import { gitRun, gitRunBytes } from './git-run.ts';
import { parsedBatches, type LargeOutput, type StartedDiff } from './patch-stream.ts';
import type { RepoInfo } from './repo.ts';
import { mergeHeads } from './merge-heads.ts';

/**
 * `git diff --cached` prints nothing of a large new file until it has read the file whole and cut
 * it into lines (70-130 ms for a 20 MB file on a 2-core machine, 43-55 ms for a 10 MB line), while
 * `git cat-file` streams the same bytes from its first few milliseconds. So when the staged
 * change is one new text file and the diff has not printed within a few milliseconds, the file is
 * read from its blob instead, and parsed as the patch git prints of it: every line an added line
 * (DiffParser.addEveryLine). The scan sees what the diff would have shown; test/staged-blob-read.test.ts
 * holds both reads to the same findings, and their parsed lines to each other on random contents.
 *
 * Only where git's patch is certain: one record, a new regular file, no `diff` attribute (set,
 * unset or a driver decides for git), no core.bigFileThreshold or diff.default.binary in the
 * config, at most git's default big-file size, and no NUL in its first 8,000 bytes (git's binary
 * check, xdiff-interface.c). Anything else is read from the diff as before: it runs until the
 * listing shows one new file the work tree holds large and as text, and is started again for a file
 * declined after that. The checks start beside the diff, while node loads the scan (started when the
 * scan was ready, they took as long as the diff's wait). GITWARD_STAGED_READ=blob reads the blob
 * whenever it is certain (small files and a diff that printed already too); =diff never: for
 * tests, and for comparing the two.
 */

/** Below this a new file's diff prints soon enough that a second read would not pay. */
export const BLOB_READ_MIN_BYTES = 1024 * 1024;
/** How long the diff has to print before the listing is asked for (a 3-file commit's prints in ~6 ms). */
const LISTING_DELAY_MS = 6;
/** git's default core.bigFileThreshold: a larger blob is binary to git's diff, unread. */
const GIT_BIG_FILE_BYTES = 512 * 1024 * 1024;
const REGULAR_MODES = new Set(['100644', '100755']);
/** The staged listing, as the diff lists it (the same rename detection and filter), without the patch. */
const LISTING = ['--raw', '-z', '--no-abbrev', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--submodule=short', '--ignore-submodules=none'];

/** A new file chosen to be read from its blob (the diff was stopped). */
export interface NewFileRead {
  path: string;
  /** The staged change's events, read from the blob; `large`: the diff's whenLarger hook. */
  batches(large: LargeOutput): AsyncGenerator<DiffEvent[]>;
  /** Stops the blob's reading (when the scan reads the diff after all). */
  stop(): void;
}

/**
 * Started beside the staged diff: whether its one new file is read from its blob (see above).
 * `filter`: the diff's own rename detection and --diff-filter, for the listing. Never rejects: on
 * any failure the diff is read, and says what failed.
 */
export async function startNewFileRead(cwd: string | undefined, diff: StartedDiff, repo: Promise<RepoInfo>, filter: readonly string[]): Promise<NewFileRead | null> {
  const mode = process.env.GITWARD_STAGED_READ;
  const forced = mode === 'blob';
  if (mode === 'diff') return null;
  let blob: BlobRun | null = null;
  try {
    // A few ms: an everyday commit's diff has printed by then, and no listing is started for it.
    // Then one turn through the event loop's poll phase: the timer falls due while node loads the
    // scan, and timers run before I/O is read, so the diff's first bytes, on the pipe by then, went
    // unseen and a listing was started for every commit (a second git process: 3-file commit -10 ms).
    await new Promise((resolve) => setTimeout(resolve, LISTING_DELAY_MS));
    await new Promise((resolve) => setImmediate(resolve));
    if (diff.cancelled) return null;
    if (!forced && diff.printed) return declined('it printed first, no listing asked');
    const listed = await gitRunBytes(['diff', '--cached', ...LISTING, ...filter], cwd);
    const listing = listed.stdout;
    // A diff that printed by now is a small change's (auto mode), read as it comes.
    if (diff.cancelled) return null;
    if (!forced && diff.printed) return declined('it printed first, while the listing ran');
    const raw = listed.code === 0 ? onlyNewFile(listing) : null;
    if (!raw) return declined('not one new regular file');
    const info = await repo;
    // A merge being concluded keeps only some lines: the diff's.
    if (info.topLevel === null || mergeHeads(info.gitDir).length > 0) return declined('a merge, or no work tree');
    // The work tree's copy stands in for the blob until git gives it: the blob of a small file (its
    // diff prints soon, and a file read whole takes its text from the diff) or of a binary one (a
    // model: git's diff says so) is not read at all.
    // (Looked at when forced too, so that the tests reach it.)
    const file = join(info.topLevel, raw.path);
    if (!largeTextInWorkTree(file) && !forced) return declined('the work tree holds it small, binary or not as a file');
    // The blob is all but chosen (the checks below decline only for a file the work tree does not
    // hold as staged, or marked for git's diff by config or attributes). The diff is stopped now: it
    // prints nothing of such a file for tens of ms while it holds a core that cat-file and node
    // need (20 MB NDJSON -13 ms, the 10 MB line -17 ms, stopped here rather than once chosen). A
    // read declined below is read from a diff started again (stagedChanges).
    diff.cancel();
    // All at once (one round of processes): the blob streams while the others answer.
    const reading = (blob = startBlob(cwd, raw.newBlob));
    const [first, config, attr] = await Promise.all([
      reading.head(),
      gitRun(['config', '-z', '--get-regexp', DECIDING_CONFIG], cwd),
      // Named from where git runs (a relative GIT_DIR or GIT_WORK_TREE is relative to it).
      gitRun(['check-attr', '-z', 'diff', '--', relative(cwd ?? process.cwd(), file)], cwd),
    ]);
    const size = first?.size ?? -1;
    const head = first?.bytes ?? null;
    // config exits 1 when no key matches; check-attr -z prints "<path>\0diff\0<value>\0".
    const why =
      size < 0 ? 'git gave no size'
      : !forced && size < BLOB_READ_MIN_BYTES ? 'small enough'
      : size > GIT_BIG_FILE_BYTES ? "past git's big-file size"
      : config.code !== 1 ? 'core.bigFileThreshold or diff.default.binary is set'
      : attr.code !== 0 ? 'check-attr failed'
      : attr.stdout.split('\0')[2] !== 'unspecified' ? 'a diff attribute'
      : head === null || gitSniffsBinary(head) ? 'binary to git'
      : null;
    if (why !== null) {
      reading.stop();
      return declined(why);
    }
    debug('one new text file, read from its blob');
    async function* batches(large: LargeOutput): AsyncGenerator<DiffEvent[]> {
      try {
        yield* newFileEvents(listing, raw!.newMode, size, head!, reading, large);
        await reading.exited;
      } finally {
        reading.stop();
      }
    }
    return { path: raw.path, batches, stop: reading.stop };
  } catch (error) {
    blob?.stop();
    return declined((error as Error).message);
  }
}

function debug(message: string): void {
  if (process.env.GITWARD_DEBUG) process.stderr.write(`gitward: debug: staged: ${message}\n`);
}

function declined(why: string): null {
  debug(`the diff is read (${why})`);
  return null;
}

/** The config that takes the binary decision from the bytes: a size limit, or a driver for every file. */
const DECIDING_CONFIG = '^(core\\.bigfilethreshold|diff\\.default\\.binary)$';

/**
 * Whether the work tree's file has BLOB_READ_MIN_BYTES or more and no NUL in git's sniff (false
 * when it cannot tell). Only a regular file is opened, and without waiting: opening a FIFO put
 * there in its place would block until a writer came.
 */
function largeTextInWorkTree(path: string): boolean {
  let fd: number | null = null;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size < BLOB_READ_MIN_BYTES) return false;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(SNIFF_BYTES);
    return !gitSniffsBinary(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The listing's one record when it adds a regular file (null: anything else). */
function onlyNewFile(listing: Buffer): RawEntry | null {
  const parser = new DiffParser();
  const events = [...parser.push(listing), ...parser.end()];
  if (events.length !== 1 || events[0]!.kind !== 'file') return null;
  const raw = events[0].file.raw;
  const certain = raw.status === 'A' && raw.oldMode === '000000' && REGULAR_MODES.has(raw.newMode) && !raw.combined;
  // A path that is not UTF-8 cannot be named to check-attr as it is.
  return certain && !raw.path.includes('\uFFFD') ? raw : null;
}

interface BlobRun {
  /** The blob's size and first bytes (at least git's sniff, or all of a smaller blob); null when git failed. */
  head(): Promise<{ size: number; bytes: Buffer } | null>;
  /** The rest of its bytes, after head(). */
  rest(): AsyncGenerator<Buffer>;
  stop(): void;
  /** git's exit: rejects with its message when it failed. */
  exited: Promise<void>;
}

/**
 * One `git cat-file --batch` asked for one blob, read from its start: its header gives the size
 * (no second process), and git streams the blob's bytes after it as `cat-file blob` does.
 */
function startBlob(cwd: string | undefined, id: string): BlobRun {
  const child = spawnGit(['cat-file', '--batch'], cwd);
  child.stdin.on('error', () => undefined);
  child.stdin.end(`${id}\n`);
  const exited = waitForExit(child, 'cat-file --batch');
  exited.catch(() => undefined);
  const chunks = eagerChunks(child.stdout);
  const stop = () => {
    if (child.exitCode === null) child.kill();
    chunks.return(undefined).catch(() => undefined);
  };
  // Blob bytes still due after what head() took (the newline git prints after them is not the blob's).
  let left = 0;
  return {
    async head() {
      let read: Buffer = Buffer.alloc(0);
      try {
        let lineEnd = -1;
        let wanted = Infinity;
        while (read.length < wanted) {
          const next = await chunks.next();
          if (next.done) break;
          read = read.length === 0 ? next.value : Buffer.concat([read, next.value]);
          if (lineEnd === -1 && (lineEnd = read.indexOf(10)) !== -1) {
            const header = parseObjectHeader(read.toString('latin1', 0, lineEnd));
            if (header === null || header.type !== 'blob') return null;
            left = header.size;
            wanted = lineEnd + 1 + Math.min(header.size, SNIFF_BYTES);
          }
        }
        if (read.length < wanted) return null;
      } catch {
        return null;
      }
      const size = left;
      const bytes = read.subarray(read.indexOf(10) + 1).subarray(0, size);
      left -= bytes.length;
      return { size, bytes };
    },
    async *rest() {
      for await (const chunk of chunks) {
        if (left <= 0) continue;
        const bytes = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= bytes.length;
        yield bytes;
      }
    },
    stop,
    exited,
  };
}

/**
 * The events of the patch `git diff --cached --raw -p -z -U0` prints of the new file: the listing's
 * record, the header lines, then one hunk of every line, whose bytes go to the parser as they come
 * from git (DiffParser.addEveryLine: no `+` put before each line and taken off again). The header
 * names no path (the parser pairs the section with the record, and a path may hold a line break);
 * the hunk's count is not known before the end, and nothing reads it of a file no rule reads whole
 * (NewFileTexts; stagedChanges reads such a file from the diff).
 */
async function* newFileEvents(listing: Buffer, mode: string, size: number, head: Buffer, blob: BlobRun, large: LargeOutput): AsyncGenerator<DiffEvent[]> {
  const parser = new DiffParser();
  // An empty file has no hunk.
  const header = `diff --git a/f b/f\nnew file mode ${mode}\n--- /dev/null\n+++ b/f\n${size > 0 ? '@@ -0,0 +1 @@\n' : ''}`;
  const first = parser.push(Buffer.concat([listing, Buffer.from(header)]));
  if (first.length > 0) yield first;
  if (size === 0) {
    const last = parser.end();
    if (last.length > 0) yield last;
    return;
  }
  if (!parser.addEveryLine()) throw new GitError('diff', 'the new file\'s hunk did not open');
  async function* body(): AsyncGenerator<Buffer> {
    let read = head.length;
    if (head.length > 0) yield head;
    for await (const chunk of blob.rest()) {
      read += chunk.length;
      yield chunk;
    }
    if (read !== size) throw new GitError('cat-file --batch', `printed ${read} bytes of a ${size}-byte blob`);
  }
  yield* parsedBatches(body(), parser, large);
}
