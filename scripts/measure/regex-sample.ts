/**
 * Makes one random string that a regular expression (Go RE2 syntax, the subset example generators
 * use) matches. Measuring aid only: not shipped, not used by gitward itself.
 */

type Node =
  | { t: 'lit'; c: string }
  | { t: 'set'; chars: string; negated: boolean }
  | { t: 'any' }
  | { t: 'empty' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; x: Node; min: number; max: number };

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const WORD = `${UPPER}${LOWER}${DIGITS}_`;
const SPACE = ' \t\n\r\f\v';
const POSIX: Record<string, string> = {
  alnum: UPPER + LOWER + DIGITS, alpha: UPPER + LOWER, digit: DIGITS, lower: LOWER, upper: UPPER, word: WORD, space: SPACE,
  xdigit: `${DIGITS}abcdefABCDEF`, punct: PRINTABLE.replace(/[A-Za-z0-9 ]/g, ''),
};

/** How many extra repetitions an unbounded quantifier (*, +, {n,}) gets at most. */
const UNBOUNDED_EXTRA = 1;

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.s.length) throw new Error(`unexpected ${this.s[this.i]} at ${this.i} in ${this.s}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.concatenation()];
    while (this.s[this.i] === '|') {
      this.i++;
      options.push(this.concatenation());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.quantified(this.atom()));
    return { t: 'cat', items };
  }

  private quantified(x: Node): Node {
    for (;;) {
      const c = this.s[this.i];
      let min: number, max: number;
      if (c === '*') [min, max] = [0, UNBOUNDED_EXTRA];
      else if (c === '+') [min, max] = [1, 1 + UNBOUNDED_EXTRA];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(?:,\d*)?\}/.test(this.s.slice(this.i))) {
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.s.slice(this.i))!;
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : min + UNBOUNDED_EXTRA) : min;
        this.i += m[0].length - 1;
      } else return x;
      this.i++;
      if (this.s[this.i] === '?' || this.s[this.i] === '+') this.i++; // lazy or possessive
      x = { t: 'rep', x, min, max };
    }
  }

  private atom(): Node {
    const c = this.s[this.i++]!;
    if (c === '(') {
      if (this.s[this.i] === '?') {
        // (?:x) (?i) (?i:x) (?P<name>x) (?<name>x) (?-i:x)
        const flags = /^\?(?:P?<\w+>|[a-zA-Z-]*(?::|\)))/.exec(this.s.slice(this.i));
        if (!flags) throw new Error(`group syntax at ${this.i} in ${this.s}`);
        this.i += flags[0].length;
        if (flags[0].endsWith(')')) return { t: 'empty' };
      }
      const inner = this.alternation();
      if (this.s[this.i++] !== ')') throw new Error(`missing ) in ${this.s}`);
      return inner;
    }
    if (c === '[') return this.set();
    if (c === '.') return { t: 'any' };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '\\') return this.escape(false);
    return { t: 'lit', c };
  }

  private escape(inSet: boolean): Node {
    const c = this.s[this.i++]!;
    const classes: Record<string, string> = { d: DIGITS, w: WORD, s: SPACE };
    if (classes[c]) return { t: 'set', chars: classes[c]!, negated: false };
    if (classes[c.toLowerCase()]) return { t: 'set', chars: classes[c.toLowerCase()]!, negated: true };
    if (!inSet && 'bBAz'.includes(c)) return { t: 'empty' };
    if (c === 'n') return { t: 'lit', c: '\n' };
    if (c === 'r') return { t: 'lit', c: '\r' };
    if (c === 't') return { t: 'lit', c: '\t' };
    if (c === 'x') {
      const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(this.s.slice(this.i))!;
      this.i += m[0].length;
      return { t: 'lit', c: String.fromCodePoint(parseInt(m[1] ?? m[2]!, 16)) };
    }
    if (c === 'p' || c === 'P') {
      // \pL, \p{L}: letters are enough for the generators that use them.
      const m = /^(?:\{\w+\}|\w)/.exec(this.s.slice(this.i))!;
      this.i += m[0].length;
      return { t: 'set', chars: UPPER + LOWER, negated: c === 'P' };
    }
    return { t: 'lit', c };
  }

  private set(): Node {
    let negated = false;
    if (this.s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let chars = '';
    let first = true;
    while (this.i < this.s.length && (this.s[this.i] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)(\w+):\]/.exec(this.s.slice(this.i));
      if (posix) {
        this.i += posix[0].length;
        chars += POSIX[posix[2]!] ?? '';
        continue;
      }
      let from: string;
      if (this.s[this.i] === '\\') {
        this.i++;
        const e = this.escape(true);
        if (e.t === 'set') {
          chars += e.negated ? [...PRINTABLE].filter((ch) => !e.chars.includes(ch)).join('') : e.chars;
          continue;
        }
        from = e.t === 'lit' ? e.c : '';
      } else from = this.s[this.i++]!;
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length) {
        this.i++;
        let to = this.s[this.i++]!;
        if (to === '\\') {
          const e = this.escape(true);
          to = e.t === 'lit' ? e.c : to;
        }
        for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) chars += String.fromCharCode(code);
      } else chars += from;
    }
    this.i++; // ]
    return { t: 'set', chars, negated };
  }
}

export type Random = () => number;

/** A seeded generator (mulberry32): the same seed gives the same examples on every run. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(chars: string, random: Random): string {
  return chars.length === 0 ? '' : chars[Math.floor(random() * chars.length)]!;
}

function generate(node: Node, random: Random): string {
  switch (node.t) {
    case 'lit':
      return node.c;
    case 'empty':
      return '';
    case 'any':
      return pick(PRINTABLE, random);
    case 'set':
      return pick(node.negated ? [...PRINTABLE].filter((c) => !node.chars.includes(c)).join('') : node.chars, random);
    case 'cat':
      return node.items.map((x) => generate(x, random)).join('');
    case 'alt':
      return generate(node.options[Math.floor(random() * node.options.length)]!, random);
    case 'rep': {
      const count = node.min + Math.floor(random() * (node.max - node.min + 1));
      let out = '';
      for (let k = 0; k < count; k++) out += generate(node.x, random);
      return out;
    }
  }
}

export function sampleRegex(source: string, random: Random): string {
  return generate(new Parser(source).parse(), random);
}
