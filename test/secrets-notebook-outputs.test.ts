import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fake } from '../src/rules/secrets/fake.ts';
import { Repo } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// A notebook's outputs are what a cell printed: a credential-shaped assignment there is a value
// shown, not one written into code, so the generic assignment rule passes it over; in the cell's
// source it is reported. The state runs from line to line (`"outputs":` to the next `"source":`).
test('a notebook: a credential assignment in a cell\'s source is reported, the same text in its outputs is not', () => {
  const repo = Repo.init();
  const value = () => `Zq${fake.alnum(18)}9x`;
  const sourceValue = value();
  const outputValue = value();
  const notebook = [
    '{',
    ' "cells": [',
    '  {',
    '   "cell_type": "code",',
    '   "outputs": [',
    '    {',
    '     "name": "stdout",',
    '     "output_type": "stream",',
    '     "text": [',
    `      "db_password = \\"${outputValue}\\"\\n"`,
    '     ]',
    '    }',
    '   ],',
    '   "source": [',
    `    "db_password = \\"${sourceValue}\\"\\n"`,
    '   ]',
    '  }',
    ' ]',
    '}',
    '',
  ].join('\n');
  repo.write({ 'analysis.ipynb': notebook });
  repo.git(['add', 'analysis.ipynb']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; line: number }[] }).findings.filter((f) => f.rule === 'secret.generic-assignment');
  assert.deepEqual(findings.map((f) => f.line), [15], run.stdout);
});

// A notebook saved as one line of JSON (Kaggle's downloads, nbformat written with no indent) holds
// every cell on that line, its code as escaped strings: read as Jupyter lays it out, the source's
// assignment is reported at line 1, the outputs' is not, a token once, and a placeholder not at all.
test('a notebook on one line of JSON: the source\'s assignment is reported, its outputs\' is not, a token once, a placeholder never', () => {
  const repo = Repo.init();
  const value = () => `Zq${fake.alnum(18)}9x`;
  const sourceValue = value();
  const token = fakeGithubPat();
  const cell = (source: string[], outputs: unknown[] = []) => ({ cell_type: 'code', execution_count: 1, metadata: {}, outputs, source });
  const notebook = {
    cells: [
      cell(['import requests\n', `db_password = "${sourceValue}"\n`, 'requests.get(URL, auth=("admin", db_password))']),
      cell(['print(creds)'], [{ name: 'stdout', output_type: 'stream', text: [`db_password = "${value()}"\n`] }]),
      cell([`GH = "${token}"\n`, 'password = "changeme"\n', 'api_key = os.environ["API_KEY"]']),
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 4,
  };
  repo.write({ 'kaggle.ipynb': `${JSON.stringify(notebook)}\n`, 'not-a-notebook.ipynb': `${JSON.stringify({ password: 'x', note: '"cells"' })}\n` });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings;
  assert.deepEqual(findings.map((f) => `${f.path}:${f.line} ${f.rule}`).sort(), ['kaggle.ipynb:1 secret.generic-assignment', 'kaggle.ipynb:1 secret.github-pat'], run.stdout);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(sourceValue));
  // Every finding stands at line 1: each says which cell, and which of its lines.
  const text = repo.gitward(['scan']);
  assert.match(text.output, /secret\.generic-assignment {2}kaggle\.ipynb:1\n.*\n {4}- in cell 1, its line 2 \(the notebook is one line of JSON\)/, text.output);
  assert.match(text.output, /secret\.github-pat {2}kaggle\.ipynb:1\n.*\n {4}- in cell 3, its line 1 \(the notebook is one line of JSON\)/, text.output);
});

