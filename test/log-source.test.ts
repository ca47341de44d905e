import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { BlobReader } from '../src/git/blob-reader.ts';
import { commitChanges } from '../src/git/log-source.ts';
import type { CommitInfo, FileChange } from '../src/engine/types.ts';

async function collect(repo: Repo, revisions: string[]): Promise<{ changes: FileChange[]; commits: Map<string, CommitInfo> }> {
  const commits = new Map<string, CommitInfo>();
  const blobs = new BlobReader(repo.dir, 1 << 20);
  const changes: FileChange[] = [];
  const saved = process.env;
  process.env = repo.env;
  try {
    for await (const change of commitChanges({ revisions, commits }, repo.dir, blobs)) if (!change.location) changes.push(change); // files only, not messages
  } finally {
    process.env = saved;
    blobs.close();
  }
  return { changes, commits };
}

test('each commit of a range yields its own added lines, with the commit id and author', async () => {
  const repo = Repo.init();
  const first = repo.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  const second = repo.commitUnchecked({ 'a.txt': 'one\ntwo\n', 'b d.txt': 'x\ny\n' }, 'second');
  const third = repo.commitUnchecked({ 'a.txt': 'one\n' }, 'third: removes two');
  const empty = repo.commitUnchecked({}, 'empty');
  const { changes, commits } = await collect(repo, [`${first}..HEAD`]);
  assert.deepEqual([...commits.keys()], [second, third, empty], "oldest first");
  assert.equal(commits.get(second)?.authorName, 'Test Author');
  assert.equal(commits.get(second)?.subject, 'second');
  const ofSecond = changes.filter((c) => c.commit === second);
  assert.deepEqual(ofSecond.map((c) => [c.path, c.addedLines.map((l) => [l.number, l.text])]), [
    ['a.txt', [[2, 'two']]],
    ['b d.txt', [[1, 'x'], [2, 'y']]],
  ]);
  assert.equal(changes.filter((c) => c.commit === third).length, 1, 'a removal-only change is listed with no added lines');
  const blob = await (async () => {
    const blobs = new BlobReader(repo.dir, 1 << 20);
    try {
      const c = ofSecond[1];
      return (await blobs.read(c.newBlob!))?.head.toString();
    } finally {
      blobs.close();
    }
  })();
  assert.equal(blob, 'x\ny\n');
});

test('the root commit is scanned whole', async () => {
  const repo = Repo.init();
  const root = repo.commitUnchecked({ 'r.txt': 'root line\n' }, 'root');
  const { changes } = await collect(repo, [root]);
  assert.deepEqual(changes.map((c) => [c.commit, c.path, c.addedLines.length]), [[root, 'r.txt', 1]]);
});
