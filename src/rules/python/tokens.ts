// A small Python tokenizer: names, operators and strings with their line numbers. Comments are
// dropped and strings (including docstrings, triple-quoted and prefixed ones) become one token,
// so nothing inside them is ever taken for a call; only an f-string's replacement fields, which
// are code, follow its token as tokens of their own (readString). It reads UTF-16 code units by
// number (no regular expression or one-character string per character): a history scan tokenizes
// every version of each Python file that mentions a module word.

export interface Token {
  kind: 'name' | 'op' | 'string' | 'number' | 'newline';
  text: string;
  line: number;
}

const NL = 10;
const HASH = 35;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;

/**
 * A name starts with a letter, `_`, `ª`, `µ`, `º` or any code unit from U+00C0 up (as Python allows
 * most of them; NFKC makes `tºrch` torch).
 */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0 || c === 0xaa || c === 0xb5 || c === 0xba;
}

/** A name goes on with those, digits and `·` (U+00B7, which Python allows after the first letter). */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 0xb7;
}

/** A number runs on over word characters and dots (`1e5`, `0x1F`, `3.14j`). */
function isNumberChar(c: number): boolean {
  return isNameChar(c) ? c < 0x80 : c === 46;
}

/** Code units of a string prefix (any case): r, b, u, f, t (a template string, Python 3.14). */
const R = 114;
const B = 98;
const U = 117;
const F = 102;
const T = 116;
/** stringPrefix's answer: a prefix (1), with replacement fields (f, t) and raw. */
const FIELDS = 2;
const RAW = 4;

/**
 * Whether the name at [from, to) before a quote is a string prefix: `r`, `b`, `u`, `f`, `t` or a
 * two-letter `rb`/`br`/`rf`/`fr`/`rt`/`tr` (any case). Returns 0 when not, else 1, with 2 added when
 * the string has replacement fields (f and t) and 4 when it is raw.
 */
function stringPrefix(source: string, from: number, to: number): number {
  const length = to - from;
  if (length === 1) {
    const a = source.charCodeAt(from) | 32;
    return a === R ? 1 | RAW : a === B || a === U ? 1 : a === F || a === T ? 1 | FIELDS : 0;
  }
  if (length !== 2) return 0;
  const a = source.charCodeAt(from) | 32;
  const b = source.charCodeAt(from + 1) | 32;
  const other = a === R ? b : b === R ? a : -1;
  return other === B ? 1 | RAW : other === F || other === T ? 1 | RAW | FIELDS : 0;
}

const CR = 13;
const LBRACE = 123;
const RBRACE = 125;
/**
 * Python refuses 150 nested f-strings ("too many nested f-strings", CPython's MAXFSTRINGLEVEL) and
 * format specs nested past 2 ("expressions nested too deeply"). Past these depths the code runs in
 * no version, and fields are not read (a string's as plain text, a spec's `{` as text), so hostile
 * nesting costs no deep recursion.
 */
const MAX_STRING_NESTING = 150;
const MAX_SPEC_NESTING = 4;

/**
 * How to read where Python versions differ: an f-string's `{{` after a field in a format spec
 * opens a field in 3.8-3.12 and is a `{` of text in 3.13 (`specBraceText`); the same source can be
 * valid in both with other strings, so a caller that must see every call reads it both ways when
 * `divergent` says such a `{{` was met.
 */
export interface Reading {
  specBraceText: boolean;
  divergent: boolean;
}

/** Where reading is: the offset and the line there, and how (Reading). */
interface At {
  i: number;
  line: number;
  reading: Reading;
  /** The next CR at or after the last comment looked at (2^32 - 1: none): found once per stretch, not per comment. */
  nextCR: number;
}

export function tokenize(source: string, firstLine = 1, reading: Reading = { specBraceText: false, divergent: false }): Token[] {
  const out: Token[] = [];
  const at: At = { i: 0, line: firstLine, reading, nextCR: -1 };
  readCode(source, at, out, 0, false);
  out.push({ kind: 'newline', text: '\n', line: at.line });
  return out;
}

/**
 * Code from `at`, to the end of the source; or, in an f-string's replacement field (`field`),
 * to its `}` ('close') or the `!` or `:` that starts its conversion and format spec ('spec') at
 * depth 0, read past. A field's lines make no newline tokens: it is an expression in brackets.
 * `nesting`: how deep in f-strings a string here is.
 */
