// Where the URL-credential and high-entropy rules can match, found without running their regular
// expressions from every position of a line: on a 1 MiB window of minified JSON those two regexes
// were a third of the secrets detector's time (each start position re-reads a run of name or
// token characters before failing).
import { TOKEN } from './keyword-scan.ts';

const TOKEN_MIN = 32;
const TOKEN_MAX = 400;

/**
 * The matches of `/[A-Za-z0-9+/_=-]{32,400}/g`, as [start, end) pairs: each run of 32 or more
 * token characters is cut into pieces of 400, as the regex's greedy, leftmost matches cut it (a
 * tail shorter than 32 is no match). As in hasLongRun, only every 32nd character is probed (a run
 * that long covers one) and only runs a probe lands in are measured, so most of a line is not read.
 */
export function tokenRuns(text: string, out: number[]): void {
  const n = text.length;
  let i = 0; // text[i - 1] is no token character: every run from here on starts at i or later
  while (i + TOKEN_MIN <= n) {
    const probe = i + TOKEN_MIN - 1;
    if (TOKEN[text.charCodeAt(probe)] === 0) {
      i = probe + 1;
      continue;
    }
    let start = probe;
    while (start > i && TOKEN[text.charCodeAt(start - 1)] === 1) start--;
    let end = probe + 1;
    while (end < n && TOKEN[text.charCodeAt(end)] === 1) end++;
    for (let s = start; end - s >= TOKEN_MIN; s += TOKEN_MAX) out.push(s, Math.min(s + TOKEN_MAX, end));
    i = end + 1;
  }
}

/** [A-Za-z0-9+.-]: a URL scheme's characters after its first letter. */
function isSchemeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * The matches of a global, case-insensitive `scheme://…` pattern whose scheme is
 * `[a-z][a-z0-9+.-]{1,20}` (`pattern` is that regex with the sticky flag instead of the global
 * one), in the order and with the positions the global regex finds them: each `://` is found by
 * indexOf, and the pattern is tried once, at the leftmost start its scheme allows (a scheme holds
 * no `:`, so a match belongs to the first `://` after its start).
 */
export function forEachSchemeMatch(text: string, pattern: RegExp, each: (m: RegExpExecArray) => void): void {
  let from = 0; // where the global regex's next search would start
  for (let sep = text.indexOf('://', from + 2); sep !== -1; sep = text.indexOf('://', Math.max(sep + 1, from + 2))) {
    const lowest = Math.max(from, sep - 21);
    let start = sep;
    while (start > lowest && isSchemeChar(text.charCodeAt(start - 1))) start--;
    while (start < sep - 1 && !isLetter(text.charCodeAt(start))) start++;
    if (start >= sep - 1) continue;
    pattern.lastIndex = start;
    const m = pattern.exec(text);
    if (m === null) continue;
    each(m);
    from = m.index + m[0].length;
  }
}

/**
 * The matches of a global pattern every match of which starts at one of `words` (case as written)
 * or at a quote (`"` or `'`) just before one, and holds one of `then` starting at most `reach`
 * characters after that word's start (`pattern` is the regex with the sticky flag instead of the
 * global one), in the order and with the positions the global regex finds them: the pattern is
 * tried only at those starts, leftmost first, each found by indexOf. The key/value pair pattern
 * ran from every position of a 1 MiB window of minified JSON holding `value`; there, a `name`
 * stands at one place in ~400, and one with a `value` just after it at one in ~4,000.
 */
export function forEachWordLedMatch(
  text: string,
  pattern: RegExp,
  words: readonly string[],
  then: readonly string[],
  reach: number,
  each: (m: RegExpExecArray) => void,
): void {
  let from = 0; // where the global regex's next search would start
  const next = words.map((w) => text.indexOf(w));
  const nextThen = then.map((w) => text.indexOf(w));
  for (;;) {
    let k = -1;
    for (let j = 0; j < next.length; j++) if (next[j]! !== -1 && (k === -1 || next[j]! < next[k]!)) k = j;
    if (k === -1) return;
    const at = next[k]!;
    // The first of `then` at or after the word: none, and no match is left; too far, none starts here.
    let follow = -1;
    for (let j = 0; j < nextThen.length; j++) {
      if (nextThen[j]! !== -1 && nextThen[j]! < at) nextThen[j] = text.indexOf(then[j]!, at);
      if (nextThen[j]! !== -1 && (follow === -1 || nextThen[j]! < follow)) follow = nextThen[j]!;
    }
    if (follow === -1) return;
    let m: RegExpExecArray | null = null;
    if (follow - at <= reach) {
      const before = text.charCodeAt(at - 1);
      if (at - 1 >= from && (before === 34 || before === 39)) {
        pattern.lastIndex = at - 1;
        m = pattern.exec(text);
      }
      if (m === null) {
        pattern.lastIndex = at;
        m = pattern.exec(text);
      }
    }
    if (m === null) {
      next[k] = text.indexOf(words[k]!, at + 1);
      continue;
    }
    each(m);
    from = m.index + Math.max(1, m[0].length);
    for (let j = 0; j < next.length; j++) if (next[j]! !== -1 && next[j]! < from) next[j] = text.indexOf(words[j]!, from);
  }
}

