import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachSchemeMatch, leadingLiteral, tokenRuns } from '../src/rules/secrets/candidates.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';

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

test('leadingLiteral: the text every match starts with, or null when a pattern gives none', () => {
  const lb = String.raw`(?<![\w+.-])(?<![^/]\/)`;
  assert.equal(leadingLiteral(`${lb}(?<secret>ghp_[A-Za-z0-9]{36})(?![\\w/+-])`), 'ghp_');
  assert.equal(leadingLiteral(`${lb}(?<secret>xox[pe]-[0-9]{8})`), 'xox');
  assert.equal(leadingLiteral('-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY'), '-----BEGIN');
  assert.equal(leadingLiteral('abc?d'), 'ab'); // the quantified c may be absent
  assert.equal(leadingLiteral('(?<s>abc|def)'), null); // another branch
  assert.equal(leadingLiteral('abc[|]x|def'), null); // a branch of the whole pattern
  assert.equal(leadingLiteral('abc(?:x|y)z'), 'abc'); // an alternation deeper down
  assert.equal(leadingLiteral(`${lb}(?<secret>(?:AKIA|ASIA)[A-Z2-7]{16})`), null);
  assert.equal(leadingLiteral('^PuTTY'), null);
  assert.equal(leadingLiteral('(?=ab)abc'), null);
  // A leading group that may be skipped holds no literal every match starts with.
  assert.equal(leadingLiteral('(?<pre>acme_)?(?<secret>[A-Za-z0-9]{32})'), null);
  assert.equal(leadingLiteral('(?<pre>acme_){0,1}(?<secret>[A-Za-z0-9]{32})'), null);
  assert.equal(leadingLiteral('(?<outer>(?<pre>x_)?)(?<secret>[a-z]{8})'), null);
  assert.equal(leadingLiteral('(?<pre>acme_)*[a-z]{8}'), null);
  assert.equal(leadingLiteral('(?<pre>acme_)+[a-z]{8}'), 'acme_');
});

test('every built-in provider pattern with a leading literal matches only where that literal stands', () => {
  // Each positive example is padded with text holding the literal elsewhere; every match the
  // whole regex finds must start at an occurrence of the literal.
  let checked = 0;
  for (const p of PROVIDERS) {
    const lead = p.flags.includes('i') ? null : leadingLiteral(p.source);
    if (lead === null) continue;
    const pattern = new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`);
    for (const positive of p.positives) {
      const line: string = `${lead}x ${positive()} ${lead}${positive()}`;
      for (const m of line.matchAll(pattern)) {
        assert.ok(line.startsWith(lead, m.index), `${p.id}: a match at ${m.index} does not start with ${lead}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} matches checked`);
});
