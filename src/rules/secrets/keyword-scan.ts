/**
 * One pass over a line that answers every cheap question the secret rules ask before any regular
 * expression runs: which provider keywords occur (ASCII case-insensitive, like a non-unicode /i
 * regex), which flag words occur (credential hints, hash context), and whether the line holds a
 * run of 32+ token characters. It is an Aho–Corasick automaton over character classes, built on
 * first use (the trie and failure links only; each transition is resolved the first time a line
 * takes it), so loading the module costs nothing and each character costs two table lookups.
 */

/** Characters of a high-entropy token: [A-Za-z0-9+/_=-]. */
const TOKEN_CHARS = /[A-Za-z0-9+/_=-]/;
/** Token runs at least this long are high-entropy candidates. */
export const LONG_RUN = 32;

export interface LineFacts {
  /** Indices (ascending) of the keyword groups that occur. */
  readonly groups: readonly number[];
  /** Bit i set when a word of flag set i occurs. */
  readonly flags: number;
  /** A run of LONG_RUN or more token characters occurs. */
  readonly longRun: boolean;
}

interface Automaton {
  /** Per UTF-16 code unit: class << 1 | token-char bit. */
  charInfo: Uint16Array;
  classes: number;
  /** Next state's row offset for (row offset + class); negative (-(row) - 1) when that state has output. */
  delta: Int32Array;
  /** Keyword groups and flags ended at a state, by state number (row offset / classes). */
  groupsAt: (readonly number[] | null)[];
  flagsAt: Int32Array;
  /** Trie edges: child state per (state * classes + class), 0 for none. */
  trie: Int32Array;
  fail: Int32Array;
  /** 1 for states that end a keyword or flag word. */
  output: Uint8Array;
}

const NONE: readonly number[] = [];

export class KeywordScanner {
  private automaton: Automaton | null = null;
  private mark: Uint8Array;

  /**
   * @param groups lower-case keywords of each group (e.g. each provider rule)
   * @param flagSets lower-case words of each flag (at most 31 sets)
   */
  constructor(
    private readonly groups: readonly (readonly string[])[],
    private readonly flagSets: readonly (readonly string[])[],
  ) {
    this.mark = new Uint8Array(groups.length);
  }

  scan(text: string): LineFacts {
    const a = (this.automaton ??= this.build());
    const { charInfo, classes, delta, groupsAt, flagsAt } = a;
    const mark = this.mark;
    // Most lines hold no keyword: they allocate nothing.
    let found: number[] | null = null;
    let flags = 0;
    let state = 0;
    let run = 0;
    let longRun = false;
    for (let i = 0; i < text.length; i++) {
      const info = charInfo[text.charCodeAt(i)]!;
      if ((info & 1) === 1) {
        if (++run === LONG_RUN) longRun = true;
      } else run = 0;
      const next = delta[state + (info >> 1)]!;
      state = next === UNKNOWN ? resolve(a, state, info >> 1) : next;
      if (state < 0) {
        state = -state - 1;
        const at = state / classes;
        flags |= flagsAt[at]!;
        const ids = groupsAt[at]!;
        if (ids !== null) {
          for (let j = 0; j < ids.length; j++) {
            const id = ids[j]!;
            if (mark[id] === 0) {
              mark[id] = 1;
              (found ??= []).push(id);
            }
          }
        }
      }
    }
    if (found === null) return { groups: NONE, flags, longRun };
    if (found.length > 1) found.sort((x, y) => x - y);
    for (let j = 0; j < found.length; j++) mark[found[j]!] = 0;
    return { groups: found, flags, longRun };
  }

