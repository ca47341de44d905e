import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readNuls, withoutNuls } from '../src/engine/nul-text.ts';
import type { FileChange } from '../src/engine/types.ts';
import { NulFinder } from '../src/git/nul-finder.ts';
import { join, randomFrom } from '../src/rules/secrets/fake.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// A text line holding NULs is read with readNuls (engine/nul-text.ts): ASCII written in UTF-16 comes
// back as the ASCII it is, in the reading of its byte order, apart from what stands beside it; any
// other NUL keeps the strings beside it apart.

const spaced = (text: string) => text.replace(/ +/g, ' ');

const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 2, maxLength: 60 });

test('readNuls: ASCII written in UTF-16, either byte order, with or without the NUL of the newline before it, is that ASCII', () => {
  fc.assert(
    fc.property(ascii, fc.boolean(), fc.boolean(), fc.string({ maxLength: 10 }), (text, big, lead, before) => {
      let bytes = Buffer.from(text, 'utf16le');
      if (big) bytes = bytes.swap16();
      // As the diff parser has it: the bytes decoded as UTF-8 (ASCII and NULs: one character a byte),
      // a little-endian line after the first starting with the second byte of the newline before it.
      const line = (lead && !big ? '\0' : '') + bytes.toString('latin1');
      assert.ok(readNuls(line).includes(text), JSON.stringify(readNuls(line)));
      // After ordinary text on the same line, too (set apart from it by a space).
      const prefix = before.replace(/\0/g, '');
      assert.ok(readNuls(`${prefix} ${line}`).map(spaced).includes(spaced(`${prefix} ${text}`)));
    }),
    fuzzParams(500),
  );
});

test('readNuls: NULs that separate strings or pad them are read as spaces, so no two strings are joined', () => {
  assert.deepEqual(readNuls('configparams\0GIT_TRACE2_ENV_VARS\0trace2.envvars\0'), ['configparams GIT_TRACE2_ENV_VARS trace2.envvars ']);
  assert.deepEqual(readNuls('HOME=/home/u\0PWD=/srv\0'), ['HOME=/home/u PWD=/srv ']);
  assert.deepEqual(readNuls('name\0 = "value"'), ['name  = "value"']);
  assert.deepEqual(readNuls('ab\0\0\0\0cd'), ['ab    cd']);
  assert.deepEqual(readNuls('no nul'), ['no nul']);
});

test('readNuls: UTF-16 text beside a character past ASCII (whose bytes read as ASCII) or beside ASCII text is set apart from it', () => {
  const key = join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));
  // 中 (U+4E2D) little-endian is the bytes of `-N`; 。 (U+3002) big-endian those of `0` and a control byte.
  const le = Buffer.from(`中${key}字`, 'utf16le').toString('latin1');
  assert.ok(readNuls(le)[0]!.split(' ').includes(key), JSON.stringify(readNuls(le)));
  const be = Buffer.from(`キー：${key}。`, 'utf16le').swap16().toString('latin1');
  assert.ok(readNuls(be).some((text) => text.split(' ').includes(key)), JSON.stringify(readNuls(be)));
  // Two UTF-16 characters, then a token in ASCII: one reading keeps the token whole.
  assert.ok(readNuls(`Y\0N\0${key}`).some((text) => text.split(' ').includes(key)));
});

test('NulFinder: whether ranges of pieces hold a NUL, asked line by line, equal pieces and steps back included', () => {
  const piece = fc.array(fc.constantFrom('a', 'bc', '\0', '\n', 'xyz'), { maxLength: 40 }).map((parts) => parts.join(''));
  const query = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.nat({ max: 3 }));
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.array(query, { maxLength: 60 }), (pieces, queries) => {
      const finder = new NulFinder();
      let current = 0;
      let start = 0;
      for (const [jump, length, which] of queries) {
        // Mostly forward along one piece; now and then another piece, an equal copy of this one, or a step back.
        if (which === 0) current = jump % pieces.length;
        const text = which === 1 ? pieces[current]!.split('').join('') : pieces[current]!;
        start = which === 2 ? Math.max(0, start - (jump % 5)) : Math.min(text.length, start + (jump % 7));
        const end = start + length;
        assert.equal(finder.holds(text, start, end), text.slice(start, end).includes('\0'), `${JSON.stringify(text)} [${start}, ${end})`);
      }
    }),
    fuzzParams(2000),
  );
});

test('withoutNuls: a line read two ways has its second reading right after the first, and a part counts both among its carried lines', () => {
  const two = `Y\0N\0${'x'.repeat(12)}`;
  assert.equal(readNuls(two).length, 2);
  const lines = [
    { number: 7, text: 'a = 1' },
    { number: 8, text: two },
    { number: 9, text: 'b = 2' },
    { number: 10, text: two },
  ];
  const change = { path: 'f.txt', addedLines: lines, part: { index: 1, carried: 2 } } as unknown as FileChange;
  const read = withoutNuls(change);
  assert.deepEqual(read.addedLines.map((l) => l.number), [7, 8, 8, 9, 10, 10]);
  assert.deepEqual(read.addedLines.map((l) => l.text.includes('\0')), [false, false, false, false, false, false]);
  assert.equal(read.part?.carried, 3);
  // Lines without a NUL: the change as it was.
  const plain = { path: 'f.txt', addedLines: [lines[0]!, lines[2]!] } as unknown as FileChange;
  assert.equal(withoutNuls(plain), plain);
});
