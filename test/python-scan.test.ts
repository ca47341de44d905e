import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { INTERESTING_LAST_PARTS, interesting } from '../src/rules/deserialization/judge.ts';
import { collectAliases, findUses } from '../src/rules/python/calls.ts';
import { tokenize, type Token } from '../src/rules/python/tokens.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The tokenizer reads code units by number; the reference below is the former one, which tested a
// regular expression on a one-character string per character. Both must give the same tokens.
// findUses given the last parts of the interesting names passes over the others without resolving
// them: it must find what it finds without them.

const NAME_START = /[A-Za-z_\u00aa\u00b5\u00ba\u00c0-\uffff]/;
const NAME_CHAR = /[\w\u00aa\u00b5\u00b7\u00ba\u00c0-\uffff]/;
const STRING_PREFIX = /^(?:[rRbBuUfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;
/** Prefixes of strings with replacement fields (f-strings, and Python 3.14's t-strings). */
const FIELDS_PREFIX = /[fFtT]/;
/** Python's limits: 150 nested f-strings, specs nested 2 deep (past them no version runs the code). */
const STRING_NESTING = 150;
const SPEC_NESTING = 4;
/** A line continuation: a backslash and a line's end. */
const CONTINUATION = /^\\(?:\r?\n|\r)/;

interface Place {
  i: number;
  line: number;
  /** A spec's `{{` after a field read as text (Python 3.13), and whether one was met. */
  braceText: boolean;
  divergent: boolean;
}

function referenceTokenize(source: string, firstLine = 1, at: Place = { i: 0, line: firstLine, braceText: false, divergent: false }): Token[] {
  const out: Token[] = [];
  referenceCode(source, at, out, false, 0);
  out.push({ kind: 'newline', text: '\n', line: at.line });
  return out;
}

/** Code; in a field, up to `}` (close) or a conversion's `!` / a spec's `:` (spec) outside brackets. */
function referenceCode(source: string, at: Place, out: Token[], field: boolean, nesting: number): string {
  let depth = 0;
  const n = source.length;
  while (at.i < n) {
    const c = source[at.i];
    const continued = CONTINUATION.exec(source.slice(at.i, at.i + 3));
    if (c === '\n') {
      if (depth === 0 && !field) out.push({ kind: 'newline', text: '\n', line: at.line });
      at.line++;
      at.i++;
    } else if (c === '#') {
      while (at.i < n && source[at.i] !== '\n' && source[at.i] !== '\r') at.i++;
    } else if (continued) {
      if (continued[0].endsWith('\n')) at.line++;
      at.i += continued[0].length;
    } else if (c === '\r' && source[at.i + 1] !== '\n') {
      // Python ends a line at a lone CR; git does not.
      if (depth === 0 && !field) out.push({ kind: 'newline', text: '\n', line: at.line });
      at.i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      at.i++;
    } else if (c === '"' || c === "'") {
      referenceString(source, at, out, '', nesting);
    } else if (NAME_START.test(c)) {
      let j = at.i + 1;
      while (j < n && NAME_CHAR.test(source[j])) j++;
      const raw = source.slice(at.i, j);
      const word = /[^\x00-\x7f]/.test(raw) ? raw.normalize('NFKC') : raw;
      if ((source[j] === '"' || source[j] === "'") && STRING_PREFIX.test(raw)) {
        at.i = j;
        referenceString(source, at, out, raw, nesting);
      } else {
        out.push({ kind: 'name', text: word, line: at.line });
        at.i = j;
      }
    } else if (c >= '0' && c <= '9') {
      let j = at.i + 1;
      while (j < n && /[\w.]/.test(source[j])) j++;
      out.push({ kind: 'number', text: source.slice(at.i, j), line: at.line });
      at.i = j;
    } else if (field && depth === 0 && (c === '}' || c === ':' || (c === '!' && source[at.i + 1] !== '='))) {
      at.i++;
      return c === '}' ? 'close' : 'spec';
    } else {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      const two = source.slice(at.i, at.i + 2);
      const op = two === '**' || two === '==' || two === '->' || two === ':=' ? two : c;
      out.push({ kind: 'op', text: op, line: at.line });
      at.i += op.length;
    }
  }
  return 'end';
}

/**
 * A string from its quote. An f-string's (t-string's) fields, outside `{{`, are code: their tokens
 * follow the string's in brackets, closed before a spec after `!`/`:`, which is text again with
 * fields of its own. In a spec `{{` opens a field, or after a field is text (braceText).
 */
function referenceString(source: string, at: Place, out: Token[], prefix: string, nesting: number): void {
  const start = at.i;
  const quote = source[start];
  const triple = source.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  const token: Token = { kind: 'string', text: '', line: at.line };
  out.push(token);
  const fields = FIELDS_PREFIX.test(prefix) && nesting < STRING_NESTING;
  const raw = /[rR]/.test(prefix);
  at.i = start + close.length;
  // depth -1: the string's own text; 0 and deeper: a field's spec (ends at `}`: true); false: the string ended.
  const text = (depth: number): boolean => {
    let fieldSeen = false;
    while (at.i < source.length) {
      const c = source[at.i];
      const continued = CONTINUATION.exec(source.slice(at.i, at.i + 3));
      if (continued) {
        if (continued[0].endsWith('\n')) at.line++;
        at.i += continued[0].length;
        continue;
      }
      if (c === '\\') {
        if (fields && (source[at.i + 1] === '{' || source[at.i + 1] === '}')) at.i++;
        else if (fields && !raw && source.startsWith('N{', at.i + 1)) {
          at.i += 3;
          while (at.i < source.length && !['}', '\n', quote, '\\'].includes(source[at.i])) at.i++;
          if (source[at.i] === '}') at.i++;
        } else at.i += 2;
        continue;
      }
      if (c === '\n') {
        if (!triple && depth < 0) return false;
        at.line++;
      }
      if (source.startsWith(close, at.i)) {
        at.i += close.length;
        return false;
      }
      if (depth >= 0 && c === '}') {
        at.i++;
        return true;
      }
      if (fields && c === '{' && depth < 0 && source[at.i + 1] === '{') {
        at.i += 2;
        continue;
      }
      if (fields && c === '{' && depth >= 0 && depth < SPEC_NESTING && fieldSeen && source[at.i + 1] === '{') {
        at.divergent = true;
        if (at.braceText) {
          at.i += 2;
          continue;
        }
      }
      if (fields && c === '{' && depth < SPEC_NESTING) {
        at.i++;
        out.push({ kind: 'op', text: '(', line: at.line });
        const stop = referenceCode(source, at, out, true, nesting + 1);
        out.push({ kind: 'op', text: ')', line: at.line });
        if (stop === 'end' || (stop === 'spec' && !text(depth + 1))) return false;
        fieldSeen = true;
        continue;
      }
      at.i++;
    }
    return false;
  };
  text(-1);
  at.i = Math.min(at.i, source.length);
  token.text = source.slice(start, at.i);
}

/** Pieces that matter to the tokenizer: quotes, prefixes, brackets, escapes, comments, digits, wide and surrogate code units. */
const PIECES = [
  '"', "'", '"""', "'''", 'r', 'b', 'u', 'f', 'R', 'B', 'F', 'U', 'rb', 'Br', 'fR', 'ur', 'x', '_', 'pickle', '.', 'loads',
  '(', ')', '[', ']', '{', '}', ',', '=', '==', '*', '**', '-', '>', ':', ':=', ';', '\\', '\\\n', '\n', '\r\n', ' ', '\t', '\f',
  '#', '# c\n', '# c\r', '\r', '\u00aa', '\u00b5', '\u00b7', '\u00ba', '\\}', '0', '1e5', '0x1F', '3.14', '9_', '\u00c0', '\u00bf', '\u0080', '\uff50', '\ufb01', '\ud83d', '\ude00', '\u2028', '@', '$',
  // f-strings' (and t-strings') fields: escaped braces, conversions, `!=`, character names, nesting.
  't', 'T', 'rt', 'Fr', '{{', '}}', '!', '!=', 'r}', '\\N{', 'N{', 'f"{', "f'{", ':{', 'x:{y}{{', '\\\r\n', 'f"""{',
];

test('tokenize gives the tokens of the former regular-expression tokenizer', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), fc.integer({ min: 0, max: 3 }), (pieces, first) => {
      const source = pieces.join('');
      for (const specBraceText of [false, true]) {
        const reading = { specBraceText, divergent: false };
        const place = { i: 0, line: first, braceText: specBraceText, divergent: false };
        assert.deepEqual(tokenize(source, first, reading), referenceTokenize(source, first, place));
        assert.equal(reading.divergent, place.divergent);
      }
    }),
    fuzzParams(2000),
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (source) => {
      assert.deepEqual(tokenize(source), referenceTokenize(source));
    }),
    fuzzParams(1000),
  );
});

