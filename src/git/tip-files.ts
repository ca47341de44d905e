import { CatFileBatch, readObject } from './cat-file-batch.ts';

/**
 * The text of each of `paths` in the tree of commit `tip` (null where it holds no file there: no
 * entry, or a directory or submodule), asked of one `cat-file --batch` in one write: a pushed
 * tree's config files without a process per file. Past `maxBytes` a file's text is cut.
 */
export async function tipFiles(tip: string, paths: readonly string[], cwd: string | undefined, maxBytes = Infinity): Promise<Map<string, string | null>> {
  const batch = new CatFileBatch('--batch', cwd);
  try {
    const objects = await Promise.all(paths.map((path) => readObject(batch, `${tip}:${path}`, maxBytes)));
    return new Map(paths.map((path, i) => {
      const object = objects[i];
      return [path, object?.type === 'blob' ? object.body.toString('utf8') : null];
    }));
  } finally {
    batch.close();
  }
}
