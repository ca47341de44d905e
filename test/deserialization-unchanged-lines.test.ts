// An edit elsewhere in a Python file can make an unchanged line an unsafe call: an import that
// rebinds a name (`import pickle as json` above `json.loads(b)`), or the deletion of the `"""`
// that made it a string, or of the line above a coding declaration. Such a call is new against the
// old content (rules/deserialization/detector.ts, newAgainstOld) and is reported at its line; a
// call the old content held is not reported again. Through real `git commit`s with the hook
// installed, and the server's door through a real `git push` (every door: door-parity.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { oldLineOf, oldLines } from '../src/rules/deserialization/detector.ts';

const JSON_LOADER = 'import json\n\n\ndef load(blob):\n    return json.loads(blob)\n';
const DETAIL = /this line is unchanged: an edit elsewhere in the file \(an import, a deleted line of a string or comment\) made it this call/;

function repoWith(files: Record<string, string>): Repo {
  const r = Repo.init();
  r.commitUnchecked(files, 'root');
  return r.installPreCommitHook();
}

test('an import that makes an unchanged json.loads a pickle call is blocked, at the call', () => {
  const r = repoWith({ 'app.py': JSON_LOADER });
  const run = r.commit({ 'app.py': JSON_LOADER.replace('import json', 'import pickle as json') }, 'switch the codec');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}app\.py:5/);
  assert.match(run.output, DETAIL);
  assert.equal(r.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');
});

test('a commit that only deletes the quotes around a call is blocked, at the call', () => {
  const r = repoWith({ 'tool.py': 'NOTES = """\nimport pickle\npickle.loads(blob)\n"""\n' });
  r.write({ 'tool.py': 'import pickle\npickle.loads(blob)\n' });
  r.git(['add', '-A']);
  assert.match(r.git(['diff', '--cached', '--numstat']).stdout, /^0\t2\ttool\.py$/m, 'the commit only deletes lines');
  const run = r.git(['commit', '-q', '-m', 'drop the string'], { allowFail: true });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}tool\.py:2/);
});

test('deleting the line above a coding declaration puts it in force: the encoding is blocked', () => {
  const body = '\n# coding: utf-7\nprint(1)\n';
  const r = repoWith({ 'enc.py': `x = 1${body}` });
  const run = r.commit({ 'enc.py': body.slice(1) }, 'drop line 1');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.encoding {2}enc\.py:1/);
});

test('look-alikes: a call the old content held is not reported again, however the file is edited', () => {
  const loader = 'import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n';
  const r = repoWith({ 'cache.py': loader, 'legacy.py': 'from cPickle import Unpickler\n\n\ndef read(f):\n    return Unpickler(f).load()\n', 'trim.py': `# old header\n${loader}` });
  // Lines added above and below the call; a module renamed in its import (the same kind of call);
  // a line deleted elsewhere in the file.
  const run = r.commit(
    {
      'cache.py': `"""Caches."""\n${loader}\n\ndef size(blob):\n    return len(blob)\n`,
      'legacy.py': 'from pickle import Unpickler\n\n\ndef read(f):\n    return Unpickler(f).load()\n',
      'trim.py': loader,
    },
    'edits around old calls',
  );
  assert.equal(run.code, 0, run.output);
  assert.equal(r.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '2', 'committed');
});

test('a second copy of an old call, made by an edit elsewhere, is new', () => {
  // The old file holds one pickle call and one json call on identical lines; the import makes the
  // second a pickle call too: the old content holds one such call, the new two.
  const old = 'import pickle\nimport json\n\n\ndef a(b):\n    return pickle.loads(b)\n\n\ndef c(b):\n    return json.loads(b)\n';
  const r = repoWith({ 'two.py': old });
  const run = r.commit({ 'two.py': old.replace('import json', 'import pickle as json') }, 'alias');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}two\.py:10/);
  assert.doesNotMatch(run.output, /two\.py:6/, 'the call the old content held is not reported');
});

