import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange } from '../src/engine/types.ts';
import { deserializationDetector } from '../src/rules/deserialization/detector.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { fileChangeOf } from './helpers/change.ts';
import { Repo } from './helpers/git.ts';

// A blob with no module word cannot hold an unsafe call; a new version of it whose added lines hold
// none cannot either. The deserialization rule then clears the change without reading its blob.

/** A change from `oldBlob` to `newBlob` whose new text is `text`, counting the reads of its blob. */
function version(text: string, oldBlob: string | null, newBlob: string, added: number[] | null, reads: { n: number }, extra: Partial<FileChange> = {}): FileChange {
  const change = fileChangeOf('app/jobs.py', text, added ? new Set(added) : undefined);
  const load = change.loadContent;
  return { ...change, oldBlob, newBlob, loadContent: (options) => (reads.n++, load(options)), ...extra };
}

const ids = (c: string) => c.repeat(40);

test('a new version of a blob known clean, with clean added lines, is cleared without reading it; anything else is read', async () => {
  const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };
  const reads = { n: 0 };
  const v1 = 'import json\n\ndef load(b):\n    return json.loads(b)\n';
  assert.deepEqual(await deserializationDetector.scan(version(v1, null, ids('1'), null, reads), ctx), []);
  assert.equal(reads.n, 0, 'a new file is judged from its lines');
  const v2 = `${v1}\ndef size(b):\n    return len(b)\n`;
  assert.deepEqual(await deserializationDetector.scan(version(v2, ids('1'), ids('2'), [6, 7], reads), ctx), []);
  assert.equal(reads.n, 0, 'the old version was known clean and the added lines are');

  // An added line with a module word: read, and the unsafe call is found.
  const v3 = `import pickle\n${v2}\ndef evil(b):\n    return pickle.loads(b)\n`;
  const found = await deserializationDetector.scan(version(v3, ids('2'), ids('3'), [1, 9, 10, 11], reads), ctx);
  assert.equal(reads.n, 1);
  assert.deepEqual(found.map((f) => [f.rule.id, f.line]), [['deserialization.pickle', 11]]);

  // A merge: the other parent's lines are in the new content but not in the added lines.
  const merged = `import pickle as p\n${v2}\ndef evil(b):\n    return p.loads(b)\n`;
  const merge = await deserializationDetector.scan(version(merged, ids('2'), ids('4'), [10, 11], reads, { merge: true }), ctx);
  assert.equal(reads.n, 2, 'a merge is read even when its first parent is known clean');
  assert.deepEqual(merge.map((f) => [f.rule.id, f.line]), [['deserialization.pickle', 11]]);

  // A merge whose parents are all known clean, with clean added lines, is cleared; one whose other parent is unknown is read.
  const cleanMerge = `${v2}\ndef more(b):\n    return b\n`;
  assert.deepEqual(await deserializationDetector.scan(version(cleanMerge, ids('2'), ids('a'), [10, 11], reads, { merge: true, otherParentBlobs: [ids('1')] }), ctx), []);
  assert.equal(reads.n, 2, 'both parents known clean: not read');
  await deserializationDetector.scan(version(cleanMerge, ids('2'), ids('b'), [10, 11], reads, { merge: true, otherParentBlobs: [ids('1'), ids('e')] }), ctx);
  assert.equal(reads.n, 3, 'a parent never seen: read');

  // An old version never seen (or seen by another scan) is read.
  await deserializationDetector.scan(version(v2, ids('9'), ids('5'), [6, 7], reads), ctx);
  assert.equal(reads.n, 4);
  await deserializationDetector.scan(version(v2, ids('1'), ids('2'), [6, 7], reads), { config: defaultConfig(), notice: () => undefined });
  assert.equal(reads.n, 5, 'what one scan learned is not carried into another');
});

