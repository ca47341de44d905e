// Typosquat check: a name that is not a popular project but imitates one. Distance alone flags
// legitimate niche projects (`django-q` is one letter from `django-rq`), so each candidate edit is
// classified (a doubled letter, a swap, a dropped or added letter, a replaced one, a digit or
// version suffix, a `python3-`/`py` prefix, reordered words) and a kind of edit only counts against
// projects popular enough for that kind: attackers squat the most downloaded names, and the
// edits they use (doubled and swapped letters) are rarer among honest names than others (an
// added letter at the start: `gwebsockets`, `udatetime`). Besides edits: the same consonants with
// vowels garbled, two top projects joined, a top project's name garbled inside a longer name, and
// protected names the ranking lacks (protected-names.ts). See docs/pickle-and-requirements.md.
import { PROTECTED_NAMES, PROTECTED_RANK } from './protected-names.ts';
import { editDistance } from '../../engine/did-you-mean.ts';

export const TOP_PACKAGES_FILE = 'pypi-top-packages.tsv';
/** Beyond this rank no project is a target, whatever the edit. */
const TARGET_RANKS = 15_000;
const MIN_LENGTH = 5;
/** Two edits only for names this long, against the very top projects. */
const MIN_LENGTH_TWO_EDITS = 9;

/** A project worth imitating, with what the checks compare (made for a target the first time a check needs it). */
export interface Target {
  readonly name: string;
  /** Its rank, or its core's when that is more popular (see popularity). */
  readonly popularity: number;
  readonly digitless: string;
  readonly core: string;
  readonly hasDigits: boolean;
}

/** What TopPackages makes on first need for the look-alike search (see TopPackages.searchIndexes). */
export interface SearchIndexes {
  readonly popularity: Float64Array;
  readonly letters: Int32Array;
  /** Target indexes by name length, ascending. */
  readonly byLength: readonly ArrayLike<number>[];
  readonly prefixCore: ReadonlyMap<string, number>;
  readonly skeletons: ReadonlyMap<string, number>;
  readonly wordTypoTargets: ReadonlyMap<string, number>;
  readonly namespaces: readonly string[];
  /** Throws: an index read from a precomputed file is out of range (ranking-index.ts). */
  readonly damaged?: () => never;
}

/** The targets by index: an array, or a precomputed file's list that makes a name when it is asked for (ranking-index.ts). */
export interface TargetNames {
  readonly length: number;
  at(i: number): string | undefined;
}

/**
 * The ranking, read so that a lock file of ranked names costs little more than one map: only the
 * names and their ranks are read at once; what the search for an unranked name compares (each
 * target's derived forms, the letter sets, the indexes by length, core, skeleton) is made the
 * first time a name needs it (that took ~190 ms of an 800 KB lock file's run when made up front).
 */
export class TopPackages {
  /** Rank of every listed name (1 = most downloaded). */
  readonly rank: ReadonlyMap<string, number>;
  /** Names imitated that the ranking does not hold (protected-names.ts): targets, never suspects. */
  readonly protectedNames: ReadonlySet<string>;
  /** How many targets there are (see targets). */
  readonly targetCount: number;
  readonly #targets: TargetNames;
  #targetArray: readonly string[] | undefined;
  #damaged: (() => never) | undefined;
  /** Length of the longest target. */
  readonly longestTarget: number;
  #known: ReadonlySet<string> | undefined;
  #details: (Target | undefined)[] = [];
  /** rankOf(target) by index, from the ranking's reading (not kept when the popularity is given). */
  readonly #ownRanks: readonly number[] | null;
  #popularity: Float64Array | undefined;
  /** Each target's letterMask (allLetters), made on first need. */
  #letters: Int32Array | undefined;
  #near = new Map<number, Int32Array>();
  #prefixCore: ReadonlyMap<string, number> | undefined;
  #skeletons: ReadonlyMap<string, number> | undefined;
  #wordTypoTargets: ReadonlyMap<string, number> | undefined;
  #namespaces: Set<string> | undefined;

