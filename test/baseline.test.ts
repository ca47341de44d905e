import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const githubPat = () => withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));

test('baseline records fingerprints only; later scans skip them; new findings still block; stale entries are reported and pruned', () => {
  const repo = Repo.init();
  const old = githubPat();
  repo.commitUnchecked({ 'legacy/config.py': `KEY = "${old}"\n`, 'app.py': 'print(1)\n' });
  const before = repo.gitward(['scan', '--all-files']);
  assert.equal(before.code, 1, before.output);

  const made = repo.gitward(['baseline']);
  assert.equal(made.code, 0, made.output);
  const text = readFileSync(join(repo.dir, '.gitward-baseline.json'), 'utf8');
  assert.ok(!text.includes(old) && !text.includes(old.slice(4, 20)), 'the baseline never holds the secret');
  assert.equal(JSON.parse(text).findings.length, 1);

  assert.equal(repo.gitward(['scan', '--all-files']).code, 0);
  // The same secret staged again in that file (a whitespace edit) is baselined; a new one is not.
  const { run, json } = repo.stageAndScan({ 'legacy/config.py': `KEY = "${old}"  \n`, 'new.py': `T = "${githubPat()}"\n` });
  assert.equal(run.code, 1);
  assert.deepEqual(json.findings.map((f) => f.path), ['new.py']);
  assert.equal(repo.gitward(['scan', '--all-files', '--no-baseline']).code, 1);

  repo.git(['reset', '-q']);
  repo.commitUnchecked({ 'legacy/config.py': 'import os\nKEY = os.environ["KEY"]\n', 'new.py': 'x = 1\n' });
  const stale = repo.gitward(['scan', '--all-files']);
  assert.equal(stale.code, 0);
  assert.match(stale.output, /1 baseline entry no longer match/);
  const pruned = repo.gitward(['baseline', '--prune']);
  assert.equal(pruned.code, 0, pruned.output);
  assert.equal(JSON.parse(readFileSync(join(repo.dir, '.gitward-baseline.json'), 'utf8')).findings.length, 0);
});

test('a broken baseline file is a clear error (exit 2)', () => {
  const repo = Repo.init();
  repo.write({ '.gitward-baseline.json': '{ nope' });
  const run = repo.gitward(['scan', '--all-files']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /baseline .*not valid JSON/);
});