/**
 * The literal text every match of `source` starts with (case as written), or null when there is
 * none to rely on. The pattern may open with lookbehinds and a named group (zero-width, so the
 * match's index is the literal's); the literal ends at the first character that is not a letter,
 * a digit, `_` or `-` (one followed by a quantifier is left out), and no `|` may stand at its
 * depth or above (another branch would start otherwise). `ghp_[A-Za-z0-9]{36}` after its
 * lookbehinds gives `ghp_`: a search need only be tried where `indexOf` finds that.
 */
export function leadingLiteral(source: string): string | null {
  let i = 0;
  let depth = 0;
  for (;;) {
    if (source.startsWith('(?<!', i) || source.startsWith('(?<=', i)) {
      const end = groupEnd(source, i);
      if (end < 0) return null;
      i = end;
    } else if (source.startsWith('(?<', i) && /^\(\?<[A-Za-z_]\w*>/.test(source.slice(i, i + 40))) {
      // A group that may be skipped (`(?<pre>acme_)?`, `{0,1}`) leads with nothing certain.
      const close = groupEnd(source, i);
      if (close < 0 || (close < source.length && '?*{'.includes(source[close]!))) return null;
      i = source.indexOf('>', i) + 1;
      depth++;
    } else {
      break;
    }
  }
  let end = i;
  while (end < source.length && /[A-Za-z0-9_-]/.test(source[end]!)) end++;
  if (end < source.length && '?*+{'.includes(source[end]!)) end--;
  if (end <= i) return null;
  // No alternation at the literal's depth or above, anywhere after it (the leading lookbehinds hold none that matter).
  let d = depth;
  for (let k = end; k < source.length; k++) {
    const ch = source[k]!;
    if (ch === '\\') k++;
    else if (ch === '[') k = classEnd(source, k);
    else if (ch === '(') d++;
    else if (ch === ')') d--;
    else if (ch === '|' && d <= depth) return null;
    if (k < 0) return null;
  }
  return source.slice(i, end);
}

/** The index after the group opened at `start` (escapes and classes skipped), or -1. */
function groupEnd(source: string, start: number): number {
  let d = 0;
  for (let k = start; k < source.length; k++) {
    const ch = source[k]!;
    if (ch === '\\') k++;
    else if (ch === '[') {
      k = classEnd(source, k);
      if (k < 0) return -1;
    } else if (ch === '(') d++;
    else if (ch === ')' && --d === 0) return k + 1;
  }
  return -1;
}

/** The index of the `]` closing the class opened at `start`, or -1. */
function classEnd(source: string, start: number): number {
  let k = start + 1;
  if (source[k] === '^') k++;
  if (source[k] === ']') k++; // a leading ] is a character of the class
  for (; k < source.length; k++) {
    if (source[k] === '\\') k++;
    else if (source[k] === ']') return k;
  }
  return -1;
}

/**
 * A run that every match of a pattern holds: `length` (≥ 1) consecutive characters of one class,
 * `ascii[c] === 1` for each ASCII character c of it (the class holds no other).
 */
export interface RequiredRun {
  length: number;
  ascii: Uint8Array;
}

/**
 * The longest run the source shows every match must hold: a character class (or `\w`, `\d`) of
 * ASCII characters repeated at least m times (`{m}`, `{m,}`, `{m,n}`), standing where every match
 * passes: in no lookaround, in no group that may be skipped (`?`, `*`, `{0,…}`) and in no group
 * (nor a pattern) holding an alternation of its own. Null when there is none. A line without such
 * a run cannot match: provider patterns without a leading literal (the AWS secret key's names,
 * case-insensitive; the Discord bot token's `[MNO]…`) ran over every line holding their keyword.
 * Without the `u` and `v` flags no non-ASCII character matches an ASCII class, even with `i`.
 */
export function requiredRun(source: string, flags: string): RequiredRun | null {
  if (flags.includes('u') || flags.includes('v')) return null;
  interface Group { look: boolean; alt: boolean; close: number; parent: Group | null }
  const stack: Group[] = [];
  let topAlt = false;
  const atoms: { body: string; group: Group | null; min: number }[] = [];
  for (let k = 0; k < source.length; k++) {
    const ch = source[k]!;
    const group = stack.length > 0 ? stack[stack.length - 1]! : null;
    if (ch === '\\') {
      const e = source[k + 1];
      if (e === 'w' || e === 'd') atoms.push({ body: `\\${e}`, group, min: minCount(source, k + 2) });
      k++;
    } else if (ch === '[') {
      const end = classEnd(source, k);
      if (end < 0) return null;
      const body = source.slice(k + 1, end);
      if (isAsciiClass(body)) atoms.push({ body, group, min: minCount(source, end + 1) });
      k = end;
    } else if (ch === '(') {
      const look = source.startsWith('(?=', k) || source.startsWith('(?!', k) || source.startsWith('(?<=', k) || source.startsWith('(?<!', k);
      stack.push({ look, alt: false, close: -1, parent: group });
    } else if (ch === ')') {
      const closed = stack.pop();
      if (!closed) return null;
      closed.close = k;
    } else if (ch === '|') {
      if (group) group.alt = true;
      else topAlt = true;
    }
  }
  if (stack.length > 0 || topAlt) return null;
  let best: { body: string; min: number } | null = null;
  for (const atom of atoms) {
    if (atom.min <= (best?.min ?? 0)) continue;
    let everyMatch = true;
    for (let g = atom.group; g !== null && everyMatch; g = g.parent) everyMatch = !g.look && !g.alt && minCount(source, g.close + 1) > 0;
    if (everyMatch) best = atom;
  }
  if (best === null) return null;
  // The class's ASCII members, as the regex engine itself reads them.
  const member = new RegExp(`[${best.body}]`, flags.replace(/[gyd]/g, ''));
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = member.test(String.fromCharCode(c)) ? 1 : 0;
  return { length: best.min, ascii };
}

/** The least number of times the atom ending before `at` repeats, by the quantifier at `at` (none: once). */
function minCount(source: string, at: number): number {
  const q = source[at];
  if (q === '?' || q === '*') return 0;
  if (q !== '{') return 1;
  const m = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(at, at + 24));
  return m ? Number(m[1]) : 1; // a `{` that starts no quantifier is a literal
}

