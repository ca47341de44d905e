// The bundled ranking with everything the look-alike search works out from it (the rank map,
// the targets and their popularity, letter masks, the key indexes) made at build time: the build
// (scripts/build.mjs) writes it beside the bundle's file that holds this module (the part kept
// apart, dist/chunks/apart-<hash>.cjs), as `apart-<hash>.ranking.json`, and a run reads it
// with one JSON.parse instead of reading the tsv line by line and building the indexes (about a
// quarter of an 800 KB lock file's scan: docs/performance.md, "Round 6: requirements").
//
// A built run with the package's own data reads only this file: the build made it from that data
// beside the bundle file (its name is that file's, which is named by its hash), so nothing is
// checked against the tsv at run time (reading and hashing the tsv was a tenth of the ranking's
// cost); a missing or damaged file there fails the scan (exit 2), it is never passed over. With
// GITWARD_DATA_DIR (a build copied out of the package, or another data file), the file is used only
// when it says it was made from that very tsv (its sha256); otherwise, and in a run from the
// sources, the tsv is read as before: the same answers, only slower.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GitwardError } from '../../engine/errors.ts';
import { sha256Hex } from '../../engine/redact.ts';
import { findDataFile } from './data-file.ts';
import { parseTopPackages, TOP_PACKAGES_FILE, TopPackages } from './look-alike.ts';
import { PROTECTED_NAMES } from './protected-names.ts';

/** Bumped when the file's shape changes. */
const FORMAT = 1;

/**
 * The file: strings joined by newlines (names never hold one) and numbers as little-endian int32
 * in base64, each decoded by one native call (JSON arrays of 15,000 numbers and strings, and a
 * loop over them, cost several times more).
 */
interface RankingFile {
  readonly format: number;
  /** sha256 (hex) of the tsv it was made from. */
  readonly source: string;
  readonly protectedNames: readonly string[];
  /** The rank map's names, in its order, and their ranks. */
  readonly names: string;
  readonly ranks: string;
  /** The targets as runs of names, pairs (from, to): names[from … to), or protectedNames[-1 - from] for a negative from. */
  readonly targets: string;
  readonly popularity: string;
  readonly letters: string;
  /** Target indexes by name length (ascending, each length's in order) and where each length's start, both int32 in base64. */
  readonly byLength: string;
  readonly lengthStarts: string;
  readonly prefixCore: KeyIndex;
  readonly skeletons: KeyIndex;
  readonly wordTypoTargets: KeyIndex;
  readonly namespaces: readonly string[];
}

