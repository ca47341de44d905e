import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stagedSarif } from './helpers/sarif.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { join, randomFrom } from '../src/rules/secrets/fake.ts';
import { PAIR, pairsNearValueWords } from '../src/rules/secrets/assignment.ts';

// The key/value pair shape (`{"name": "API_TOKEN", "value": "v"}`, `<add key="x" value="v"/>`)
// starts at the word `key`/`name`; it used to start at an optional quote before the word. The
// scan reads only where a match ends and its groups, so the two must agree on those for every
// line, and the CLI must still find the pair in every spelling, in short lines and in a long line
// cut into windows.

/** The pattern as it was before round 7 (`["']?` before the word). */
const OLD_PAIR =
  /(?<![\w-])["']?(?:key|name)["']?\s{0,2}[=:]\s{0,2}["'](?<name>[\w.-]{1,61})["'][^<>]{0,40}?(?<![\w-])["']?(?:value|defaultValue|default)["']?\s{0,2}[=:]\s{0,2}(?<value>"[^"]{1,300}"|'[^']{1,300}')/g;

/** What the scan reads of each match: where it ends, the name and the value. */
/** Every match of a copy of `shared` (the module's own pattern keeps its lastIndex untouched). */
function matches(shared: RegExp, text: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(shared.source, shared.flags);
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) out.push(`${m.index + m[0].length}|${m.groups!.name}|${m.groups!.value}`);
  return out;
}

test('the old pattern is the new one with the optional quote in front', () => {
  assert.ok(PAIR.source.startsWith(String.raw`(?<![\w-])(?:key|name)["']?`), PAIR.source);
  assert.equal(OLD_PAIR.source.replace(`["']?(?:key|name)`, '(?:key|name)'), PAIR.source);
});

/** Pieces that matter to the pattern: its words, quotes, separators, blanks, word characters, `-`, `<`. */
const piece = fc.constantFrom(
  'key', 'name', 'value', 'default', 'defaultValue', 'Key', 'NAME', 'keys', 'xkey', '-name', '_key',
  '"', "'", '"', "'", '=', ':', ' ', '  ', '   ', '\t', ',', '{', '}', '<', '>', '/', '-', '_', '.', 'a', 'Z9', 'é', '\n',
  'API_TOKEN', 'db.pass-word', 's3cr3t!', '"v"', "'v'", '"a b"',
);
/** A well-formed pair, to be cut and mutated by the pieces around and inside it. */
const pair = fc
  .tuple(fc.constantFrom('', '"', "'", 'x', '-', 'x"', ' '), fc.constantFrom('key', 'name'), fc.constantFrom('"', "'", ''), fc.constantFrom(':', '=', ' = ', ': '), fc.constantFrom('"N_1"', "'n.x'", '"bad name"', '""'))
  .chain(([before, word, q, sep, name]) =>
    fc.tuple(fc.array(piece, { maxLength: 6 }), fc.constantFrom('value', 'default', 'defaultValue', 'Value'), fc.constantFrom('"v1"', "'v2'", '"', '"x"y"')).map(
      ([middle, second, value]) => `${before}${word}${q}${sep}${name}${middle.join('')}${q}${second}${q}${sep}${value}`,
    ),
  );
const line = fc.array(fc.oneof({ weight: 3, arbitrary: piece }, { weight: 1, arbitrary: pair }), { maxLength: 24 }).map((parts) => parts.join(''));

test('property: every generated line gives the same match ends, names and values with both patterns', () => {
  let matched = 0;
  let lines = 0;
  fc.assert(
    fc.property(line, (text) => {
      lines++;
      const found = matches(PAIR, text);
      if (found.length > 0) matched++;
      assert.deepEqual(found, matches(OLD_PAIR, text), JSON.stringify(text));
    }),
    fuzzParams(4000),
  );
  // The property means something only if many of the lines hold a pair.
  assert.ok(matched > lines / 10, `${matched} of ${lines} lines matched`);
});

/** pairsNearValueWords' matches, read as matches() reads the global search's. */
function nearMatches(text: string): string[] {
  const out: string[] = [];
  pairsNearValueWords(text, (m) => out.push(`${m.index + m[0].length}|${m.groups!.name}|${m.groups!.value}`));
  return out;
}

