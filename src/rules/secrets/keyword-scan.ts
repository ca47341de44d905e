/**
 * One pass over a line that answers the cheap questions the secret rules ask before any regular
 * expression runs: which provider keywords occur (ASCII case-insensitive, like a non-unicode /i
 * regex), which flag words occur (credential hints, hash context) and where words of some flag
 * sets end. It is an Aho–Corasick automaton over character classes with every transition
 * resolved, built on first use: each character costs two table lookups and no branch on the
 * automaton's state. A scan allocates nothing but, on a line of 4,096 characters up to 4 Mi, a
 * view of its copy: its answers are fields of the scanner, valid until the next scan.
 */
import type { PieceScanner } from '../../engine/line-keywords.ts';
import { notePrescanTaken } from '../../engine/prescans.ts';
import type { TextPrescan } from '../../engine/window-prescan.ts';
import { scratch } from '../../engine/scratch.ts';

/** Token runs at least this long are high-entropy candidates. */
export const LONG_RUN = 32;
/**
 * At most this many word ends are kept per scan; past it `endsOverflow` is set. A 1 MiB window of
 * minified JSON holds thousands of hint words: with too few kept, every window overflowed and the
 * assignment pattern ran over all of it though no word could start an assignment.
 */
export const MAX_ENDS = 1 << 15;

/** Characters of a high-entropy token: [A-Za-z0-9+/_=-]. */
function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 95 || c === 61 || c === 45;
}

/** 1 for a token character, per UTF-16 code unit. */
export const TOKEN = new Uint8Array(65536);
for (let c = 0; c < 128; c++) TOKEN[c] = isTokenChar(c) ? 1 : 0;

/** Whether `text` holds a run of LONG_RUN token characters. */
export function hasLongRun(text: string): boolean {
  return longRunFrom(text, 0) !== -1;
}

/**
 * Where the first run of LONG_RUN or more token characters at or after `from` starts, or -1; the
 * character before `from` must be none (from 0, or after a run's end). Only every LONG_RUN-th
 * character is probed (a run that long covers one), and from a probe in a run only back to its
 * first character that is none or to what the previous probe already read: on code most
 * characters are read once or not at all, and none twice. On the 20 MB NDJSON file (records of
 * ~310 characters, runs of up to ~25) reading back only took 14 ms against 18 ms for measuring
 * the whole run the probe lands in.
 */
export function longRunFrom(text: string, from: number): number {
  const n = text.length;
  let start = from; // no run of LONG_RUN starts before `start`
  let known = from; // text[start … known) are token characters
  while (start + LONG_RUN <= n) {
    const last = start + LONG_RUN - 1;
    let i = last;
    while (i >= known && TOKEN[text.charCodeAt(i)] === 1) i--;
    if (i < known) return start;
    known = last + 1;
    start = i + 1;
  }
  return -1;
}

/**
 * The line's UTF-16 code units copied into a reused buffer (a view of exactly its length), or null on a
 * big-endian machine, for a line past MAX_COPIED_UNITS or shorter than MIN_COPIED_UNITS. Reading a
 * typed array in the scan loop costs less than charCodeAt does (which checks the string's
 * representation at every character: ~1.9 against ~2.9 ns a character in the closure loops); the
 * copy is one native call, but one that goes through Buffer.write's argument checks first and
 * makes a view. Only for long lines: on a 20 MB NDJSON file (~310-character records) copying from
 * 128 characters cost more than it saved (interleaved walls 411 -> 374 ms with 4,096).
 */