/** A map from keys (joined by newlines) to target indexes (int32 in base64). */
interface KeyIndex {
  readonly keys: string;
  readonly at: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

let cached: TopPackages | null | undefined;

/** The bundled ranking, read once per process and only when a requirements file changed. */
export function bundledTopPackages(): TopPackages | null {
  if (cached === undefined) cached = bundledRanking(rankingFileBeside(), process.env);
  return cached;
}

/**
 * The ranking a run uses: a built run's own precomputed file (`precomputed`) when no other data
 * file is named, else the tsv (through its precomputed file when that was made from it); null
 * when there is no tsv to read. Throws (exit 2) when a built run's own file is missing or damaged.
 */
export function bundledRanking(precomputed: string | null, env: NodeJS.ProcessEnv): TopPackages | null {
  if (precomputed !== null && !env.GITWARD_DATA_DIR && LITTLE_ENDIAN) {
    const top = readRankingFile(precomputed, null);
    if (typeof top === 'string') {
      throw new GitwardError(
        `the look-alike ranking ${precomputed} ${top}, so requirements cannot be checked`,
        `Reinstall gitward (or rebuild it: npm run build), or set GITWARD_DATA_DIR to a folder holding ${TOP_PACKAGES_FILE}.`,
      );
    }
    return top;
  }
  const file = findDataFile(TOP_PACKAGES_FILE, undefined, env);
  return file ? loadTopPackages(file, precomputed) : null;
}

/** The precomputed file of the bundle this module is part of, or null when run from the sources. */
export function rankingFileBeside(moduleUrl: string = import.meta.url): string | null {
  if (!moduleUrl.startsWith('file:')) return null;
  const path = fileURLToPath(moduleUrl);
  return path.endsWith('.cjs') ? `${path.slice(0, -'.cjs'.length)}.ranking.json` : null;
}

/** The ranking of the tsv at `tsvFile`, from the precomputed file when that was made from it. */
export function loadTopPackages(tsvFile: string, precomputed: string | null = rankingFileBeside()): TopPackages {
  const bytes = readFileSync(tsvFile);
  const fromFile = precomputed === null || !LITTLE_ENDIAN ? null : readRankingFile(precomputed, sha256Hex(bytes));
  return fromFile instanceof TopPackages ? fromFile : parseTopPackages(bytes.toString('utf8'));
}

/**
 * The precomputed file's ranking, or why it cannot be used ("is missing", "is damaged", …):
 * `source`, when given, is the sha256 of the tsv it must have been made from.
 */
function readRankingFile(file: string, source: string | null): TopPackages | string {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read';
  }
  let data: RankingFile;
  try {
    data = JSON.parse(text) as RankingFile;
  } catch {
    return 'is damaged (not JSON)';
  }
  try {
    return rankingOf(data, source);
  } catch {
    return 'is damaged'; // a field of the wrong type
  }
}

function rankingOf(data: RankingFile, source: string | null): TopPackages | string {
  if (data.format !== FORMAT) return 'was made by another version';
  if (source !== null && data.source !== source) return 'was made from another data file';
  if (!sameList(data.protectedNames, PROTECTED_NAMES)) return 'was made for other protected names';
  if (!Array.isArray(data.namespaces) || !data.namespaces.every((n) => typeof n === 'string')) return 'is damaged';
  const names = data.names.split('\n');
  const ranks = int32s(data.ranks);
  const popularity = int32s(data.popularity);
  const letters = int32s(data.letters);
  const targets = targetsOf(int32s(data.targets), names, data.protectedNames);
  if (targets === null || ranks.length !== names.length || popularity.length !== targets.length || letters.length !== targets.length) return 'is damaged';
  const byLength = bucketsOf(int32s(data.byLength), int32s(data.lengthStarts), targets.length);
  const prefixCore = mapOf(data.prefixCore, targets.length);
  const skeletons = mapOf(data.skeletons, targets.length);
  const wordTypoTargets = mapOf(data.wordTypoTargets, targets.length);
  if (byLength === null || prefixCore === null || skeletons === null || wordTypoTargets === null) return 'is damaged';
  const rank = new Map<string, number>();
  for (let i = 0; i < names.length; i++) rank.set(names[i]!, ranks[i]!);
  return new TopPackages(rank, new Set(data.protectedNames), targets, null, {
    popularity: Float64Array.from(popularity),
    letters,
    byLength,
    prefixCore,
    skeletons,
    wordTypoTargets,
    namespaces: data.namespaces,
  });
}

/** The targets from their runs (see RankingFile.targets), or null when a run is out of range. */
function targetsOf(runs: Int32Array, names: readonly string[], protectedNames: readonly string[]): string[] | null {
  let targets: string[] = [];
  for (let k = 0; k + 1 < runs.length; k += 2) {
    const from = runs[k]!;
    const to = runs[k + 1]!;
    if (from >= 0) {
      if (to < from || to > names.length) return null;
      targets = targets.concat(names.slice(from, to));
    } else {
      const name = protectedNames[-1 - from];
      if (name === undefined) return null;
      targets.push(name);
    }
  }
  return targets;
}

