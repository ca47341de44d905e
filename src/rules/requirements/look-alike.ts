// Typosquat check: a name that is not a popular project but is one or two edits away from one.
import { readFileSync } from 'node:fs';
import { findDataFile } from './data-file.ts';
import { charMask, indexTargets, popCount, type TargetsByLength } from './look-alike-index.ts';

export const TOP_PACKAGES_FILE = 'pypi-top-packages.tsv';
/** Only the most popular projects are worth imitating; the rest of the list only says "this name is real". */
const TARGET_RANKS = 5000;
const MIN_LENGTH_ONE_EDIT = 5;
const MIN_LENGTH_TWO_EDITS = 9;

export interface TopPackages {
  /** Every listed (normalized) name. */
  readonly known: ReadonlySet<string>;
  /** Names ranked within TARGET_RANKS, most popular first. */
  readonly targets: readonly string[];
  /** Length of the longest target. */
  readonly longestTarget: number;
}

export function parseTopPackages(tsv: string): TopPackages {
  const known = new Set<string>();
  const targets: string[] = [];
  // Split by hand (~15,000 lines, read on every run that checks a requirements file): no regex or
  // array per line.
  for (let start = 0; start < tsv.length; ) {
    const newline = tsv.indexOf('\n', start);
    const line = tsv.slice(start, newline === -1 ? tsv.length : newline);
    start = newline === -1 ? tsv.length : newline + 1;
    const [rank, name] = splitRankLine(line);
    if (!name || !isDigits(rank)) continue;
    known.add(name);
    if (Number(rank) <= TARGET_RANKS) targets.push(name);
  }
  return { known, targets, longestTarget: targets.reduce((longest, t) => Math.max(longest, t.length), 0) };
}

/** `rank<TAB>name` as `line.trim().split('\t')` gives its first two fields. */
function splitRankLine(line: string): [string, string | undefined] {
  const trimmed = line.trim();
  const tab = trimmed.indexOf('\t');
  if (tab === -1) return [trimmed, undefined];
  const next = trimmed.indexOf('\t', tab + 1);
  return [trimmed.slice(0, tab), trimmed.slice(tab + 1, next === -1 ? trimmed.length : next)];
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 48 || text.charCodeAt(i) > 57) return false;
  return true;
}

let cached: TopPackages | null | undefined;

/** The bundled ranking, read once per process and only when a requirements file changed. */
export function bundledTopPackages(): TopPackages | null {
  if (cached === undefined) {
    const file = findDataFile(TOP_PACKAGES_FILE);
    cached = file ? parseTopPackages(readFileSync(file, 'utf8')) : null;
  }
  return cached;
}

/** Optimal string alignment distance (edits and adjacent swaps), or max+1 once it exceeds max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** A name without its digits and trailing separators: names equal this way differ only in version numbers (`pyqt5`/`pyqt6`, `boto`/`boto3`), not typos. */
function withoutDigits(name: string): string {
  const letters = name.replace(/[0-9]+/g, '');
  let end = letters.length;
  while (end > 0 && letters[end - 1] === '-') end--;
  return letters.slice(0, end);
}

const indexes = new WeakMap<TopPackages, { byLength: TargetsByLength; answers: Map<string, string | null> }>();
/** Answers kept per ranking: a history scan sees the same names in every version of a file. */
const MAX_ANSWERS = 50_000;

/** The popular project a normalized name imitates, or null. */
export function lookAlikeOf(name: string, top: TopPackages, knownNames: readonly string[] = []): string | null {
  if (top.known.has(name) || knownNames.includes(name) || name.length < MIN_LENGTH_ONE_EDIT) return null;
  const max = name.length >= MIN_LENGTH_TWO_EDITS ? 2 : 1;
  // Longer than every target by more than `max`: nothing is in reach, and a huge name must not cost
  // a pass per target.
  if (name.length > top.longestTarget + max) return null;
  let index = indexes.get(top);
  if (!index) indexes.set(top, (index = { byLength: indexTargets(top.targets, MIN_LENGTH_ONE_EDIT, withoutDigits), answers: new Map() }));
  const known = index.answers.get(name);
  if (known !== undefined) return known;
  const found = closestTarget(name, max, index.byLength);
  if (index.answers.size >= MAX_ANSWERS) index.answers.clear();
  index.answers.set(name, found);
  return found;
}

/**
 * The target nearest to `name` within `max` edits, the most popular among equals: only targets of
 * a length in reach, and only those whose characters leave room for `max` edits, get the distance.
 */
function closestTarget(name: string, max: number, byLength: TargetsByLength): string | null {
  const nameWithoutDigits = withoutDigits(name);
  const mask = charMask(name);
  let found: string | null = null;
  let foundDistance = max + 1;
  let foundRank = Infinity;
  for (let length = name.length - max; length <= name.length + max; length++) {
    for (const target of byLength[length] ?? []) {
      const limit = Math.min(max, target.rank < foundRank ? foundDistance : foundDistance - 1);
      if (limit < 1) break; // ranks only grow within a length: nothing later can win
      if (popCount(mask & ~target.mask) > limit || popCount(target.mask & ~mask) > limit || target.withoutDigits === nameWithoutDigits) continue;
      const d = editDistance(name, target.name, limit);
      if (d <= limit) {
        found = target.name;
        foundDistance = d;
        foundRank = target.rank;
      }
    }
  }
  return found;
}
