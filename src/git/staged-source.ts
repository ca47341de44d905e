import type { FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { PATCH_FLAGS } from './git-process.ts';
import { PatchRun, toFileChange } from './patch-stream.ts';

/** Starts `git diff --cached` (read it with stagedChanges). */
export function stagedDiff(cwd: string | undefined): PatchRun {
  return new PatchRun(['diff', '--cached', ...PATCH_FLAGS, '-M', '--diff-filter=ACMRTUXB'], cwd);
}

/**
 * The staged change: one streamed `git diff --cached`. In a repository with no commit yet, git
 * compares the index with the empty tree by itself.
 */
export async function* stagedChanges(cwd: string | undefined, blobs: BlobReader, run: PatchRun = stagedDiff(cwd)): AsyncGenerator<FileChange> {
  for await (const event of run.events()) {
    if (event.kind === 'file') yield toFileChange(event.file, null, blobs);
  }
}
