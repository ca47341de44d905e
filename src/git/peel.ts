import type { CatFileBatch } from './cat-file-batch.ts';
import { gitSync } from './git-process.ts';
import { gitOutput } from './git-run.ts';
import { refDisplayName, type TaggedObject } from './tagged-files.ts';

/** What an id points to once annotated tags are peeled (through tags of tags). */
export interface Peeled {
  id: string;
  type: 'commit' | 'tree' | 'blob';
}

/**
 * peelToCommits without blocking: each id with the object it points to (missing ids are left
 * out). Pick from it with `commitsOf` and `filesOf`.
 */
export async function peelEach(ids: readonly string[], cwd?: string): Promise<Map<string, Peeled>> {
  if (ids.length === 0) return new Map();
  return peeledFrom(ids, await gitOutput(PEEL, { cwd, input: peelInput(ids) }));
}

/**
 * peelEach through a `--batch-check` process that lives on (its default answer, `<id> <type>
 * <size>`, starts as PEEL's does): pre-receive hands it to the push's blob reader afterwards, which
 * asks it for sizes, so the push starts one git process less.
 */
export function peelThrough(check: CatFileBatch, ids: readonly string[]): Promise<Map<string, Peeled>> {
  if (ids.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    for (const id of ids) {
      check.request(`${id}^{}`, {
        header: (line) => lines.push(line),
        body: () => undefined,
        done: () => {
          if (lines.length === ids.length) resolve(peeledFrom(ids, lines.join('\n')));
        },
        fail: reject,
      });
    }
  });
}

/** peelEach, blocking. */
export function peelSync(ids: readonly string[], cwd?: string): Map<string, Peeled> {
  if (ids.length === 0) return new Map();
  return peeledFrom(ids, gitSync(PEEL, { cwd, input: peelInput(ids) }));
}

/**
 * The commits the given objects point to (annotated tags peeled; tags of trees or blobs and
 * missing objects dropped), in one `git cat-file --batch-check`.
 */
export function peelToCommits(ids: readonly string[], cwd?: string): string[] {
  return commitsOf(ids, peelSync(ids, cwd));
}

/** Each commit once, in the order of ids, from peelEach's answers. */
export function commitsOf(ids: readonly string[], peeled: ReadonlyMap<string, Peeled>): string[] {
  const commits = new Set<string>();
  for (const id of ids) {
    const object = peeled.get(id);
    if (object?.type === 'commit') commits.add(object.id);
  }
  return [...commits];
}

/**
 * The refs among `refs` that point (directly or through tags) at a blob or a tree: what a push or
 * a repository holds outside any commit, scanned as whole files under the ref's name.
 */
export function filesOf(refs: readonly { ref: string; id: string }[], peeled: ReadonlyMap<string, Peeled>): TaggedObject[] {
  const out: TaggedObject[] = [];
  for (const { ref, id } of refs) {
    const object = peeled.get(id);
    if (object && object.type !== 'commit') out.push({ name: refDisplayName(ref), id: object.id, type: object.type });
  }
  return out;
}

const PEEL = ['cat-file', '--batch-check=%(objectname) %(objecttype)'];
const peelInput = (ids: readonly string[]) => ids.map((id) => `${id}^{}\n`).join('');

/** cat-file answers one line per id asked, in order: `<id> <type>` (or `<name> missing`). */
function peeledFrom(ids: readonly string[], out: string): Map<string, Peeled> {
  const peeled = new Map<string, Peeled>();
  const lines = out.split('\n');
  ids.forEach((id, i) => {
    const [object = '', type] = (lines[i] ?? '').split(' ');
    if (type === 'commit' || type === 'tree' || type === 'blob') peeled.set(id, { id: object, type });
  });
  return peeled;
}
