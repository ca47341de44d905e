// A rename into the paths a rule judges by name (engine/moved-in.ts): `notes.txt` → `notes.py`
// adds no line, yet every line is new to the deserialization rule; so for the requirements and
// Python version rules. Each case through a real `git commit` with the hook installed, and the
// server's door through a real `git push` (every door is compared in door-parity.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Repo } from './helpers/git.ts';

const PICKLE_TEXT = 'import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n';

/** A repository holding `files` (committed without checks), with the pre-commit hook installed. */
function repoWith(files: Record<string, string>): Repo {
  const r = Repo.init();
  r.commitUnchecked(files, 'root');
  return r.installPreCommitHook();
}

/** Renames with `git mv`, writes `files` over the result, and commits through the hook. */
function renameAndCommit(r: Repo, moves: [string, string][], files: Record<string, string> = {}) {
  for (const [from, to] of moves) {
    mkdirSync(dirname(join(r.dir, to)), { recursive: true });
    r.git(['mv', from, to]);
  }
  return r.commit(files, 'rename');
}

test('a text file renamed to .py: its pickle call is found, at its line, saying why every line was read', () => {
  const r = repoWith({ 'notes.txt': PICKLE_TEXT });
  const run = renameAndCommit(r, [['notes.txt', 'notes.py']]);
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}notes\.py:5/);
  assert.match(run.output, /renamed from notes\.txt: every line was checked, not only the changed ones/);
  assert.equal(r.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');
  // The same through the JSON report: one finding, blocking.
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: { rule: string; line: number; severity: string }[] };
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line, f.severity]), [['deserialization.pickle', 5, 'block']]);
});

test('a rename with an edit elsewhere in the file: the call on an unchanged line is found', () => {
  const r = repoWith({ 'notes.txt': PICKLE_TEXT });
  const run = renameAndCommit(r, [['notes.txt', 'notes.py']], { 'notes.py': `"""Loads blobs."""\n${PICKLE_TEXT}` });
  assert.equal(run.code, 1, run.output);
  assert.match(r.git(['diff', '--cached', '-M', '--name-status']).stdout, /^R\d+\tnotes\.txt\tnotes\.py$/m, 'git calls it a rename');
  assert.match(run.output, /deserialization\.pickle {2}notes\.py:6/);
});

test('a list of names renamed to requirements.txt: each unpinned requirement is found', () => {
  const r = repoWith({ 'deps.txt': 'flask\nrequests>=2\nclick==8.1.7\n' });
  const run = renameAndCommit(r, [['deps.txt', 'requirements.txt']]);
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /requirement\.unpinned {2}requirements\.txt:1/);
  assert.match(run.output, /requirement\.unpinned {2}requirements\.txt:2/);
  assert.doesNotMatch(run.output, /requirements\.txt:3/, 'the pinned one is not');
});

test('a file renamed to runtime.txt: the end-of-life Python it names is a warning', () => {
  const r = repoWith({ 'notes/runtime-old.txt': 'python-3.7.9\n' });
  const run = renameAndCommit(r, [['notes/runtime-old.txt', 'runtime.txt']]);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /eol-python\.version {2}runtime\.txt:1/);
});

test('look-alikes: renames within a rule\'s paths, out of them, or of clean files block nothing', () => {
  // Already judged where it was: a .py file with a call (allowed in history) renamed to another .py
  // name, requirements.txt moved into requirements/, a Python file renamed to text, clean files.
  const r = repoWith({
    'old.py': PICKLE_TEXT,
    'requirements.txt': 'flask\n',
    'script.py': PICKLE_TEXT,
    'readme.txt': 'Plain words about pickle, and nothing else.\n',
    'pinned.txt': 'flask==3.0.3\n',
  });
  const run = renameAndCommit(r, [
    ['old.py', 'lib/loader.py'],
    ['requirements.txt', 'requirements/base.txt'],
    ['script.py', 'script.txt'],
    ['readme.txt', 'readme.py'],
    ['pinned.txt', 'requirements-dev.txt'],
  ]);
  assert.equal(run.code, 0, run.output);
  assert.equal(r.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '2', 'the renames were committed');
});

test('an allow comment in a renamed file still allows its finding', () => {
  const r = repoWith({ 'notes.txt': PICKLE_TEXT.replace('pickle.loads(blob)', 'pickle.loads(blob)  # gitward:allow deserialization (our own cache)') });
  r.git(['mv', 'notes.txt', 'notes.py']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: unknown[]; stats: { suppressed: number } };
  assert.deepEqual([json.findings.length, json.stats.suppressed], [0, 1], 'found, and allowed by its comment');
  const run = r.commit({}, 'rename');
  assert.equal(run.code, 0, run.output);
});

test('a renamed file larger than limits.max-file-bytes: its first part is read whole, and a notice says so', () => {
  const filler = '# filler line of text to make the file long\n'.repeat(40);
  const r = repoWith({ '.gitward.toml': '[limits]\nmax-file-bytes = 1024\n', 'notes.txt': `${PICKLE_TEXT}${filler}` });
  const json = JSON.parse((r.git(['mv', 'notes.txt', 'notes.py']), r.gitward(['scan', '--staged', '--format', 'json'])).stdout) as { findings: { rule: string; line: number }[]; stats: { notices: string[] } };
  assert.ok(json.stats.notices.some((n) => n.includes('notes.py: renamed from notes.txt and larger than limits.max-file-bytes: only its first part was checked whole')), json.stats.notices.join('\n'));
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['deserialization.pickle', 5]]);
});

test('the server refuses a push whose commit renames a text file to .py (pre-receive)', () => {
  const r = Repo.init();
  r.commitUnchecked({ 'notes.txt': PICKLE_TEXT }, 'root');
  const bare = Repo.init({ bare: true, env: r.env }).installPreReceiveHook();
  const first = r.git(['push', '-q', '--no-verify', bare.dir, 'main']);
  assert.equal(first.code, 0, first.output);
  r.git(['mv', 'notes.txt', 'notes.py']);
  const renamed = r.commitUnchecked({}, 'rename');
  const push = r.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.stderr, new RegExp(`deserialization\\.pickle {2}${renamed.slice(0, 12)} notes\\.py:5`));
});

test('a renamed file larger than limits.max-file-bytes: a call on the line cut at the limit is still found', () => {
  const r = repoWith({ '.gitward.toml': '[limits]\nmax-file-bytes = 2048\n', 'one.txt': `import pickle; x = pickle.loads(b); y = "${'a'.repeat(5000)}"\n` });
  r.git(['mv', 'one.txt', 'one.py']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: { rule: string; line: number }[] };
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['deserialization.pickle', 1]]);
});
