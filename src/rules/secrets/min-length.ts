import { classEnd } from './candidates.ts';

/**
 * The fewest UTF-16 code units any match of a regular expression can take: a line shorter than
 * that cannot hold a match, so a provider row whose keyword occurs in such a line is neither made
 * nor compiled (a lock file's package names hold `bot`, `sk`, `discord`, `twilio`…: an 800 KB
 * requirements file made and compiled 42 rows for 157 short lines, docs/performance.md "Round 10:
 * requirements").
 *
 * A lower bound, never more than the true minimum: lookarounds, anchors and word boundaries take
 * nothing; a back-reference is counted as nothing (it may repeat an empty group); a class, `.` and
 * an escape take one unit (a code point may take two: still at least one); `*` and `?` make their
 * atom optional, `{n,…}` and `+` repeat it n and 1 times; an alternation takes its shortest branch.
 * Under the `v` flag a class may match a string of any length, an empty one too, and under `u` a
 * quantifier takes a surrogate pair whole: 0 for the whole pattern under either. A source it
 * cannot read (an unclosed group or class) is 0: nothing is skipped.
 */
export function minMatchLength(source: string, flags = ''): number {
  // Under `u` a quantifier repeats a whole code point (two units of a surrogate pair, which this
  // reader counts apart): 0, as under `v`. No built-in row has either flag.
  if (flags.includes('v') || flags.includes('u')) return 0;
  const reader = { source, at: 0 };
  const length = alternation(reader);
  return reader.at === source.length && length >= 0 ? length : 0;
}

interface Reader {
  readonly source: string;
  at: number;
}

const UNREADABLE = -1;

/** Branches separated by `|` up to a `)` (not taken) or the end: the shortest. */
function alternation(r: Reader): number {
  let shortest = sequence(r);
  while (shortest !== UNREADABLE && r.source[r.at] === '|') {
    r.at++;
    const next = sequence(r);
    shortest = next === UNREADABLE ? UNREADABLE : Math.min(shortest, next);
  }
  return shortest;
}

/** Atoms with their quantifiers up to a `|`, a `)` or the end: the sum of their least lengths. */
function sequence(r: Reader): number {
  let total = 0;
  while (r.at < r.source.length && r.source[r.at] !== '|' && r.source[r.at] !== ')') {
    const atom = atomLength(r);
    if (atom === UNREADABLE) return UNREADABLE;
    total += atom * leastRepeats(r);
  }
  return total;
}

/** One atom's least length, the reader moved past it. */
function atomLength(r: Reader): number {
  const s = r.source;
  const ch = s[r.at]!;
  if (ch === '(') {
    const lookaround = s.startsWith('(?=', r.at) || s.startsWith('(?!', r.at) || s.startsWith('(?<=', r.at) || s.startsWith('(?<!', r.at);
    if (s.startsWith('(?<', r.at) && !lookaround) r.at = s.indexOf('>', r.at) + 1;
    else if (s.startsWith('(?', r.at)) {
      // `(?:`, a lookaround, or a modifiers group `(?i:` / `(?-i:`: the group's body starts after its `:` or its opening.
      const colon = /^\(\?(?:[=!]|<[=!]|[a-z]*(?:-[a-z]+)?:)/.exec(s.slice(r.at, r.at + 12));
      if (colon === null) return UNREADABLE;
      r.at += colon[0].length;
    } else r.at++;
    if (r.at <= 0) return UNREADABLE;
    const inner = alternation(r);
    if (inner === UNREADABLE || s[r.at] !== ')') return UNREADABLE;
    r.at++;
    return lookaround ? 0 : inner;
  }
  if (ch === '[') {
    // A class: one unit (`[]` matches nothing, `[^]` any character: one unit is still a lower bound).
    const end = classEnd(s, r.at);
    if (end === -1) return UNREADABLE;
    r.at = end + 1;
    return 1;
  }
  if (ch === '^' || ch === '$') {
    r.at++;
    return 0;
  }
  if (ch === '\\') {
    const next = s[r.at + 1];
    if (next === undefined) return UNREADABLE;
    if (next === 'b' || next === 'B') {
      r.at += 2;
      return 0;
    }
    if (next === 'k' && s[r.at + 2] === '<') {
      const end = s.indexOf('>', r.at);
      if (end === -1) return UNREADABLE;
      r.at = end + 1;
      return 0;
    }
    if (next >= '1' && next <= '9') {
      // A back-reference (or, with no such group, an octal escape: one unit, so 0 is still a lower bound).
      r.at += 2;
      while (r.at < s.length && s[r.at]! >= '0' && s[r.at]! <= '9') r.at++;
      return 0;
    }
    if ((next === 'p' || next === 'P') && s[r.at + 2] === '{') {
      const end = s.indexOf('}', r.at);
      if (end === -1) return UNREADABLE;
      r.at = end + 1;
      return 1;
    }
    if (next === '0') {
      // NUL, or (without the u flag) an octal escape of up to three digits: counted as nothing when digits follow.
      r.at += 2;
      const digits = r.at;
      while (r.at < s.length && s[r.at]! >= '0' && s[r.at]! <= '9') r.at++;
      return r.at === digits ? 1 : 0;
    }
    // Any other escape is one character, read whole (its digits are not characters of their own): `\d`, `\.`,
    // `\x41`, `\u0041`, `\u{1F600}`, `\cJ`; an incomplete one (`\x4`) is its letter alone, as without the u flag.
    const whole = /^\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|u\{[0-9A-Fa-f]+\}|c[A-Za-z])/.exec(s.slice(r.at, r.at + 16));
    r.at += whole === null ? 2 : whole[0].length;
    return 1;
  }
  r.at++;
  return 1;
}

/** The quantifier after an atom (and its lazy `?`): how many times the atom must occur at least. */
function leastRepeats(r: Reader): number {
  const s = r.source;
  const ch = s[r.at];
  let least = 1;
  if (ch === '*' || ch === '?') {
    least = 0;
    r.at++;
  } else if (ch === '+') {
    r.at++;
  } else if (ch === '{') {
    // Not a quantifier (`{`, `{,3}`, `{a}`) is a literal `{` without the u flag: the next atom.
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(s.slice(r.at, r.at + 24));
    if (m === null) return 1;
    least = Number(m[1]);
    r.at += m[0].length;
  } else {
    return 1;
  }
  if (s[r.at] === '?') r.at++;
  return least;
}
