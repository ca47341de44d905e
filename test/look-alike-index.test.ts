import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bundledTopPackages, editDistance, lookAlikeOf, type TopPackages } from '../src/rules/requirements/look-alike.ts';
import { charMask, popCount } from '../src/rules/requirements/look-alike-index.ts';

// The look-alike search skips most targets (by length, by the characters they use) and remembers
// its answers; it must answer exactly as the plain pass over every target it replaced, kept here
// as the reference.
function withoutDigits(name: string): string {
  return name.replace(/[0-9]+/g, '').replace(/-+$/, '');
}
function referenceLookAlike(name: string, top: TopPackages): string | null {
  if (top.known.has(name) || name.length < 5) return null;
  const max = name.length >= 9 ? 2 : 1;
  let found: string | null = null;
  let foundDistance = max + 1;
  for (const target of top.targets) {
    if (target.length < 5 || Math.abs(target.length - name.length) > max || withoutDigits(target) === withoutDigits(name)) continue;
    const d = editDistance(name, target, Math.min(max, foundDistance - 1));
    if (d < foundDistance) {
      found = target;
      foundDistance = d;
      if (d === 1) break;
    }
  }
  return found;
}

const top = bundledTopPackages();
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

/** A target with up to three random edits (insert, delete, substitute, swap): near misses and far ones. */
const nearName = fc
  .tuple(
    fc.nat(),
    fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'substitute', 'swap'), fc.nat(), fc.constantFrom(...LETTERS)), { maxLength: 3 }),
  )
  .map(([pick, edits]) => {
    let name = top!.targets[pick % top!.targets.length];
    for (const [kind, at, ch] of edits) {
      const i = at % (name.length + 1);
      if (kind === 'insert') name = name.slice(0, i) + ch + name.slice(i);
      else if (kind === 'delete') name = name.slice(0, i) + name.slice(i + 1);
      else if (kind === 'substitute') name = name.slice(0, i) + ch + name.slice(i + 1);
      else if (i + 1 < name.length) name = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    }
    return name;
  });

test('lookAlikeOf answers as the plain pass over every target (near misses of real targets)', () => {
  assert.ok(top, 'the bundled ranking is found');
  let found = 0;
  fc.assert(
    fc.property(nearName, (name) => {
      const expected = referenceLookAlike(name, top);
      if (expected !== null) found++;
      assert.equal(lookAlikeOf(name, top), expected, name);
      assert.equal(lookAlikeOf(name, top), expected, `${name}, answered again (remembered)`);
    }),
    { numRuns: 1500 },
  );
  assert.ok(found > 200, `the generated names reach targets (${found})`);
});

test('charMask rules out only pairs that need more edits than allowed', () => {
  fc.assert(
    fc.property(nearName, nearName, (a, b) => {
      const d = editDistance(a, b, 3);
      if (d > 3) return; // editDistance stops counting past its limit
      assert.ok(popCount(charMask(a) & ~charMask(b)) <= d && popCount(charMask(b) & ~charMask(a)) <= d, `${a} / ${b}: ${d}`);
    }),
    { numRuns: 4000 },
  );
  assert.equal(popCount(0xffffffff), 32);
  assert.equal(popCount(0), 0);
});