function readCode(source: string, at: At, out: Token[], nesting: number, field: boolean): 'end' | 'close' | 'spec' {
  let line = at.line;
  let depth = 0;
  let i = at.i;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === NL) {
      if (depth === 0 && !field) out.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === HASH) {
      // A comment ends at a line's end, which to Python is a lone CR too (`# c\rpickle.loads(b)` runs).
      const end = source.indexOf('\n', i);
      if (at.nextCR < i) at.nextCR = source.indexOf('\r', i) >>> 0;
      i = Math.min(end === -1 ? n : end, at.nextCR, n);
    } else if (c === BACKSLASH && continuationAt(source, i) > 0) {
      const length = continuationAt(source, i);
      // Git's lines end at a newline only: a backslash before a lone CR continues the same one.
      if (source.charCodeAt(i + length - 1) === NL) line++;
      i += length;
    } else if (c === CR && source.charCodeAt(i + 1) !== NL) {
      // A lone CR ends a line to Python (`import pickle\rpickle.loads(b)` runs), not to git.
      if (depth === 0 && !field) out.push({ kind: 'newline', text: '\n', line });
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 12) {
      i++;
    } else if (c === DQUOTE || c === SQUOTE) {
      at.i = i;
      at.line = line;
      readString(source, at, out, 0, nesting);
      i = at.i;
      line = at.line;
    } else if (isNameStart(c)) {
      let j = i + 1;
      let wide = c >= 0x80;
      for (let d = source.charCodeAt(j); j < n && isNameChar(d); d = source.charCodeAt(++j)) wide ||= d >= 0x80;
      const next = source.charCodeAt(j);
      const prefix = next === DQUOTE || next === SQUOTE ? stringPrefix(source, i, j) : 0;
      if (prefix !== 0) {
        at.i = j;
        at.line = line;
        readString(source, at, out, prefix, nesting);
        i = at.i;
        line = at.line;
      } else {
        const raw = source.slice(i, j);
        // Python NFKC-normalizes identifiers: `ｐｉｃｋｌｅ.loads` is `pickle.loads`.
        out.push({ kind: 'name', text: wide ? raw.normalize('NFKC') : raw, line });
        i = j;
      }
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && isNumberChar(source.charCodeAt(j))) j++;
      out.push({ kind: 'number', text: source.slice(i, j), line });
      i = j;
    } else {
      if (field && depth === 0 && (c === RBRACE || c === 58 || (c === 33 && source.charCodeAt(i + 1) !== 61))) {
        at.i = i + 1;
        at.line = line;
        return c === RBRACE ? 'close' : 'spec';
      }
      if (c === 40 || c === 91 || c === LBRACE) depth++;
      else if ((c === 41 || c === 93 || c === RBRACE) && depth > 0) depth--;
      const op = twoCharOp(c, source.charCodeAt(i + 1)) ? source.slice(i, i + 2) : source[i];
      out.push({ kind: 'op', text: op, line });
      i += op.length;
    }
  }
  at.i = i;
  at.line = line;
  return 'end';
}

/** `**`, `==`, `->`, `:=`: the operators kept as one token. */
function twoCharOp(c: number, d: number): boolean {
  return (c === 42 && d === 42) || (c === 61 && d === 61) || (c === 45 && d === 62) || (c === 58 && d === 61);
}

/** The string being read: its quote, whether tripled and raw, whether its fields are read, and how deep it is. */
interface Shape {
  quote: number;
  triple: boolean;
  raw: boolean;
  fields: boolean;
  nesting: number;
}

/** Whether the string's closing quote is at `i`. */
function closesAt(source: string, i: number, s: Shape): boolean {
  return source.charCodeAt(i) === s.quote && (!s.triple || (source.charCodeAt(i + 1) === s.quote && source.charCodeAt(i + 2) === s.quote));
}

/** `\` then a line's end (LF, CRLF, or a lone CR, which Python reads as one) at `i`: the length of both, else 0. */
function continuationAt(source: string, i: number): number {
  if (source.charCodeAt(i) !== BACKSLASH) return 0;
  const d = source.charCodeAt(i + 1);
  return d === NL ? 2 : d === CR ? (source.charCodeAt(i + 2) === NL ? 3 : 2) : 0;
}

