import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/git.ts';
import { PROVIDERS_DOC, formatOf, renderProviders } from '../scripts/providers-doc.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';

test('docs/providers.md is generated from the provider table and up to date', () => {
  const page = readFileSync(join(ROOT, PROVIDERS_DOC), 'utf8');
  assert.equal(page, renderProviders(), 'run `npm run docs` to regenerate docs/providers.md');
});

test('the provider page lists every provider rule with its id and a format', () => {
  const page = renderProviders();
  for (const p of PROVIDERS) {
    assert.ok(page.includes(`| \`${p.id}\` |`), `${p.id} is missing from the page`);
    assert.ok(formatOf(p).length > 2, `${p.id} has no format text`);
  }
  // Keyed formats name the words they must follow.
  const hubspot = PROVIDERS.find((p) => p.id === 'secret.hubspot-api-key')!;
  assert.match(formatOf(hubspot), /assigned to a name containing `hubspot`/);
});
