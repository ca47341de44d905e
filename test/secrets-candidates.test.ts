import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachSchemeMatch, forEachWordLedMatch, hasRun, leadingLiteral, requiredRun, tokenRuns } from '../src/rules/secrets/candidates.ts';
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

// assignment.ts's key/value pair pattern, as the global regex it ran as before.
const PAIR_SOURCE = String.raw`(?<![\w-])["']?(?:key|name)["']?\s{0,2}[=:]\s{0,2}["'](?<name>[\w.-]{1,61})["'][^<>]{0,40}?(?<![\w-])["']?(?:value|defaultValue|default)["']?\s{0,2}[=:]\s{0,2}(?<value>"[^"]{1,300}"|'[^']{1,300}')`;
const pairMatches = (text: string, reach = 114) => {
  const found: unknown[] = [];
  forEachWordLedMatch(text, new RegExp(PAIR_SOURCE, 'y'), ['key', 'name'], ['value', 'default'], reach, (m) => found.push([m.index, m[0]]));
  return found;
};
const globalPairMatches = (text: string) => [...text.matchAll(new RegExp(PAIR_SOURCE, 'g'))].map((m) => [m.index, m[0]]);

test('forEachWordLedMatch finds the matches of the former key/value pair regex', () => {
  const parts = ['"key": "pw", ', '"name":"a_b",', "key='x' ", 'name=', '"value": "s3cr3tV"', "value='q'", 'default: "zz"', '"defaultValue":"k"', '"', "'", ':', ' ', 'a', '-', ',', '{', '}', '<', 'kname', 'x"name', 'value', 'key', 'name', 'n'.repeat(30), ' '.repeat(20)];
  fc.assert(
    fc.property(pieces(parts, 30), (text) => assert.deepEqual(pairMatches(text), globalPairMatches(text))),
    { numRuns: 5000 },
  );
});

test('forEachWordLedMatch: the pair pattern\'s value word stands at most 114 characters after its key word', () => {
  // The longest stretch between them: a 61-character name and 40 characters before the value's quote.
  const longest = `"name"  :  "${'a'.repeat(61)}"${' '.repeat(40)}"value": "zz"`;
  assert.equal(globalPairMatches(longest).length, 1);
  assert.deepEqual(pairMatches(longest), globalPairMatches(longest));
  assert.deepEqual(pairMatches(longest, 113), []); // the reach is no wider than it must be
  for (let name = 58; name <= 62; name++) {
    for (let gap = 37; gap <= 41; gap++) {
      const text = `'key'=  '${'b'.repeat(name)}'${'-'.repeat(gap)} default='v'; name: "${'c'.repeat(name)}"${' '.repeat(gap)}value: "w"`;
      assert.deepEqual(pairMatches(text), globalPairMatches(text));
    }
  }
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

test('requiredRun: the run every match holds, or null where a match may skip it', () => {
  const length = (source: string, flags = '') => requiredRun(source, flags)?.length ?? null;
  assert.equal(length('(?<![a-z])(?:acme)_[A-Za-z0-9/+]{40}(?![\\w])', 'i'), 40);
  assert.equal(length('(?<secret>[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40})'), 27);
  assert.equal(length('x\\w{12,}y'), 12);
  assert.equal(length('(?:ab[0-9]{30})+'), 30);
  // A run a match may skip, or that only one branch holds, is none.
  assert.equal(length('(?:[a-f0-9]{40})?z'), null);
  assert.equal(length('(?:[a-f0-9]{40}){0,2}z'), null);
  assert.equal(length('(?:(?:[a-f0-9]{40})*z)'), null);
  assert.equal(length('[a-f0-9]{40}|z'), null);
  assert.equal(length('(?:[a-f0-9]{40}|z)q'), null);
  assert.equal(length('(?=[a-f0-9]{40})z'), null);
  assert.equal(length('z(?![a-f0-9]{40})'), null);
  assert.equal(length('(?<=[a-f0-9]{40})z'), null);
  // Classes that may hold non-ASCII characters, and the unicode flags, give none.
  assert.equal(length('[^"]{40}'), null);
  assert.equal(length('[\\s\\S]{40}'), null);
  assert.equal(length('[a-z]{40}', 'iu'), null);
  assert.equal(length('[a-z\\u00e9]{40}'), null);
  // The class is read by the regex engine: case-insensitive hex is both cases.
  const hex = requiredRun('[a-f0-9]{32}', 'i')!;
  assert.ok(hasRun(`x ${'A1'.repeat(16)} y`, hex));
  assert.ok(!hasRun(`x ${'A1'.repeat(15)}g${'A1'.repeat(15)} y`, hex));
});

test('hasRun answers what a plain pattern of the run answers, wherever the run lies', () => {
  const run = requiredRun('[A-Za-z0-9/+]{20}', '')!;
  const plain = /[A-Za-z0-9/+]{20}/;
  fc.assert(
    fc.property(pieces(['a', 'Z', '9', '/', '+', '-', ' ', 'é', 'aB3/+'.repeat(3), 'x'.repeat(19), 'y'.repeat(20), 'q'.repeat(21)], 14), (text) => {
      assert.equal(hasRun(text, run), plain.test(text), JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
});

test('every built-in provider pattern with a required run matches only lines holding it', () => {
  // Positives (which hold the run) are cut and mixed with each other and with noise: any line the
  // whole regex still matches must hold the run, so skipping the lines without one loses nothing.
  let checked = 0;
  let runs = 0;
  const noise = [' ', '"', '=', ':', '.', '_', '-', '/', 'é', 'key = ', 'token: '];
  for (const p of PROVIDERS) {
    const run = requiredRun(p.source, p.flags);
    if (run === null) continue;
    runs++;
    const pattern = new RegExp(p.source, p.flags.replace('g', ''));
    const samples = p.positives.map((positive) => positive());
    for (const sample of samples) {
      assert.ok(pattern.test(sample) && hasRun(sample, run), `${p.id}: a positive does not match or holds no run`);
      checked++;
    }
    const parts = samples.flatMap((sample) => [sample, sample.slice(0, sample.length >> 1), sample.slice(sample.length >> 1), sample.slice(3, -3)]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts, ...noise), { maxLength: 6 }), (chosen) => {
        const text = chosen.join('');
        if (pattern.test(text)) {
          checked++;
          assert.ok(hasRun(text, run), `${p.id}: ${JSON.stringify(text)} matches without the run`);
        }
      }),
      { numRuns: 60 },
    );
  }
  assert.ok(runs > 100, `only ${runs} patterns with a run`);
  assert.ok(checked > 1000, `only ${checked} matches checked`);
});