test('a pushed evil merge (an alias imported on one branch, used only in the merge) is refused though its first parent is clean', () => {
  const bare = Repo.init({ bare: true });
  bare.installPreReceiveHook();
  const repo = Repo.init({ env: bare.env });
  const clean = 'import json\n\n\ndef load(b):\n    return json.loads(b)\n';
  repo.commitUnchecked({ 'app/jobs.py': clean }, 'base');
  repo.git(['checkout', '-q', '-b', 'side']);
  repo.commitUnchecked({ 'app/jobs.py': `import pickle as p\n${clean}` }, 'side: an import');
  repo.git(['checkout', '-q', 'main']);
  repo.commitUnchecked({ 'app/jobs.py': `${clean}\n\ndef size(b):\n    return len(b)\n` }, 'main: a helper');
  repo.git(['merge', '-q', '--no-commit', 'side'], { allowFail: true });
  repo.write({ 'app/jobs.py': `import pickle as p\n${clean}\n\ndef size(b):\n    return len(b)\n\n\ndef evil(b):\n    return p.loads(b)\n` });
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'merge side']);
  const push = repo.git(['push', '--porcelain', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.output, /deserialization\.pickle/);
  const merge = repo.git(['rev-parse', 'HEAD']).stdout.trim();
  const audit = readFileSync(join(bare.dir, 'gitward-audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const findings = audit[0].findings as { rule: string; commit: string; line: number }[];
  assert.deepEqual(findings.map((f) => [f.rule, f.commit, f.line]), [['deserialization.pickle', merge, 14]]);
});

test('a blob read as plain Python is not taken as clean for a notebook: a \\u escape may spell a module there', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const repo = Repo.init({ env: bare.env });
  const notebook = (source: string[]) =>
    `{\n "cells": [\n  {\n   "cell_type": "code",\n   "metadata": {},\n   "outputs": [],\n   "source": [\n${source.map((s) => `    ${JSON.stringify(s).replace('pickle', '\\u0070ickle')}`).join(',\n')}\n   ]\n  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
  const first = notebook(['import pickle as p\n', 'x = 1\n']);
  assert.ok(first.includes('\\u0070ickle') && !first.includes('pickle as'), 'the module is spelled with an escape');
  // The same blob as a .py file (scanned first) and as a notebook.
  repo.commitUnchecked({ 'copy.py': first, 'nb.ipynb': first }, 'one blob, two kinds of file');
  const second = notebook(['import pickle as p\n', 'x = 1\n', 'p.loads(d)\n']);
  repo.commitUnchecked({ 'nb.ipynb': second }, 'the call');
  const push = repo.git(['push', '--porcelain', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  const audit = readFileSync(join(bare.dir, 'gitward-audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const findings = audit[0].findings as { rule: string; path: string; line: number }[];
  const callLine = second.split('\n').findIndex((l) => l.includes('p.loads')) + 1;
  assert.deepEqual(findings.map((f) => `${f.rule} ${f.path}:${f.line}`), [`deserialization.pickle nb.ipynb:${callLine}`]);
});

test('what is known without reading carries along a file: a \\u escape in a Python file, a change that only deletes lines, the read-ahead plan', async () => {
  const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };
  const reads = { n: 0 };
  const scan = (change: FileChange) => (deserializationDetector.appliesTo(change, ctx) ? deserializationDetector.scan(change, ctx) : Promise.resolve([]));
  // A new Python file with a \u escape (no module word): clean for Python, so its next version is not read.
  const v1 = 'import json\n\nSNOWMAN = "\\u2603"\n\ndef load(b):\n    return json.loads(b)\n';
  assert.deepEqual(await scan(version(v1, null, ids('1'), null, reads)), []);
  const v2 = `${v1}\ndef size(b):\n    return len(b)\n`;
  assert.deepEqual(await scan(version(v2, ids('1'), ids('2'), [8, 9], reads)), []);
  assert.equal(reads.n, 0, 'an escape is no module word in a Python file');
  // Only deleted lines: the new content is part of the old, so it is known clean without reading it.
  const v3 = v2.replace('SNOWMAN = "\\u2603"\n', '');
  assert.deepEqual(await scan(version(v3, ids('2'), ids('3'), [], reads)), []);
  const v4 = `${v3}\ndef twice(b):\n    return size(b) * 2\n`;
  assert.deepEqual(await scan(version(v4, ids('3'), ids('4'), [10, 11], reads)), []);
  assert.equal(reads.n, 0, 'the version after a deletion is cleared from its added lines');
  // The read-ahead plans (prefetch) the next changes before the scan reaches them: it already knows.
  const v5 = `${v4}\nX = 1\n`;
  const v6 = `${v5}\nY = 2\n`;
  const c5 = version(v5, ids('4'), ids('5'), [13], reads);
  const c6 = version(v6, ids('5'), ids('6'), [15], reads);
  assert.equal(deserializationDetector.prefetch!(c5, ctx), null);
  assert.equal(deserializationDetector.prefetch!(c6, ctx), null, 'planned before the change before it was scanned');
  // A module word in an added line: read, and the call found, with an unknown old blob read too.
  const v7 = `import pickle\n${v6}\ndef evil(b):\n    return pickle.loads(b)\n`;
  const c7 = version(v7, ids('6'), ids('7'), [1, 18, 19], reads);
  assert.deepEqual(deserializationDetector.prefetch!(c7, ctx), {});
  assert.deepEqual((await scan(c7)).map((f) => [f.rule.id, f.line]), [['deserialization.pickle', 19]]);
  assert.equal(reads.n, 1);
  // The same escape-only blob as a notebook is not taken as clean (the escape may spell a module there).
  const notebook = { ...version(v2, ids('1'), ids('8'), [8, 9], reads), path: 'app/jobs.ipynb' };
  assert.deepEqual(deserializationDetector.prefetch!(notebook, ctx), {});
});