test('property: looking for pairs only near value words finds what the global search finds', () => {
  let matched = 0;
  let lines = 0;
  // Long lines too: pieces and pairs far apart, names up to 61 characters, up to 40 between.
  const filler = fc.constantFrom('', 'x'.repeat(50), ' '.repeat(30), 'name'.repeat(10), `"${'n'.repeat(61)}"`, 'k'.repeat(113));
  const longLine = fc.array(fc.oneof({ weight: 3, arbitrary: piece }, { weight: 1, arbitrary: pair }, { weight: 1, arbitrary: filler }), { maxLength: 80 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.oneof(line, longLine), (text) => {
      lines++;
      const found = matches(PAIR, text);
      if (found.length > 0) matched++;
      assert.deepEqual(nearMatches(text), found, JSON.stringify(text));
    }),
    fuzzParams(4000),
  );
  assert.ok(matched > lines / 10, `${matched} of ${lines} lines matched`);
});

test('a pair whose value word is as far from its start as the pattern allows is found near it', () => {
  // The value word 114 characters after the match's start: two blanks each side of the colon, a
  // 61-character name, 40 characters between (the last not a word character), a quote.
  const text = `{"name"  :  "${'n'.repeat(61)}"${'x'.repeat(39)},"value":"v"}`;
  assert.equal(text.indexOf('value') - text.indexOf('name'), 114);
  assert.equal(nearMatches(text).length, 1);
  assert.deepEqual(nearMatches(text), matches(PAIR, text));
  // The same with `default` and `defaultValue` (found by their `fault`), and a second pair right after.
  for (const word of ['default', 'defaultValue']) {
    const far = text.replace('"value"', `"${word}"`);
    const two = `${far}${far}`;
    assert.equal(nearMatches(two).length, 2, word);
    assert.deepEqual(nearMatches(two), matches(PAIR, two));
  }
});

test('the pair is found in every spelling through the CLI, in short lines and in a long line cut into windows', () => {
  const WINDOW = 1 << 20;
  const STEP = WINDOW - 4096;
  const values: string[] = [];
  const secret = () => {
    const value = join('Kx9', randomFrom('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 17));
    values.push(value);
    return value;
  };
  // Found: the word after a quote, after a blank, after a word character and a quote; key= and default.
  const found = () => [
    `{"name": "API_TOKEN", "value": "${secret()}"}`,
    `<add key="ClearTextPassword" value="${secret()}"/>`,
    `x"name":"DB_PASSWORD","value":"${secret()}"`,
    `@ConfigProperty(name = "service.password", defaultValue = "${secret()}")`,
  ];
  // Not a pair: the word glued to a word character or a dash.
  const notFound = (v: string) => [`{xname: "API_TOKEN", "value": "${v}"}`, `{"-key": "API_TOKEN", "value": "${v}"}`];
  const short = found();
  const shortValues = values.splice(0);
  const quiet = join('Qm7', randomFrom('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 17));
  // The long line: filler, each found pair at an offset (across the second window's start, across
  // the first window's end, in the overlap, in the middle of the third window).
  const filler = '{"id":1,"v":"abc"},'.repeat(Math.ceil((2 * STEP + WINDOW) / 19));
  let long = filler.slice(0, 2 * STEP + WINDOW);
  const offsets = [STEP - 20, WINDOW - 30, WINDOW - 2000, 2 * STEP + 5000];
  const plants = found();
  plants.forEach((plant, k) => (long = long.slice(0, offsets[k]) + plant + long.slice(offsets[k]! + plant.length)));
  long += notFound(quiet).join(',');
  const results = stagedSarif({ 'pairs.json': `${[...short, ...notFound(quiet)].join('\n')}\n`, 'long.min.json': `${long}\n` });
  const where = (uri: string) =>
    results
      .filter((r) => r.uri === uri)
      .map((r) => [r.line, r.column])
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  // Short lines: the four pairs on lines 1-4, at their values' columns; lines 5-6 are not pairs.
  assert.deepEqual(where('pairs.json'), shortValues.map((v, k) => [k + 1, short[k]!.indexOf(v) + 1]), JSON.stringify(results));
  // The long line: each planted value once, at its column in the whole line.
  assert.deepEqual(where('long.min.json'), values.map((v) => [1, long.indexOf(v) + 1]).sort((a, b) => a[1]! - b[1]!), JSON.stringify(results));
});