// Past max-line-length a line comes to the rules as windows: a one-line notebook is still read
// whole, and its plot's base64 stays in its outputs (no high-entropy warnings from the picture).
test('a one-line notebook longer than max-line-length: the assignment is found, the plot in its outputs warns of nothing', () => {
  const repo = Repo.init();
  const sourceValue = `Zq${fake.alnum(18)}9x`;
  const picture = Array.from({ length: 40 }, () => fake.alnum(76)).join('');
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: 2,
        metadata: {},
        outputs: [{ data: { 'image/png': picture, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {}, output_type: 'display_data' }],
        source: ['import matplotlib.pyplot as plt\n', `db_password = "${sourceValue}"\n`, 'plt.plot([1, 2, 3])'],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const line = JSON.stringify(notebook);
  assert.ok(line.length > 2048);
  repo.write({ '.gitward.toml': '[limits]\nmax-line-length = 1024\n', 'plots.ipynb': `${line}\n` });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings;
  assert.deepEqual(findings.map((f) => `${f.path}:${f.line} ${f.rule}`), ['plots.ipynb:1 secret.generic-assignment'], run.stdout);
});

// A file past 256 KiB of added text is scanned in parts (FilePart); the state a notebook carries
// from line to line (in a cell's outputs or not) goes on into the next part. It started over, so
// a plot's lines in its outputs past the cut were read as code: 361 high-entropy warnings on one
// real 600 KB notebook, 14,810 on a book's 25 notebooks.
test('a notebook larger than a part: its outputs stay outputs past the cut, and a source after them is read as source', () => {
  const repo = Repo.init();
  const sourceValue = `Zq${fake.alnum(18)}9x`;
  // Laid out as Jupyter writes it (indent 1); the plot's base64 in lines of 76, as matplotlib's animations embed it.
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        outputs: [{ data: { 'text/html': ['<script>frames[0] = "data:image/png;base64,\\\n', ...Array.from({ length: 6000 }, () => `${fake.alnum(76)}\\\n`), '";</script>'] }, metadata: {}, output_type: 'display_data' }],
        source: [`db_password = "${sourceValue}"\n`],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 4,
  };
  const text = `${JSON.stringify(notebook, null, 1)}\n`;
  assert.ok(text.length > 2 * 256 * 1024, 'at least three parts');
  const sourceLine = text.split('\n').findIndex((line) => line.includes('db_password')) + 1;
  repo.write({ 'animation.ipynb': text });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings;
  assert.deepEqual(findings.map((f) => `${f.path}:${f.line} ${f.rule}`), [`animation.ipynb:${sourceLine} secret.generic-assignment`], run.stdout.slice(0, 2000));
});

// A markdown cell is prose: a credential-shaped assignment there warns, as in a .md file, and the
// code cell after it blocks. Its type counts only where it is seen before its source (Jupyter's
// sorted keys; a one-line notebook is laid out so); a cell written source first, or an edit that
// adds a markdown cell's lines without its type line, is read as code.
test('a notebook\'s markdown cell warns, its code cell blocks; where the type is not seen first, both block', () => {
  const repo = Repo.init();
  const value = () => `Zq${fake.alnum(18)}9x`;
  const markdown = { cell_type: 'markdown', metadata: {}, source: ['## Setup\n', `Set \`db_password = "${value()}"\` in your environment.\n`] };
  const code = { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: [`db_password = "${value()}"\n`] };
  const sourceFirst = (cell: Record<string, unknown>) => {
    const { cell_type: type, ...rest } = cell;
    return { ...rest, cell_type: type };
  };
  repo.write({
    'pretty.ipynb': `${JSON.stringify({ cells: [markdown, code] }, null, 1)}\n`,
    'kaggle.ipynb': `${JSON.stringify({ cells: [markdown, code].map(sourceFirst) })}\n`,
    'unsorted.ipynb': `${JSON.stringify({ cells: [markdown, code].map(sourceFirst) }, null, 1)}\n`,
  });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; severity: string }[] }).findings;
  const seen = findings.map((f) => `${f.path} ${f.severity}`).sort();
  assert.deepEqual(seen, ['kaggle.ipynb block', 'kaggle.ipynb warn', 'pretty.ipynb block', 'pretty.ipynb warn', 'unsorted.ipynb block', 'unsorted.ipynb block'], run.stdout);

  // An edit to the markdown cell alone: its type line is not among the added lines.
  repo.git(['commit', '-q', '--no-verify', '-m', 'notebooks']);
  const text = readFileSync(join(repo.dir, 'pretty.ipynb'), 'utf8').replace('## Setup\\n', `## Setup\\n",\n    "Or \`db_password = \\"${value()}\\"\`.\\n`);
  repo.write({ 'pretty.ipynb': text });
  repo.git(['add', '-A']);
  const edit = repo.gitward(['scan', '--format', 'json']);
  const edited = (JSON.parse(edit.stdout) as { findings: { rule: string; severity: string }[] }).findings;
  assert.deepEqual(edited.map((f) => `${f.rule} ${f.severity}`), ['secret.generic-assignment block'], edit.stdout);
});

// A hostile one-line notebook nested deeper than JSON.stringify can recurse (JSON.parse reads it):
// read as the line it is, never an internal error.
test('a one-line notebook nested 20,000 deep is read as a line: no crash, its token still blocks', () => {
  const repo = Repo.init();
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const token = fakeGithubPat();
  repo.write({ 'deep.ipynb': `{"cells":[{"cell_type":"code","source":["GH = \\"${token}\\""],"metadata":{},"outputs":[]}],"metadata":{"deep":${deep}}}\n` });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  assert.equal(run.code, 1, run.output);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string }[] }).findings.map((f) => `${f.path} ${f.rule}`);
  assert.deepEqual(findings, ['deep.ipynb secret.github-pat'], run.stdout);
});
