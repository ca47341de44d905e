// Where the URL-credential and high-entropy rules can match, found without running their regular
// expressions from every position of a line: on a 1 MiB window of minified JSON those two regexes
// were a third of the secrets detector's time (each start position re-reads a run of name or
// token characters before failing).
import { LONG_RUN, longRunFrom, TOKEN } from './keyword-scan.ts';

const TOKEN_MAX = 400;

/**
 * The matches of `/[A-Za-z0-9+/_=-]{32,400}/g`, as [start, end) pairs: each run of 32 or more
 * token characters is cut into pieces of 400, as the regex's greedy, leftmost matches cut it (a
 * tail shorter than 32 is no match). The runs are found as hasLongRun finds one (longRunFrom), so
 * most of a line is not read.
 */
export function tokenRuns(text: string, out: number[]): void {
  const n = text.length;
  for (let start = longRunFrom(text, 0); start !== -1; ) {
    let end = start + LONG_RUN;
    while (end < n && TOKEN[text.charCodeAt(end)] === 1) end++;
    for (let s = start; end - s >= LONG_RUN; s += TOKEN_MAX) out.push(s, Math.min(s + TOKEN_MAX, end));
    // text[end] is no token character: the next run starts after it.
    start = longRunFrom(text, end + 1);
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
  return branchesAfter(source, end, depth) ? null : source.slice(i, end);
}

/**
 * The names a pattern opens with after its lookbehinds, as keyed rows do
 * (`(?<![a-z])(?:aws_secret|awssecret)[\w.-]{0,24}?…`, providers/define.ts), or null when it opens
 * otherwise: every match starts with one of them (as written). A name is letters, digits, `_` and
 * `-`; the group may not be skipped (`)?`), and no `|` may stand outside it at its depth or above.
 */
export function leadingNames(source: string): string[] | null {
  let i = 0;
  while (source.startsWith('(?<!', i) || source.startsWith('(?<=', i)) {
    i = groupEnd(source, i);
    if (i < 0) return null;
  }
  if (!source.startsWith('(?:', i)) return null;
  const close = groupEnd(source, i);
  if (close < 0 || (close < source.length && '?*{'.includes(source[close]!))) return null;
  const names = source.slice(i + 3, close - 1).split('|');
  if (!names.every((name) => /^[\w-]+$/.test(name))) return null;
  return branchesAfter(source, close, 0) ? null : names;
}

/**
 * Whether a `|` stands at `depth` or above anywhere from `from` on (another branch could start the
 * match there), or the rest cannot be read (an unclosed class): either way, nothing leads for sure.
 */
function branchesAfter(source: string, from: number, depth: number): boolean {
  let d = depth;
  for (let k = from; k < source.length; k++) {
    const ch = source[k]!;
    if (ch === '\\') k++;
    else if (ch === '[') k = classEnd(source, k);
    else if (ch === '(') d++;
    else if (ch === ')') d--;
    else if (ch === '|' && d <= depth) return true;
    if (k < 0) return true;
  }
  return false;
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

/**
 * The index of the `]` closing the class opened at `start`, or -1. As JavaScript reads it: a `]`
 * right after `[` or `[^` closes the class (`[]` matches nothing, `[^]` any character).
 */
export function classEnd(source: string, start: number): number {
  let k = start + 1;
  if (source[k] === '^') k++;
  for (; k < source.length; k++) {
    if (source[k] === '\\') k++;
    else if (source[k] === ']') return k;
  }
  return -1;
}
