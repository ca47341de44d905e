// The bundled ranking with everything the look-alike search works out from it (the rank map,
// the targets and their popularity, letter masks, the key indexes) made at build time: the build
// (scripts/build.mjs) writes it beside the bundle's file that holds this module (the part kept
// apart, dist/chunks/apart-<hash>.cjs), as `apart-<hash>.ranking.bin`, and a run reads it
// as it lies: a JSON header line, then the lists as int32 and the names as text, looked up in
// place (string-table.ts) instead of reading the tsv line by line and building the indexes (about a
// quarter of an 800 KB lock file's scan: docs/performance.md, "Round 6: requirements"; the format
// read without a string or Map entry per name: "Round 9: requirements").
//
// A built run with the package's own data reads only this file: the build made it from that data
// beside the bundle file (its name is that file's, which is named by its hash), so nothing is
// checked against the tsv at run time (reading and hashing the tsv was a tenth of the ranking's
// cost); a missing or damaged file there fails the scan (exit 2), it is never passed over. With
// GITWARD_DATA_DIR (a build copied out of the package, or another data file), the file is used only
// when it says it was made from that very tsv (its sha256); otherwise, and in a run from the
// sources, the tsv is read as before: the same answers, only slower.
import { readFile, readFileSync } from 'node:fs';
import { GitwardError } from '../../engine/errors.ts';
import { sha256Hex } from '../../engine/redact.ts';
import { findDataFile } from './data-file.ts';
import { parseTopPackages, TOP_PACKAGES_FILE, TopPackages, type TargetNames } from './look-alike.ts';
import { PROTECTED_NAMES } from './protected-names.ts';
import { StringTable, tableOf, type TableParts } from './string-table.ts';

/** Bumped when the file's shape changes. */
const FORMAT = 2;

/**
 * The file: one line of JSON (this header), then, from the next multiple of 4, the sections it
 * lists (byte offset from there, and length): texts in latin1 (ASCII only), lists of int32
 * little-endian. A run makes typed arrays over the file's bytes and one string per text section:
 * nothing per name (a JSON file of base64 lists made 15,000 strings, a Map of them and three more
 * Maps at every lock file's scan).
 */
interface RankingHeader {
  readonly format: number;
  /** sha256 (hex) of the tsv it was made from. */
  readonly source: string;
  readonly protectedNames: readonly string[];
  readonly namespaces: readonly string[];
  readonly sections: Readonly<Record<SectionName, readonly [number, number]>>;
}

/** A string table's four sections (string-table.ts): `<table>.text`, `.starts`, `.slots`, `.values`. */
const TABLES = ['names', 'prefixCore', 'skeletons', 'wordTypoTargets'] as const;
type TableName = (typeof TABLES)[number];
/**
 * `names`: the rank map (its values the ranks); the three key indexes of the search map keys to
 * target indexes. `targets`: each target's name index, or -1 - k for protectedNames[k].
 * `byLength`: target indexes by name length (ascending, each length's in order), `lengthStarts`
 * where each length's start.
 */
const LISTS = ['targets', 'popularity', 'letters', 'byLength', 'lengthStarts'] as const;
type SectionName = `${TableName}.${'text' | 'starts' | 'slots' | 'values'}` | (typeof LISTS)[number];
const SECTIONS: readonly SectionName[] = [...TABLES.flatMap((t) => (['text', 'starts', 'slots', 'values'] as const).map((p) => `${t}.${p}` as const)), ...LISTS];

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

let cached: TopPackages | null | undefined;
let cachedAhead: Promise<TopPackages | null> | undefined;

/** The bundled ranking, read once per process and only when a requirements file changed. */
export function bundledTopPackages(): TopPackages | null {
  if (cached === undefined) cached = bundledRanking(rankingFileBeside(), process.env);
  return cached;
}

