/**
 * One pass over a line that answers every cheap question the secret rules ask before any regular
 * expression runs: which provider keywords occur (ASCII case-insensitive, like a non-unicode /i
 * regex), which flag words occur (credential hints, hash context), and whether the line holds a
 * run of 32+ token characters. It is an Aho–Corasick automaton over character classes, built on
 * first use, so loading the module costs nothing and each character costs two table lookups.
 */

/** Characters of a high-entropy token: [A-Za-z0-9+/_=-]. */
const TOKEN_CHARS = /[A-Za-z0-9+/_=-]/;
/** Token runs at least this long are high-entropy candidates. */
export const LONG_RUN = 32;

export interface LineFacts {
  /** Indices (ascending) of the keyword groups that occur. Reused between calls: copy to keep. */
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
}

export class KeywordScanner {
  private automaton: Automaton | null = null;
  private readonly found: number[] = [];
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
    const found = this.found;
    const mark = this.mark;
    found.length = 0;
    let flags = 0;
    let state = 0;
    let run = 0;
    let longRun = false;
    for (let i = 0; i < text.length; i++) {
      const info = charInfo[text.charCodeAt(i)]!;
      if ((info & 1) === 1) {
        if (++run === LONG_RUN) longRun = true;
      } else run = 0;
      state = delta[state + (info >> 1)]!;
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
              found.push(id);
            }
          }
        }
      }
    }
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
    // Trie.
    const next: Map<number, number>[] = [new Map()];
    const groupSets: Set<number>[] = [new Set()];
    const flagList: number[] = [0];
    for (const { word, group, flag } of words) {
      let s = 0;
      for (let i = 0; i < word.length; i++) {
        const cls = classOf.get(word.charCodeAt(i))!;
        let n = next[s]!.get(cls);
        if (n === undefined) {
          n = next.length;
          next.push(new Map());
          groupSets.push(new Set());
          flagList.push(0);
          next[s]!.set(cls, n);
        }
        s = n;
      }
      if (group >= 0) groupSets[s]!.add(group);
      flagList[s]! |= flag;
    }
    // Failure links, breadth first, folded into a full transition table.
    const states = next.length;
    const table = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const order: number[] = [];
    for (const [cls, n] of next[0]!) {
      table[cls] = n;
      order.push(n);
    }
    for (let q = 0; q < order.length; q++) {
      const s = order[q]!;
      const f = fail[s]!;
      for (const g of groupSets[f]!) groupSets[s]!.add(g);
      flagList[s]! |= flagList[f]!;
      for (let cls = 0; cls < classes; cls++) {
        const n = next[s]!.get(cls);
        if (n !== undefined) {
          fail[n] = table[f * classes + cls]!;
          table[s * classes + cls] = n;
          order.push(n);
        } else {
          table[s * classes + cls] = table[f * classes + cls]!;
        }
      }
    }
    const delta = new Int32Array(states * classes);
    const groupsAt: (readonly number[] | null)[] = [];
    const flagsAt = new Int32Array(states);
    for (let s = 0; s < states; s++) {
      const row = s * classes;
      groupsAt.push(groupSets[s]!.size > 0 ? [...groupSets[s]!].sort((x, y) => x - y) : null);
      flagsAt[s] = flagList[s]!;
      for (let cls = 0; cls < classes; cls++) {
        const n = table[row + cls]!;
        const output = groupSets[n]!.size > 0 || flagList[n] !== 0;
        delta[row + cls] = output ? -(n * classes) - 1 : n * classes;
      }
    }
    return { charInfo, classes, delta, groupsAt, flagsAt };
  }
}
