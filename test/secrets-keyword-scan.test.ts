import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hasLongRun, KeywordScanner, LONG_RUN, MAX_ENDS } from '../src/rules/secrets/keyword-scan.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';

// The one-pass scanner must answer exactly what the plain definitions answer: a keyword occurs
// when the ASCII-lower-cased line includes it (the non-unicode /i rule), and the ends of the
// words of the recorded flag sets are every offset where one of them ends.
const GROUPS = PROVIDERS.map((p) => p.keywords);
const FLAGS = [['pass', 'token', 'key'], ['sha0', 'sha-', '"resolved"', '--hash=', 'data:image'], ['pw', 'wd'], ['://']];
const END_FLAGS = 0b101;
const scanner = new KeywordScanner(GROUPS, FLAGS, END_FLAGS);

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

interface Facts {
  groups: number[];
  flags: number;
  ends: number[];
  overflow: boolean;
}

function expected(text: string): Facts {
  const lower = asciiLower(text);
  const groups = GROUPS.flatMap((ws, i) => (ws.some((w) => lower.includes(w)) ? [i] : []));
  const flags = FLAGS.reduce((bits, ws, i) => (ws.some((w) => lower.includes(w)) ? bits | (1 << i) : bits), 0);
  const recorded = FLAGS.flatMap((ws, i) => ((END_FLAGS >> i) & 1 ? ws : []));
  const ends: number[] = [];
  for (let end = 1; end <= lower.length; end++) if (recorded.some((w) => lower.slice(0, end).endsWith(w))) ends.push(end);
  return { groups, flags, ends: ends.slice(0, MAX_ENDS), overflow: ends.length > MAX_ENDS };
}

function scanned(text: string): Facts {
  scanner.scan(text);
  return {
    groups: [...scanner.groups.subarray(0, scanner.groupCount)],
    flags: scanner.flags,
    ends: [...scanner.ends.subarray(0, scanner.endCount)],
    overflow: scanner.endsOverflow,
  };
}

const pieces = [...new Set([...GROUPS.flat(), ...FLAGS.flat()])];
const piece = fc.oneof(
  fc.constantFrom(...pieces),
  fc.constantFrom(...pieces).map((w) => w.toUpperCase()),
  fc.constantFrom(...pieces).map((w) => w.slice(0, -1)),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('\u212A', 'İ', 'ſ', '\u00e9', ' ', '=', 'A'.repeat(31), 'b'.repeat(33)),
);

test('the keyword scanner finds exactly the keyword groups, flags and word ends the plain definitions give', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(scanned(text), expected(text), JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
});

test('a line long enough to be copied to code units first (4,096 characters and more) gets the same answers', () => {
  // Short lines are read with charCodeAt, long ones from a copy: both loops must agree with the definitions.
  const pad = ' '.repeat(4096);
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), fc.boolean(), (parts, padFirst) => {
      const text = padFirst ? pad + parts.join('') : parts.join('') + pad;
      assert.deepEqual(scanned(text), expected(text), JSON.stringify(text.trim()));
    }),
    { numRuns: 150 },
  );
});

test('overlapping keywords are all found (a keyword inside another, one ending where the next starts)', () => {
  for (const text of ['sk-ant-xyz', 'SK_LIVE_x', 'xoxb-github_pat_', 'discordapp.com/api/webhooks', 'access_token$', 'sha-1 sha9', 'pwd', 'PASSWORD_TOKEN=key', '']) {
    assert.deepEqual(scanned(text), expected(text), text);
  }
});

test('a scan answers for its own line only (nothing carried over from the line before)', () => {
  const keyword = PROVIDERS[0]!.keywords[0]!;
  for (const [first, second] of [[`${keyword} token pass`, 'plain'], [`${keyword} ${PROVIDERS[1]!.keywords[0]}`, keyword], ['key '.repeat(MAX_ENDS + 5), 'key']]) {
    scanner.scan(first!);
    assert.deepEqual(scanned(second!), expected(second!), `${first} then ${second}`);
  }
});

test('more word ends than kept: the first ones are kept and the overflow is told', () => {
  const text = 'token='.repeat(MAX_ENDS + 3);
  const got = scanned(text);
  assert.equal(got.overflow, true);
  assert.deepEqual(got, expected(text));
});

test('a long line keeps thousands of word ends (the kept list grows), then a line after it keeps its own', () => {
  const text = 'token='.repeat(5000);
  const got = scanned(text);
  assert.equal(got.overflow, false);
  assert.equal(got.ends.length, 5000);
  assert.deepEqual(got, expected(text));
  assert.deepEqual(scanned('pass key'), expected('pass key'));
});

test('keywords must be lower-case ASCII (the table promises it)', () => {
  assert.throws(() => new KeywordScanner([['Upper']], []).scan('x'), /lower-case ASCII/);
});

test('hasLongRun answers what the plain pattern answers, wherever the run lies', () => {
  const plain = new RegExp(`[A-Za-z0-9+/_=-]{${LONG_RUN}}`);
  const runPiece = fc.oneof(
    fc.nat({ max: 70 }).map((n) => 'x'.repeat(n)),
    fc.constantFrom(' ', '.', '\u00e9', '"', '+/=_-', 'İ', '\u212A'),
    fc.string({ maxLength: 8 }),
  );
  fc.assert(
    fc.property(fc.array(runPiece, { maxLength: 10 }), (parts) => {
      const text = parts.join('');
      assert.equal(hasLongRun(text), plain.test(text), JSON.stringify(text));
    }),
    { numRuns: 5000 },
  );
  for (let n = 0; n < 100; n++) {
    // Runs just short of LONG_RUN side by side: a probe lands in each, and the reading back must stop at what was read before.
    const nearMisses = `${'c'.repeat(LONG_RUN - 1)}.`.repeat(n % 5);
    for (const text of ['a'.repeat(n), ` ${'a'.repeat(n)}`, `${'a'.repeat(n)} `, `${'a'.repeat(n % 40)} ${'b'.repeat(n)}`, `${nearMisses}${'d'.repeat(n)}`, `${'e'.repeat(n % 33)}.${nearMisses}`]) {
      assert.equal(hasLongRun(text), plain.test(text), JSON.stringify(text));
    }
  }
});

test('a line past the copied length (read with charCodeAt) gets the same answers as a short one', () => {
  const scanner = new KeywordScanner([['ghp_'], ['akia']], [['token']], 1);
  const answers = (text: string) => {
    scanner.scan(text);
    return { groups: [...scanner.groups.slice(0, scanner.groupCount)], flags: scanner.flags, ends: [...scanner.ends.slice(0, scanner.endCount)] };
  };
  const tail = ' é GHP_x akia TOKEN';
  const short = answers(`x${tail}`);
  const pad = 'x'.repeat((4 << 20) + 10);
  const long = answers(`${pad}${tail}`);
  assert.deepEqual(long, { ...short, ends: short.ends.map((e) => e + pad.length - 1) });
  assert.deepEqual(short.groups, [0, 1]);
});
