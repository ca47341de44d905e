// Judges a file's bytes: a raw pickle (or several back to back), an archive (zip, tar, gzip) whose
// members are judged by content whatever their names, a NumPy object array, or a compressed pickle.
// Loaded lazily by the detector; pure function of the bytes it is given. The walk into archives is
// bounded (members, bytes inflated, nesting depth) and a bound reached is reported, never a pass.
import { gunzipSync, inflateSync } from 'node:zlib';
import { looksLikePickleStart, parsePickles, type PickleSequence } from './parser.ts';
import { isNpy, parseNpyHeader } from './npy.ts';
import { isZip, listZip, readEntry, type FileWindow, type ZipEntry } from './zip.ts';
import { isTar, listTar } from './tar.ts';

export type ContainerKind = 'raw' | 'zip' | 'tar' | 'npy' | 'compressed';

export interface FoundPickle {
  /** Where in the file: '' for the file itself, or the archive member (`outer.zip > inner/data.pkl` when nested). */
  where: string;
  /** 'zip'/'tar' for a pickle inside an archive (the outermost one), else how the file itself holds it. */
  container: ContainerKind;
  /** null when the pickle's bytes could not be reached (beyond what was read, or an unknown compression). */
  scan: PickleSequence | null;
  /** Why the content is incomplete or could not be read. */
  note: string | null;
  /** The NumPy dtype, for object arrays. */
  descr?: string;
}

/** An archive gitward cannot open (7z, rar, an encrypted or oddly compressed member) named like a model. */
export interface Unopened {
  where: string;
  what: string;
}

export interface Inspection {
  pickles: FoundPickle[];
  /** An archive whose listing could not be read completely. */
  note: string | null;
  /** Bounds reached while walking archives (a zip bomb, or more than gitward looks at): each is a finding. */
  limits: string[];
  unopened: Unopened[];
}

export interface InspectOptions {
  /** The name says pickle: a stream that starts like one but breaks is reported as malformed. */
  strongName: boolean;
  /** Cap on bytes decompressed or read from one entry. */
  maxBytes: number;
  /** The file is larger than the bytes held. */
  cut: boolean;
  /** The file's name (for an archive gitward cannot open: warn only when it is named like a model). */
  name?: string;
}

/** Bounds of the walk into archives (all levels together). */
export const ARCHIVE_BOUNDS = {
  members: 10_000,
  /** Bytes gitward inflates in all (zip members, gzip streams). */
  inflatedBytes: 256 * 1024 * 1024,
  /** Archives inside archives (a gzip stream counts as a level). */
  depth: 4,
  /** Declared uncompressed bytes beyond which a high compression ratio reads as a bomb. */
  bombBytes: 1024 * 1024 * 1024,
  bombRatio: 100,
} as const;

const PICKLE_ENTRY = /\.(pkl|pickle|pck|pcl|joblib|dill)$/i;
const MODEL_LIKE = /\.(pkl|pickle|pck|pcl|joblib|dill|pt|pth|ckpt|bin|p|sav|npy|npz|model|mar|pt2|h5|keras|onnx|safetensors|7z|rar|zip)$/i;
const SNIFF = 512;
/**
 * What is read of a zip member to judge its kind. A deflated member cut at a cap comes out shorter
 * than the cap (the input is cut until its output fits), so this is well above the 512 bytes a tar
 * header needs.
 */
const SNIFF_ENTRY = 64 * 1024;

interface Walk {
  options: InspectOptions;
  out: Inspection;
  members: number;
  inflated: number;
  stopped: boolean;
}

function limit(walk: Walk, text: string): void {
  if (!walk.out.limits.includes(text)) walk.out.limits.push(text);
  walk.stopped = true;
}

function joinWhere(where: string, name: string): string {
  return where === '' ? name : `${where} > ${name}`;
}

export function inspect(file: FileWindow, options: InspectOptions): Inspection {
  const walk: Walk = { options, out: { pickles: [], note: null, limits: [], unopened: [] }, members: 0, inflated: 0, stopped: false };
  const head = file.head;
  if (isZip(head)) inspectZip(walk, file, '', 0, options.cut, 'zip');
  else if (isTar(head)) inspectTar(walk, head, '', 0, options.cut, 'tar');
  else if (unopenable(head)) {
    if (MODEL_LIKE.test(options.name ?? '') || options.strongName) walk.out.unopened.push({ where: '', what: unopenable(head)! });
  } else if (isNpy(head)) walk.out.pickles.push(...inspectNpy(head, '', 'npy', options.cut));
  else {
    const compression = compressionOf(head);
    if (compression) inspectCompressed(walk, head, compression, '', 0, options.strongName, 'compressed');
    else inspectPickle(walk, head, '', 'raw', options.strongName, options.cut);
  }
  return walk.out;
}

