// An independent oracle for the streaming diff parser: on generated histories (two branches, merges
// that keep either side and add lines of their own, files created, edited and deleted), the lines
// each commit adds are computed twice —
//   by isomorphic-git from the objects alone: a line of a file is added by a commit when no parent's
//   version of that file holds it (every generated line is unique, so a set comparison is exact);
//   by gitward: `commitChanges` (the one streamed `git log -p`), as the doors call it —
// and must be equal. Lines are never moved, only inserted and removed, so a minimal diff and the
// set difference agree.
//
// Merges: every door that reads history reads a merge as its combined diff (what it adds against
// every parent; see docs/doors.md), so every commit, merges included, is compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import git from 'isomorphic-git';
import { BlobReader } from '../src/git/blob-reader.ts';
import { commitChanges } from '../src/git/log-source.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { Repo } from './helpers/git.ts';

const FILES = ['a.txt', 'src/b.txt', 'c d.txt'];
const BRANCHES = ['main', 'side'];

interface Edit {
  file: number;
  remove: number[];
  add: number[];
  drop: boolean;
}
interface Step {
  merge: boolean;
  branch: number;
  fromOther: boolean;
  edits: Edit[];
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  file: fc.nat(FILES.length - 1),
  remove: fc.array(fc.nat(50), { maxLength: 3 }),
  add: fc.array(fc.nat(50), { maxLength: 4 }),
  drop: fc.nat(9).map((n) => n === 0),
});
const stepArb: fc.Arbitrary<Step> = fc.record({
  merge: fc.boolean(),
  branch: fc.nat(1),
  fromOther: fc.boolean(),
  edits: fc.array(editArb, { maxLength: 3 }),
});

const EXAMPLE: Step[] = [
  { merge: false, branch: 1, fromOther: false, edits: [{ file: 0, remove: [1], add: [0, 5], drop: false }, { file: 1, remove: [], add: [0, 0, 0], drop: false }] },
  { merge: false, branch: 0, fromOther: false, edits: [{ file: 0, remove: [], add: [9], drop: false }, { file: 2, remove: [], add: [0], drop: false }] },
  { merge: true, branch: 0, fromOther: false, edits: [{ file: 1, remove: [], add: [1], drop: false }, { file: 0, remove: [], add: [2], drop: false }] },
  { merge: false, branch: 1, fromOther: false, edits: [{ file: 2, remove: [], add: [0, 3], drop: false }, { file: 0, remove: [], add: [], drop: true }] },
  { merge: true, branch: 0, fromOther: true, edits: [{ file: 2, remove: [0], add: [4], drop: false }] },
];

type Files = Map<string, string[]>;

/** Builds the history with simple-git; returns nothing: the repository is the result. */
async function build(repo: Repo, steps: Step[]): Promise<void> {
  const g = repo.simple();
  let counter = 0;
  const apply = (files: Files, edits: Edit[]): Files => {
    const next: Files = new Map([...files].map(([k, v]) => [k, [...v]]));
    for (const e of edits) {
      const path = FILES[e.file]!;
      if (e.drop) {
        next.delete(path);
        continue;
      }
      const lines = next.get(path) ?? [];
      for (const r of e.remove) if (lines.length > 0) lines.splice(r % lines.length, 1);
      for (const a of e.add) lines.splice(a % (lines.length + 1), 0, `${path} line ${++counter}`);
      next.set(path, lines);
    }
    return next;
  };
  const commit = async (files: Files, message: string) => {
    for (const path of FILES) {
      const full = join(repo.dir, path);
      const lines = files.get(path);
      if (lines) repo.write({ [path]: lines.map((l) => `${l}\n`).join('') });
      else fs.rmSync(full, { force: true });
    }
    await g.raw(['add', '-A']);
    await g.raw(['commit', '-q', '--allow-empty', '--no-verify', '-m', message]);
  };
  const state: Files[] = [];
  state[0] = apply(new Map(), [{ file: 0, remove: [], add: [0, 0], drop: false }]);
  await commit(state[0], 'root');
  await g.raw(['branch', 'side']);
  state[1] = state[0];
  let current = 0;
  for (const [i, step] of steps.entries()) {
    if (step.branch !== current) await g.raw(['checkout', '-q', BRANCHES[step.branch]!]);
    current = step.branch;
    const other = 1 - current;
    let merging = false;
    if (step.merge) {
      // An exit code is the answer here, which simple-git does not report (it fails only with stderr).
      const ancestor = repo.git(['merge-base', '--is-ancestor', BRANCHES[other]!, BRANCHES[current]!], { allowFail: true }).code === 0;
      if (!ancestor) {
        // `-s ours --no-commit`: a merge state with no conflict; the merge's content is chosen below.
        await g.raw(['merge', '-q', '-s', 'ours', '--no-ff', '--no-commit', BRANCHES[other]!]);
        merging = true;
      }
    }
    state[current] = apply(merging && step.fromOther ? state[other]! : state[current]!, step.edits);
    await commit(state[current]!, merging ? `merge ${i}` : `step ${i}`);
  }
}

const key = (commit: string, path: string, line: string) => `${commit} ${path} ${line}`;

/** isomorphic-git: per commit, the lines of its files that no parent's version of the file holds. */
async function oracle(dir: string): Promise<{ added: Set<string>; merges: Set<string> }> {
  const added = new Set<string>();
  const merges = new Set<string>();
  const seen = new Set<string>();
  const linesAt = async (oid: string, filepath: string): Promise<Set<string>> => {
    try {
      const { blob } = await git.readBlob({ fs, dir, oid, filepath });
      return new Set(Buffer.from(blob).toString('utf8').split('\n').filter(Boolean));
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return new Set();
      throw error;
    }
  };
  for (const ref of BRANCHES) {
    for (const { oid, commit } of await git.log({ fs, dir, ref })) {
      if (seen.has(oid)) continue;
      seen.add(oid);
      if (commit.parent.length > 1) merges.add(oid);
      for (const path of await git.listFiles({ fs, dir, ref: oid })) {
        const parents = await Promise.all(commit.parent.map((p) => linesAt(p, path)));
        for (const line of await linesAt(oid, path)) if (!parents.some((p) => p.has(line))) added.add(key(oid, path, line));
      }
    }
  }
  return { added, merges };
}

/** gitward: the added lines of every FileChange the streamed `git log -p` yields. */
async function reported(dir: string): Promise<Set<string>> {
  const blobs = new BlobReader(dir, 1 << 20);
  const out = new Set<string>();
  try {
    for await (const change of commitChanges({ revisions: ['--all'] }, dir, blobs)) {
      if (change.location) continue; // a commit's message: not a file's lines
      for (const line of change.addedLines) out.add(key(change.commit!, change.path, line.text));
    }
  } finally {
    blobs.close();
  }
  return out;
}

test('the lines each commit adds, merges included: isomorphic-git and the streaming parser agree', { timeout: 600_000 }, async () => {
  let mergesSeen = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
      const repo = Repo.init();
      await build(repo, steps);
      const { added, merges } = await oracle(repo.dir);
      mergesSeen += merges.size;
      assert.deepEqual([...(await reported(repo.dir))].sort(), [...added].sort());
    }),
    // A fixed history first: edits on both branches, a merge keeping its own side with lines of its
    // own, a merge taking the other side, a file deleted.
    { ...fuzzParams(8), examples: [[EXAMPLE]] },
  );
  assert.ok(mergesSeen > 0, 'the generated histories held merges');
});
