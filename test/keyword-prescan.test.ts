import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeywordScanner } from '../src/rules/secrets/keyword-scan.ts';
import { FLAG_SETS } from '../src/rules/secrets/detector.ts';
import { builtInScanner, factsOf, GROUPS, type KeywordFacts } from './helpers/keyword-facts.ts';

// A long text's keyword scan fed its bytes in pieces as they come (KeywordScanner.prescan, for the
// windows of a long line while git prints it) must leave what scanning the whole text leaves: the
// same groups, flags, word ends and overflow. The whole scan is a second scanner's, so the
// comparison never reads a result the prescan made.
const whole = builtInScanner();
const ahead = builtInScanner();

function facts(scanner: KeywordScanner, text: string, scan?: object): KeywordFacts {
  scanner.scan(text, scan);
  return factsOf(scanner);
}

/** `text` fed to a prescan of `scanner` in pieces of the given sizes (cycled): the finished scan. */
function prescanned(text: string, sizes: readonly number[], scanner = ahead, fed = text): object | undefined {
  const run = scanner.prescan();
  const bytes = Buffer.from(fed, 'latin1');
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    run.feed(bytes.subarray(at, at + size));
    at += size;
  }
  return run.done(text);
}

const words = [...new Set([...GROUPS.flat(), ...FLAG_SETS.flat()])];
const piece = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(...words).map((w) => w.toUpperCase()),
  fc.constantFrom('=', '"', ':', ' ', '{"key":"', 'password=', 'a'.repeat(40), 'x'),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);
/** ASCII text of at least 64 KiB (shorter texts are never looked up): pieces repeated to length. */
const longText = fc.array(piece, { minLength: 1, maxLength: 30 }).map((parts) => {
  const unit = parts.join('') || 'x';
  return unit.repeat(Math.ceil((64 * 1024 + 17) / unit.length)).slice(0, 64 * 1024 + 17 + (unit.length % 5000));
});

test('a keyword scan fed a text in pieces leaves what scanning it whole leaves', () => {
  fc.assert(
    fc.property(longText, fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 }), (text, sizes) => {
      const scan = prescanned(text, sizes);
      assert.ok(scan !== undefined, 'finished');
      const want = facts(whole, text);
      assert.deepEqual(facts(ahead, text, scan), want);
      // The scanner's next line is its own again.
      assert.deepEqual(facts(ahead, 'password = 1'), facts(whole, 'password = 1'));
    }),
    { numRuns: 60 },
  );
});

test('word ends past the recorded limit: the overflow and the kept ends are the same fed in pieces', () => {
  const text = 'token '.repeat(40_000);
  const scan = prescanned(text, [4093]);
  const want = facts(whole, text);
  assert.equal(want.overflow, true);
  assert.deepEqual(facts(ahead, text, scan), want);
});

test('a prescan is taken only whole, for a text of its length, by the scanner it was made for', () => {
  const text = `${'a'.repeat(70_000)}password=`;
  const partial = ahead.prescan();
  partial.feed(Buffer.from(text.slice(0, 1000), 'latin1'));
  assert.equal(partial.done(text), undefined, 'not every byte fed');
  // A scan of a text of another length, or made for another scanner, is not taken: the text is
  // scanned itself. (That the scan is of this very text is the window's to ensure: it goes with it.)
  const want = facts(whole, text);
  const longer = `${'b'.repeat(70_000)}token=xx`;
  assert.deepEqual(facts(ahead, text, prescanned(longer, [65536], ahead, longer)), want, 'another length');
  const foreign = new KeywordScanner([['password'], ['a']], [['a']], 1);
  assert.deepEqual(facts(ahead, text, prescanned(text, [65536], foreign)), want, "another scanner's");
});
