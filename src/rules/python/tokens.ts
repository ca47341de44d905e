// A small Python tokenizer: names, operators and strings with their line numbers. Comments are
// dropped and strings (including docstrings, triple-quoted and prefixed ones) become one token,
// so nothing inside them is ever taken for a call. It reads UTF-16 code units by number (no
// regular expression or one-character string per character): a history scan tokenizes every
// version of each Python file that mentions a module word.

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

/** A name starts with a letter, `_` or any code unit from U+00C0 up (as Python allows most of them). */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** A number runs on over word characters and dots (`1e5`, `0x1F`, `3.14j`). */
function isNumberChar(c: number): boolean {
  return isNameChar(c) ? c < 0x80 : c === 46;
}

/** `r`, `b`, `u`, `f` and the two-letter `rb`/`br`/`rf`/`fr` (any case) before a quote make a string prefix. */
function isStringPrefix(source: string, from: number, to: number): boolean {
  const length = to - from;
  if (length === 1) {
    const a = source.charCodeAt(from) | 32;
    return a === 114 || a === 98 || a === 117 || a === 102;
  }
  if (length !== 2) return false;
  const a = source.charCodeAt(from) | 32;
  const b = source.charCodeAt(from + 1) | 32;
  return (a === 114 && (b === 98 || b === 102)) || ((a === 98 || a === 102) && b === 114);
}

export function tokenize(source: string, firstLine = 1): Token[] {
  const out: Token[] = [];
  let line = firstLine;
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === NL) {
      if (depth === 0) out.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === HASH) {
      const end = source.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (c === BACKSLASH && source.charCodeAt(i + 1) === NL) {
      line++;
      i += 2;
    } else if (c === 32 || c === 9 || c === 13 || c === 12) {
      i++;
    } else if (c === DQUOTE || c === SQUOTE) {
      const [end, endLine] = readString(source, i, line, out);
      i = end;
      line = endLine;
    } else if (isNameStart(c)) {
      let j = i + 1;
      let wide = c >= 0x80;
      for (let d = source.charCodeAt(j); j < n && isNameChar(d); d = source.charCodeAt(++j)) wide ||= d >= 0x80;
      const next = source.charCodeAt(j);
      if ((next === DQUOTE || next === SQUOTE) && isStringPrefix(source, i, j)) {
        const [end, endLine] = readString(source, j, line, out);
        i = end;
        line = endLine;
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
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
      const op = twoCharOp(c, source.charCodeAt(i + 1)) ? source.slice(i, i + 2) : source[i];
      out.push({ kind: 'op', text: op, line });
      i += op.length;
    }
  }
  out.push({ kind: 'newline', text: '\n', line });
  return out;
}

/** `**`, `==`, `->`, `:=`: the operators kept as one token. */
function twoCharOp(c: number, d: number): boolean {
  return (c === 42 && d === 42) || (c === 61 && d === 61) || (c === 45 && d === 62) || (c === 58 && d === 61);
}

/**
 * The string whose quote is at `start` as one token (a prefix before it is not part of the token's
 * text); returns where it ends and the line it ends on. An unterminated single-quoted string ends
 * at its line.
 */
function readString(source: string, start: number, line: number, out: Token[]): [number, number] {
  const quote = source.charCodeAt(start);
  const triple = source.charCodeAt(start + 1) === quote && source.charCodeAt(start + 2) === quote;
  let i = start + (triple ? 3 : 1);
  let l = line;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) {
      if (source.charCodeAt(i + 1) === NL) l++;
      i += 2;
      continue;
    }
    if (c === NL) {
      if (!triple) break;
      l++;
    } else if (c === quote && (!triple || (source.charCodeAt(i + 1) === quote && source.charCodeAt(i + 2) === quote))) {
      i += triple ? 3 : 1;
      break;
    }
    i++;
  }
  out.push({ kind: 'string', text: source.slice(start, i), line });
  return [i, l];
}
