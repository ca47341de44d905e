// Judges a file's bytes: a raw pickle, a zip holding pickles (PyTorch), a NumPy object array, or a
// compressed pickle. Loaded lazily by the detector; pure function of the bytes it is given.
import { gunzipSync, inflateSync } from 'node:zlib';
import { looksLikePickleStart, parsePickle, type PickleScan } from './parser.ts';
import { isNpy, parseNpyHeader } from './npy.ts';
import { isZip, listZip, readEntry, type FileWindow } from './zip.ts';

export type ContainerKind = 'raw' | 'zip' | 'npy' | 'compressed';

export interface FoundPickle {
  /** Where in the file: '' for the file itself, or the archive entry's name. */
  where: string;
  container: ContainerKind;
  /** null when the pickle's bytes could not be reached (beyond what was read, or an unknown compression). */
  scan: PickleScan | null;
  /** Why the content is incomplete or could not be read. */
  note: string | null;
  /** The NumPy dtype, for object arrays. */
  descr?: string;
}

export interface Inspection {
  pickles: FoundPickle[];
  /** An archive whose listing could not be read completely. */
  note: string | null;
}

export interface InspectOptions {
  /** The name says pickle: a stream that starts like one but breaks is reported as malformed. */
  strongName: boolean;
  /** Cap on bytes decompressed or read from one entry. */
  maxBytes: number;
  /** The file is larger than the bytes held. */
  cut: boolean;
}

const PICKLE_ENTRY = /\.(pkl|pickle|pck|pcl|joblib|dill)$/i;
const NPY_ENTRY = /\.npy$/i;

export function inspect(file: FileWindow, options: InspectOptions): Inspection {
  const head = file.head;
  if (isZip(head)) return inspectZip(file, options);
  if (isNpy(head)) return { pickles: inspectNpy(head, '', 'npy', options.cut), note: null };
  const compression = compressionOf(head);
  if (compression && options.strongName) return { pickles: [inspectCompressed(head, compression, options)], note: null };
  if (!looksLikePickleStart(head)) return { pickles: [], note: null };
  const scan = parsePickle(head);
  if (!options.strongName && !plausible(scan, head, options.cut)) return { pickles: [], note: null };
  return { pickles: [{ where: '', container: 'raw', scan, note: options.cut && scan.truncated ? 'larger than the bytes inspected' : null }], note: null };
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
function plausible(scan: PickleScan, head: Buffer, cut: boolean): boolean {
  if (scan.error) return false;
  if (scan.truncated) return cut && head[0] === 0x80 && scan.opcodes > 8;
  if (scan.opcodes < 2) return false;
  const rest = head.subarray(scan.end);
  return rest.length === 0 || rest[0] === 0x80 || /^\s*$/.test(rest.toString('latin1'));
}

function inspectZip(file: FileWindow, options: InspectOptions): Inspection {
  const listing = listZip(file);
  if (!listing && options.strongName === false) {
    const local = localPickles(file.head);
    if (local.length > 0) return { pickles: local, note: 'the archive directory was not within the bytes inspected' };
  }
  if (!listing) return { pickles: [], note: options.strongName ? 'a zip archive whose directory could not be read' : null };
  const pickles: FoundPickle[] = [];
  for (const entry of listing.entries) {
    if (PICKLE_ENTRY.test(entry.name)) {
      const read = readEntry(file, entry, options.maxBytes);
      if (read.unreachable) {
        pickles.push({ where: entry.name, container: 'zip', scan: null, note: 'its data lies beyond the bytes inspected' });
        continue;
      }
      const scan = parsePickle(read.data);
      pickles.push({ where: entry.name, container: 'zip', scan, note: read.partial && scan.truncated ? 'only its first bytes were inspected' : null });
    } else if (NPY_ENTRY.test(entry.name)) {
      const read = readEntry(file, entry, options.maxBytes);
      if (read.unreachable) continue;
      pickles.push(...inspectNpy(read.data, entry.name, 'zip', read.partial));
    }
  }
  if (listing.incomplete && pickles.length === 0) pickles.push(...localPickles(file.head));
  const note = listing.incomplete ? 'the archive directory was not fully within the bytes inspected' : null;
  return { pickles, note };
}

function inspectNpy(buf: Buffer, where: string, container: ContainerKind, cut: boolean): FoundPickle[] {
  const header = parseNpyHeader(buf);
  if (!header || !header.objects) return [];
  if (header.dataOffset >= buf.length) {
    return [{ where, container: container === 'zip' ? 'zip' : 'npy', scan: null, note: 'its object data lies beyond the bytes inspected', descr: header.descr }];
  }
  const scan = parsePickle(buf, header.dataOffset);
  return [{ where, container: container === 'zip' ? 'zip' : 'npy', scan, note: cut && scan.truncated ? 'only its first bytes were inspected' : null, descr: header.descr }];
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

function inspectCompressed(head: Buffer, compression: Compression, options: InspectOptions): FoundPickle {
  const unreadable: FoundPickle = { where: '', container: 'compressed', scan: null, note: `${compression}-compressed; its content could not be inspected` };
  if (compression !== 'gzip' && compression !== 'zlib') return unreadable;
  const inflate = compression === 'gzip' ? gunzipSync : inflateSync;
  for (let input = head; input.length > 0; input = input.subarray(0, Math.floor(input.length / 8))) {
    try {
      const data = inflate(input, { maxOutputLength: options.maxBytes, finishFlush: 2 });
      const scan = parsePickle(data);
      return { where: '', container: 'compressed', scan, note: scan.truncated ? `${compression}-compressed; only its first bytes were inspected` : `${compression}-compressed` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return unreadable;
    }
  }
  return unreadable;
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
      const scan = parsePickle(head, dataStart);
      out.push({ where: name, container: 'zip', scan, note: scan.truncated ? 'only its first bytes were inspected' : null });
    }
    if (compressed === 0 || compressed === 0xffffffff) break; // sizes in a data descriptor: cannot step on
    p = dataStart + compressed;
  }
  return out;
}
