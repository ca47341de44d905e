import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange } from '../src/engine/types.ts';
import { deserializationDetector } from '../src/rules/deserialization/detector.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { Repo } from './helpers/git.ts';
import { fileChangeOf } from './helpers/change.ts';
import { cpuMs } from './helpers/cpu-time.ts';

/**
 * The Python call finder on one hostile line of 1 MB, judged by a ratio to 1 MB of ordinary Python
 * that also passes the prefilter and is tokenized (no wall-clock limit). Each call used to scan to
 * the end of the file for its closing paren: about 2,000x at 64 KiB, so a hang at 1 MB.
 */
const BIG = 1 << 20;
/** Measured 1 MB ratios are 1-5x; a quadratic finder is in the thousands. */
const RATIO = 25;

const fill = (piece: string, size: number) => piece.repeat(Math.ceil(size / piece.length)).slice(0, size);

const changeOf = (path: string, text: string): FileChange => fileChangeOf(path, text);

const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };

/** Median of three runs; stops after one when that one is already far past `enough`. */
async function time(path: string, text: string, enough = Infinity): Promise<{ ms: number; findings: number }> {
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const change = changeOf(path, text);
    const start = cpuMs();
    findings = (await deserializationDetector.scan(change, ctx)).length;
    times.push(cpuMs() - start);
    if (times[0] > enough) break;
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)], findings };
}

const ORDINARY = 'import json, yaml\nx = json.loads(data, parse_float=float)  # ordinary\ny = yaml.safe_load(s)\nprint(x["a"], [1, 2], {"k": (3, 4)})\n';
const HOSTILE = [
  'pickle.loads(', 'torch.load(x, ', 'pickle.loads(\n', 'yaml.load(s, Loader=', 'np.load(f, allow_pickle=True, ', 'import pickle as p;p.loads(', 'from pickle import *;loads(', '[pickle.loads, ',
  // f-strings' fields: closed ones, ever deeper nesting (past the depth whose fields are read), fields in specs, specs in specs.
  'f"{pickle.loads(x)}"', `f'{pickle.loads(f"{`, 'f"{x:{pickle.loads(', 'f"""{pickle.loads(\n', 'f"{pickle.loads(x):{',
];

test('the Python call finder is linear on 1 MB hostile lines (ratio to 1 MB of ordinary Python)', async () => {
  const failures: string[] = [];
  for (const size of [1 << 16, BIG]) {
    const ordinary = await time('app.py', fill(ORDINARY, size));
    assert.ok(ordinary.findings === 0, 'ordinary Python raises nothing');
    const base = Math.max(4, ordinary.ms);
    const lines = [...HOSTILE.map((p) => fill(p, size)), `x = pickle.loads(${fill('(', size)}`, `torch.load(${fill('[', size)}`];
    for (const line of lines) {
      const hostile = await time('app.py', line, base * RATIO);
      assert.ok(hostile.findings > 0, `the hostile line ${JSON.stringify(line.slice(0, 20))} is still judged unsafe`);
      if (hostile.ms / base > RATIO) failures.push(`${size} bytes: ${(hostile.ms / base).toFixed(0)}x on ${JSON.stringify(line.slice(0, 20))}`);
    }
    // A quadratic finder already fails at 64 KiB: do not go on to 1 MB and hang.
    if (failures.length > 0) break;
  }
  assert.deepEqual(failures, []);
});

test('a notebook cell holding a 1 MB hostile line is linear too', async () => {
  const nb = (source: string) => JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: [source] }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  const base = Math.max(4, (await time('a.ipynb', nb(fill(ORDINARY, BIG)))).ms);
  const hostile = await time('a.ipynb', nb(fill('torch.load(x, ', BIG)), base * RATIO);
  assert.ok(hostile.findings > 0);
  assert.ok(hostile.ms / base <= RATIO, `${(hostile.ms / base).toFixed(0)}x`);
});

