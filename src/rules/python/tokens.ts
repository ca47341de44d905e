// A small Python tokenizer: names, operators and strings with their line numbers. Comments are
// dropped and strings (including docstrings, triple-quoted and prefixed ones) become one token,
// so nothing inside them is ever taken for a call.

export interface Token {
  kind: 'name' | 'op' | 'string' | 'number' | 'newline';
  text: string;
  line: number;
}

const NAME_START = /[A-Za-z_\u00c0-\uffff]/;
const NAME_CHAR = /[\w\u00c0-\uffff]/;
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

export function tokenize(source: string, firstLine = 1): Token[] {
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
      i = readString(source, i, line, out, (l) => (line = l));
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < n && NAME_CHAR.test(source[j])) j++;
      const raw = source.slice(i, j);
      // Python NFKC-normalizes identifiers: `ｐｉｃｋｌｅ.loads` is `pickle.loads`.
      const word = /[^\x00-\x7f]/.test(raw) ? raw.normalize('NFKC') : raw;
      if ((source[j] === '"' || source[j] === "'") && STRING_PREFIX.test(raw)) {
        i = readString(source, j, line, out, (l) => (line = l));
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

function readString(source: string, start: number, line: number, out: Token[], setLine: (l: number) => void): number {
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
      if (!triple) break; // unterminated single-quoted string ends at the line
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