test('the server refuses a push whose commit only changes an import above an unchanged call (pre-receive)', () => {
  const r = Repo.init();
  r.commitUnchecked({ 'app.py': JSON_LOADER }, 'root');
  const bare = Repo.init({ bare: true, env: r.env }).installPreReceiveHook();
  assert.equal(r.git(['push', '-q', '--no-verify', bare.dir, 'main']).code, 0);
  const edit = r.commitUnchecked({ 'app.py': JSON_LOADER.replace('import json', 'import pickle as json') }, 'alias');
  const push = r.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.stderr, new RegExp(`deserialization\\.pickle {2}${edit.slice(0, 12)} app\\.py:5`));
});

test('an allow comment on the unchanged call line (or the line before) still allows it', () => {
  const r = repoWith({
    'a.py': JSON_LOADER.replace('json.loads(blob)', 'json.loads(blob)  # gitward:allow deserialization (our own files)'),
    'b.py': JSON_LOADER.replace('    return json.loads(blob)', '    # gitward:allow-next-line deserialization\n    return json.loads(blob)'),
  });
  const aliased = (path: string) => readFileSync(join(r.dir, path), 'utf8').replace('import json', 'import pickle as json');
  r.write({ 'a.py': aliased('a.py'), 'b.py': aliased('b.py') });
  r.git(['add', '-A']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: unknown[]; stats: { suppressed: number } };
  assert.deepEqual([json.findings.length, json.stats.suppressed], [0, 2], 'both found, both allowed');
  const run = r.git(['commit', '-q', '-m', 'alias'], { allowFail: true });
  assert.equal(run.code, 0, run.output);
});

test('a declaration put in force by deleting line 1 is found over a range of commits and the whole history', () => {
  // Read oldest first, the old version is known to hold no module word; it holds a declaration
  // (line 3) that a deletion can bring to line 2, so it is never remembered clean.
  const r = Repo.init();
  r.commitUnchecked({ 'a.py': '# a\n# b\n# coding: utf-7\n+AGk-mport +AHA-ickle\nx = +AHA-ickle.loads(b)\n' }, 'root');
  const deleted = r.commitUnchecked({ 'a.py': '# b\n# coding: utf-7\n+AGk-mport +AHA-ickle\nx = +AHA-ickle.loads(b)\n' }, 'line 1 deleted');
  for (const args of [['--range', 'HEAD'], ['--history']]) {
    const json = JSON.parse(r.gitward(['scan', ...args, '--format', 'json']).stdout) as { findings: { rule: string; line: number; commit: string }[] };
    assert.deepEqual(json.findings.map((f) => [f.rule, f.line, f.commit]), [['deserialization.encoding', 1, deleted]], args.join(' '));
  }
});

test('a shebang naming Python added to a file without .py makes its old lines calls: they are reported', () => {
  const r = repoWith({ tool: 'import pickle\nx = pickle.loads(b)\n' });
  const run = r.commit({ tool: '#!/usr/bin/env python3\nimport pickle\nx = pickle.loads(b)\n' }, 'make it a script');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}tool:3/);
});

test('a mode change of a large Python file with a call: no finding, no notice (its content is unchanged)', () => {
  const big = `import pickle\nx = pickle.loads(b)\n${'# filler\n'.repeat(400)}`;
  const r = Repo.init();
  r.commitUnchecked({ '.gitward.toml': '[limits]\nmax-file-bytes = 2048\n', 'big.py': big }, 'root');
  r.git(['update-index', '--chmod=+x', 'big.py']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: unknown[]; stats: { notices: string[] } };
  assert.deepEqual([json.findings, json.stats.notices], [[], []]);
});

test('a new call is told from an old one of the same text by where the patch says each line was', () => {
  // The string's quotes deleted make line 2 a call; line 4's call, allowed by the line above it, was
  // one before: the new call is reported (at line 2), the old one stays allowed.
  const r = repoWith({ 'a.py': 'import pickle\n"""\npickle.loads(user_input)\n"""\n# gitward:allow-next-line deserialization\npickle.loads(user_input)\n' });
  r.write({ 'a.py': 'import pickle\npickle.loads(user_input)\n# gitward:allow-next-line deserialization\npickle.loads(user_input)\n' });
  r.git(['add', '-A']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: { line: number }[]; stats: { suppressed: number } };
  assert.deepEqual([json.findings.map((f) => f.line), json.stats.suppressed], [[2], 0]);
});

