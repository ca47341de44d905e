import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fake, fakeMore, join } from '../src/rules/secrets/fake.ts';
import { scanLineForTest } from '../src/rules/secrets/detector.ts';
import { crc32, hasBase62Checksum, hasCountingRun, isAgeSecretKey, isBase64Jwt, isJwt, isPypiMacaroon, withBase62Checksum } from '../src/rules/secrets/validity.ts';

const idsOf = (line: string, path?: string) => scanLineForTest(line, path).map((f) => f.rule.id);

test('crc32 is the zlib CRC-32', () => {
  assert.equal(crc32('The quick brown fox jumps over the lazy dog'), 0x414fa339);
  assert.equal(crc32(''), 0);
});

test('GitHub and npm tokens: a valid checksum is reported by the provider rule, a broken one is not', () => {
  for (const [prefix, id] of [['ghp', 'secret.github-pat'], ['gho', 'secret.github-oauth-token'], ['ghs', 'secret.github-app-installation-token'], ['npm', 'secret.npm-access-token']] as const) {
    const token = withBase62Checksum(join(prefix, '_'), fake.alnum(30));
    assert.ok(hasBase62Checksum(token));
    assert.ok(idsOf(`value ${token} end`).includes(id), `${id} missed a valid token`);
    // One character changed in the random part: the checksum no longer holds.
    const broken = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    assert.ok(!hasBase62Checksum(broken));
    assert.ok(!idsOf(`value ${broken} end`).includes(id), `${id} reported a token whose checksum fails`);
  }
});

test('a GitHub token that fails its checksum is still a generic credential when assigned to a token name', () => {
  const broken = join('gh', 'p_', fake.alnum(36));
  const ids = idsOf(`GITHUB_TOKEN = "${broken}"`, 'settings.py');
  assert.ok(!ids.includes('secret.github-pat'));
  assert.ok(ids.includes('secret.generic-assignment'), ids.join(','));
});

test('PyPI tokens must decode to a macaroon', () => {
  const real = fakeMore.pypiToken('pypi.org');
  assert.ok(isPypiMacaroon(real) && isPypiMacaroon(fakeMore.pypiToken('test.pypi.org')));
  assert.ok(idsOf(`password = ${real}`).includes('secret.pypi-upload-token'));
  const madeUp = join('py', 'pi-', 'AgEIcHlwaS5vcmc', fake.base64url(120));
  assert.ok(!isPypiMacaroon(madeUp));
  assert.ok(!idsOf(`x ${madeUp}`).includes('secret.pypi-upload-token'));
});

test('JWTs must have JSON header and payload, also inside base64', () => {
  const jwt = fakeMore.jwt();
  assert.ok(isJwt(jwt));
  assert.ok(idsOf(`Authorization: Bearer ${jwt}`).includes('secret.jwt'));
  const notJson = join('eyJhbGciOieee', fake.base64url(20), '.eyJ', fake.base64url(40), '.', fake.base64url(43));
  assert.ok(!isJwt(notJson));
  assert.ok(!idsOf(`t = ${notJson}`).includes('secret.jwt'));
  const wrapped = Buffer.from(jwt).toString('base64');
  assert.ok(isBase64Jwt(wrapped) && isBase64Jwt(Buffer.from(jwt).toString('base64url')));
  assert.ok(idsOf(`  token: ${wrapped}`).includes('secret.jwt-base64'));
  const wrappedNotJwt = Buffer.from(join('eyJ', fake.alnum(60))).toString('base64');
  assert.ok(!isBase64Jwt(wrappedNotJwt));
  assert.ok(!idsOf(`  token: ${wrappedNotJwt}`).includes('secret.jwt-base64'));
});

test('counting runs mark example filler, random keys hold none', () => {
  assert.ok(hasCountingRun(join('AIza', 'Syqrstuvwxyz')) && hasCountingRun('x123456y') && hasCountingRun('klmnopq'));
  const random = Array.from({ length: 2000 }, () => fake.base64url(93));
  assert.equal(random.filter(hasCountingRun).length, 0);
});

test('age secret keys must carry a valid Bech32 checksum (BIP-173 vectors, generated keys, made-up keys)', () => {
  for (const vector of ['A12UEL5L', join('abcdef1', 'qpzry9x8gf2tvdw0s3jn54khce6mua7l', 'mqqqxw')]) assert.ok(isAgeSecretKey(vector), vector);
  assert.ok(!isAgeSecretKey('A12UEL5M'));
  const key = fakeMore.ageKey();
  assert.ok(idsOf(`AGE_KEY=${key}`).includes('secret.age-secret-key'));
  // One data character changed: the checksum no longer holds.
  const madeUp = key.slice(0, 30) + (key[30] === 'Q' ? 'P' : 'Q') + key.slice(31);
  assert.ok(!idsOf(`AGE_KEY=${madeUp}`).includes('secret.age-secret-key'));
});