  /** `worked`: the search's indexes made beforehand (ranking-index.ts); `ownRanks` is then not needed. */
  constructor(rank: ReadonlyMap<string, number>, protectedNames: ReadonlySet<string>, targets: TargetNames, ownRanks: readonly number[] | null, worked?: SearchIndexes) {
    this.rank = rank;
    this.protectedNames = protectedNames;
    this.#targets = targets;
    this.targetCount = targets.length;
    if (Array.isArray(targets)) this.#targetArray = targets as readonly string[];
    this.#ownRanks = ownRanks;
    if (worked) {
      // A list for each length from 0 to the longest target's (#targetsByLength).
      this.longestTarget = worked.byLength.length - 1;
      this.#damaged = worked.damaged;
      this.#popularity = worked.popularity;
      this.#letters = worked.letters;
      this.#byLength = worked.byLength;
      this.#prefixCore = worked.prefixCore;
      this.#skeletons = worked.skeletons;
      this.#wordTypoTargets = worked.wordTypoTargets;
      this.#namespaces = new Set(worked.namespaces);
    } else {
      // An indexed loop: `for … of` ran interpreted here, an iterator result per target (0.6 MB of young garbage per run).
      let longest = 0;
      for (let i = 0; i < targets.length; i++) {
        const length = this.target(i).length;
        if (length > longest) longest = length;
      }
      this.longestTarget = longest;
    }
  }

