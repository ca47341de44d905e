import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachSchemeMatch, tokenRuns } from '../src/rules/secrets/candidates.ts';

// The hand-written candidate finders must find exactly what the regexes they replace found, kept
// here as the reference (same matches, same positions, same order).
const OLD_HIGH_ENTROPY = /[A-Za-z0-9+/_=-]{32,400}/g;
const URL_SOURCE = String.raw`(?<scheme>[a-z][a-z0-9+.-]{1,20}):\/\/(?<user>[^\s:@/'"<>]{0,100}):(?<pass>[^\s@/'"<>]{1,200})@(?<host>[^\s/'"?#:<>,]{1,200})`;

const pieces = (chars: string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));

test('tokenRuns finds the matches of the former high-entropy regex', () => {
  const run = (n: number) => 'aB3+/_=-x'.repeat(Math.ceil(n / 9)).slice(0, n);
  fc.assert(
    fc.property(pieces([' ', '"', '.', ':', 'é', run(5), run(31), run(32), run(33), run(399), run(400), run(401), run(432)], 12), (text) => {
      const expected: number[] = [];
      for (const m of text.matchAll(OLD_HIGH_ENTROPY)) expected.push(m.index, m.index + m[0].length);
      const found: number[] = [];
      tokenRuns(text, found);
      assert.deepEqual(found, expected);
    }),
    { numRuns: 3000 },
  );
});

test('forEachSchemeMatch finds the matches of the former URL-credentials regex', () => {
  // Scheme-like runs of every length around the 21-character limit, and whole `://user:pass@host` tails.
  const runs = [1, 2, 19, 20, 21, 22].map((n) => 'yY9'.repeat(8).slice(0, n));
  const parts = ['://', ':', '@', '/', 'a', 'Z', '1', '+', '.', '-', ' ', '"', 'https', 'postgres', 'p4ss', 'mongodb+srv', 'é', ',', '#', '://u:p4ss@db', ':s3cr3t@h', ...runs];
  fc.assert(
    fc.property(pieces(parts, 30), (text) => {
      const expected = [...text.matchAll(new RegExp(URL_SOURCE, 'gi'))].map((m) => [m.index, m[0], m.groups!.pass]);
      const found: unknown[] = [];
      forEachSchemeMatch(text, new RegExp(URL_SOURCE, 'iy'), (m) => found.push([m.index, m[0], m.groups!.pass]));
      assert.deepEqual(found, expected);
    }),
    { numRuns: 5000 },
  );
});