test('tokenize: prefixes, triple quotes, line numbers', () => {
  const source = 'x = rb"a\\"b" + f\'c\'\ns = """doc\nstill"""  # pickle.loads(d)\nz(1,\n  2)\n';
  assert.deepEqual(
    tokenize(source).map((t) => `${t.line}:${t.kind}:${t.text}`),
    ['1:name:x', '1:op:=', '1:string:"a\\"b"', '1:op:+', "1:string:'c'", '1:newline:\n', '2:name:s', '2:op:=', '2:string:"""doc\nstill"""', '3:newline:\n', '4:name:z', '4:op:(', '4:number:1', '4:op:,', '5:number:2', '5:op:)', '5:newline:\n', '6:newline:\n'],
  );
});

const CODE = [
  'import pickle', 'import pickle as p', 'from pickle import loads', 'from pickle import *', 'from yaml import *', 'import numpy as np', 'from keras import models',
  'loads = pickle.loads', 'x = p', '\n', ' ', '.', '(', ')', ',', '=', 'p', 'pickle', 'loads', 'load', 'np', 'yaml', 'load_all', 'Loader', 'models', 'load_model',
  'safe_mode=False', 'allow_pickle=True', 'constructor', 'toString', 'self', 'obj', 'from', 'import', 'def', 'class', ';', ':', '"s"', '# c',
];

test('findUses with the interesting last parts finds what it finds without them', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...CODE), { maxLength: 40 }), (pieces) => {
      const tokens = tokenize(pieces.join(''));
      const aliases = collectAliases([tokens]);
      const stars = [...aliases.keys()].filter((k) => k.startsWith('*')).map((k) => k.slice(1));
      assert.deepEqual(findUses(tokens, aliases, interesting, stars, INTERESTING_LAST_PARTS), findUses(tokens, aliases, interesting, stars));
    }),
    fuzzParams(3000),
  );
});