/**
 * bundledTopPackages, with a built run's precomputed file (783 KB) read on a thread of node's pool:
 * called before the requirements file is parsed, the read (its system calls and the buffer's page
 * faults, ~3-4 ms of a lock file's main thread) runs while the main thread parses. Whatever that
 * read finds (an error, a damaged file) is judged as bundledTopPackages judges it: the same bytes,
 * or, when the read failed, the same synchronous read as before.
 */
export function bundledTopPackagesAhead(): Promise<TopPackages | null> {
  if (cached !== undefined) return Promise.resolve(cached);
  const file = ownRankingFile(rankingFileBeside(), process.env);
  if (file === null) return (cachedAhead ??= Promise.resolve().then(bundledTopPackages));
  cachedAhead ??= new Promise<Buffer | undefined>((resolve) => readFile(file, (error, bytes) => resolve(error ? undefined : bytes))).then(
    (bytes) => (cached ??= bundledRanking(file, process.env, bytes)),
  );
  return cachedAhead;
}

/** The built run's own precomputed file, when it is the one to read (no other data file named). */
function ownRankingFile(precomputed: string | null, env: NodeJS.ProcessEnv): string | null {
  return precomputed !== null && !env.GITWARD_DATA_DIR && LITTLE_ENDIAN ? precomputed : null;
}

/**
 * The ranking a run uses: a built run's own precomputed file (`precomputed`) when no other data
 * file is named, else the tsv (through its precomputed file when that was made from it); null
 * when there is no tsv to read. Throws (exit 2) when a built run's own file is missing or its shape
 * damaged, also when an index out of range is found later, where the search reads it. `bytes`:
 * the own file's content read already (bundledTopPackagesAhead), else it is read here.
 */
export function bundledRanking(precomputed: string | null, env: NodeJS.ProcessEnv, bytes?: Buffer): TopPackages | null {
  const own = ownRankingFile(precomputed, env);
  if (own !== null) {
    const top = readRankingFile(own, null, () => {
      throw unusable(own, 'is damaged');
    }, bytes);
    if (typeof top === 'string') throw unusable(own, top);
    return top;
  }
  const file = findDataFile(TOP_PACKAGES_FILE, undefined, env);
  return file ? loadTopPackages(file, precomputed) : null;
}

function unusable(file: string, why: string): GitwardError {
  return new GitwardError(
    `the look-alike ranking ${file} ${why}, so requirements cannot be checked`,
    `Reinstall gitward (or rebuild it: npm run build), or set GITWARD_DATA_DIR to a folder holding ${TOP_PACKAGES_FILE}.`,
  );
}

/**
 * The precomputed file of the bundle this module is part of, or null when run from the sources.
 * `module` is the module's path (the bundle's file: the build defines `import.meta.filename` as
 * it). By path, not URL: making the module's URL and reading it back cost ~2-5 ms of a lock
 * file's scan (node's URL code run for the first time).
 */
export function rankingFileBeside(module: string | undefined = import.meta.filename): string | null {
  if (module === undefined) return null;
  return module.endsWith('.cjs') ? `${module.slice(0, -'.cjs'.length)}.ranking.bin` : null;
}

/**
 * The ranking of the tsv at `tsvFile`, from the precomputed file when that was made from it. (A
 * part of that file found damaged later, where the search reads it, fails the run: the file said
 * it was made from this tsv.)
 */
export function loadTopPackages(tsvFile: string, precomputed: string | null = rankingFileBeside()): TopPackages {
  const bytes = readFileSync(tsvFile);
  const damaged = (): never => {
    throw unusable(precomputed!, 'is damaged');
  };
  const fromFile = precomputed === null || !LITTLE_ENDIAN ? null : readRankingFile(precomputed, sha256Hex(bytes), damaged);
  return fromFile instanceof TopPackages ? fromFile : parseTopPackages(bytes.toString('utf8'));
}

/**
 * The precomputed file's ranking, or why it cannot be used ("is missing", "is damaged", …):
 * `source`, when given, is the sha256 of the tsv it must have been made from. `damaged` is called
 * when a part read later is out of range.
 */