function codeUnits(text: string): Uint16Array | null {
  if (!LITTLE_ENDIAN || text.length > MAX_COPIED_UNITS || text.length < MIN_COPIED_UNITS) return null;
  const bytes = text.length * 2;
  // The buffer the diff parser's long-line windows were put together in (see engine/scratch.ts).
  const buffer = scratch(bytes);
  if (units.buffer !== buffer.buffer) units = new Uint16Array(buffer.buffer, buffer.byteOffset, buffer.length >> 1);
  buffer.write(text, 0, bytes, 'utf16le');
  return units.subarray(0, text.length);
}
/** Longer lines (only with a raised limits.max-line-length) are read with charCodeAt: the buffer stays ≤ 8 MiB. */
const MAX_COPIED_UNITS = 4 << 20;
/** Shorter lines are read with charCodeAt (see codeUnits). */
const MIN_COPIED_UNITS = 4096;
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;
/** A prescan's bytes are scanned this many at a time, through one small buffer of code units. */
const FEED_UNITS = 64 * 1024;
const feedUnits = new Uint16Array(FEED_UNITS);
let units: Uint16Array<ArrayBufferLike> = new Uint16Array(0);

interface Tables {
  /** Per UTF-16 code unit: its class (0 past ASCII and for characters of no keyword). */
  charOf: Uint8Array;
  classes: number;
  /** Next state's row offset for (row offset + class); -(row offset) - 1 when that state has output. */
  delta: Int32Array;
  /** Keyword groups and flags ended at a state, by state number (row offset / classes). */
  groupsAt: (readonly number[] | null)[];
  flagsAt: Int32Array;
}

interface Automaton extends Tables {
  /**
   * The scan of a line's code units (an exact-length copy) or of its string: the flags of its words.
   * The units may be a piece of a text, scanned from `state` (where the piece before left it, in
   * `scanner.state`) with its words' ends counted from `base`, the piece's start in the text.
   */
  scanUnits: (units: Uint16Array, scanner: KeywordScanner, state: number, base: number) => number;
  scanText: (text: string, scanner: KeywordScanner) => number;
  /**
   * The scan of two stretches of a piece of git's output, each starting a line, their bytes (ASCII),
   * into a sink each: events for engine/line-keywords.ts.
   */
  scanBytes: (first: Uint8Array, second: Uint8Array, firstSink: EventSink, secondSink: EventSink) => void;
}

/**
 * The scan loops of one automaton, closures over its tables. V8 optimizes a function made by only
 * one closure with what that closure captured as constants: the tables' addresses and lengths
 * are then no loads in the loop, and the loop is bound by the copy's own length, so no index is
 * checked against another array's. On 1 MiB windows of minified JSON the built-in table's scan went
 * from ~3.0 to ~2.3 ns a character (each lookup waits for the one before: ~2 ns in C too). A run
 * builds one automaton (a config with custom rules scans with its own table only; each worker
 * thread has its own closures). A process that builds a second one (a test, a host embedding the
 * scanner) loses that: both then run at ~4 ns, slower than the loop inside scan() was.
 */
function unitsLoop(a: Tables): Automaton['scanUnits'] {
  const charOf = a.charOf;
  const delta = a.delta;
  return (codes, scanner, start, base) => {
    let flags = 0;
    let state = start;
    for (let i = 0; i < codes.length; i++) {
      state = delta[state + charOf[codes[i]!]!]!;
      if (state < 0) {
        state = -state - 1;
        flags |= scanner.output(a, state, base + i + 1);
      }
    }
    scanner.state = state;
    return flags;
  };
}

/**
 * unitsLoop's loop over the string itself. Kept as a second loop on purpose: one loop reading
 * either would pay a branch or a call per character, in the one place where a character costs.
 */
function textLoop(a: Tables): Automaton['scanText'] {
  const charOf = a.charOf;
  const delta = a.delta;
  return (text, scanner) => {
    let flags = 0;
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      state = delta[state + charOf[text.charCodeAt(i)]!]!;
      if (state < 0) {
        state = -state - 1;
        flags |= scanner.output(a, state, i + 1);
      }
    }
    return flags;
  };
}

/**
 * unitsLoop's loop over bytes (a piece of git's output, engine/line-keywords.ts), from the start
 * state: each event (a state with output) is put in a sink, for the lines cut from the piece to
 * replay. Its own closure, as the other two: each loop sees one kind of array. It walks two
 * stretches of the piece at once, one automaton state each: each character's lookups wait for the
 * one before, and two such chains overlap in the CPU (20 MB of NDJSON: ~36 → ~28 ms in a harness;
 * four chains were slower).
 */
