import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeywordScanner, LONG_RUN } from '../src/rules/secrets/keyword-scan.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';

// The one-pass scanner must answer exactly what the plain definitions answer: a keyword occurs
// when the ASCII-lower-cased line includes it (the non-unicode /i rule), a long run is 32+ of [A-Za-z0-9+/_=-].
const GROUPS = PROVIDERS.map((p) => p.keywords);
const FLAGS = [['pass', 'token', 'key'], ['sha0', 'sha-', '"resolved"', '--hash=', 'data:image']];
const scanner = new KeywordScanner(GROUPS, FLAGS);

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function expected(text: string): { groups: number[]; flags: number; longRun: boolean } {
  const lower = asciiLower(text);
  const groups = GROUPS.flatMap((ws, i) => (ws.some((w) => lower.includes(w)) ? [i] : []));
  const flags = FLAGS.reduce((bits, ws, i) => (ws.some((w) => lower.includes(w)) ? bits | (1 << i) : bits), 0);
  return { groups, flags, longRun: new RegExp(`[A-Za-z0-9+/_=-]{${LONG_RUN}}`).test(text) };
}

const pieces = [...new Set([...GROUPS.flat(), ...FLAGS.flat()])];
const piece = fc.oneof(
  fc.constantFrom(...pieces),
  fc.constantFrom(...pieces).map((w) => w.toUpperCase()),
  fc.constantFrom(...pieces).map((w) => w.slice(0, -1)),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('\u212A', 'İ', 'ſ', '\u00e9', ' ', '=', 'A'.repeat(31), 'b'.repeat(33)),
);

test('the keyword scanner finds exactly the keyword groups, flags and long runs the plain definitions give', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const text = parts.join('');
      const got = scanner.scan(text);
      assert.deepEqual({ groups: [...got.groups], flags: got.flags, longRun: got.longRun }, expected(text), JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
});

test('overlapping keywords are all found (a keyword inside another, one ending where the next starts)', () => {
  for (const text of ['sk-ant-xyz', 'SK_LIVE_x', 'xoxb-github_pat_', 'discordapp.com/api/webhooks', 'access_token$', 'sha-1 sha9', '']) {
    const got = scanner.scan(text);
    assert.deepEqual({ groups: [...got.groups], flags: got.flags, longRun: got.longRun }, expected(text), text);
  }
});

test('keywords must be lower-case ASCII (the table promises it)', () => {
  assert.throws(() => new KeywordScanner([['Upper']], []).scan('x'), /lower-case ASCII/);
});
