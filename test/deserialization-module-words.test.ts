import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { wordsIn, wordsInLines } from '../src/rules/deserialization/module-words.ts';

// The prefilter reads added lines one at a time; it must answer what it answered when it joined
// them with newlines: a word (also one NFKC spells out, and `np` as a whole word), else a `\u`
// escape, else none, whichever lines hold them.
test('wordsInLines answers what wordsIn answers of the lines joined', () => {
  const piece = fc.constantFrom('np', 'n', 'p', '_', 'a', ' ', '.', '(', 'pick', 'le', 'yam', 'l', 'ｎｐ', 'ｙａｍｌ', 'é', '\\', 'u', '\\u', 'dill', 'to', 'rch', 'Z', '9', 'e\u0301', '\u0301', 'import ', 'numpy');
  const line = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), (texts) => {
      const lines = texts.map((text, i) => ({ number: i + 1, text }));
      assert.equal(wordsInLines(lines), wordsIn(texts.join('\n')), JSON.stringify(texts));
    }),
    { numRuns: 5000 },
  );
  // Each answer, from a line that is not the first.
  const at2 = (text: string) => wordsInLines([{ number: 1, text: 'x = 1' }, { number: 2, text }]);
  assert.equal(at2('import numpy as n'), 'word');
  assert.equal(at2('a = np.load(f)'), 'word');
  assert.equal(at2('inp = 1'), 'none');
  assert.equal(at2('ｙａｍｌ.load(s)'), 'word');
  assert.equal(at2('"\\u0070ickle"'), 'escape');
  assert.equal(at2('café = 1'), 'none');
});
