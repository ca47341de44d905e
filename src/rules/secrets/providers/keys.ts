import { prefixed } from '../provider.ts';
import { fake, fakeMore, join, randomFrom } from '../fake.ts';
import { rule, type LazyRule } from './define.ts';
import { isAgeSecretKey, isBase64Jwt, isJwt } from '../validity.ts';

const DASHES = '-----';

/** A private key block's first line; the detector also requires key material to follow. */
export const PRIVATE_KEY_RULE_ID = 'secret.private-key';

/** Key material and self-describing tokens. */
export const keyProviders: LazyRule[] = [
  () => rule(
    'private-key',
    'Private key block (PEM, OpenSSH, PGP)',
    ['private key'],
    /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/,
    [
      () => `${join(DASHES, 'BEGIN RSA ', 'PRIVATE KEY', DASHES)}\\n${fakeMore.b64bytes(48)}`,
      () => `key = "${join(DASHES, 'BEGIN OPENSSH ', 'PRIVATE KEY', DASHES)}\\n${fakeMore.b64bytes(70)}"`,
    ],
    ['-----BEGIN PUBLIC KEY-----', `if line.startswith("${join('-----BEGIN RSA ', 'PRIVATE KEY-----')}"):`],
    { rotate: 'Treat the key pair as compromised: replace it and remove the public half wherever it is trusted.' },
  ),
  () => rule(
    'putty-private-key',
    'PuTTY private key file',
    ['putty-user-key-file-'],
    /^PuTTY-User-Key-File-[23]: (?<secret>[a-z0-9-]{3,40})/,
    () => join('PuTTY-User-', 'Key-File-3: ssh-ed25519'),
    ['# PuTTY-User-Key-File-2 is the header of a ppk file'],
    { rotate: 'Replace the key pair and remove the old public key from authorized_keys.' },
  ),
  () => rule(
    'age-secret-key',
    'age secret key',
    ['age-secret-key-1'],
    prefixed('AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'),
    [() => fakeMore.ageKey(), () => `AGE_KEY="${fakeMore.ageKey()}"`],
    // Bech32: the last six characters are a checksum, which a made-up key fails.
    ['# AGE-SECRET-KEY-1 prefix', join('AGE-SECRET', '-KEY-1', randomFrom('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58))],
    { minEntropy: 3.5, valid: isAgeSecretKey },
  ),
  () => rule(
    'jwt-base64',
    'JSON Web Token inside base64',
    ['zxlk'],
    // base64 of "eyJ" is "ZXlK"; the rule decodes the value and checks the JWT inside it.
    prefixed('ZXlK[A-Za-z0-9+/_-]{40,4096}={0,2}'),
    [() => `  token: ${Buffer.from(fakeMore.jwt()).toString('base64')}`, () => `AUTH_BLOB="${Buffer.from(fakeMore.jwt({ iss: 'svc', n: fake.alnum(9) })).toString('base64url')}"`],
    [`x = "${Buffer.from(join('eyJ', 'not a token at all, only text that starts like one')).toString('base64')}"`],
    { minEntropy: 3.5, valid: isBase64Jwt, rotate: 'Revoke the session or rotate the signing key; the token is valid until it expires.' },
  ),
];

/** JSON Web Tokens: the table's last row, so that every more specific format on the same span wins. */
export const jwtProvider: LazyRule = () =>
  rule(
    'jwt',
    'JSON Web Token',
    ['eyj'],
    prefixed(String.raw`eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{10,1000}`),
    () =>
      `Authorization: Bearer ${join(fakeMore.b64urlJson({ alg: 'HS256', typ: 'JWT' }), '.', fakeMore.b64urlJson({ sub: fake.hex(12), exp: 1999999999, role: 'service' }), '.', fake.base64url(43))}`,
    // Header and payload must decode to JSON objects: a look-alike that does not is no JWT.
    ['token = "eyJhbGciOi..."', 'eyJ', `t = "${join('eyJhbGciOieee', fake.base64url(20), '.eyJ', fake.base64url(40), '.', fake.base64url(43))}"`],
    { minEntropy: 3.5, valid: isJwt, rotate: 'Revoke the session or rotate the signing key; the token is valid until it expires.' },
  );
