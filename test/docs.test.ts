import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/git.ts';
import { updatedReadme } from '../scripts/rules-doc.ts';
import { allRules } from '../src/rules/index.ts';

test('every rule has an id, a one-line title and a full doc', () => {
  const ids = new Set<string>();
  for (const rule of allRules()) {
    assert.match(rule.id, /^[a-z][a-z0-9-]*\.[a-z0-9.-]+$/, rule.id);
    assert.ok(!ids.has(rule.id), `duplicate rule id ${rule.id}`);
    ids.add(rule.id);
    assert.ok(rule.title.length > 0 && !rule.title.includes('\n'), `${rule.id} title`);
    for (const key of ['catches', 'why', 'fix'] as const) assert.ok(rule.doc[key].length > 10, `${rule.id} doc.${key}`);
  }
});

test('the README rule reference is generated from the rules and up to date', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(updatedReadme(readme), readme, 'run `npm run docs` to regenerate the README rule reference');
});
