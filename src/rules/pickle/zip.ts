// Just enough of the zip format to list an archive's entries from its central directory (found
// from the end of the file) and to read an entry's data when it lies within the bytes we hold.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipListing {
  entries: ZipEntry[];
  /** The central directory was not (fully) within the bytes read. */
  incomplete: boolean;
}

/** A window on a large file: the head (from offset 0) and the tail (ending at `size`). */
export interface FileWindow {
  size: number;
  head: Buffer;
  tail: Buffer | null;
}

/** Bytes [offset, offset+length) if they are inside the head or the tail, else null. */
export function slice(file: FileWindow, offset: number, length: number): Buffer | null {
  if (offset >= 0 && offset + length <= file.head.length) return file.head.subarray(offset, offset + length);
  if (file.tail) {
    const tailStart = file.size - file.tail.length;
    if (offset >= tailStart && offset + length <= file.size) return file.tail.subarray(offset - tailStart, offset - tailStart + length);
  }
  return null;
}

/** The last bytes of the file we hold (the tail, or the head when it is the whole file). */
function ending(file: FileWindow): { buf: Buffer; start: number } {
  if (file.tail) return { buf: file.tail, start: file.size - file.tail.length };
  return { buf: file.head, start: 0 };
}

export function isZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}

export function listZip(file: FileWindow, maxEntries = 100_000): ZipListing | null {
  const { buf, start } = ending(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) return null;
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let zip64 = false;
  // Zip64: the locator sits just before the end record and points at the zip64 end record.
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) {
    const recordAt = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    const record = slice(file, recordAt, 56);
    if (record && record.readUInt32LE(0) === 0x06064b50) {
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
      zip64 = true;
    }
  }
  // A self-extracting or prefixed archive shifts offsets; the end record tells by how much.
  const shift = zip64 ? 0 : Math.max(0, start + eocd - (cdOffset + cdSize));
  const cd = slice(file, cdOffset + shift, cdSize);
  if (!cd) return { entries: [], incomplete: true };
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && entries.length < Math.min(count, maxEntries)) {
    if (cd.readUInt32LE(p) !== 0x02014b50) return { entries, incomplete: true };
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    // Zip64 extra field: the 64-bit values, in order, for each field that is 0xFFFFFFFF.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd && e + 4 <= cd.length) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const read64 = () => {
          const v = q + 8 <= cd.length ? Number(cd.readBigUInt64LE(q)) : 0;
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = read64();
        if (compressedSize === 0xffffffff) compressedSize = read64();
        if (localOffset === 0xffffffff) localOffset = read64();
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, compressedSize, size, localOffset: localOffset + shift });
    p = extraEnd + commentLength;
  }
  return { entries, incomplete: entries.length < count };
}

export interface EntryData {
  /** The (decompressed) leading bytes of the entry we could get. */
  data: Buffer;
  /** Less than the whole entry: it lies beyond the bytes read, or is longer than the cap. */
  partial: boolean;
  /** The entry's data is not within the bytes read at all. */
  unreachable: boolean;
}

/** Up to `cap` bytes of an entry's data (stored or deflated). */
export function readEntry(file: FileWindow, entry: ZipEntry, cap: number): EntryData {
  const header = slice(file, entry.localOffset, 30);
  if (!header || header.readUInt32LE(0) !== 0x04034b50) return { data: Buffer.alloc(0), partial: true, unreachable: true };
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const want = Math.min(entry.compressedSize, entry.method === 0 ? cap : entry.compressedSize);
  let raw = slice(file, dataStart, want);
  let partial = false;
  if (!raw) {
    // Take what the head holds of it.
    if (dataStart >= file.head.length) return { data: Buffer.alloc(0), partial: true, unreachable: true };
    raw = file.head.subarray(dataStart);
    partial = true;
  }
  if (entry.method === 0) return { data: raw, partial: partial || entry.size > raw.length, unreachable: false };
  if (entry.method === 8) {
    // Inflate less input when the output would pass the cap (Z_SYNC_FLUSH tolerates a cut stream).
    for (let input = raw; input.length > 0; input = input.subarray(0, Math.floor(input.length / 8))) {
      try {
        const data = inflateRawSync(input, { maxOutputLength: cap, finishFlush: 2 });
        return { data, partial: partial || input !== raw || data.length < entry.size, unreachable: false };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') break;
      }
    }
    return { data: Buffer.alloc(0), partial: true, unreachable: false };
  }
  return { data: Buffer.alloc(0), partial: true, unreachable: true };
}
