/**
 * Offline checks of token formats that carry their own structure: a value that fails its
 * format's check was never issued by that provider (a made-up test value, a truncated copy), so
 * the provider's rule does not report it. Called only on a pattern's match, never per line.
 */

let crcTable: Int32Array | null = null;

/** CRC-32 (IEEE, the zlib one) of a string's bytes (Latin-1: the callers pass ASCII). */
export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A number in base 62 (digits, upper, lower), left-padded with zeros to `width`. */
export function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  do {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and npm's tokens (npm_): 30 random
 * base62 characters after the 4-character prefix, then the CRC-32 of those 30 in 6 base62
 * characters (GitHub's and npm's published token formats, 2021).
 */
export function hasBase62Checksum(token: string): boolean {
  if (token.length !== 40) return false;
  return base62(crc32(token.slice(4, 34)), 6) === token.slice(34);
}

/** Builds a token with a valid checksum from a prefix and 30 random characters (tests, examples). */
export function withBase62Checksum(prefix: string, random30: string): string {
  return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}

function decodeJson(part: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JWT: header and payload are base64url JSON objects (RFC 7519); the signature is not checked. */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length < 3) return false;
  return isObject(decodeJson(parts[0]!)) && isObject(decodeJson(parts[1]!));
}

/** A JWT written in base64 (Kubernetes secrets, config blobs): decodes to one that passes isJwt. */
export function isBase64Jwt(value: string): boolean {
  const text = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  const m = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/.exec(text);
  return m !== null && isJwt(m[0]);
}

/**
 * A PyPI token is "pypi-" and a base64url macaroon (version 2 binary form): a version byte 2, a
 * location field (type 1) naming the index, an identifier field (type 2), and the 32-byte
 * signature field (type 6) at the end.
 */
export function isPypiMacaroon(token: string): boolean {
  const bytes = Buffer.from(token.slice(5), 'base64url');
  if (bytes.length < 60 || bytes[0] !== 2 || bytes[1] !== 1) return false;
  const location = bytes.subarray(3, 3 + bytes[2]!).toString('latin1');
  if (location !== 'pypi.org' && location !== 'test.pypi.org') return false;
  if (bytes[3 + bytes[2]!] !== 2) return false;
  // The signature: type 6, length 32, 32 bytes, at the very end.
  return bytes[bytes.length - 34] === 6 && bytes[bytes.length - 33] === 32;
}

/**
 * Filler of example keys: six characters in a row that count up (`abcdef`, `123456`, `klmnop`).
 * A random key holds such a run about once in ten million.
 */
export function hasCountingRun(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/** Not example filler (see hasCountingRun). */
export function notCountingFiller(value: string): boolean {
  return !hasCountingRun(value);
}

/** Random keys of this length always hold a digit; identifiers and words do not. */
export function hasDigit(value: string): boolean {
  return /\d/.test(value);
}

/** Formats issued in lower case only (the keyed pattern itself ignores case for the name). */
export function isLowerCase(value: string): boolean {
  return value === value.toLowerCase();
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Polymod(values: number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

/** The six Bech32 (BIP-173) checksum characters for a human-readable part and 5-bit data. */
export function bech32Checksum(hrp: string, data: number[]): string {
  const mod = bech32Polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = '';
  for (let i = 0; i < 6; i++) out += BECH32[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/** An age secret key is Bech32 with the prefix AGE-SECRET-KEY-: its last six characters are a checksum. */
export function isAgeSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  const sep = lower.lastIndexOf('1');
  const data = [...lower.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (sep < 1 || data.some((d) => d < 0)) return false;
  return bech32Polymod([...hrpExpand(lower.slice(0, sep)), ...data]) === 1;
}
