import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { URL_CREDS, mayHoldUrlCredentials } from '../src/rules/secrets/detector.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The string pre-check stands in front of the URL credentials pattern: whatever line the pattern
// matches, the pre-check must let through (it may let through more; the pattern then decides).
const anywhere = new RegExp(URL_CREDS.source, URL_CREDS.flags.replace('y', 'g'));
const pieces = ['://', ':', '@', '/', 'https', 'postgres', 'db', 'user', 'p4ss', 'x', ' ', '"', "'", '<', '#', '?', ',', 'K', '\u212a', 'ſ', ''];
const line = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((xs) => xs.join(''));

test('property: every line the URL credentials pattern matches passes the string pre-check', () => {
  fc.assert(
    fc.property(line, (text) => {
      anywhere.lastIndex = 0;
      if (anywhere.test(text)) assert.ok(mayHoldUrlCredentials(text), JSON.stringify(text));
    }),
    fuzzParams(20000),
  );
  for (const text of ['url = "postgres://app:' + 'pw'.repeat(4) + '@db:5432/x"', 'HTTPS://:p@h', 'ab://cd://u:p@h']) {
    assert.ok(mayHoldUrlCredentials(text) && new RegExp(anywhere).test(text), text);
  }
  for (const text of ['API_BASE = "https://api.example.com/v1"', 'see https://example.com/a:b', 'mail me@example.com at https://x.org', 'x://:@h']) {
    // The pre-check itself refuses these (the pattern would too): lines it saves the pattern's run on.
    assert.equal(mayHoldUrlCredentials(text), false, text);
    assert.equal(new RegExp(anywhere).test(text), false, text);
  }
});
