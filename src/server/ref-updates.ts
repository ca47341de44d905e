import { GitwardError } from '../engine/errors.ts';
import { gitSync } from '../git/git-process.ts';

export interface RefUpdate {
  oldId: string;
  newId: string;
  ref: string;
}

/** Parses pre-receive stdin: one `<old> <new> <ref>` line per updated ref. */
export function parseRefUpdates(text: string, zeroId: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [oldId, newId, ref] = line.trim().split(/\s+/);
    const idPattern = new RegExp(`^[0-9a-f]{${zeroId.length}}$`);
    if (!ref || !idPattern.test(oldId) || !idPattern.test(newId)) {
      throw new GitwardError(`unexpected ref update line on stdin: ${JSON.stringify(line.slice(0, 200))}`,
        'pre-receive reads "<old-id> <new-id> <ref>" lines, as git gives them.');
    }
    out.push({ oldId, newId, ref });
  }
  return out;
}

/**
 * The commits the given objects point to (annotated tags peeled; tags of trees or blobs and
 * missing objects dropped), in one `git cat-file --batch-check`.
 */
export function peelToCommits(ids: readonly string[], cwd?: string): string[] {
  if (ids.length === 0) return [];
  const out = gitSync(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    cwd,
    input: ids.map((id) => `${id}^{}\n`).join(''),
  });
  const commits = new Set<string>();
  for (const line of out.split('\n')) {
    const [id, type] = line.split(' ');
    if (type === 'commit') commits.add(id);
  }
  return [...commits];
}