function bytesLoop(a: Tables): Automaton['scanBytes'] {
  const charOf = a.charOf;
  const delta = a.delta;
  return (first, second, firstSink, secondSink) => {
    let one = 0;
    let two = 0;
    const both = Math.min(first.length, second.length);
    for (let i = 0; i < both; i++) {
      one = delta[one + charOf[first[i]!]!]!;
      two = delta[two + charOf[second[i]!]!]!;
      if ((one | two) < 0) {
        if (one < 0) {
          one = -one - 1;
          firstSink.add(i + 1, one);
        }
        if (two < 0) {
          two = -two - 1;
          secondSink.add(i + 1, two);
        }
      }
    }
    for (let i = both; i < first.length; i++) {
      one = delta[one + charOf[first[i]!]!]!;
      if (one < 0) {
        one = -one - 1;
        firstSink.add(i + 1, one);
      }
    }
    for (let i = both; i < second.length; i++) {
      two = delta[two + charOf[second[i]!]!]!;
      if (two < 0) {
        two = -two - 1;
        secondSink.add(i + 1, two);
      }
    }
  };
}

const NO_EVENTS = new Int32Array(0);

/** The events of a piece's two stretches as one list, in order: the second's ends counted from the piece's start. */
function joined(first: EventSink, second: EventSink, offset: number): Int32Array {
  const count = first.count + second.count;
  if (count === 0) return NO_EVENTS;
  const out = new Int32Array(count);
  out.set(first.events.subarray(0, first.count));
  const events = second.events;
  for (let k = 0, at = first.count; k < second.count; k += 2, at += 2) {
    out[at] = events[k]! + offset;
    out[at + 1] = events[k + 1]!;
  }
  return out;
}

/** A piece's events as bytesLoop finds them: pairs (end, state row), reused from piece to piece. */
class EventSink {
  events = new Int32Array(1024);
  count = 0;

  add(end: number, row: number): void {
    if (this.count + 2 > this.events.length) {
      const grown = new Int32Array(2 * this.events.length);
      grown.set(this.events);
      this.events = grown;
    }
    this.events[this.count++] = end;
    this.events[this.count++] = row;
  }
}

export class KeywordScanner {
  /** Keyword groups that occurred in the last scanned line, ascending: `groups[0 .. groupCount)`. */
  readonly groups: Int32Array;
  groupCount = 0;
  /** Bit i set when a word of flag set i occurred. */
  flags = 0;
  /** End offsets (exclusive, ascending) of the words of the `endFlags` sets: `ends[0 .. endCount)` (grows up to MAX_ENDS). */
  ends = new Int32Array(64);
  endCount = 0;
  /** More than MAX_ENDS such words occurred: `ends` holds only the first ones. */
  endsOverflow = false;

  /** Where the last scan of code units left the automaton (the next piece of a text goes on from it). */
  state = 0;

  private automaton: Automaton | null = null;
  private pieces: PieceScanner | null = null;
  private readonly mark: Uint8Array;
  /** A prescan's scanner (see prescan): the scanner it was made for, and how many characters it was fed. */
  private owner: KeywordScanner | null = null;
  private fed = 0;

  /**
   * @param groupWords lower-case keywords of each group (e.g. each provider rule)
   * @param flagSets lower-case words of each flag (at most 31 sets)
   * @param endFlags mask of the flag sets whose word ends are recorded in `ends`
   */
  constructor(
    private readonly groupWords: readonly (readonly string[])[],
    private readonly flagSets: readonly (readonly string[])[],
    private readonly endFlags = 0,
  ) {
    this.groups = new Int32Array(groupWords.length);
    this.mark = new Uint8Array(groupWords.length);
  }

  /**
   * Scans one line. `ahead`: a scan of this very text made as its bytes came (prescan(), through
   * engine/window-prescan.ts's windowScanOf), taken instead when it is this scanner's.
   */
  scan(text: string, ahead?: object): void {
    const a = this.automaton ?? this.init();
    if (this.groupCount !== 0 || this.endCount !== 0) this.reset();
    if (ahead !== undefined && this.take(ahead, text)) this.flags = (ahead as KeywordScanner).flags;
    else {
      const units = codeUnits(text);
      this.flags = units !== null ? a.scanUnits(units, this, 0, 0) : a.scanText(text, this);
    }
    // Called on every line, not only when there are groups to sort: V8 optimizes scan() early, and
    // a call it has never seen made throws the optimized code away (docs/performance.md, round 8).
    this.sortGroups();
  }

