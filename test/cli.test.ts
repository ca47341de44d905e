import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

test('rules lists every rule; rules ID prints its doc; an unknown id exits 2', () => {
  const repo = Repo.init();
  const list = repo.gitward(['rules']);
  assert.equal(list.code, 0);
  const json = JSON.parse(repo.gitward(['rules', '--format', 'json']).stdout) as { id: string }[];
  for (const r of json) assert.ok(list.stdout.includes(r.id));
  const one = repo.gitward(['rules', 'secret.github-pat']);
  assert.equal(one.code, 0);
  assert.match(one.stdout, /Why it matters:/);
  assert.match(one.stdout, /How to allow a false positive:/);
  const bad = repo.gitward(['rules', 'secret.nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown rule "secret\.nope"/);
});

test('demo runs, shows two refusals and one commit, exits 0', () => {
  const run = Repo.init().gitward(['demo']);
  assert.equal(run.code, 0, run.output);
  assert.equal(run.stdout.match(/refused: nothing was committed/g)?.length, 2);
  assert.match(run.stdout, /→ committed/);
  assert.doesNotMatch(run.stdout, /gh[p]_[A-Za-z0-9]{36}/);
});

test('--help on every command and --version', () => {
  const repo = Repo.init();
  for (const cmd of ['scan', 'install', 'uninstall', 'baseline', 'rules', 'demo']) {
    const run = repo.gitward([cmd, '--help']);
    assert.equal(run.code, 0, `${cmd}: ${run.output}`);
    assert.match(run.stdout, new RegExp(`gitward ${cmd}`));
  }
  assert.match(repo.gitward(['--version']).stdout, /^\d+\.\d+\.\d+/);
});

test('scan --range, PATH…, --history and bad combinations', () => {
  const repo = Repo.init();
  const a = repo.commitUnchecked({ 'a.py': 'x = 1\n' });
  const b = repo.commitUnchecked({ 'b.py': `T = "${withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30))}"\n` }, 'leak');
  const c = repo.commitUnchecked({ 'b.py': 'x = 2\n' }, 'remove');
  const range = JSON.parse(repo.gitward(['scan', '--range', `${a}..${c}`, '--format', 'json']).stdout);
  assert.deepEqual(range.findings.map((f: { commit: string }) => f.commit), [b], 'found in the commit that added it, though removed later');
  assert.equal(repo.gitward(['scan', '--range', `${b}..${c}`]).code, 0);
  assert.equal(repo.gitward(['scan', 'b.py']).code, 0, 'whole file now clean');
  const history = repo.gitward(['scan', '--history']);
  assert.equal(history.code, 1);
  assert.match(history.stderr, /scanned 3 commits, .* in \d+\.\d s/);
  assert.equal(repo.gitward(['scan', '--range', 'nope..HEAD']).code, 2);
  assert.equal(repo.gitward(['scan', '--history', '--all-files']).code, 2);
});
