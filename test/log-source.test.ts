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

test("a merge's change carries the old blob of every parent (the first as oldBlob, the others after it)", async () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'm.py': 'a = 1\nb = 2\nc = 3\n' }, 'base');
  repo.git(['checkout', '-q', '-b', 'side']);
  repo.commitUnchecked({ 'm.py': 'a = 1\nb = 2\nc = 4\n' }, 'side');
  repo.git(['checkout', '-q', 'main']);
  repo.commitUnchecked({ 'm.py': 'a = 0\nb = 2\nc = 3\n' }, 'main');
  repo.git(['merge', '-q', '--no-commit', 'side'], { allowFail: true });
  repo.write({ 'm.py': 'a = 0\nb = 5\nc = 4\n' });
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'merge side']);
  const merge = repo.git(['rev-parse', 'HEAD']).stdout.trim();
  const blob = (rev: string) => repo.git(['rev-parse', `${rev}:m.py`]).stdout.trim();
  const { changes } = await collect(repo, [`${merge}^..${merge}`]);
  const change = changes.find((c) => c.commit === merge && c.path === 'm.py');
  assert.ok(change?.merge, 'the merge is read as its combined diff');
  assert.equal(change.oldBlob, blob('HEAD^1'));
  assert.deepEqual(change.otherParentBlobs, [blob('HEAD^2')]);
  assert.equal(change.newBlob, blob('HEAD'));
  assert.deepEqual(change.addedLines.map((l) => l.text), ['b = 5']);
});
