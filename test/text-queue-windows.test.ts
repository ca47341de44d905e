import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineLength, windowedLine, windowStep } from '../src/engine/limits.ts';
import { TextQueue, type WindowedText } from '../src/git/text-queue.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// A long added line held as bytes is cut into windows as its bytes come (TextQueue.windowHeldLine),
// so that the 10 MB line of a minified file is never joined into one string. Here the threshold and
// the window are a few characters: whatever the chunking, the prefix width, a CR before the newline,
// a missing last newline or a non-ASCII byte (then the line is taken whole, as before), each line
// comes out either as its text or as exactly the windows engine/limits.ts cuts that text into.

/** The windows windowedLines cuts a text into for a max-line-length of `size`. */
function referenceWindows(text: string, size: number): string[] {
  const step = windowStep(size);
  const out: string[] = [];
  for (let start = 0; start < text.length; start += step) {
    out.push(text.slice(start, start + size));
    if (start + size >= text.length) break;
  }
  return out;
}

const lineText = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[ -~]{0,120}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[ -~]{0,60}$/), fc.constantFrom('é', '€', '\r', '\x7f', '\x00'), fc.stringMatching(/^[ -~]{0,60}$/)).map(([a, b, c]) => a + b + c) },
);
const line = fc.record({ text: lineText, cr: fc.boolean(), width: fc.constantFrom(1, 2) });

test('property: a held long line is taken whole or as the windows windowedLines cuts its text into', () => {
  let windowedLines = 0;
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(fc.nat({ max: 1000 }), { maxLength: 20 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 4, max: 40 }), (lines, lastNewline, points, threshold, size) => {
      const step = windowStep(size);
      const texts = lines.map((l, i) => `${'+'.repeat(l.width)}${l.text}${l.cr ? '\r' : ''}${i < lines.length - 1 || lastNewline ? '\n' : ''}`);
      const bytes = Buffer.from(texts.join(''), 'utf8');
      const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
      const queue = new TextQueue(threshold);
      const taken: (string | WindowedText)[] = [];
      let width: number;
      // As the diff parser drives it: the windowed line after each push, then lines until none is whole.
      const drain = (final: boolean) => {
        const windowed = queue.takeWindowedLine();
        if (windowed) taken.push(windowed);
        for (;;) {
          const next = queue.takeUntil('\n');
          if (next !== null) {
            taken.push(next);
            continue;
          }
          if (queue.holdsLongLine && taken.length < lines.length) {
            width = lines[taken.length]!.width;
            if (queue.heldLineStart(width) === '+'.repeat(width)) queue.windowHeldLine(width, size, step);
          }
          if (final) {
            const rest = queue.takeRest();
            if (rest !== '') taken.push(rest);
          }
          return;
        }
      };
      let at = 0;
      for (const p of [...cuts, bytes.length]) {
        queue.push(bytes.subarray(at, p));
        at = p;
        drain(false);
      }
      queue.finish();
      drain(true);
      assert.equal(taken.length, lines.length);
      taken.forEach((got, i) => {
        const l = lines[i]!;
        const whole = texts[i]!.replace(/\n$/, '');
        if (typeof got === 'string') {
          assert.equal(got, whole);
          return;
        }
        windowedLines++;
        // Only ASCII lines longer than one window are cut; the CR before the newline is left out, as hunk lines leave it.
        assert.ok(/^[\x00-\x7f]*$/.test(l.text), 'a line with a non-ASCII byte is never cut into windows');
        const body = whole.slice(l.width);
        const cr = body.endsWith('\r');
        const text = cr ? body.slice(0, -1) : body;
        assert.ok(text.length > size);
        assert.deepEqual(got.texts, referenceWindows(text, size));
        assert.equal(got.length, text.length);
        assert.equal(got.cr, cr);
        // The line made of them gives back the text (and its copies hold it too).
        const made = windowedLine(7, { size, step, length: got.length, texts: got.texts }, got.cr);
        assert.equal(lineLength(made), text.length);
        assert.equal(made.text, text);
        assert.equal({ ...made, number: 8 }.text, text);
      });
    }),
    fuzzParams(1500),
  );
  assert.ok(windowedLines > 200, `lines were cut into windows only ${windowedLines} times`);
});