  private init(): Automaton {
    return (this.automaton = this.build());
  }

  /**
   * Scans pieces of git's output for the diff parser (engine/line-keywords.ts), with this scanner's
   * automaton; replay() takes a line's events back. Usable only when no word holds a newline or
   * a `+` (a custom rule's keyword may).
   */
  pieceScanner(): PieceScanner {
    if (this.pieces !== null) return this.pieces;
    const a = this.automaton ?? this.init();
    const firstSink = new EventSink();
    const secondSink = new EventSink();
    const scanBytes = a.scanBytes;
    return (this.pieces = {
      usable: a.charOf[0x0a] === 0 && a.charOf[0x2b] === 0,
      scan: (bytes) => {
        firstSink.count = 0;
        secondSink.count = 0;
        // The second stretch starts a line (after the first newline past the middle), where the
        // automaton is at its start: the two scans find what one scan of the piece finds.
        const newline = bytes.indexOf(0x0a, bytes.length >> 1);
        const middle = newline === -1 ? bytes.length : newline + 1;
        scanBytes(bytes.subarray(0, middle), bytes.subarray(middle), firstSink, secondSink);
        return joined(firstSink, secondSink, middle);
      },
    });
  }

  /**
   * Scans one line from its events (pairs `events[from … to)`: end, state), as pieceScanner() found
   * them in the piece the line was cut from, its text at `start` there: what scan(text) finds.
   */
  replay(events: Int32Array, from: number, to: number, start: number): void {
    const a = this.automaton ?? this.init();
    if (this.groupCount !== 0 || this.endCount !== 0) this.reset();
    let flags = 0;
    for (let k = from; k < to; k += 2) flags |= this.output(a, events[k + 1]!, events[k]! - start);
    this.flags = flags;
    this.sortGroups();
  }

  /** Whether `keywords` were found by this scanner's own pieceScanner(). */
  owns(keywords: { readonly scanner: PieceScanner }): boolean {
    return keywords.scanner === this.pieces;
  }

  /**
   * A scan of one long text fed its bytes (ASCII: its code units) piece by piece as git prints
   * them, while node would otherwise wait for the rest (the windows of a 10 MB minified line,
   * git/window-runs.ts). Once the text is whole, `done(text)` gives the finished scan, which goes
   * with the window to scan(text, ahead): the same automaton over the same code units, so the same
   * groups, flags and word ends (test/keyword-prescan.test.ts).
   */
  prescan(): TextPrescan {
    const run = new KeywordScanner(this.groupWords, this.flagSets, this.endFlags);
    // The same closures: a second automaton would make V8's scan loops polymorphic (see unitsLoop).
    const a = (run.automaton = this.automaton ?? this.init());
    run.owner = this;
    return {
      feed: (bytes) => {
        for (let at = 0; at < bytes.length; at += FEED_UNITS) {
          const piece = bytes.subarray(at, Math.min(at + FEED_UNITS, bytes.length));
          feedUnits.set(piece);
          run.flags |= a.scanUnits(feedUnits.subarray(0, piece.length), run, run.state, run.fed);
          run.fed += piece.length;
        }
      },
      done: (text) => {
        if (text.length !== run.fed) return undefined;
        run.sortGroups();
        return run;
      },
    };
  }

  /** Copies a prescan's result for `text` (after reset()); false when it is not this scanner's scan of a text that long. */
  private take(ahead: object, text: string): boolean {
    if (!(ahead instanceof KeywordScanner) || ahead.owner !== this || ahead.fed !== text.length) return false;
    this.groups.set(ahead.groups.subarray(0, ahead.groupCount));
    this.groupCount = ahead.groupCount;
    if (this.ends.length < ahead.endCount) this.ends = new Int32Array(ahead.ends.length);
    this.ends.set(ahead.ends.subarray(0, ahead.endCount));
    this.endCount = ahead.endCount;
    this.endsOverflow = ahead.endsOverflow;
    notePrescanTaken('windows');
    return true;
  }