  /** Names ranked within TARGET_RANKS (and the protected names), most popular first (made whole on first use: the search asks for a few by index). */
  get targets(): readonly string[] {
    return (this.#targetArray ??= Array.from({ length: this.targetCount }, (_, i) => this.target(i)));
  }

  /** The i-th target's name. */
  target(i: number): string {
    return this.#targetArray?.[i] ?? this.#targets.at(i)!;
  }

  /** Every index the search for an unranked name makes on first need, made now (for the build's precomputed ranking: ranking-index.ts). */
  searchIndexes(): SearchIndexes {
    this.prefixCoreAt('');
    this.skeletonAt('');
    this.wordTypoTargetAt('');
    return {
      popularity: this.popularities(),
      letters: this.allLetters(),
      byLength: (this.#byLength ??= this.#targetsByLength()),
      prefixCore: this.#prefixCore!,
      skeletons: this.#skeletons!,
      wordTypoTargets: this.#wordTypoTargets!,
      namespaces: [...this.namespaces()],
    };
  }

  /** Every listed (normalized) name. */
  get known(): ReadonlySet<string> {
    return (this.#known ??= new Set(this.rank.keys()));
  }

  isKnown(name: string): boolean {
    return this.rank.has(name);
  }

  /** The rank a name counts as: its own, or PROTECTED_RANK for a protected name if that is better. */
  rankOf(name: string): number {
    return Math.min(this.rank.get(name) ?? Infinity, this.protectedNames.has(name) ? PROTECTED_RANK : Infinity);
  }

  /** Each target's rank, or its core's when that is more popular, by index (made once, for every target). */
  popularities(): Float64Array {
    if (this.#popularity) return this.#popularity;
    if (this.#ownRanks === null) throw new Error('ranking: neither own ranks nor popularity given');
    const popularity = new Float64Array(this.#ownRanks);
    for (let i = 0; i < this.targetCount; i++) {
      const name = this.target(i);
      if (!name.startsWith('py')) continue; // core(name) is the name itself
      const c = core(name);
      if (c !== name) popularity[i] = Math.min(popularity[i]!, this.rankOf(c));
    }
    return (this.#popularity = popularity);
  }

  detail(i: number): Target {
    let t = this.#details[i];
    if (t === undefined) {
      const name = this.target(i);
      const hasDigits = hasDigit(name);
      t = {
        name,
        popularity: this.popularities()[i]!,
        digitless: hasDigits ? withoutDigits(name) : name,
        core: core(name),
        hasDigits,
      };
      this.#details[i] = t;
    }
    return t;
  }

  /**
   * The i-th target's words sorted (sortedWords), or null for a name of one word: made for a target
   * the first time a name as long and of the same letters is compared (made for every target
   * detailed, the split, sort and join were half of a lock file's look-alike search).
   */
  wordsOf(i: number): string | null {
    let words = this.#words[i];
    if (words === undefined) {
      const name = this.target(i);
      words = this.#words[i] = name.includes('-') ? sortedWords(name) : null;
    }
    return words;
  }
  #words: (string | null | undefined)[] = [];

  allLetters(): Int32Array {
    return (this.#letters ??= Int32Array.from(this.targets, letterMask));
  }

  /** Indexes of the targets within two letters of `length` (and at least MIN_LENGTH - 1 long), in popularity order (made once per length). */
  nearLengths(length: number): ArrayLike<number> {
    let near = this.#near.get(length);
    if (near) return near;
    // The targets by length, in one pass over them (made once); a length's list is then up to
    // five of these joined and put back in order by a native sort, not a pass over every target.
    const byLength = (this.#byLength ??= this.#targetsByLength());
    const shortest = Math.max(MIN_LENGTH - 1, length - 2);
    let size = 0;
    for (let l = shortest; l <= length + 2 && l < byLength.length; l++) size += byLength[l]!.length;
    near = new Int32Array(size);
    size = 0;
    for (let l = shortest; l <= length + 2 && l < byLength.length; l++) {
      near.set(byLength[l]!, size);
      size += byLength[l]!.length;
    }
    near.sort();
    // A precomputed file's lists are checked where read: every index within the targets.
    if (this.#damaged && near.length > 0 && (near[0]! < 0 || near[near.length - 1]! >= this.targetCount)) this.#damaged();
    this.#near.set(length, near);
    return near;
  }

  #targetsByLength(): number[][] {
    const byLength: number[][] = Array.from({ length: this.longestTarget + 1 }, () => []);
    for (let i = 0; i < this.targets.length; i++) byLength[this.targets[i]!.length]!.push(i);
    return byLength;
  }
  #byLength: readonly ArrayLike<number>[] | undefined;

  /** For a core, the index of the first target with that core popular enough for a prefix squat. */
  prefixCoreAt(nameCore: string): number | undefined {
    this.#prefixCore ??= this.#firstByKey(RANK_FOR_PREFIX, (t) => t.length >= MIN_LENGTH - 1, core);
    return this.#prefixCore.get(nameCore);
  }

  /** For a consonant skeleton, the index of the first target popular enough for a vowel squat. */
  skeletonAt(key: string): number | undefined {
    this.#skeletons ??= this.#firstByKey(RANK_FOR_SKELETON, (t) => t.length >= MIN_LENGTH_SKELETON, skeleton);
    return this.#skeletons.get(key);
  }

  /** The index of a single-word target popular enough that a doubled or swapped letter in it counts (see garbledWordOf). */
  wordTypoTargetAt(word: string): number | undefined {
    this.#wordTypoTargets ??= this.#firstByKey(RANK_FOR_WORD_TYPO, (t) => !t.includes('-') && t.length >= MIN_LENGTH, (t) => t);
    return this.#wordTypoTargets.get(word);
  }

  /** Each key's first target (in ranking order) within `maxRank` that `accept` admits: made once, on first need. */
  #firstByKey(maxRank: number, accept: (target: string) => boolean, key: (target: string) => string): Map<string, number> {
    const popularity = this.popularities();
    const first = new Map<string, number>();
    this.targets.forEach((t, i) => {
      if (popularity[i]! > maxRank || !accept(t)) return;
      const k = key(t);
      if (!first.has(k)) first.set(k, i);
    });
    return first;
  }

  /** Words that begin many listed names (`django-`, `pytest-`, `flask-`): plugin namespaces, where `X-Y` is the usual shape. */
  namespaces(): ReadonlySet<string> {
    if (this.#namespaces) return this.#namespaces;
    const counts = new Map<string, number>();
    for (const name of this.rank.keys()) {
      const dash = name.indexOf('-');
      if (dash > 0) counts.set(name.slice(0, dash), (counts.get(name.slice(0, dash)) ?? 0) + 1);
    }
    return (this.#namespaces = new Set([...counts].filter(([, n]) => n >= NAMESPACE_NAMES).map(([w]) => w)));
  }
}

export function parseTopPackages(tsv: string, protectedNames: readonly string[] = PROTECTED_NAMES): TopPackages {
  const rank = new Map<string, number>();
  const protectedSet = new Set(protectedNames);
  const targets: string[] = [];
  const ownRanks: number[] = [];
  let lines = 0;
  // Line by line as `line.trim().split('\t')` would read `rank<TAB>name`, without the arrays.
  for (let start = 0; start < tsv.length; ) {
    let end = tsv.indexOf('\n', start);
    if (end === -1) end = tsv.length;
    const line = tsv.slice(start, end).trim();
    start = end + 1;
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const nameEnd = line.indexOf('\t', tab + 1);
    const name = line.slice(tab + 1, nameEnd === -1 ? line.length : nameEnd);
    if (name === '') continue;
    let r = 0;
    for (let i = 0; i < tab && r >= 0; i++) {
      const d = line.charCodeAt(i) - 48;
      r = d >= 0 && d <= 9 ? r * 10 + d : -1;
    }
    if (r < 0) continue;
    rank.set(name, r);
    lines++;
    if (r <= TARGET_RANKS) {
      targets.push(name);
      ownRanks.push(r > PROTECTED_RANK && protectedSet.has(name) ? PROTECTED_RANK : r);
    }
  }
  // Protected names (see protected-names.ts) count as ranked PROTECTED_RANK: they join the targets
  // there, in popularity order, or move up to it.
  const at = targets.findIndex((name) => rank.get(name)! > PROTECTED_RANK);
  const added = protectedNames.filter((name) => !rank.has(name));
  targets.splice(at === -1 ? targets.length : at, 0, ...added);
  ownRanks.splice(at === -1 ? ownRanks.length : at, 0, ...added.map(() => PROTECTED_RANK));
  const top = new TopPackages(rank, protectedSet, targets, ownRanks);
  // A name listed twice has the rank of its last line (as the map holds it) at both places.
  return lines === rank.size ? top : new TopPackages(rank, protectedSet, targets, targets.map((name) => top.rankOf(name)));
}

/** The kinds of single edit that turn a popular name into a suspect. */
export type EditKind =
  | 'repetition' // a letter doubled: requestss
  | 'transposition' // two neighbours swapped: reqeusts
  | 'omission' // a letter dropped inside: reqests
  | 'omission-end' // the last letter dropped: request
  | 'omission-start' // the first letter dropped
  | 'insertion' // a letter added inside: aiopbotocore
  | 'insertion-end' // a letter added at the end: fairseqn, requestsx
  | 'insertion-start' // a letter added at the start: arequests
  | 'plural' // an `s` added or dropped at the end of a word
  | 'look-alike-letter' // a letter replaced by a neighbour key, a vowel or a homoglyph
  | 'substitution' // any other replaced letter
  | 'delimiter'; // a `-` added or dropped

const KEYBOARD = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const HOMOGLYPHS = ['l1i', 'o0', 's5', 'e3', 'a4', 'b8', 'g9q', 'z2', 'uv', 'nm'];
const VOWELS = 'aeiouy';

function keyAt(c: string): [number, number] | null {
  for (let r = 0; r < KEYBOARD.length; r++) {
    const col = KEYBOARD[r].indexOf(c);
    if (col !== -1) return [r, col];
  }
  return null;
}

/** A replaced letter a typist or a reader would not notice: a neighbour key, vowel for vowel, a homoglyph. */
function lookAlikeLetters(a: string, b: string): boolean {
  if (VOWELS.includes(a) && VOWELS.includes(b)) return true;
  if (HOMOGLYPHS.some((g) => g.includes(a) && g.includes(b))) return true;
  const ka = keyAt(a);
  const kb = keyAt(b);
  return ka !== null && kb !== null && Math.abs(ka[0] - kb[0]) <= 1 && Math.abs(ka[1] - kb[1] + (kb[0] - ka[0]) * 0.5) <= 1;
}

/** The single edit that turns `target` into `suspect`, or null when it is not one edit. */
export function editKind(suspect: string, target: string): EditKind | null {
  const ls = suspect.length;
  const lt = target.length;
  if (ls === lt) {
    const diffs: number[] = [];
    for (let i = 0; i < ls && diffs.length <= 2; i++) if (suspect[i] !== target[i]) diffs.push(i);
    if (diffs.length === 1) {
      const [a, b] = [suspect[diffs[0]], target[diffs[0]]];
      if (a === '-' || b === '-') return 'substitution';
      return lookAlikeLetters(a, b) ? 'look-alike-letter' : 'substitution';
    }
    if (diffs.length === 2 && diffs[1] === diffs[0] + 1 && suspect[diffs[0]] === target[diffs[1]] && suspect[diffs[1]] === target[diffs[0]]) return 'transposition';
    return null;
  }
  if (Math.abs(ls - lt) !== 1) return null;
  const [long, short] = ls > lt ? [suspect, target] : [target, suspect];
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  if (long.slice(i + 1) !== short.slice(i)) return null;
  const c = long[i];
  // The same letter can be dropped at several places: judge the edit by the rightmost one.
  let at = i;
  while (at + 1 < long.length && long[at + 1] === c) at++;
  const added = ls > lt;
  if (c === '-') return 'delimiter';
  if (c === 's' && at === long.length - 1) return 'plural';
  if (c === 's' && long[at + 1] === '-') return 'plural';
  if (added && ((at > 0 && long[at - 1] === c) || long[at + 1] === c)) return 'repetition';
  if (at === long.length - 1) return added ? 'insertion-end' : 'omission-end';
  if (i === 0) return added ? 'insertion-start' : 'omission-start';
  return added ? 'insertion' : 'omission';
}

/** How popular (at most this rank) a project must be for an edit of this kind to count against it. */
const RANK_FOR: Record<EditKind, number> = {
  repetition: 10_000,
  transposition: 7_000,
  omission: 2_000,
  'omission-end': 5_000,
  'omission-start': 100,
  insertion: 3_000,
  'insertion-end': 15_000,
  'insertion-start': 50,
  plural: 1_200,
  'look-alike-letter': 1_500,
  substitution: 200,
  delimiter: 200,
};

/**
 * The edit is inside a short word of a name made of words (`django-q` → `django-rq`, `u-msgpack`):
 * a different word, not a typo of one.
 */
function editsShortWord(suspect: string, target: string): boolean {
  if (!suspect.includes('-') && !target.includes('-')) return false;
  const a = suspect.split('-');
  const b = target.split('-');
  if (a.length !== b.length) return a.some((w) => w.length <= 2) || b.some((w) => w.length <= 2);
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k] && Math.min(a[k].length, b[k].length) <= 2) return true;
  return false;
}

/** A name without its digits and trailing separators: `urllib4` and `urllib3` are the same project line. */
function withoutDigits(name: string): string {
  const letters = hasDigit(name) ? name.replace(/[0-9]+/g, '') : name;
  let end = letters.length;
  while (end > 0 && letters[end - 1] === '-') end--;
  return letters.slice(0, end);
}

/** The name without a Python prefix (`python3-`, `python-`, `py3-`, `py-`, `py`): what a prefix squat keeps. */
function core(name: string): string {
  if (!name.startsWith('py')) return name;
  const m = /^(?:python3?-?|py3?-?)(.+)$/.exec(name);
  return m ? m[1] : name;
}

/**
 * Digit and version-suffix variants of a top project: another number (`urllib4`, `boto4`), a number
 * added (`colorama2`), the number dropped (`urllib`; an older project often has the bare name:
 * `tinycss` before `tinycss2`, so only the very top count).
 */
const RANK_FOR_OTHER_DIGITS = 1_000;
const RANK_FOR_ADDED_DIGITS = 300;
const RANK_FOR_DROPPED_DIGITS = 100;
/** Prefix variants: `python3-dateutil` of `python-dateutil`, `python-requests`/`pyrequests` of `requests`. */
const RANK_FOR_PREFIX = 300;
/** Reordered words (`nmap-python` of `python-nmap`): plugins are named both ways (`django-graphene`), so only the top, or a moved `python`. */
const RANK_FOR_WORD_ORDER = 1_000;
const RANK_FOR_TWO_EDITS = 400;
/** The handful of most downloaded projects: two edits count on shorter names too (`reqest`). */
const RANK_FOR_TWO_EDITS_SHORT = 10;
/** Below this length a letter added or dropped at the end makes another short word (`blue`/`bluez`, `webp`/`webpy`). */
const MIN_TARGET_FOR_END_EDITS = 6;
/** `beautifulsoup-numpy`: a top project without its version digits, joined to another top project. */
const RANK_FOR_COMBO = 200;

/**
 * Vowels garbled (`etheruim`, `ethreium` of ethereum; `tansurflow`): the consonants in order,
 * doubled letters once, and the first and last letters are kept, which one or two edits miss when
 * several vowels move or change.
 */
const RANK_FOR_SKELETON = 2_000;
const MIN_LENGTH_SKELETON = 7;

/**
 * The first letter, the rest but the last without vowels (repeats once), a dot, the last letter:
 * `ethereum` → `ethr.m`. Digits and separators stay (`json-pointer` is not `jsonpointer`'s squat).
 */
export function skeleton(name: string): string {
  if (name.length < 2) return `${name}.${name}`;
  // Two native replaces: a loop adding one letter at a time cost several times more on the ranking's targets.
  const kept = (name[0] + name.slice(1, -1).replace(VOWEL_RUNS, '')).replace(REPEATS, '$1');
  return `${kept}.${name[name.length - 1]}`;
}
const VOWEL_RUNS = /[aeiouy]+/g;
const REPEATS = /([^])\1+/g;

function digitRank(nameDigits: boolean, targetDigits: boolean): number {
  if (nameDigits && targetDigits) return RANK_FOR_OTHER_DIGITS;
  if (nameDigits) return RANK_FOR_ADDED_DIGITS;
  return targetDigits ? RANK_FOR_DROPPED_DIGITS : 0;
}

/** `A-B` where A is a top project without its version digits (`beautifulsoup` of `beautifulsoup4`) and B another top project. */
function comboOf(name: string, top: TopPackages): string | null {
  const dash = name.indexOf('-');
  if (dash < 4) return null;
  const [a, b] = [name.slice(0, dash), name.slice(dash + 1)];
  const rankB = top.rank.get(b);
  if (rankB === undefined || rankB > RANK_FOR_WORD_ORDER) return null;
  for (let i = 0; i < top.targetCount; i++) {
    const t = top.detail(i);
    if ((top.rank.get(t.name) ?? PROTECTED_RANK) > RANK_FOR_COMBO) break;
    if (t.name !== a && t.hasDigits && t.digitless === a) return t.name;
  }
  return null;
}

/**
 * Two top projects joined, with a dash or without (`matplotlib-requests`, `numpy-selenium`,
 * `torchtriton`): a name made to come up when either is searched. Plugins are named so too
 * (`flask-sqlalchemy`), but under a word that begins many listed names (see namespaces).
 */
const RANK_FOR_JOINED = 1_000;
function joinedOf(name: string, top: TopPackages): string | null {
  const popular = (part: string) => (top.rank.get(part) ?? Infinity) <= RANK_FOR_JOINED;
  for (let k = MIN_LENGTH; k <= name.length - MIN_LENGTH; k++) {
    const left = name.slice(0, k);
    if (!popular(left)) continue;
    const dash = name[k] === '-';
    const right = name.slice(dash ? k + 1 : k);
    if (right.length >= MIN_LENGTH && popular(right) && !(dash && top.namespaces().has(left))) return left;
  }
  return null;
}

/** Words that begin this many listed names or more are plugin namespaces (see TopPackages.namespaces). */
const NAMESPACE_NAMES = 10;

/** The popular project a normalized name imitates, or null. */
export function lookAlikeOf(name: string, top: TopPackages, knownNames: readonly string[] = []): string | null {
  if (top.isKnown(name) || top.protectedNames.has(name) || knownNames.includes(name) || name.length < MIN_LENGTH) return null;
  // Longer than two targets joined: nothing is in reach, and a huge name must not cost a pass per target.
  if (name.length > 2 * top.longestTarget + 1) return null;
  const joined = comboOf(name, top) ?? joinedOf(name, top) ?? garbledWordOf(name, top);
  if (joined) return joined;
  // Longer than every target by more than two: no edit reaches one.
  if (name.length > top.longestTarget + 2) return null;
  const digitless = withoutDigits(name);
  const nameCore = core(name);
  const words = name.includes('-') ? sortedWords(name) : null;
  const nameDigits = hasDigit(name);
  // A prefix squat may differ in length by more than two (`python3-dateutil` of `dateutil`): the
  // first target it imitates ends the search; before it, only targets within two letters of the
  // name's length can match (checked in popularity order, as one pass over every target would).
  const prefixAt = nameCore.length >= 4 ? (top.prefixCoreAt(nameCore) ?? Infinity) : Infinity;
  let skeletonAt = name.length >= MIN_LENGTH_SKELETON - 1 ? (top.skeletonAt(skeleton(name)) ?? Infinity) : Infinity;
  // More letters apart than a typo makes: another word with the same consonants (`languagecodes`, `langcodes`).
  if (skeletonAt !== Infinity && Math.abs(top.target(skeletonAt).length - name.length) > 2) skeletonAt = Infinity;
  const directAt = Math.min(prefixAt, skeletonAt);
  const nameLetters = letterMask(name);
  const letters = top.allLetters();
  const near = top.nearLengths(name.length);
  for (let k = nextSimilar(near, letters, 0, nameLetters, directAt); k < near.length; k = nextSimilar(near, letters, k + 1, nameLetters, directAt)) {
    const i = near[k]!;
    const t = top.detail(i);
    const target = t.name;
    const rank = t.popularity;
    const lengthGap = Math.abs(target.length - name.length);
    if (digitless === t.digitless) {
      if (digitless.length >= 4 && rank <= digitRank(nameDigits, t.hasDigits)) return target;
      continue; // otherwise the same project line (`pyqt5`/`pyqt6`), not a typo
    }
    // Reordered words have the same letters: the letter sets are compared first (an integer), the sorted words (a split, sort and join, made once per target) only when equal.
    if (words !== null && lengthGap === 0 && letters[i] === nameLetters && top.wordsOf(i) === words) {
      if (rank <= RANK_FOR_WORD_ORDER || /(^|-)py(thon)?3?(-|$)/.test(target)) return target;
    }
    const kind = lengthGap <= 1 ? editKind(name, target) : null;
    if (kind !== null) {
      const endEdit = kind === 'insertion-end' || kind === 'omission-end';
      if (rank <= RANK_FOR[kind] && !editsShortWord(name, target) && !(endEdit && target.length < MIN_TARGET_FOR_END_EDITS)) return target;
      continue;
    }
    // On shorter names two edits only count against the very top, and keep the first two letters (`reqest`, not `bumps` of numpy).
    const twoEdits = (rank <= RANK_FOR_TWO_EDITS_SHORT && name.length >= 6 && name.slice(0, 2) === target.slice(0, 2)) || (rank <= RANK_FOR_TWO_EDITS && name.length >= MIN_LENGTH_TWO_EDITS);
    if (twoEdits && editDistance(name, target, 2) === 2 && !editsShortWord(name, target)) return target;
  }
  return directAt === Infinity ? null : top.target(directAt);
}

/**
 * The first position from `k` in `near` (target indexes in popularity order) whose target's
 * letters differ from the name's by at most four, or near.length when none does before `end`.
 * Every way to match (the same letters bar digits, reordered words, one or two edits) changes
 * which letters occur by at most four: a cheap test that skips most targets. A loop of its own,
 * small enough to be compiled early, where in the search's body it ran mostly interpreted.
 */
function nextSimilar(near: ArrayLike<number>, letters: Int32Array, k: number, nameLetters: number, end: number): number {
  for (; k < near.length; k++) {
    const i = near[k]!;
    if (i >= end) return near.length;
    if (bitCount(nameLetters ^ letters[i]!) <= 4) return k;
  }
  return k;
}

/** One bit per letter a-z that occurs in the name; an edit changes at most two of them. */
function letterMask(name: string): number {
  let mask = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) mask |= 1 << c;
  }
  return mask;
}

function bitCount(n: number): number {
  // Bits summed in pairs, nibbles, then bytes: a fixed dozen operations, not one per set bit.
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * A word of the name is a top project typed with a letter doubled or two neighbours swapped
 * (`ttensorflow-gpu`, `pandsa-helpers`): the edits typists rarely make by chance in a real word.
 * Other edits inside a word make other real words (`jinja-vanish`, `network-runner`).
 */
const RANK_FOR_WORD_TYPO = 1_000;

function garbledWordOf(name: string, top: TopPackages): string | null {
  if (!name.includes('-')) return null;
  for (const w of name.split('-')) {
    if (w.length < MIN_LENGTH) continue;
    const at = wordTypoOf(w, top);
    if (at !== null && !top.isKnown(w)) return top.target(at);
  }
  return null;
}

/**
 * The most popular single-word target (its index) that `word` is with a letter doubled or two
 * neighbours swapped. Found by undoing each such edit in the word: a lookup per letter, where
 * making every top project's typos up front took ~50 ms.
 */
function wordTypoOf(word: string, top: TopPackages): number | null {
  let best = Infinity;
  for (let i = 0; i + 1 < word.length; i++) {
    // Equal neighbours: undo a doubled letter; different ones: undo a swap.
    const original = word[i] === word[i + 1] ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    const at = top.wordTypoTargetAt(original);
    if (at !== undefined && at < best) best = at;
  }
  return best === Infinity ? null : best;
}

/** The name's words (between dashes) sorted, joined by dashes: reordered words compare equal. */
function sortedWords(name: string): string {
  return name.split('-').sort().join('-');
}

/** Whether the name holds a digit 0-9. */
function hasDigit(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
