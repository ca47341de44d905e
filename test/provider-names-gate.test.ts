import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { leadingNames } from '../src/rules/secrets/candidates.ts';
import { namesGate } from '../src/rules/secrets/detector.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// A provider row whose pattern opens with names (keyed rows: `(?<![a-z])(?:lob)…`) runs only on a
// line holding one of them, ASCII case aside: the gate must let through every line the pattern
// matches (it may let through more; the pattern then decides).

const gated = PROVIDERS.map((p) => ({ p, gate: namesGate(p.source, p.flags), names: leadingNames(p.source) })).filter((r) => r.gate !== null);

test('most case-insensitive provider rows open with names, and Lob\'s are not its keywords', () => {
  assert.ok(gated.length >= 100, `${gated.length} rows gated`);
  const lob = gated.find((r) => r.p.id === 'secret.lob-api-key');
  assert.deepEqual(lob?.names, ['lob']);
  // The everyday test file's lines hold Lob's keyword, not its name: the pattern is not run (nor compiled).
  assert.equal(lob!.gate!('    return app.test_client()'), false);
  assert.equal(lob!.gate!(`LOB_API_KEY="live_${'0'.repeat(35)}"`), true);
});

test('property: every line a gated row\'s pattern matches passes its gate (generated positives, names in any case)', () => {
  for (const { p, gate } of gated) {
    const pattern = new RegExp(p.source, p.flags.replace('y', '').replace('g', '') + 'g');
    for (const make of p.positives) {
      const line = make();
      pattern.lastIndex = 0;
      assert.ok(pattern.test(line), `${p.id}: positive not matched: ${line}`);
      assert.ok(gate!(line), `${p.id}: gate refused a positive`);
    }
  }
  // Lines made of a row's names (letters in random case, and characters that case-fold to ASCII
  // letters only under the u flag), assignment syntax and values.
  const row = fc.constantFrom(...gated);
  const pieces = (names: string[]) =>
    fc.array(
      fc.oneof(
        fc.constantFrom(...names).chain((n) => fc.array(fc.boolean(), { minLength: n.length, maxLength: n.length }).map((up) => [...n].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join(''))),
        fc.constantFrom('=', ' = ', ': ', '"', "'", '_', '-', '.', 'key', 'token', 'secret', '\u212a', 'ſ', 'İ', 'ı'),
        fc.stringMatching(/^[a-f0-9]{8,40}$/),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 8 },
    ).map((xs) => xs.join(''));
  fc.assert(
    fc.property(row.chain((r) => fc.tuple(fc.constant(r), pieces(r.names!))), ([r, line]) => {
      const pattern = new RegExp(r.p.source, r.p.flags.replace('y', '').replace('g', ''));
      if (pattern.test(line)) assert.ok(r.gate!(line), `${r.p.id}: ${JSON.stringify(line)}`);
    }),
    fuzzParams(3000),
  );
});

test('leadingNames: only a group that every match must start with', () => {
  assert.deepEqual(leadingNames('(?<![a-z])(?:aws_secret|awssecret)[\\w.-]{0,24}?=x'), ['aws_secret', 'awssecret']);
  assert.equal(leadingNames('(?<![a-z])(?:lob)?x'), null);
  assert.equal(leadingNames('(?<![a-z])(?:lob)x|y'), null);
  assert.equal(leadingNames('(?<![a-z])(?:lo\\.b)x'), null);
  assert.equal(leadingNames('(?:a|)x'), null);
  assert.deepEqual(leadingNames('(?:a|b)(?:c|d)'), ['a', 'b']);
  assert.equal(namesGate('(?:k)x', 'iu'), null);
});
