import { randomBytes } from 'node:crypto';

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

export function randomFrom(charset: string, length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += charset[bytes.readUInt16LE(i * 2) % charset.length];
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
  b64bytes: (n: number) => randomBytes(n).toString('base64'),
  b64urlJson: (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url'),
};
