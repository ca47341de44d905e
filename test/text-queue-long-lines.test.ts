import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAscii } from 'node:buffer';
import { TextQueue } from '../src/git/text-queue.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// A line longer than the queue's threshold is held as bytes until its delimiter comes, then decoded
// once (see TextQueue.raw). Here the threshold is a few characters, so that most lines are held:
// whatever the chunking, the multi-byte and invalid UTF-8 in the text, and the mix of delimiters
// asked for (`\n` for lines, `\0` for paths), the lines taken are those of decoding the whole input.
const piece = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('\n', '\0', 'é', '€', '😀', 'abcdefghijklmnop'),
  fc.constantFrom(Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff]), Buffer.from([0xa9, 0x0a])),
);

test('property: a TextQueue holding long lines as bytes takes the lines decoding the whole input gives', () => {
  let held = 0;
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat({ max: 400 }), { maxLength: 12 }), fc.array(fc.boolean(), { maxLength: 40 }), fc.nat({ max: 12 }), (parts, points, delimiters, threshold) => {
      const bytes = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
      const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
      const queue = new TextQueue(threshold);
      const whole = bytes.toString('utf8');
      // The expected pieces: what the same sequence of delimiters takes from the decoded text.
      const taken: string[] = [];
      const expected: string[] = [];
      let rest = whole;
      let k = 0;
      const next = () => (delimiters[k % Math.max(1, delimiters.length)] ? '\0' : '\n');
      let at = 0;
      for (const p of [...cuts, bytes.length]) {
        queue.push(bytes.subarray(at, p));
        at = p;
        for (;;) {
          const delimiter = next();
          const t = queue.takeUntil(delimiter);
          if ((queue as unknown as { raw: unknown }).raw) held++;
          if (t === null) break;
          taken.push(t);
          // Until the queue says it decoded a byte past 0x7f, all it gave is ASCII (the parser's line facts).
          if (!queue.sawNonAscii) assert.ok(taken.every((text) => /^[\x00-\x7f]*$/.test(text)), 'text past ASCII taken unnoticed');
          const end = rest.indexOf(delimiter);
          expected.push(rest.slice(0, end));
          rest = rest.slice(end + 1);
          k++;
        }
      }
      queue.finish();
      assert.deepEqual(taken, expected);
      assert.equal(queue.takeRest(), rest);
      assert.equal(queue.sawNonAscii, !isAscii(bytes));
    }),
    fuzzParams(500),
  );
  assert.ok(held > 100, `lines were held as bytes only ${held} times`);
});