/**
 * The string whose quote is at `at` as one token (a prefix before it is not part of the token's
 * text); `at` moves to where it ends. An unterminated single-quoted string ends at its line. The
 * replacement fields of an f-string (or t-string) run as code: after the string's token, each
 * field's tokens follow in brackets of their own (a call's arguments are not split by a field's
 * commas), so `f"{pickle.loads(b)}"` is a call while the text around the fields stays text.
 */
function readString(source: string, at: At, out: Token[], prefix: number, nesting: number): void {
  const start = at.i;
  const quote = source.charCodeAt(start);
  const triple = source.charCodeAt(start + 1) === quote && source.charCodeAt(start + 2) === quote;
  const token: Token = { kind: 'string', text: '', line: at.line };
  out.push(token);
  const shape: Shape = { quote, triple, raw: (prefix & RAW) !== 0, fields: (prefix & FIELDS) !== 0 && nesting < MAX_STRING_NESTING, nesting };
  at.i = start + (triple ? 3 : 1);
  readText(source, at, out, shape, -1);
  token.text = source.slice(start, at.i);
}

/**
 * A string's text from `at` (`spec` -1), or a field's conversion and format spec (`spec`: how
 * deep in specs). Returns true at the `}` that ends a spec's field (`at` past it); false where
 * the string ended: past its closing quote, or at a single-quoted one's line end or the source's.
 */
function readText(source: string, at: At, out: Token[], s: Shape, spec: number): boolean {
  let i = at.i;
  const n = source.length;
  // A spec's `{{` after a field: a field or text, by the reading (see Reading).
  let afterField = false;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) {
      const continued = continuationAt(source, i);
      const d = source.charCodeAt(i + 1);
      if (continued > 0) {
        if (source.charCodeAt(i + continued - 1) === NL) at.line++;
        i += continued;
      } else if (s.fields && (d === LBRACE || d === RBRACE)) {
        // `\{` leaves the brace to start a field, `\}` to end a spec's.
        i++;
      } else if (s.fields && d === 78 && !s.raw && source.charCodeAt(i + 2) === LBRACE) {
        // `\N{name}`: a character's name, not a field.
        i = characterNameEnd(source, i + 3, s.quote);
      } else i += 2;
      continue;
    }
    if (c === NL) {
      // A single-quoted string ends at its line; a spec (Python 3.12) may go on to the next.
      if (!s.triple && spec < 0) break;
      at.line++;
    } else if (closesAt(source, i, s)) {
      at.i = i + (s.triple ? 3 : 1);
      return false;
    } else if (spec >= 0 && c === RBRACE) {
      at.i = i + 1;
      return true;
    } else if (s.fields && c === LBRACE && spec < MAX_SPEC_NESTING) {
      const doubled = source.charCodeAt(i + 1) === LBRACE;
      const versionsDiffer = doubled && spec >= 0 && afterField;
      if (versionsDiffer) at.reading.divergent = true;
      if (doubled && (spec < 0 || (versionsDiffer && at.reading.specBraceText))) {
        i += 2;
        continue;
      }
      at.i = i + 1;
      if (!readField(source, at, out, s, spec + 1)) return false;
      i = at.i;
      afterField = true;
      continue;
    }
    i++;
  }
  at.i = i;
  return false;
}

/**
 * One replacement field, from after its `{`: its code in brackets, then its conversion and format
 * spec (at depth `spec`), which may hold fields of their own. True when it ended at its `}` (`at`
 * past it), false when the string ended inside it.
 */
function readField(source: string, at: At, out: Token[], s: Shape, spec: number): boolean {
  out.push({ kind: 'op', text: '(', line: at.line });
  const stop = readCode(source, at, out, s.nesting + 1, true);
  // Closed before the spec: a spec's fields are not the field's arguments (`{torch.load:{w}}` calls nothing).
  out.push({ kind: 'op', text: ')', line: at.line });
  return stop === 'close' || (stop === 'spec' && readText(source, at, out, s, spec));
}

/** After `\N{` in an f-string: past the name's `}`, or where the name stops being one (a quote, a line's end). */
function characterNameEnd(source: string, from: number, quote: number): number {
  let i = from;
  for (let c = source.charCodeAt(i); i < source.length; c = source.charCodeAt(++i)) {
    if (c === RBRACE) return i + 1;
    if (c === NL || c === quote || c === BACKSLASH) return i;
  }
  return i;
}
