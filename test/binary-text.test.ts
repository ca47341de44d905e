import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { binaryTextLines, utf16Run } from '../src/engine/binary-text.ts';
import type { AddedLine } from '../src/engine/types.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// binaryTextLines looks at every eighth byte and reads closely only around what it finds there. Its
// result must be the one a reading of every byte gives: `everyByte` below is that reading, written
// as its rules say (lines split at newlines and judged by their bytes; UTF-16 characters counted at
// every byte), with no skipping.

const STRETCH = /[\x21-\x7e]{8}/;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;

function everyByte(bytes: Buffer, complete: boolean): { lines: AddedLine[]; utf16: AddedLine[] } {
  const lines: AddedLine[] = [];
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const nl = bytes.indexOf(0x0a, at);
    parts.push(bytes.subarray(at, nl === -1 ? bytes.length : nl));
    if (nl === -1) break;
    at = nl + 1;
  }
  if (!complete) parts.pop();
  parts.forEach((line, k) => {
    const latin = line.toString('latin1');
    if (!STRETCH.test(latin)) return;
    const printable = latin.replace(/[^\x20-\x7e\t]/g, '').length;
    if (printable * 4 >= line.length * 3) {
      const cr = line.at(-1) === 0x0d;
      const text = line.subarray(0, cr ? -1 : undefined).toString('utf8').replace(CONTROL, ' ');
      lines.push(cr ? { number: k + 1, text, cr: true } : { number: k + 1, text });
      return;
    }
    // Runs end at control bytes (not tabs); bytes past ASCII stay inside a run.
    let from = 0;
    for (let i = 0; i <= line.length; i++) {
      const c = line[i];
      if (c !== undefined && !(c < 0x20 && c !== 9) && c !== 0x7f) continue;
      if (STRETCH.test(latin.slice(from, i))) lines.push({ number: k + 1, text: line.subarray(from, i).toString('utf8').trim() });
      from = i + 1;
    }
  });
  // UTF-16: at every byte past `until`, the characters in a row of each byte order and parity.
  const utf16: AddedLine[] = [];
  const text = (b: number) => b === 9 || (b >= 0x20 && b < 0x7f);
  const inRow = new Map<string, { count: number; end: number }>();
  let until = 0;
  let number = 1;
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i - 1] === 0x0a) number++;
    if (i < until) continue;
    const c = bytes[i]!;
    const before = bytes[i - 1]!;
    const big = c !== 0;
    if (big ? !(before === 0 && text(c)) : !text(before)) continue;
    const key = `${big}${i & 1}`;
    const last = inRow.get(key);
    const count = last && last.end === i - 2 ? last.count + 1 : 1;
    inRow.set(key, { count, end: i });
    if (count !== 8) continue;
    const at = i + 1 - 16;
    until = Math.max(utf16Run(bytes, at, big, number, complete, utf16), utf16Run(bytes, at + 1, !big, number, complete, utf16), utf16Run(bytes, at - 1, !big, number, complete, utf16));
  }
  return { lines, utf16 };
}

const utf16 = (s: string, big: boolean) => {
  const b = Buffer.from(s, 'utf16le');
  return big ? b.swap16() : b;
};
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 24 });
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 4, arbitrary: printable.map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: fc.tuple(fc.oneof(printable, fc.constantFrom('key = "vAlUe1234567"', 'a\nbcdefghij', 'ab\tcdefghijk', 'é-ascii-words')), fc.boolean()).map(([s, big]) => utf16(s, big)) },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\0', '\r\n', '\t', ' ', '\x0c', '\x7f', '\xff', '\0\n', '\n\0', '\0\0', 'é', 'ключ').map((s) => Buffer.from(s)) },
);

test('binary text read every eighth byte: the same lines and UTF-16 runs as a reading of every byte', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (pieces, shift, complete) => {
      // The shift moves everything across the eight positions a byte can have under the stride.
      const bytes = Buffer.concat([Buffer.alloc(shift, 0x01), ...pieces]);
      assert.deepEqual(binaryTextLines(bytes, complete), everyByte(bytes, complete));
    }),
    fuzzParams(4000),
  );
});

test('binary text read every eighth byte: a megabyte of random bytes with text planted at every alignment', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const parts: Buffer[] = [];
  for (let k = 0; k < 400; k++) {
    parts.push(Buffer.from(Array.from({ length: 1000 + k * 7 }, random)));
    const planted = `tok_${k}_${'x'.repeat(k % 12)}=ABCdef${k}`;
    parts.push(k % 3 === 0 ? Buffer.from(planted) : utf16(planted, k % 3 === 2));
  }
  const bytes = Buffer.concat(parts);
  const found = binaryTextLines(bytes);
  assert.deepEqual(found, everyByte(bytes, true));
  // The planted texts are all there, as runs of their lines or as UTF-16 runs.
  const texts = [...found.lines, ...found.utf16].map((l) => l.text).join('\n');
  for (let k = 0; k < 400; k++) assert.ok(texts.includes(`=ABCdef${k}`), `text ${k}`);
});
