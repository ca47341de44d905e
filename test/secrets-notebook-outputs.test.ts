import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fake } from '../src/rules/secrets/fake.ts';
import { Repo } from './helpers/git.ts';

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
