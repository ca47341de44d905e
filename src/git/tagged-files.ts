import type { FileChange } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import { wholeFileChanges, type IndexEntry } from './files-source.ts';
import { gitOutput } from './git-run.ts';

/**
 * A ref that points (directly, or through annotated tags) at a blob or a tree instead of a commit:
 * `git tag t $(git hash-object -w secret.txt)`, or a tag on a `git mktree` tree. No commit holds
 * its content, so no commit's patch shows it; it is scanned whole.
 */
export interface TaggedObject {
  /** The ref's name as findings show it: a tag's short name, any other ref in full. */
  name: string;
  /** The blob or tree (already peeled). */
  id: string;
  type: 'blob' | 'tree';
}

/** `refs/tags/v1` → `v1`; other refs keep their full name (refs/heads/ cannot hold a blob). */
export function refDisplayName(ref: string): string {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ref;
}

/**
 * Each tagged object as whole files, every line "added" (as `scan --all-files` reads files): a
 * blob as one file named by its ref (`<tag>`), a tree as every file in it, recursively
 * (`<tag>/<path>`, so that rules that look at a file's name still see it). Findings carry no commit.
 */
export async function* taggedFileChanges(objects: readonly TaggedObject[], cwd: string | undefined, blobs: BlobReader): AsyncGenerator<FileChange> {
  for (const object of objects) {
    const entries = object.type === 'blob' ? [{ mode: '100644', blob: object.id, path: object.name }] : await treeFiles(object, cwd);
    yield* wholeFileChanges(entries, blobs);
  }
}

/** Every file of a tree (`git ls-tree -r`), submodule entries left out (they hold no content here). */
async function treeFiles(tree: TaggedObject, cwd: string | undefined): Promise<IndexEntry[]> {
  const out = await gitOutput(['ls-tree', '-r', '-z', '--full-tree', tree.id], { cwd });
  const entries: IndexEntry[] = [];
  for (const record of out.split('\0')) {
    // "<mode> <type> <object>\t<path>"
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', blob = ''] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ mode, blob, path: `${tree.name}/${record.slice(tab + 1)}` });
  }
  return entries;
}
