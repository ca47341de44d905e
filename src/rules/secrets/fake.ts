
import { bech32Checksum } from './validity.ts';

/**
 * Builders of fake credentials for examples and tests. Nothing here is a real token: values are
 * random, assembled at run time, so no scanner ever finds a literal in this repository.
 */
export const CHARSETS = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upperDigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lowerDigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  upperHex: '0123456789ABCDEF',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  digits: '0123456789',
} as const;

/**
 * A seeded generator (mulberry32), so every test run sees the same fake values: a rare draw that
 * happens to be low in entropy cannot make a test flaky. GITWARD_FAKE_SEED picks another sequence
 * (to explore more values); each test file runs in its own process from the same seed.
 */
let state = Number(process.env.GITWARD_FAKE_SEED ?? 0x6177617264) >>> 0;
function nextRandom(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function randomFrom(charset: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[Math.floor(nextRandom() * charset.length)];
  return out;
}

/** Joins pieces, so that a prefix and its body never stand together in the source. */
export function join(...pieces: string[]): string {
  return pieces.join('');
}

export const fake = {
  alnum: (n: number) => randomFrom(CHARSETS.alnum, n),
  hex: (n: number) => randomFrom(CHARSETS.hex, n),
  upperHex: (n: number) => randomFrom(CHARSETS.upperHex, n),
  upper: (n: number) => randomFrom(CHARSETS.upperDigits, n),
  lower: (n: number) => randomFrom(CHARSETS.lowerDigits, n),
  base64: (n: number) => randomFrom(CHARSETS.base64, n),
  base64url: (n: number) => randomFrom(CHARSETS.base64url, n),
  digits: (n: number) => randomFrom(CHARSETS.digits, n),
};

/** More builders for generated examples (kept separate so the original API stays unchanged). */
export const fakeMore = {
  uuid: () => [fake.hex(8), fake.hex(4), join('4', fake.hex(3)), join('a', fake.hex(3)), fake.hex(12)].join('-'),
  lowerAlpha: (n: number) => randomFrom('abcdefghijklmnopqrstuvwxyz', n),
  alpha: (n: number) => randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', n),
  /** Upper-case base32 (the AWS key id body). */
  base32: (n: number) => randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', n),
  /** base64 text of n random bytes, standard alphabet with padding. */
  b64bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(nextRandom() * 256))).toString('base64'),
  b64urlJson: (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url'),
  /** A JWT whose header and payload decode to JSON objects, with a random signature. */
  jwt: (payload: Record<string, unknown> = { sub: fake.hex(12), exp: 1999999999 }) =>
    [fakeMore.b64urlJson({ alg: 'HS256', typ: 'JWT' }), fakeMore.b64urlJson(payload), fake.base64url(43)].join('.'),
  /** An age secret key: 32 random bytes in Bech32 with a valid checksum. */
  ageKey: () => {
    const bytes = Array.from({ length: 32 }, () => Math.floor(nextRandom() * 256));
    const data: number[] = [];
    let acc = 0;
    let bits = 0;
    for (const b of bytes) {
      acc = (acc << 8) | b;
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        data.push((acc >>> bits) & 31);
      }
    }
    if (bits > 0) data.push((acc << (5 - bits)) & 31);
    const hrp = join('age-secret', '-key-');
    const body = data.map((d) => 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'[d]).join('') + bech32Checksum(hrp, data);
    return `${hrp}1${body}`.toUpperCase();
  },
  /** A PyPI token: "pypi-" and a version-2 binary macaroon (location, identifier, a caveat, signature). */
  pypiToken: (location: string) => {
    const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
    const random = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(nextRandom() * 256)));
    const caveat = Buffer.from(JSON.stringify({ version: 1, permissions: 'user' }));
    const bytes = Buffer.concat([
      Buffer.from([2]), field(1, Buffer.from(location)), field(2, random(37)), Buffer.from([0]),
      field(2, caveat), Buffer.from([0, 0]), field(6, random(32)),
    ]);
    return join('py', 'pi-', bytes.toString('base64url'));
  },
};