  private build(): Automaton {
    // Character classes: one per distinct (lower-cased) keyword character, 0 for everything else.
    const classOf = new Map<number, number>();
    const words: { word: string; group: number; flag: number }[] = [];
    this.groups.forEach((ws, group) => ws.forEach((word) => words.push({ word, group, flag: 0 })));
    this.flagSets.forEach((ws, bit) => ws.forEach((word) => words.push({ word, group: -1, flag: 1 << bit })));
    for (const { word } of words) {
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (c >= 128 || (c >= 65 && c <= 90)) throw new Error(`keyword "${word}" must be lower-case ASCII`);
        if (!classOf.has(c)) classOf.set(c, classOf.size + 1);
      }
    }
    const classes = classOf.size + 1;
    const charInfo = new Uint16Array(65536);
    for (let c = 0; c < 128; c++) {
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      charInfo[c] = ((classOf.get(lower) ?? 0) << 1) | (TOKEN_CHARS.test(String.fromCharCode(c)) ? 1 : 0);
    }
    // Trie, as a flat table: child state per (state, class), 0 for none (the root is never a child).
    let trie = new Int32Array(64 * classes);
    const groupSets: (number[] | null)[] = [null];
    const flagList: number[] = [0];
    let states = 1;
    for (const { word, group, flag } of words) {
      let s = 0;
      for (let i = 0; i < word.length; i++) {
        const at = s * classes + classOf.get(word.charCodeAt(i))!;
        let n = trie[at]!;
        if (n === 0) {
          n = states++;
          if (states * classes > trie.length) {
            const grown = new Int32Array(trie.length * 2);
            grown.set(trie);
            trie = grown;
          }
          groupSets.push(null);
          flagList.push(0);
          trie[at] = n;
        }
        s = n;
      }
      if (group >= 0 && !(groupSets[s] ??= []).includes(group)) groupSets[s]!.push(group);
      flagList[s]! |= flag;
    }
    // Failure links, breadth first; transitions are resolved (and kept) the first time a line needs them.
    const table = trie.subarray(0, states * classes);
    const fail = new Int32Array(states);
    const delta = new Int32Array(states * classes).fill(UNKNOWN);
    const partial: Automaton = { charInfo, classes, delta, groupsAt: [], flagsAt: new Int32Array(0), trie: table, fail, output: new Uint8Array(states) };
    const order: number[] = [];
    for (let cls = 0; cls < classes; cls++) if (table[cls] !== 0) order.push(table[cls]!);
    for (let q = 0; q < order.length; q++) {
      const s = order[q]!;
      const row = s * classes;
      for (let cls = 0; cls < classes; cls++) {
        const n = table[row + cls]!;
        if (n === 0) continue;
        fail[n] = target(partial, s === 0 ? 0 : fail[s]!, cls);
        order.push(n);
      }
    }
    // Outputs inherited along failure links (a shallower state is always complete first).
    for (const s of order) {
      const f = fail[s]!;
      const inherited = groupSets[f];
      if (inherited) for (const g of inherited) if (!(groupSets[s] ??= []).includes(g)) groupSets[s]!.push(g);
      flagList[s]! |= flagList[f]!;
    }
    const groupsAt: (readonly number[] | null)[] = [];
    const flagsAt = new Int32Array(states);
    const output = partial.output;
    for (let s = 0; s < states; s++) {
      const groups = groupSets[s];
      groupsAt.push(groups ? groups.sort((x, y) => x - y) : null);
      flagsAt[s] = flagList[s]!;
      output[s] = groups || flagList[s] !== 0 ? 1 : 0;
    }
    // Transitions resolved while linking were stored before outputs were known: start afresh.
    delta.fill(UNKNOWN);
    return { charInfo, classes, delta, groupsAt, flagsAt, trie: table, fail, output };
  }
}

/** Marks a transition not resolved yet (no row offset is this large). */
const UNKNOWN = 0x7fffffff;

/** The state (number) reached from state `s` on class `cls`: the trie edge, else the failure state's. */
function target(a: Automaton, s: number, cls: number): number {
  for (;;) {
    const n = a.trie[s * a.classes + cls]!;
    if (n !== 0 || s === 0) return n;
    s = a.fail[s]!;
  }
}

/** Resolves and keeps the transition from a row offset on a class, encoded as in `delta`. */
function resolve(a: Automaton, row: number, cls: number): number {
  const n = target(a, row / a.classes, cls);
  const encoded = a.output[n] === 1 ? -(n * a.classes) - 1 : n * a.classes;
  a.delta[row + cls] = encoded;
  return encoded;
}