function readRankingFile(file: string, source: string | null, damaged: () => never, read?: Buffer): TopPackages | string {
  let bytes: Buffer;
  try {
    bytes = read ?? readFileSync(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read';
  }
  const newline = bytes.indexOf(10);
  if (newline === -1) return 'is damaged (no header)';
  let header: RankingHeader;
  try {
    header = JSON.parse(bytes.toString('latin1', 0, newline)) as RankingHeader;
  } catch {
    return 'is damaged (no header)';
  }
  if (header === null || typeof header !== 'object') return 'is damaged (no header)';
  try {
    return rankingOf(header, bytes, (newline + 4) & ~3, source, damaged);
  } catch {
    return 'is damaged'; // a field of the wrong type, or a table of the wrong shape
  }
}

function rankingOf(header: RankingHeader, bytes: Buffer, payload: number, source: string | null, damaged: () => never): TopPackages | string {
  if (header.format !== FORMAT) return 'was made by another version';
  if (source !== null && header.source !== source) return 'was made from another data file';
  if (!sameList(header.protectedNames, PROTECTED_NAMES)) return 'was made for other protected names';
  if (!Array.isArray(header.namespaces) || !header.namespaces.every((n) => typeof n === 'string')) return 'is damaged';
  // Int32 views need their start at a multiple of 4 in memory: a file read whole has its own buffer, copied otherwise.
  const aligned = (bytes.byteOffset & 3) === 0 ? bytes : Buffer.from(bytes);
  const section = (name: SectionName): [number, number] | null => {
    const place = header.sections[name];
    if (!Array.isArray(place) || place.length !== 2) return null;
    const [at, length] = place as [number, number];
    if (!Number.isInteger(at) || !Number.isInteger(length) || at < 0 || length < 0 || payload + at + length > aligned.length) return null;
    return [aligned.byteOffset + payload + at, length];
  };
  const lists = new Map<SectionName, Int32Array>();
  for (const name of SECTIONS) {
    if (name.endsWith('.text')) continue;
    const place = section(name);
    if (place === null || (place[0] & 3) !== 0 || (place[1] & 3) !== 0) return 'is damaged';
    lists.set(name, new Int32Array(aligned.buffer, place[0], place[1] >> 2));
  }
  const table = (name: TableName, valueLimit?: number): StringTable | null => {
    const place = section(`${name}.text`);
    if (place === null) return null;
    const parts: TableParts = {
      text: aligned.toString('latin1', place[0] - aligned.byteOffset, place[0] - aligned.byteOffset + place[1]),
      starts: lists.get(`${name}.starts`)!,
      slots: lists.get(`${name}.slots`)!,
      values: lists.get(`${name}.values`)!,
    };
    return new StringTable(parts, damaged, valueLimit);
  };
  const rank = table('names');
  if (rank === null) return 'is damaged';
  const targets = targetListOf(lists.get('targets')!, rank, header.protectedNames, damaged);
  const popularity = lists.get('popularity')!;
  const letters = lists.get('letters')!;
  const byLengthIndexes = lists.get('byLength')!;
  const lengthStarts = lists.get('lengthStarts')!;
  if (popularity.length !== targets.length || letters.length !== targets.length || byLengthIndexes.length !== targets.length) return 'is damaged';
  const byLength = bucketsOf(byLengthIndexes, lengthStarts);
  const [prefixCore, skeletons, wordTypoTargets] = (['prefixCore', 'skeletons', 'wordTypoTargets'] as const).map((name) => table(name, targets.length));
  if (byLength === null || !prefixCore || !skeletons || !wordTypoTargets) return 'is damaged';
  return new TopPackages(rank, new Set(header.protectedNames), targets, null, {
    popularity: Float64Array.from(popularity),
    letters,
    byLength,
    prefixCore,
    skeletons,
    wordTypoTargets,
    namespaces: header.namespaces,
    damaged,
  });
}

/** The targets (see RankingHeader: each a name's index, or a protected name's), each name made when asked for. */
function targetListOf(indexes: Int32Array, names: StringTable, protectedNames: readonly string[], damaged: () => never): TargetNames {
  return {
    length: indexes.length,
    at(i: number): string {
      const k = indexes[i]!;
      if (k >= 0) return names.key(k);
      return protectedNames[-1 - k] ?? damaged();
    },
  };
}

/** The lists by length: views of one array, or null when the starts do not cut it (its indexes are checked where read: TopPackages.nearLengths). */
function bucketsOf(indexes: Int32Array, starts: Int32Array): Int32Array[] | null {
  if (starts.length === 0 || starts[0] !== 0 || starts[starts.length - 1] !== indexes.length) return null;
  const buckets: Int32Array[] = [];
  for (let l = 0; l + 1 < starts.length; l++) {
    if (starts[l]! > starts[l + 1]!) return null;
    buckets.push(indexes.subarray(starts[l]!, starts[l + 1]!));
  }
  return buckets;
}

function startsOf(buckets: readonly ArrayLike<number>[]): number[] {
  const starts = [0];
  for (const bucket of buckets) starts.push(starts[starts.length - 1]! + bucket.length);
  return starts;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The precomputed file's bytes for a tsv (the build writes it; names and keys must be ASCII). */
export function rankingFileBytes(tsv: Buffer): Buffer {
  if (!LITTLE_ENDIAN) throw new Error('ranking: the precomputed file is written on a little-endian machine');
  const top = parseTopPackages(tsv.toString('utf8'));
  const search = top.searchIndexes();
  const names = [...top.rank.keys()];
  const position = new Map(names.map((n, i) => [n, i]));
  // A listed name's index, or -1 - a protected name's index.
  const targetNames = top.targets.map((target) => {
    const listed = position.get(target);
    if (listed !== undefined) return listed;
    const protectedAt = PROTECTED_NAMES.indexOf(target);
    if (protectedAt === -1) throw new Error(`ranking: the target ${target} is neither listed nor protected`);
    return -1 - protectedAt;
  });
  if (!search.popularity.every((p) => Number.isInteger(p) && Math.abs(p) < 2 ** 31)) throw new Error('ranking: a popularity that is no 32-bit integer');
  const parts: [SectionName, string | ArrayLike<number>][] = [];
  const addTable = (name: TableName, map: ReadonlyMap<string, number>) => {
    const t = tableOf([...map.keys()], [...map.values()]);
    parts.push([`${name}.text`, t.text], [`${name}.starts`, t.starts], [`${name}.slots`, t.slots], [`${name}.values`, t.values]);
  };
  addTable('names', top.rank);
  addTable('prefixCore', search.prefixCore);
  addTable('skeletons', search.skeletons);
  addTable('wordTypoTargets', search.wordTypoTargets);
  parts.push(
    ['targets', targetNames],
    ['popularity', search.popularity],
    ['letters', search.letters],
    ['byLength', search.byLength.flatMap((bucket) => Array.from(bucket))],
    ['lengthStarts', startsOf(search.byLength)],
  );
  const sections = {} as Record<SectionName, [number, number]>;
  const chunks: Buffer[] = [];
  let at = 0;
  for (const [name, value] of parts) {
    if (typeof value === 'string' && /[^\x00-\x7f]/.test(value)) throw new Error(`ranking: ${name} holds a character that is not ASCII`);
    const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(Int32Array.from(value).buffer);
    const padded = Buffer.alloc((bytes.length + 3) & ~3);
    bytes.copy(padded);
    sections[name] = [at, bytes.length];
    chunks.push(padded);
    at += padded.length;
  }
  const header: RankingHeader = {
    format: FORMAT,
    source: sha256Hex(tsv),
    protectedNames: [...PROTECTED_NAMES],
    namespaces: search.namespaces,
    sections,
  };
  const line = Buffer.from(`${JSON.stringify(header).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`, 'latin1');
  const head = Buffer.alloc((line.length + 3) & ~3, 0x20);
  line.copy(head);
  return Buffer.concat([head, ...chunks]);
}
