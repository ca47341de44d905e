// The NumPy .npy header: magic, version, a Python-literal dict with the dtype. An array whose
// dtype holds objects ('|O', or 'O' inside a structured dtype) is stored as a pickle after it.

export interface NpyHeader {
  /** The dtype description as written (e.g. `'<f8'`, `'|O'`, `[('a', '|O')]`). */
  descr: string;
  objects: boolean;
  /** Where the array data (or the pickle, for objects) begins. */
  dataOffset: number;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export function isNpy(head: Buffer): boolean {
  return head.length >= 6 && head.subarray(0, 6).equals(MAGIC);
}

export function parseNpyHeader(buf: Buffer): NpyHeader | null {
  if (!isNpy(buf) || buf.length < 10) return null;
  const major = buf[6];
  const lengthSize = major === 1 ? 2 : 4;
  if (buf.length < 8 + lengthSize) return null;
  const headerLength = lengthSize === 2 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = 8 + lengthSize;
  const header = buf.toString('latin1', start, Math.min(buf.length, start + headerLength));
  const match = /['"]descr['"]\s*:\s*(\[.*\]|'[^']*'|"[^"]*")/s.exec(header);
  if (!match) return null;
  const descr = match[1];
  // Any field type code 'O' (object), with or without a byte-order character.
  const objects = /['"][|<>=]?O\d*['"]/.test(descr);
  return { descr, objects, dataOffset: start + headerLength };
}