  private reset(): void {
    for (let j = 0; j < this.groupCount; j++) this.mark[this.groups[j]!] = 0;
    this.groupCount = 0;
    this.endCount = 0;
    this.endsOverflow = false;
  }

  /** Keyword lines are few and find one to three groups: an insertion sort. */
  private sortGroups(): void {
    if (this.groupCount < 2) return;
    const groups = this.groups;
    for (let j = 1; j < this.groupCount; j++) {
      const g = groups[j]!;
      let k = j - 1;
      while (k >= 0 && groups[k]! > g) {
        groups[k + 1] = groups[k]!;
        k--;
      }
      groups[k + 1] = g;
    }
  }

  /** Records what the state at `row` ends (a keyword line: rare); returns its flags. @internal Called by the scan loops and replay() only. */
  output(a: Tables, row: number, end: number): number {
    const at = row / a.classes;
    const ids = a.groupsAt[at];
    if (ids !== null && ids !== undefined) {
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j]!;
        if (this.mark[id] === 0) {
          this.mark[id] = 1;
          this.groups[this.groupCount++] = id;
        }
      }
    }
    const flags = a.flagsAt[at]!;
    if ((flags & this.endFlags) !== 0) {
      if (this.endCount === this.ends.length && this.endCount < MAX_ENDS) this.growEnds();
      if (this.endCount < this.ends.length) this.ends[this.endCount++] = end;
      else this.endsOverflow = true;
    }
    return flags;
  }

  private growEnds(): void {
    const grown = new Int32Array(Math.min(MAX_ENDS, this.ends.length * 2));
    grown.set(this.ends);
    this.ends = grown;
  }

  /**
   * The trie, then breadth first: each state's row is its failure state's row (already complete,
   * being shallower) with the state's own trie edges written over it. Rows are copied natively,
   * so the build does work per state and per keyword character, not per (state, class).
   * It runs once per start, mostly in the interpreter: indexed loops and arrays of their final
   * size, and a state that only inherits keyword groups shares its failure state's list, so that
   * the build leaves little young garbage (it was ~250 KB, most of a scavenge, on every commit).
   */
  private build(): Automaton {
    const groupWords = this.groupWords;
    const flagSets = this.flagSets;
    // Every word, its group (-1 for a flag word) and its flag bit.
    let wordCount = 0;
    for (let g = 0; g < groupWords.length; g++) wordCount += groupWords[g]!.length;
    for (let bit = 0; bit < flagSets.length; bit++) wordCount += flagSets[bit]!.length;
    const words: string[] = new Array<string>(wordCount);
    const wordGroup = new Int32Array(wordCount);
    const wordFlag = new Int32Array(wordCount);
    let count = 0;
    for (let g = 0; g < groupWords.length; g++) {
      const list = groupWords[g]!;
      for (let k = 0; k < list.length; k++) {
        words[count] = list[k]!;
        wordGroup[count++] = g;
      }
    }
    for (let bit = 0; bit < flagSets.length; bit++) {
      const list = flagSets[bit]!;
      for (let k = 0; k < list.length; k++) {
        words[count] = list[k]!;
        wordGroup[count] = -1;
        wordFlag[count++] = 1 << bit;
      }
    }

    // Character classes: one per distinct (lower-cased) keyword character, 0 for everything else.
    const classOfChar = new Int32Array(128);
    let classes = 1;
    let maxStates = 1;
    for (let w = 0; w < wordCount; w++) {
      const word = words[w]!;
      maxStates += word.length;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (c >= 128 || (c >= 65 && c <= 90)) throw new Error(`keyword "${word}" must be lower-case ASCII`);
        if (classOfChar[c] === 0) classOfChar[c] = classes++;
      }
    }
    const charOf = new Uint8Array(65536);
    for (let c = 0; c < 128; c++) charOf[c] = classOfChar[c >= 65 && c <= 90 ? c + 32 : c]!;

    // Trie: each state's edges as a list (first child, next sibling, class of the edge into it);
    // 0 ends a list (the root is never a child). The words ending at a state: a list through `endNext`.
    const firstChild = new Int32Array(maxStates);
    const nextSibling = new Int32Array(maxStates);
    const edgeClass = new Int32Array(maxStates);
    const firstEnd = new Int32Array(maxStates).fill(-1);
    const endNext = new Int32Array(wordCount);
    const flagList = new Int32Array(maxStates);
    let states = 1;
    for (let w = 0; w < wordCount; w++) {
      const word = words[w]!;
      let s = 0;
      for (let i = 0; i < word.length; i++) {
        const cls = classOfChar[word.charCodeAt(i)]!;
        let n = firstChild[s]!;
        while (n !== 0 && edgeClass[n] !== cls) n = nextSibling[n]!;
        if (n === 0) {
          n = states++;
          edgeClass[n] = cls;
          nextSibling[n] = firstChild[s]!;
          firstChild[s] = n;
        }
        s = n;
      }
      endNext[w] = firstEnd[s]!;
      firstEnd[s] = w;
      flagList[s]! |= wordFlag[w]!;
    }

    // Breadth first: failure links, outputs inherited along them, and the full transition rows.
    // A state's failure state is shallower, so its outputs and row are final when it is needed.
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const groupsAt: (readonly number[] | null)[] = new Array<readonly number[] | null>(states).fill(null);
    const order = new Int32Array(states);
    let tail = 0;
    // Written out rather than through small helpers: this loop is most of the build, interpreted.
    // A delta entry is -(row) - 1 for a state with outputs; the root's children fail to the root.
    for (let n = firstChild[0]!; n !== 0; n = nextSibling[n]!) {
      if (firstEnd[n] !== -1) groupsAt[n] = withOwnGroups(firstEnd[n]!, endNext, wordGroup, null);
      delta[edgeClass[n]!] = groupsAt[n] !== null || flagList[n] !== 0 ? -(n * classes) - 1 : n * classes;
      order[tail++] = n;
    }
    for (let head = 0; head < tail; head++) {
      const s = order[head]!;
      const row = s * classes;
      const failRow = fail[s]! * classes;
      delta.copyWithin(row, failRow, failRow + classes);
      for (let n = firstChild[s]!; n !== 0; n = nextSibling[n]!) {
        const cls = edgeClass[n]!;
        const entry = delta[failRow + cls]!;
        const f = (entry < 0 ? -entry - 1 : entry) / classes;
        fail[n] = f;
        const inherited = groupsAt[f]!;
        groupsAt[n] = firstEnd[n] === -1 ? inherited : withOwnGroups(firstEnd[n]!, endNext, wordGroup, inherited);
        flagList[n]! |= flagList[f]!;
        delta[row + cls] = groupsAt[n] !== null || flagList[n] !== 0 ? -(n * classes) - 1 : n * classes;
        order[tail++] = n;
      }
    }
    const tables: Tables = { charOf, classes, delta, groupsAt, flagsAt: flagList.subarray(0, states) };
    return { ...tables, scanUnits: unitsLoop(tables), scanText: textLoop(tables), scanBytes: bytesLoop(tables) };
  }
}

/**
 * A state's keyword groups, ascending: those of the words ending there (a list from `first`
 * through `next`) with the ones it inherits. Without a group of its own, the inherited list itself.
 */
function withOwnGroups(first: number, next: Int32Array, wordGroup: Int32Array, inherited: readonly number[] | null): readonly number[] | null {
  let out: number[] | null = null;
  for (let w = first; w !== -1; w = next[w]!) {
    const g = wordGroup[w]!;
    if (g < 0 || inherited?.includes(g) || out?.includes(g)) continue;
    (out ??= inherited === null ? [] : inherited.slice()).push(g);
  }
  if (out === null) return inherited;
  if (out.length > 1) out.sort((x, y) => x - y);
  return out;
}