/** The lists by length: views of one array, or null when the starts do not cut it into the targets' indexes. */
function bucketsOf(indexes: Int32Array, starts: Int32Array, targets: number): Int32Array[] | null {
  if (indexes.length !== targets || starts.length === 0 || starts[starts.length - 1] !== indexes.length) return null;
  const buckets: Int32Array[] = [];
  for (let l = 0; l + 1 < starts.length; l++) {
    if (starts[l]! > starts[l + 1]!) return null;
    buckets.push(indexes.subarray(starts[l]!, starts[l + 1]!));
  }
  for (let i = 0; i < indexes.length; i++) if (indexes[i]! < 0 || indexes[i]! >= targets) return null;
  return buckets;
}

/** Keys to target indexes (each below `targets`), or null when the file's fields do not fit. */
function mapOf(index: KeyIndex, targets: number): Map<string, number> | null {
  const keys = index.keys === '' ? [] : index.keys.split('\n');
  const at = int32s(index.at);
  if (keys.length !== at.length) return null;
  const map = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    if (at[i]! < 0 || at[i]! >= targets) return null;
    map.set(keys[i]!, at[i]!);
  }
  return map;
}

function startsOf(buckets: readonly ArrayLike<number>[]): number[] {
  const starts = [0];
  for (const bucket of buckets) starts.push(starts[starts.length - 1]! + bucket.length);
  return starts;
}

function keyIndexOf(map: ReadonlyMap<string, number>): KeyIndex {
  const entries = [...map];
  if (entries.some(([key]) => key.includes('\n'))) throw new Error('ranking: a key holds a newline');
  return { keys: entries.map(([key]) => key).join('\n'), at: base64Of(entries.map(([, i]) => i)) };
}

function int32s(base64: string): Int32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Int32Array(bytes.length >> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  return out;
}

function base64Of(values: ArrayLike<number>): string {
  return Buffer.from(Int32Array.from(values).buffer).toString('base64');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The precomputed file's text for a tsv (the build writes it; ASCII only, JSON escapes the rest). */
export function rankingFileText(tsv: Buffer): string {
  if (!LITTLE_ENDIAN) throw new Error('ranking: the precomputed file is written on a little-endian machine');
  const top = parseTopPackages(tsv.toString('utf8'));
  const search = top.searchIndexes();
  const names = [...top.rank.keys()];
  if (names.some((n) => n.includes('\n'))) throw new Error('ranking: a name holds a newline');
  const position = new Map(names.map((n, i) => [n, i]));
  const runs: number[] = [];
  for (const target of top.targets) {
    const at = position.get(target);
    if (at === undefined) runs.push(-1 - PROTECTED_NAMES.indexOf(target), 0);
    else if (runs.length > 0 && runs[runs.length - 2]! >= 0 && runs[runs.length - 1] === at) runs[runs.length - 1] = at + 1;
    else runs.push(at, at + 1);
  }
  const decoded = targetsOf(Int32Array.from(runs), names, PROTECTED_NAMES);
  if (decoded === null || decoded.length !== top.targets.length || decoded.some((t, i) => t !== top.targets[i])) throw new Error('ranking: a target is neither listed nor protected');
  if (!search.popularity.every((p) => Number.isInteger(p) && Math.abs(p) < 2 ** 31)) throw new Error('ranking: a popularity that is no 32-bit integer');
  const data: RankingFile = {
    format: FORMAT,
    source: sha256Hex(tsv),
    protectedNames: [...PROTECTED_NAMES],
    names: names.join('\n'),
    ranks: base64Of([...top.rank.values()]),
    targets: base64Of(runs),
    popularity: base64Of(search.popularity),
    letters: base64Of(search.letters),
    byLength: base64Of(search.byLength.flatMap((bucket) => Array.from(bucket))),
    lengthStarts: base64Of(startsOf(search.byLength)),
    prefixCore: keyIndexOf(search.prefixCore),
    skeletons: keyIndexOf(search.skeletons),
    wordTypoTargets: keyIndexOf(search.wordTypoTargets),
    namespaces: search.namespaces,
  };
  return JSON.stringify(data).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
