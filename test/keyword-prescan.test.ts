import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KeywordScanner } from '../src/rules/secrets/keyword-scan.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { FLAG_SETS, HINT_ENDS } from '../src/rules/secrets/detector.ts';

// A long text's keyword scan fed its bytes in pieces as they come (KeywordScanner.prescan, for the
// windows of a long line while git prints it) must leave what scanning the whole text leaves: the
// same groups, flags, word ends and overflow. The prescanned scanner is a second one, so the
// comparison never reads a result the other made.
const GROUPS = PROVIDERS.map((p) => p.keywords);
const whole = new KeywordScanner(GROUPS, FLAG_SETS, HINT_ENDS);
const ahead = new KeywordScanner(GROUPS, FLAG_SETS, HINT_ENDS);

interface Facts {
  groups: number[];
  flags: number;
  ends: number[];
  overflow: boolean;
}

function facts(scanner: KeywordScanner, text: string): Facts {
  scanner.scan(text);
  return { groups: [...scanner.groups.subarray(0, scanner.groupCount)], flags: scanner.flags, ends: [...scanner.ends.subarray(0, scanner.endCount)], overflow: scanner.endsOverflow };
}

/** `text` fed to a prescan of `ahead` in pieces of the given sizes (cycled), then done. */
function prescanned(text: string, sizes: readonly number[]): void {
  const run = ahead.prescan();
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    run.feed(bytes.subarray(at, at + size));
    at += size;
  }
  run.done(text);
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

test('a keyword scan fed a text in pieces leaves what scanning it whole leaves, and scan() takes it once', () => {
  fc.assert(
    fc.property(longText, fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 }), (text, sizes) => {
      prescanned(text, sizes);
      assert.ok(ahead.hasPrescanned(text), 'the prescan is kept for its text');
      const want = facts(whole, text);
      assert.deepEqual(facts(ahead, text), want);
      assert.ok(!ahead.hasPrescanned(text), 'taken once');
      // The next scan of the same text scans it again, to the same answer.
      assert.deepEqual(facts(ahead, text), want);
    }),
    { numRuns: 60 },
  );
});

test('word ends past the recorded limit: the overflow and the kept ends are the same fed in pieces', () => {
  const text = 'token '.repeat(40_000);
  prescanned(text, [4093]);
  const want = facts(whole, text);
  assert.equal(want.overflow, true);
  assert.deepEqual(facts(ahead, text), want);
});

test('a prescan not fed every byte of its text is not kept', () => {
  const text = `${'a'.repeat(70_000)}password=`;
  const run = ahead.prescan();
  run.feed(Buffer.from(text.slice(0, 1000), 'latin1'));
  run.done(text);
  assert.ok(!ahead.hasPrescanned(text));
});

test('prescanned texts are kept up to 32 Mi characters, the oldest pushed out first; one text is kept once', () => {
  const texts = Array.from({ length: 33 }, (_, i) => `${String(i).padStart(4, '0')}${'k'.repeat(1024 * 1024 - 4)}`);
  for (const text of texts) prescanned(text, [65536]);
  assert.ok(!ahead.hasPrescanned(texts[0]!), 'the oldest was pushed out');
  assert.ok(ahead.hasPrescanned(texts[1]!) && ahead.hasPrescanned(texts[32]!));
  prescanned(texts[32]!, [65536]);
  for (const text of texts.slice(1)) assert.deepEqual(facts(ahead, text), facts(whole, text));
  assert.ok(!ahead.hasPrescanned(texts[32]!), 'kept once, taken once');
});