/**
 * True when an inspection of the first bytes of a file is the one a read of `limit` bytes would
 * give: a raw pickle whose stream ran out at an opcode needing bytes beyond the limit.
 */
export function settledEarly(result: Inspection, limit: number): boolean {
  const only = result.pickles.length === 1 ? result.pickles[0] : undefined;
  return only !== undefined && only.container === 'raw' && only.scan !== null && only.scan.truncated && only.scan.needs > limit;
}

/** Without a pickle name, only a stream that parses cleanly (or runs valid to the cut) counts. */
function plausible(scan: PickleSequence, head: Buffer, cut: boolean): boolean {
  if (scan.pickles > 1) return true; // pickles back to back: no accident
  if (scan.error) return false;
  if (scan.truncated) return cut && head[0] === 0x80 && scan.opcodes > 8;
  if (scan.opcodes < 2) return false;
  const rest = head.subarray(scan.firstEnd);
  return rest.length === 0 || rest[0] === 0x80 || /^\s*$/.test(rest.toString('latin1'));
}

/** Bytes that may be a pickle: every pickle in them, or nothing when they are not one. */
function inspectPickle(walk: Walk, data: Buffer, where: string, container: ContainerKind, strongName: boolean, cut: boolean): void {
  if (!strongName && !looksLikePickleStart(data)) return;
  const scan = parsePickles(data);
  if (!strongName && !plausible(scan, data, cut)) return;
  const note = cut && scan.truncated ? (where === '' && container === 'raw' ? 'larger than the bytes inspected' : 'only its first bytes were inspected') : null;
  walk.out.pickles.push({ where, container, scan, note });
}

/**
 * Judges one archive member (or decompressed stream) by its content, whatever its name. `container`
 * is what a pickle found in it is reported under: the outermost archive's kind.
 */
function inspectMember(walk: Walk, data: Buffer, where: string, container: ContainerKind, depth: number, strongName: boolean, cut: boolean): void {
  const compression = compressionOf(data);
  if (isZip(data) || isTar(data) || compression) {
    if (depth + 1 > ARCHIVE_BOUNDS.depth) return limit(walk, `archives nested more than ${ARCHIVE_BOUNDS.depth} deep${where ? ` (at ${where})` : ''}`);
    const inArchive = container === 'zip' || container === 'tar';
    if (isZip(data)) inspectZip(walk, { size: data.length, head: data, tail: null }, where, depth + 1, cut, inArchive ? container : 'zip');
    else if (isTar(data)) inspectTar(walk, data, where, depth + 1, cut, inArchive ? container : 'tar');
    else inspectCompressed(walk, data, compression!, where, depth + 1, strongName, container);
    return;
  }
  const unopened = unopenable(data);
  if (unopened) {
    walk.out.unopened.push({ where, what: unopened });
    return;
  }
  if (isNpy(data)) {
    walk.out.pickles.push(...inspectNpy(data, where, container, cut));
    return;
  }
  inspectPickle(walk, data, where, container, strongName, cut);
}

function interesting(data: Buffer, strongName: boolean): boolean {
  return strongName || isZip(data) || isTar(data) || compressionOf(data) !== null || unopenable(data) !== null || isNpy(data) || looksLikePickleStart(data);
}