test('arguments are still read right: nested brackets skipped, keywords at depth 1 only, positions kept', () => {
  const repo = Repo.init();
  const files: Record<string, string> = {
    'nested-safe.py': 'import torch\nm = torch.load(open(p, "rb"), map_location={"a": (1, 2)}, weights_only=True)\n',
    'inner-keyword.py': 'import torch\nm = torch.load(f(weights_only=True))\n',
    'nested-unsafe.py': 'import pickle, torch\nx = pickle.loads(torch.load(f, weights_only=True))\n',
    'positional.py': 'import numpy as np\na = np.load(f, None, True)\n',
    'kwargs.py': 'import torch\nm = torch.load(f, **opts)\n',
    'long-value.py': `import torch\nm = torch.load(f, weights_only=${'x.'.repeat(300)}y)\n`,
    'unclosed.py': 'import pickle\nx = pickle.loads(\n    b,\n',
  };
  const { json } = repo.stageAndScan(files);
  const of = (path: string) => json.findings.filter((f) => f.path === path).map((f) => `${f.rule}:${f.line}:${f.severity}`);
  assert.deepEqual(of('nested-safe.py'), []);
  assert.deepEqual(of('inner-keyword.py'), ['deserialization.torch:2:block']);
  assert.deepEqual(of('nested-unsafe.py'), ['deserialization.pickle:2:block']);
  assert.deepEqual(of('positional.py'), ['deserialization.numpy:2:block']);
  assert.deepEqual(of('kwargs.py'), ['deserialization.torch:2:warn']);
  assert.deepEqual(of('long-value.py'), ['deserialization.torch:2:block']);
  assert.ok(json.findings.every((f) => f.message.length < 600), 'a long argument is cut in the message');
  assert.deepEqual(of('unclosed.py'), ['deserialization.pickle:2:block']);
});

test('an added line inside an old multi-line call is judged with the whole call', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'model.py': 'import torch\nm = torch.load(\n    f,\n)\nok = 1\n' });
  const { json } = repo.stageAndScan({ 'model.py': 'import torch\nm = torch.load(\n    f,\n    weights_only=False,\n)\nok = 1\n' });
  const hits = json.findings.filter((f) => f.category === 'unsafe-deserialization').map((f) => `${f.rule}:${f.line}`);
  assert.deepEqual(hits, ['deserialization.torch:4']);
});

test('the prefilter cannot be dodged: aliases without a call, NFKC identifiers, escaped notebook JSON', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'alias.py': 'from pickle import loads as l\n', 'nb.ipynb': '{}\n' });
  // The added lines hold no deserialization word and no call; the alias is bound on an old line.
  const nb = { cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: ['import pickle\n', 'x = pickle.loads(b)\n'] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  const escaped = JSON.stringify(nb, null, 1).replace(/pickle/g, '\\u0070ickle') + '\n';
  const fullwidth = String.fromCodePoint(...[...'pickle'].map((c) => c.codePointAt(0)! - 0x61 + 0xff41));
  const { json } = repo.stageAndScan({
    'alias.py': 'from pickle import loads as l\nhandler = l\n',
    'wide.py': `import ${fullwidth}\nx = ${fullwidth}.loads(b)\n`,
    'nb.ipynb': escaped,
    'payload.py': 'def download(payload):\n    return decode(load(payload))\n',
  });
  const hits = json.findings.filter((f) => f.category === 'unsafe-deserialization').map((f) => `${f.path}:${f.line}`).sort();
  const nbLine = escaped.split('\n').findIndex((l) => l.includes('.loads(b)')) + 1;
  assert.deepEqual(hits, ['alias.py:2', `nb.ipynb:${nbLine}`, 'wide.py:2']);
});

test('a call after an import on the same line (`import pickle; pickle.loads(b)`) is found', () => {
  const repo = Repo.init();
  const { json } = repo.stageAndScan({ 'one.py': 'import pickle; x = pickle.loads(b)\n', 'two.py': 'from pickle import loads as l; l(b)\n' });
  const hits = json.findings.filter((f) => f.category === 'unsafe-deserialization').map((f) => `${f.path}:${f.line}`).sort();
  assert.deepEqual(hits, ['one.py:1', 'two.py:1']);
});