test('a line deleted inside an old multi-line call leaves it the call it was', () => {
  const r = repoWith({ 'a.py': 'import pickle\n\n\ndef g(f):\n    return pickle.load(\n        f,\n        # TODO drop\n        encoding="latin1",\n    )\n' });
  const run = r.commit({ 'a.py': 'import pickle\n\n\ndef g(f):\n    return pickle.load(\n        f,\n        encoding="latin1",\n    )\n' }, 'drop a comment');
  assert.equal(run.code, 0, run.output);
});

test('a file read in part (past max-file-bytes) is judged on its added lines only, in every door', () => {
  const r = Repo.init();
  r.commitUnchecked({ '.gitward.toml': '[limits]\nmax-file-bytes = 1024\n' }, 'root');
  r.commitUnchecked({ 'big.py': `import json\njson.loads(b)\n${'# padding line of the file\n'.repeat(100)}` }, 'big');
  r.commitUnchecked({ 'big.py': `import pickle as json\njson.loads(b)\n${'# padding line of the file\n'.repeat(100)}` }, 'alias');
  for (const args of [['--history'], ['--range', 'HEAD~2..HEAD'], ['--range', 'HEAD~1..HEAD']]) {
    const json = JSON.parse(r.gitward(['scan', ...args, '--format', 'json']).stdout) as { findings: unknown[]; stats: { notices: string[] } };
    assert.deepEqual(json.findings, [], args.join(' '));
    assert.ok(json.stats.notices.some((n) => n.includes('big.py: larger than limits.max-file-bytes')), args.join(' '));
  }
});

test('oldLineOf and oldLines map every line a patch kept to its old line (random edits, git diff -U0 --no-index)', () => {
  const dir = tempDir('gitward-hunks-');
  let seed = 20261201;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 40; round++) {
    const old = Array.from({ length: 1 + Math.floor(random() * 60) }, (_, i) => `old ${round} ${i}`);
    // The new file: each old line kept or dropped, new lines put in anywhere; where each came from.
    const now: string[] = [];
    const from: (number | null)[] = [];
    old.forEach((line, i) => {
      while (random() < 0.2) (now.push(`new ${round} ${now.length}`), from.push(null));
      if (random() < 0.75) (now.push(line), from.push(i + 1));
    });
    while (random() < 0.3) (now.push(`new ${round} ${now.length}`), from.push(null));
    writeFileSync(join(dir, 'a'), old.map((l) => `${l}\n`).join(''));
    writeFileSync(join(dir, 'b'), now.map((l) => `${l}\n`).join(''));
    const diff = spawnSync('git', ['diff', '--no-index', '-U0', 'a', 'b'], { cwd: dir, encoding: 'utf8' }).stdout;
    const hunks = [...diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].flatMap((m) => [Number(m[1]), m[2] === undefined ? 1 : Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])]);
    from.forEach((was, k) => assert.equal(oldLineOf(hunks, k + 1), was, `round ${round}, new line ${k + 1}`));
    // One mapper asked in ascending order (a file's calls), then again from the start.
    const mapper = oldLines(hunks);
    for (const k of [...from.keys(), ...from.keys()]) assert.equal(mapper(k + 1), from[k], `round ${round}, in order, new line ${k + 1}`);
  }
});

test('a commit that only deletes lines of a large Python file with a call: no finding, no notice (it adds nothing)', () => {
  const big = `import pickle\nx = pickle.loads(b)\n${'# filler\n'.repeat(400)}`;
  const r = Repo.init();
  r.commitUnchecked({ '.gitward.toml': '[limits]\nmax-file-bytes = 2048\n', 'big.py': big }, 'root');
  r.write({ 'big.py': big.replace('# filler\n', '') });
  r.git(['add', '-A']);
  const json = JSON.parse(r.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: unknown[]; stats: { notices: string[] } };
  assert.deepEqual([json.findings, json.stats.notices], [[], []]);
});
