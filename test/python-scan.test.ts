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

const NAME_START = /[A-Za-z_\u00c0-\uffff]/;
const NAME_CHAR = /[\w\u00c0-\uffff]/;
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

function referenceTokenize(source: string, firstLine = 1): Token[] {
  const out: Token[] = [];
  let line = firstLine;
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '\n') {
      if (depth === 0) out.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === '#') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '\\' && source[i + 1] === '\n') {
      line++;
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '"' || c === "'") {
      i = referenceString(source, i, line, out, (l) => (line = l));
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < n && NAME_CHAR.test(source[j])) j++;
      const raw = source.slice(i, j);
      const word = /[^\x00-\x7f]/.test(raw) ? raw.normalize('NFKC') : raw;
      if ((source[j] === '"' || source[j] === "'") && STRING_PREFIX.test(raw)) {
        i = referenceString(source, j, line, out, (l) => (line = l));
      } else {
        out.push({ kind: 'name', text: word, line });
        i = j;
      }
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[\w.]/.test(source[j])) j++;
      out.push({ kind: 'number', text: source.slice(i, j), line });
      i = j;
    } else {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      const two = source.slice(i, i + 2);
      const op = two === '**' || two === '==' || two === '->' || two === ':=' ? two : c;
      out.push({ kind: 'op', text: op, line });
      i += op.length;
    }
  }
  out.push({ kind: 'newline', text: '\n', line });
  return out;
}

function referenceString(source: string, start: number, line: number, out: Token[], setLine: (l: number) => void): number {
  const quote = source[start];
  const triple = source.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  let i = start + close.length;
  let l = line;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      if (source[i + 1] === '\n') l++;
      i += 2;
      continue;
    }
    if (c === '\n') {
      if (!triple) break;
      l++;
    }
    if (source.startsWith(close, i)) {
      i += close.length;
      break;
    }
    i++;
  }
  out.push({ kind: 'string', text: source.slice(start, i), line });
  setLine(l);
  return i;
}

/** Pieces that matter to the tokenizer: quotes, prefixes, brackets, escapes, comments, digits, wide and surrogate code units. */
const PIECES = [
  '"', "'", '"""', "'''", 'r', 'b', 'u', 'f', 'R', 'B', 'F', 'U', 'rb', 'Br', 'fR', 'ur', 'x', '_', 'pickle', '.', 'loads',
  '(', ')', '[', ']', '{', '}', ',', '=', '==', '*', '**', '-', '>', ':', ':=', ';', '\\', '\\\n', '\n', '\r\n', ' ', '\t', '\f',
  '#', '# c\n', '0', '1e5', '0x1F', '3.14', '9_', '\u00c0', '\u00bf', '\u0080', '\uff50', '\ufb01', '\ud83d', '\ude00', '\u2028', '@', '$',
];

test('tokenize gives the tokens of the former regular-expression tokenizer', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), fc.integer({ min: 0, max: 3 }), (pieces, first) => {
      const source = pieces.join('');
      assert.deepEqual(tokenize(source, first), referenceTokenize(source, first));
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