function inspectZip(walk: Walk, file: FileWindow, where: string, depth: number, cut: boolean, container: ContainerKind): void {
  const options = walk.options;
  const top = where === '';
  const listing = listZip(file);
  if (!listing && top && options.strongName === false) {
    const local = localPickles(file.head);
    if (local.length > 0) {
      walk.out.pickles.push(...local);
      walk.out.note = 'the archive directory was not within the bytes inspected';
      return;
    }
  }
  if (!listing) {
    if (top && options.strongName) walk.out.note = 'a zip archive whose directory could not be read';
    return;
  }
  const found = walk.out.pickles.length;
  bombCheck(walk, listing.entries, where);
  for (const entry of listing.entries) {
    if (walk.stopped) return;
    if (entry.name.endsWith('/')) continue;
    if (++walk.members > ARCHIVE_BOUNDS.members) return limit(walk, `more than ${ARCHIVE_BOUNDS.members} archive members`);
    const at = joinWhere(where, entry.name);
    const strong = PICKLE_ENTRY.test(entry.name);
    if (entry.method !== 0 && entry.method !== 8) {
      if (MODEL_LIKE.test(entry.name)) walk.out.unopened.push({ where: at, what: `a zip member compressed with method ${entry.method}` });
      continue;
    }
    // The encrypted flag alone proves nothing: PyTorch's reader ignores it, so a member marked
    // encrypted but stored in the clear is read like any other. Truly encrypted bytes look random.
    const encrypted = (entry.flags & 1) !== 0;
    const sniff = readCounted(walk, file, entry, SNIFF_ENTRY);
    if (walk.stopped) return;
    if (sniff.unreachable) {
      if (strong) walk.out.pickles.push({ where: at, container, scan: null, note: 'its data lies beyond the bytes inspected' });
      continue;
    }
    if (!interesting(sniff.data, strong && !encrypted)) {
      if (encrypted && MODEL_LIKE.test(entry.name)) walk.out.unopened.push({ where: at, what: 'an encrypted zip member' });
      continue;
    }
    const read = sniff.partial ? readCounted(walk, file, entry, walk.options.maxBytes) : sniff;
    if (walk.stopped) return;
    inspectMember(walk, read.data, at, container, depth, strong, cut || read.partial);
  }
  if (top && listing.incomplete && walk.out.pickles.length === found) walk.out.pickles.push(...localPickles(file.head));
  if (top && listing.incomplete) walk.out.note = 'the archive directory was not fully within the bytes inspected';
}

/** An entry's data, counting the bytes inflated against the walk's bound. */
function readCounted(walk: Walk, file: FileWindow, entry: ZipEntry, want: number): { data: Buffer; partial: boolean; unreachable: boolean } {
  const left = ARCHIVE_BOUNDS.inflatedBytes - walk.inflated;
  const cap = Math.min(want, left);
  const read = readEntry(file, entry, Math.max(cap, 0));
  if (entry.method === 8) walk.inflated += read.data.length;
  if (entry.method === 8 && read.partial && cap < want) limit(walk, `more than ${ARCHIVE_BOUNDS.inflatedBytes / 1024 / 1024} MiB to decompress`);
  return read;
}

/** A listing whose declared sizes inflate past the bound at a high ratio reads as a zip bomb. */
function bombCheck(walk: Walk, entries: readonly ZipEntry[], where: string): void {
  let declared = 0;
  let compressed = 0;
  for (const e of entries) {
    if (e.method === 0) continue;
    declared += e.size;
    compressed += e.compressedSize;
  }
  if (declared > ARCHIVE_BOUNDS.bombBytes && declared > compressed * ARCHIVE_BOUNDS.bombRatio) {
    limit(walk, `a zip bomb${where ? ` (at ${where})` : ''}: ${Math.round(declared / 1024 / 1024)} MiB declared from ${Math.max(1, Math.round(compressed / 1024))} KiB`);
  }
}

function inspectTar(walk: Walk, data: Buffer, where: string, depth: number, cut: boolean, container: ContainerKind): void {
  const listing = listTar(data, ARCHIVE_BOUNDS.members - walk.members + 1);
  for (const member of listing.members) {
    if (walk.stopped) return;
    if (++walk.members > ARCHIVE_BOUNDS.members) return limit(walk, `more than ${ARCHIVE_BOUNDS.members} archive members`);
    const at = joinWhere(where, member.name);
    const strong = PICKLE_ENTRY.test(member.name);
    const end = member.offset + member.size;
    if (member.offset >= data.length) {
      if (strong) walk.out.pickles.push({ where: at, container, scan: null, note: 'its data lies beyond the bytes inspected' });
      continue;
    }
    const body = data.subarray(member.offset, Math.min(end, data.length));
    if (!interesting(body.subarray(0, SNIFF), strong)) continue;
    inspectMember(walk, body, at, container, depth, strong, cut || end > data.length);
  }
  if (listing.tooMany) limit(walk, `more than ${ARCHIVE_BOUNDS.members} archive members`);
}

function inspectNpy(buf: Buffer, where: string, container: ContainerKind, cut: boolean): FoundPickle[] {
  const header = parseNpyHeader(buf);
  if (!header || !header.objects) return [];
  const kind = container === 'raw' || container === 'compressed' ? 'npy' : container;
  if (header.dataOffset >= buf.length) {
    return [{ where, container: kind, scan: null, note: 'its object data lies beyond the bytes inspected', descr: header.descr }];
  }
  const scan = parsePickles(buf, header.dataOffset);
  return [{ where, container: kind, scan, note: cut && scan.truncated ? 'only its first bytes were inspected' : null, descr: header.descr }];
}