/**
 * Whether a class body (between `[` and `]`) holds only ASCII characters: literal ASCII
 * characters, ranges between two, `\w`, `\d` and escaped punctuation; not negated.
 */
function isAsciiClass(body: string): boolean {
  if (body.length === 0 || body[0] === '^') return false;
  for (let k = 0; k < body.length; k++) {
    const c = body.charCodeAt(k);
    if (c >= 128) return false;
    if (c === 92 /* \ */) {
      const e = body[k + 1] ?? '';
      if (e !== 'w' && e !== 'd' && !/^[-/+=_.*?()[\]{}|^$\\]$/.test(e)) return false;
      k++;
    }
  }
  return true;
}

/**
 * Whether `text` holds `run.length` consecutive characters of the run's class. As hasLongRun, only
 * every length-th character is probed and only runs a probe lands in are measured.
 */
export function hasRun(text: string, run: RequiredRun): boolean {
  const { length, ascii } = run;
  const n = text.length;
  let i = 0; // no run starts before i
  while (i + length <= n) {
    const probe = i + length - 1;
    if (!inClass(ascii, text.charCodeAt(probe))) {
      i = probe + 1;
      continue;
    }
    let start = probe;
    while (start > i && inClass(ascii, text.charCodeAt(start - 1))) start--;
    const need = start + length;
    let end = probe + 1;
    while (end < need && end < n && inClass(ascii, text.charCodeAt(end))) end++;
    if (end >= need) return true;
    i = end + 1;
  }
  return false;
}

function inClass(ascii: Uint8Array, c: number): boolean {
  return c < 128 && ascii[c] === 1;
}
