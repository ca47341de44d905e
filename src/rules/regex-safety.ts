/**
 * A static check that a regular expression runs in linear time on JavaScript's backtracking
 * engine, for the built-in secret patterns (test/regex-safety.test.ts) and the custom rules of a
 * config (checked when the config is read). It is deliberately strict: a pattern it passes costs
 * at most a constant per start position, so a 1 MB line costs a bounded multiple of reading it.
 *
 * What it rejects, and why each backtracks:
 * - an unbounded repetition (`+`, `*`, `{n,}`) or one bounded above MAX_REPEAT: from each start
 *   position it may run to the end of the line before failing, which is quadratic over a line;
 * - a repeated group holding a variable-length repetition (`(a{1,9}){2,9}`, `(\w+\.)+`): the ways
 *   to split the text between the two multiply;
 * - an alternation under a repetition whose branches can start alike (`(?:ab|ac){1,9}`);
 * - a backreference (`\1`, `\k<name>`): no longer a regular language, no linear bound;
 * - a lookaround holding a repetition or a group: each position may re-read the rest of the line.
 */

/** Largest upper bound of a repetition; longer runs are taken in overlapping windows anyway. */
export const MAX_REPEAT = 4096;

interface Frame {
  start: number;
  lookaround: boolean;
  /** A repetition with min ≠ max somewhere inside. */
  variable: boolean;
  /** A group or a repetition inside (for lookarounds). */
  complex: boolean;
  branches: string[];
  branchStart: number;
}

interface Quantifier {
  min: number;
  max: number;
  /** Characters the quantifier takes, including a lazy `?`. */
  length: number;
}

const GROUP_HEAD = /^\?(?::|<[A-Za-z_$][\w$]*>|[=!]|<[=!])/;

/** The quantifier at `source[i]`, or null when none follows the atom before it. */
function quantifierAt(source: string, i: number): Quantifier | null {
  const c = source[i];
  let q: Quantifier | null = null;
  if (c === '+') q = { min: 1, max: Infinity, length: 1 };
  else if (c === '*') q = { min: 0, max: Infinity, length: 1 };
  else if (c === '?') q = { min: 0, max: 1, length: 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { min, max, length: m[0].length };
  }
  if (q && source[i + q.length] === '?') q.length++;
  return q;
}

/** Problems that make `source` (a JavaScript regex source) unsafe to run on hostile lines; [] when none. */
export function linearTimeProblems(source: string): string[] {
  const problems: string[] = [];
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  // Marks every open group as holding something variable (or complex).
  const mark = (variable: boolean) => {
    for (const f of stack) {
      f.complex = true;
      if (variable) f.variable = true;
    }
  };
  const quantified = (q: Quantifier, at: number, what: string) => {
    if (q.max === Infinity) problems.push(`unbounded repetition "${what}" at ${at}: give it an upper bound, such as {1,200}`);
    else if (q.max > MAX_REPEAT) problems.push(`repetition "${what}" at ${at} allows more than ${MAX_REPEAT}`);
    mark(q.min !== q.max);
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    let atomEnd = i + 1;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        problems.push(`backreference at ${i}: not allowed (no linear-time bound)`);
      }
      atomEnd = i + 2;
      // \u{…}, \p{…}, \xNN, \uNNNN and \cX: skip the whole escape so its braces are no quantifier.
      const long = /^\\(?:[pPu]\{[^}]*\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|c[A-Za-z])/.exec(source.slice(i, i + 40));
      if (long) atomEnd = i + long[0].length;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (c === '(') {
      const head = GROUP_HEAD.exec(source.slice(i + 1, i + 40))?.[0] ?? '';
      const lookaround = /^\?<?[=!]$/.test(head);
      mark(false);
      stack.push({ start: i, lookaround, variable: false, complex: false, branches: [], branchStart: i + 1 + head.length });
      i += head.length;
      continue;
    } else if (c === '|') {
      const frame = top();
      if (frame) {
        frame.branches.push(source.slice(frame.branchStart, i));
        frame.branchStart = i + 1;
      }
      continue;
    } else if (c === ')') {
      const group = stack.pop();
      if (!group) continue;
      group.branches.push(source.slice(group.branchStart, i));
      const q = quantifierAt(source, i + 1);
      const text = source.slice(group.start, i + 1 + (q?.length ?? 0));
      if (group.lookaround && group.complex) problems.push(`lookaround with a repetition or group inside at ${group.start}: ${text}`);
      if (group.branches.length > 1) {
        // Branches of different lengths make the group itself variable-length.
        mark(true);
        if (q && q.max > 1) {
          const heads = group.branches.map((b) => b.slice(0, 1)).filter((h) => h && !'\\[('.includes(h));
          if (new Set(heads).size < heads.length) problems.push(`ambiguous alternation under a repetition at ${group.start}: ${text}`);
        }
      }
      if (q) {
        if (q.max > 1 && group.variable) problems.push(`nested repetition at ${group.start}: ${text}`);
        quantified(q, i + 1, text);
        i += q.length;
      }
      continue;
    } else if (c === '+' || c === '*' || c === '?' || c === '{') {
      // A quantifier with no atom before it is a syntax error, reported by the RegExp constructor.
      continue;
    }
    const q = quantifierAt(source, atomEnd);
    if (q) {
      quantified(q, atomEnd, source.slice(i, atomEnd + q.length));
      i = atomEnd + q.length - 1;
    } else {
      i = atomEnd - 1;
    }
  }
  return problems;
}
