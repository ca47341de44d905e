import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { wordsIn, wordsInLines } from '../src/rules/deserialization/module-words.ts';
import { DiffParser } from '../src/git/diff-parser.ts';
import { lineFacts } from '../src/engine/line-facts.ts';

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

// Lines the diff parser knows to be ASCII are searched without the non-ASCII class: the same
// answers, for ASCII lines holding each word, `np` alone and in words, and `\u` escapes.
test('wordsInLines answers the same of lines the diff parser knows to be ASCII', () => {
  const piece = fc.constantFrom('np', 'n', 'p', '_', 'a', ' ', '.', '(', 'pick', 'le', 'Pick', 'yam', 'l', '\\', 'u', '\\u', 'dill', 'to', 'rch', 'marshal', 'shelve', 'joblib', 'keras', 'numpy', 'NUMPY', 'Z', '9', 'import ', 'inp');
  const line = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
  let known = 0;
  const answers = new Set<string>();
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (texts) => {
      const raw = `:000000 100644 ${'0'.repeat(40)} ${'e'.repeat(40)} A\0f.py\0`;
      const patch = `diff --git a/f.py b/f.py\n--- /dev/null\n+++ b/f.py\n@@ -0,0 +1,${texts.length} @@\n${texts.map((t) => `+${t}\n`).join('')}`;
      const parser = new DiffParser();
      const events = [...parser.push(Buffer.from(raw + patch)), ...parser.end()];
      const file = events.find((e) => e.kind === 'file');
      assert.ok(file?.kind === 'file');
      if (lineFacts(file.file.added)?.ascii) known++;
      const answer = wordsInLines(file.file.added);
      answers.add(answer);
      assert.equal(answer, wordsIn(texts.join('\n')), JSON.stringify(texts));
    }),
    { numRuns: 3000 },
  );
  assert.equal(known, 3000);
  assert.deepEqual([...answers].sort(), ['escape', 'none', 'word']);
});