type Compression = 'gzip' | 'zlib' | 'bzip2' | 'xz' | 'lz4';

function compressionOf(head: Buffer): Compression | null {
  if (head.length < 4) return null;
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x78 && (head[0] * 256 + head[1]) % 31 === 0) return 'zlib';
  if (head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  if (head[0] === 0xfd && head.toString('latin1', 1, 6) === '7zXZ\0') return 'xz';
  if (head.readUInt32LE(0) === 0x184d2204) return 'lz4';
  return null;
}

/** 7z and rar: archive formats gitward does not open. */
function unopenable(head: Buffer): string | null {
  if (head.length >= 6 && head[0] === 0x37 && head[1] === 0x7a && head[2] === 0xbc && head[3] === 0xaf && head[4] === 0x27 && head[5] === 0x1c) return 'a 7z archive';
  if (head.length >= 7 && head.toString('latin1', 0, 7) === 'Rar!\x1a\x07\x00') return 'a rar archive';
  if (head.length >= 8 && head.toString('latin1', 0, 8) === 'Rar!\x1a\x07\x01\x00') return 'a rar archive';
  return null;
}

/**
 * A gzip or zlib stream, decompressed (bounded) and judged by content: a tar (`.tar.gz`), a pickle
 * (`.pkl.gz`), … Other compressions are reported only when the name says pickle; so is a stream
 * that does not decompress (any binary file may start like zlib by chance).
 */
function inspectCompressed(walk: Walk, head: Buffer, compression: Compression, where: string, depth: number, strongName: boolean, container: ContainerKind): void {
  const unreadable = () => {
    if (strongName) walk.out.pickles.push({ where, container, scan: null, note: `${compression}-compressed; its content could not be inspected` });
  };
  if (compression !== 'gzip' && compression !== 'zlib') return unreadable();
  const inflate = compression === 'gzip' ? gunzipSync : inflateSync;
  const cap = Math.min(walk.options.maxBytes, ARCHIVE_BOUNDS.inflatedBytes - walk.inflated);
  for (let input = head; input.length > 0; input = input.subarray(0, Math.floor(input.length / 8))) {
    try {
      const data = inflate(input, { maxOutputLength: Math.max(cap, 1), finishFlush: 2 });
      walk.inflated += data.length;
      if (data.length === 0) return unreadable();
      const partial = input !== head || data.length >= cap;
      if (partial && cap < walk.options.maxBytes) return limit(walk, `more than ${ARCHIVE_BOUNDS.inflatedBytes / 1024 / 1024} MiB to decompress`);
      const before = walk.out.pickles.length;
      inspectMember(walk, data, where, container, depth, strongName, partial);
      // A compressed pickle (`.pkl.gz`) says so; a pickle in a compressed archive is the archive's.
      for (const found of walk.out.pickles.slice(before)) {
        if (found.where === where && found.container === 'compressed' && found.descr === undefined) {
          found.note = found.scan?.truncated ? `${compression}-compressed; only its first bytes were inspected` : `${compression}-compressed`;
        }
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return unreadable();
    }
  }
  unreadable();
}

/**
 * When the central directory is out of reach (a checkpoint with thousands of tensors), walk the
 * local headers at the start of the file: PyTorch writes its `data.pkl` entry first, stored uncompressed.
 */
function localPickles(head: Buffer): FoundPickle[] {
  const out: FoundPickle[] = [];
  let p = 0;
  for (let n = 0; n < 64 && p + 30 <= head.length && head.readUInt32LE(p) === 0x04034b50; n++) {
    const method = head.readUInt16LE(p + 8);
    const compressed = head.readUInt32LE(p + 18);
    const nameLength = head.readUInt16LE(p + 26);
    const name = head.toString('utf8', p + 30, p + 30 + nameLength);
    const dataStart = p + 30 + nameLength + head.readUInt16LE(p + 28);
    if (PICKLE_ENTRY.test(name) && method === 0 && dataStart < head.length) {
      const scan = parsePickles(head, dataStart);
      out.push({ where: name, container: 'zip', scan, note: scan.truncated ? 'only its first bytes were inspected' : null });
    }
    if (compressed === 0 || compressed === 0xffffffff) break; // sizes in a data descriptor: cannot step on
    p = dataStart + compressed;
  }
  return out;
}
