import { GitwardError } from '../engine/errors.ts';
import { gitSync } from '../git/git-process.ts';
import { gitOutput } from '../git/git-run.ts';

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
 * The new ids on ref-update lines that look like object ids (not the zero id), taken before the
 * repository's hash is known so that peeling them can start beside the other start-up queries.
 * parseRefUpdates still judges every line.
 */
export function candidateIds(text: string): string[] {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const newId = line.trim().split(/\s+/)[1] ?? '';
    if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(newId) && /[1-9a-f]/.test(newId)) ids.add(newId);
  }
  return [...ids];
}

/**
 * peelToCommits without blocking: each id with the commit it points to (ids that point to no
 * commit are left out). Pick from it with `commitsOf`.
 */
export async function peelEach(ids: readonly string[], cwd?: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  return peeledFrom(ids, await gitOutput(PEEL, { cwd, input: peelInput(ids) }));
}

/**
 * The commits the given objects point to (annotated tags peeled; tags of trees or blobs and
 * missing objects dropped), in one `git cat-file --batch-check`.
 */
export function peelToCommits(ids: readonly string[], cwd?: string): string[] {
  if (ids.length === 0) return [];
  return commitsOf(ids, peeledFrom(ids, gitSync(PEEL, { cwd, input: peelInput(ids) })));
}

/** Each commit once, in the order of ids, from peelEach's answers. */
export function commitsOf(ids: readonly string[], peeled: ReadonlyMap<string, string>): string[] {
  const commits = new Set<string>();
  for (const id of ids) {
    const commit = peeled.get(id);
    if (commit) commits.add(commit);
  }
  return [...commits];
}

const PEEL = ['cat-file', '--batch-check=%(objectname) %(objecttype)'];
const peelInput = (ids: readonly string[]) => ids.map((id) => `${id}^{}\n`).join('');

/** cat-file answers one line per id asked, in order: `<commit> commit` where the id peels to a commit. */
function peeledFrom(ids: readonly string[], out: string): Map<string, string> {
  const peeled = new Map<string, string>();
  const lines = out.split('\n');
  ids.forEach((id, i) => {
    const [commit, type] = (lines[i] ?? '').split(' ');
    if (type === 'commit') peeled.set(id, commit!);
  });
  return peeled;
}
