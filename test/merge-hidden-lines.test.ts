// With no context (-U0) git's combined diff of a merge prints removed lines before the result line
// they stand at and leaves that line out when every parent holds it, yet counts it in the hunk
// header: the merge's own lines after it read one short per such line (the printed text alone
// cannot tell; the same output comes from histories where nothing was left out). Each finding must
// name the line that holds the secret, in a two-parent merge and an octopus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, type JsonReport } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';


/** A merge commit of `parents` whose tree holds f.py = `result` (built with plumbing, no merge machinery). */
function mergeCommit(repo: Repo, parents: string[], result: string): string {
  repo.git(['checkout', '-q', '--detach', parents[0]!]);
  repo.write({ 'f.py': result });
  repo.git(['add', 'f.py']);
  const tree = repo.git(['write-tree']).stdout.trim();
  const id = repo.git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', 'merge']).stdout.trim();
  repo.git(['checkout', '-q', '-B', 'main', id]);
  return id;
}

function branch(repo: Repo, name: string, from: string, text: string): string {
  repo.git(['checkout', '-q', '-B', name, from]);
  return repo.commitUnchecked({ 'f.py': text }, name);
}

test("a merge's lines after lines it removed: each finding names the line that holds the secret", () => {
  const repo = Repo.init();
  const root = repo.commitUnchecked({ 'f.py': 'a = 1\nl = 2\nn = 3\n' }, 'root');
  // Two parents: main keeps l, the side drops it; the merge drops l and adds a line after n.
  const main = branch(repo, 'main', root, 'a = 1\nl = 2\nn = 3\nm = 4\n');
  const side = branch(repo, 'side', root, 'a = 1\nn = 3\n');
  const two = `a = 1\nn = 3\nT = "${fakeGithubPat()}"\n`;
  const merge = mergeCommit(repo, [main, side], two);
  // An octopus: two groups of removed lines, each before a line every parent holds (two lines hidden).
  const p1 = branch(repo, 'p1', merge, 'x = 1\ny = 2\nk = 0\nn = 3\nj = 0\nz = 4\n');
  const p2 = branch(repo, 'p2', merge, 'x = 1\nn = 3\nz = 4\n');
  const p3 = branch(repo, 'p3', merge, 'x = 1\nq = 9\nn = 3\nz = 4\nw = 5\n');
  const octo = `x = 1\nn = 3\nz = 4\nO = "${fakeGithubPat()}"\n`;
  const octopus = mergeCommit(repo, [p1, p2, p3], octo);

  const hunks = (id: string) => repo.git(['log', '-1', '--format=', '--cc', '-U0', id]).stdout;
  assert.match(hunks(merge), /^@@@ -2,2 -2,0 \+2,1 @@@/m, 'the merge: the header counts n = 3, which is not printed');
  assert.match(hunks(octopus), /^@@@@ -2,3 -2,0 -2,2 \+2,1 @@@@/m, 'the octopus: n = 3 and z = 4 are counted, not printed');
  for (const id of [merge, octopus]) assert.doesNotMatch(hunks(id), /^ +(n = 3|z = 4)$/m);

  const where = (text: string, line: string) => text.split('\n').findIndex((l) => l.startsWith(line)) + 1;
  const expected = [`f.py:${where(two, 'T = ')} ${merge}`, `f.py:${where(octo, 'O = ')} ${octopus}`].sort();
  assert.deepEqual(expected.map((e) => e.split(' ')[0]), ['f.py:3', 'f.py:4']);
  for (const args of [['scan', '--range', root + '..main'], ['scan', '--history']]) {
    const run = repo.gitward([...args, '--format', 'json']);
    assert.equal(run.code, 1, run.output);
    const findings = (JSON.parse(run.stdout) as JsonReport).findings.map((f) => `${f.path}:${f.line} ${f.commit}`).sort();
    assert.deepEqual(findings, expected, args.join(' '));
  }
  assert.equal(readFileSync(join(repo.dir, 'f.py'), 'utf8'), octo);
});

test("a merge's file past max-file-bytes: its added lines there are read as git printed them, and a notice says so", () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': '[limits]\nmax-file-bytes = 100000\n' });
  const body = 'x = 1\n'.repeat(30_000);
  const root = repo.commitUnchecked({ 'f.py': `a = 1\n${body}` }, 'root');
  const main = branch(repo, 'main', root, `main = 1\na = 1\n${body}`);
  const side = branch(repo, 'side', root, `a = 1\nside = 1\n${body}`);
  const merge = mergeCommit(repo, [main, side], `main = 1\na = 1\nside = 1\n${body}T = "${fakeGithubPat()}"\n`);
  const run = repo.gitward(['scan', '--range', `${root}..${merge}`, '--format', 'json']);
  assert.equal(run.code, 1, run.output);
  const report = JSON.parse(run.stdout) as JsonReport & { stats: { notices: string[] } };
  // Printed whole (no NUL in it), the line past the limit is still found; the notice says what could not be checked.
  assert.deepEqual(report.findings.map((f) => `${f.path}:${f.line}`), ['f.py:30004']);
  assert.ok(report.stats.notices.some((n) => /^f\.py: a merge's file larger than limits\.max-file-bytes; its lines past that are read as git's combined diff prints them/.test(n)), report.stats.notices.join('\n'));
});
