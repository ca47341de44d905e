import type { FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { PATCH_FLAGS } from './git-process.ts';
import { patchEvents, toFileChange } from './patch-stream.ts';

/**
 * The staged change: one streamed `git diff --cached`. In a repository with no commit yet, git
 * compares the index with the empty tree by itself.
 */
export async function* stagedChanges(cwd: string | undefined, blobs: BlobReader): AsyncGenerator<FileChange> {
  const args = ['diff', '--cached', ...PATCH_FLAGS, '-M', '--diff-filter=ACMRTUXB'];
  for await (const event of patchEvents(args, cwd)) {
    if (event.kind === 'file') yield toFileChange(event.file, null, blobs);
  }
}
