import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bareLiteralContext, isAssignmentNameChar, isQuote, libpqNameContext } from '../src/rules/secrets/assignment.ts';
import { FLAG_SETS, HINT_ENDS, mayAssignToHintName } from '../src/rules/secrets/detector.ts';
import { KeywordScanner } from '../src/rules/secrets/keyword-scan.ts';
import { PROVIDER_KEYWORDS } from '../src/rules/secrets/providers/keywords.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The assignment pre-check walks, after each hint word's name, a window of 64 characters for an
// operator (`>`, `=`, `:`, `,`). It now starts that walk at the first operator character at or
// after the name, found with one native search per line, and stops at the first hint word past
// the last operator. It must answer exactly what walking every character of every window answers
// (the walk as it was, written out below), whatever the gaps, names and operators. Since round 8
// the quoted operator (`=`, `:`, `,` with a quote within 12 characters) is one native search too,
// kept while the words move on: fails when the look-ahead is one character short or the search is
// not redone once a word's name passes what it found.
const scanner = new KeywordScanner(PROVIDER_KEYWORDS, FLAG_SETS, HINT_ENDS);
const NAME_MAX = 61;
const OP_WINDOW = 64;

function walkedEveryCharacter(text: string, codeFile: boolean): boolean {
  if (scanner.endsOverflow) return true;
  for (let k = 0; k < scanner.endCount; k++) {
    const end = scanner.ends[k]!;
    let r = end;
    while (r < text.length && r - end <= NAME_MAX && isAssignmentNameChar(text.charCodeAt(r))) r++;
    if (r - end > NAME_MAX) continue;
    let bare = !codeFile;
    if (codeFile) {
      let s = end;
      while (s > 0 && isAssignmentNameChar(text.charCodeAt(s - 1))) s--;
      bare = s > 0 && (bareLiteralContext(text, s - 1) || libpqNameContext(text, text.charCodeAt(s - 1)));
    }
    for (let q = r; q <= r + OP_WINDOW && q < text.length; q++) {
      const c = text.charCodeAt(q);
      if (c === 62) return true;
      if ((c === 61 || c === 58 || c === 44) && (bare || quoteWithin(text, q + 1, q + 12))) return true;
    }
  }
  return false;
}

function quoteWithin(text: string, from: number, to: number): boolean {
  for (let i = from; i <= to && i < text.length; i++) if (isQuote(text.charCodeAt(i))) return true;
  return false;
}

const hint = fc.constantFrom('pass', 'Password', 'pwd', 'pw', 'secret', 'TOKEN', 'key', 'apiKey', 'auth', 'cred', 'bearer');
const nameChars = fc.nat({ max: 70 }).map((n) => 'a_b.c-D9'.repeat(10).slice(0, n));
// Gaps around the window's edge (the operator at r + 63, r + 64 or r + 65) and short ones.
const gap = fc.oneof(fc.nat({ max: 4 }).map((n) => ' '.repeat(n)), fc.integer({ min: 58, max: 70 }).map((n) => ' x'.repeat(n).slice(0, n)));
const operator = fc.constantFrom('=', ':', ',', '>', '=>', ' = ', '');
const after = fc.constantFrom('"v"', "'v'", ' `v`', 'value', ' '.repeat(11) + '"v"', ' '.repeat(12) + '"v"', '');
const before = fc.constantFrom('', ' ', ';', '?', '&', '(', '"', 'x.', 'host=db ');
const piece = fc.tuple(before, nameChars, hint, nameChars, gap, operator, after).map((parts) => parts.join(''));
const line = fc.array(fc.oneof(piece, fc.string({ maxLength: 8 }), gap), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

test('the pre-check answers as walking every character of every window', () => {
  const answers = { true: 0, false: 0 };
  fc.assert(
    fc.property(line, fc.boolean(), (text, codeFile) => {
      scanner.scan(text);
      const expected = walkedEveryCharacter(text, codeFile);
      answers[`${expected}`]++;
      assert.equal(mayAssignToHintName(scanner, text, codeFile), expected, JSON.stringify(text));
    }),
    fuzzParams(30000),
  );
  // Both answers must be common for the comparison to mean something.
  assert.ok(answers.true > 3000 && answers.false > 3000, JSON.stringify(answers));
});

test('the pre-check finds an operator at the window edge and past a hint word with none after it', () => {
  const cases: [string, boolean][] = [
    [`token${' '.repeat(64)}= "v"`, true], // the operator at r + 64: inside the window
    [`token${' '.repeat(65)}= "v"`, false], // at r + 65: outside
    ['a = "v" token and more words', false], // the only operator is before the hint word
    ['token and key here, then "v"', true], // a comma with a quote near
    ['key', false],
  ];
  for (const [text, expected] of cases) {
    scanner.scan(text);
    assert.equal(walkedEveryCharacter(text, false), expected, `reference: ${text}`);
    assert.equal(mayAssignToHintName(scanner, text, false), expected, text);
  }
});
