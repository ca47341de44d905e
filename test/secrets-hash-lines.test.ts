// The secrets scan passes over a hashed lock file's hash lines (HASH_ONLY_LINE: `--hash=sha256:<hex> \`,
// most lines of a pip-compile file) without its keyword pass. This is sound only if no rule can
// report on such a line; the tests below check each step of that argument against the tables as
// they are (so a new provider row whose keyword fits such a line fails here until reviewed), and
// compare findings with the pass on and off on lines that hold a hash and more, or sit beside one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FLAG_SETS, HASH_ONLY_LINE, scanLinesForTest, scanWithoutForTest } from '../src/rules/secrets/detector.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { fake, join, randomFrom } from '../src/rules/secrets/fake.ts';
import { Repo, testEnv } from './helpers/git.ts';

const ALGORITHMS = [
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
] as const;

/** HASH_ONLY_LINE item by item; a loop may be empty or repeat (the hex run's length is left open: more lines than the pattern admits). */
interface Item {
  readonly chars: string;
  readonly loop: boolean;
  readonly optional: boolean;
}
function shapeOf(algorithm: string): Item[] {
  const loop = (chars: string): Item => ({ chars, loop: true, optional: true });
  return [
    loop(' \t'),
    ...[...`--hash=${algorithm}:`].map((c): Item => ({ chars: c, loop: false, optional: false })),
    loop('0123456789abcdef'),
    loop(' \t\r'),
    { chars: '\\', loop: false, optional: true },
    loop(' \t\r'),
  ];
}

/**
 * Whether `word` can occur inside a line HASH_ONLY_LINE admits (the keyword scanner lower-cases
 * the line, which holds no upper-case letter): a walk of the shape from any item, reading the word.
 */
function fitsInHashLine(word: string): boolean {
  return ALGORITHMS.some(([algorithm]) => {
    const items = shapeOf(algorithm);
    let states = new Set(items.map((_, i) => i));
    for (const c of word) {
      const next = new Set<number>();
      for (const s of states) {
        for (let i = s; i < items.length; i++) {
          if (items[i]!.chars.includes(c)) next.add(items[i]!.loop ? i : i + 1);
          if (!items[i]!.optional) break;
        }
      }
      states = next;
      if (states.size === 0) return false;
    }
    return true;
  });
}

const hex = (n: number) => randomFrom('0123456789abcdef', n);
function hashLine(algorithm = 0, indent = '    ', tail = ' \\'): string {
  const [name, length] = ALGORITHMS[algorithm]!;
  return `${indent}--hash=${name}:${hex(length)}${tail}`;
}

test('the hash-line check: every part of a line HASH_ONLY_LINE admits fits; words that cannot occur do not', () => {
  for (const word of ['--hash=', 'sha2', 'hash', ':a', 'acca', '4b1d', '0 \\', 'f\r', '=sha512:']) assert.ok(fitsInHashLine(word), word);
  for (const word of ['pass', '://', 'key', 'ghp_', '-h ', 'sha1', 'A', '--hash=md5', 'abc\\d']) assert.ok(!fitsInHashLine(word), word);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 }), fc.constantFrom('', ' ', '\t', '        '), fc.constantFrom('', ' \\', '\\', ' \\ ', '\r', ' \\\r'), fc.nat(), fc.nat(), (a, indent, tail, x, y) => {
      const line = hashLine(a, indent, tail);
      assert.ok(HASH_ONLY_LINE.test(line), JSON.stringify(line));
      const [from, to] = [x % (line.length + 1), y % (line.length + 1)].sort((p, q) => p - q);
      assert.ok(fitsInHashLine(line.slice(from!, to!)), JSON.stringify(line.slice(from!, to!)));
    }),
    { numRuns: 2000 },
  );
});

test('no credential hint, URL, header, login or PEM word fits in a hash line; `--hash=` (hash context: no high-entropy warning) is in every one', () => {
  const HASH_CONTEXT = 1;
  assert.ok(FLAG_SETS[HASH_CONTEXT]!.includes('--hash='));
  FLAG_SETS.forEach((words, set) => {
    if (set === HASH_CONTEXT) return;
    assert.deepEqual(words.filter(fitsInHashLine), [], `flag set ${set}`);
  });
});

/**
 * The provider rows with a keyword that fits in a hash line (only these can run on one), each with
 * why its pattern cannot match inside one. Such a line holds only ` \t\r\`, `-`, `=`, `:`, `h`, `s`,
 * digits and a-f: no upper-case letter, no q, t or p.
 */
const REVIEWED: Record<string, string> = {
  'secret.aws-access-key-id': 'case-sensitive; every match begins with an upper-case A',
  'secret.firebase-cloud-messaging-key': 'case-sensitive; every match begins with AAAA',
  'secret.telegram-bot-token': 'case-sensitive; every match holds `:A`',
  'secret.twitter-bearer-token': 'case-sensitive; every match begins with 22 upper-case A',
  'secret.facebook-access-token': 'case-sensitive; every match begins with EAA',
  'secret.square-access-token': 'case-sensitive; every match begins with EAAA or holds q, t and p',
  'secret.clickhouse-cloud-api-secret':
    '`4b1d` and 38 letters or digits, with no word character before nor after: in a hex run (word characters only) it would be the whole run, 42 digits, and the runs are 64, 96 or 128',
};

test('the provider rows whose keywords fit in a hash line are the reviewed ones, and their patterns find nothing in such lines', () => {
  const fitting = PROVIDERS.filter((p) => p.keywords.some(fitsInHashLine)).map((p) => p.id);
  assert.deepEqual(fitting.sort(), Object.keys(REVIEWED).sort(), 'a provider row whose keyword fits in a hash line must be reviewed (REVIEWED) before such lines may be passed over');
  for (const p of PROVIDERS.filter((row) => REVIEWED[row.id] !== undefined)) {
    if (/case-sensitive/.test(REVIEWED[p.id]!)) assert.ok(!p.flags.includes('i'), `${p.id} is case-insensitive`);
    const pattern = new RegExp(p.source, p.flags);
    for (const keyword of p.keywords.filter(fitsInHashLine)) {
      // The keyword at each place of the hex run (a keyword starting with `:` right after the algorithm).
      for (const [a, [name, length]] of ALGORITHMS.entries()) {
        const body = keyword.startsWith(':') ? keyword.slice(1) : keyword;
        if (!/^[0-9a-f]*$/.test(body)) continue;
        for (let at = 0; at + body.length <= length; at++) {
          const digits = hex(at) + body + hex(length - at - body.length);
          for (const tail of ['', ' \\', '\\']) {
            const line = `    --hash=${name}:${digits}${tail}`;
            assert.ok(HASH_ONLY_LINE.test(line), line);
            assert.ok(!pattern.test(line), `${p.id} matches ${line} (algorithm ${a})`);
          }
        }
      }
    }
  }
});

/** The findings as comparable data. */
const shape = (findings: ReturnType<typeof scanLinesForTest>) => findings.map((f) => ({ rule: f.rule.id, line: f.line, column: f.column, secret: f.secret, severity: f.severity }));

test('every provider positive is found in, beside and after hash lines as when hash lines are scanned, on a hash line with more on it too', () => {
  let missed = 0;
  for (const p of PROVIDERS) {
    for (const make of p.positives) {
      for (const path of ['requirements.txt', 'constraints.txt', 'app.py']) {
        const lines = [
          hashLine(),
          make(),
          hashLine(1),
          `${hashLine(0, '    ', '')} ${make()}`,
          `${make()} ${hashLine(2, '', '')}`,
          hashLine(0, '  ', ' \\'),
          `${hashLine(0, '    ', ' \\')} # ${make()}`,
          hashLine(2, '', ''),
        ];
        const passed = shape(scanLinesForTest(path, lines));
        assert.deepEqual(passed, shape(scanWithoutForTest('hash-lines', path, lines)), `${p.id} in ${path}`);
        // The positive on its own line is reported as it is without hash lines around it (a rare random draw may be too regular for the row).
        const alone = shape(scanLinesForTest(path, [lines[1]!])).map((f) => ({ ...f, line: 2 }));
        assert.deepEqual(passed.filter((f) => f.line === 2), alone, `${p.id} beside hash lines in ${path}`);
        assert.ok(alone.some((f) => f.rule === p.id) || ++missed < 10, `${p.id}: positives missed even alone`);
        for (const n of [1, 3, 6, 8]) assert.ok(!passed.some((f) => f.line === n), `${p.id}: a finding on hash line ${n} in ${path}`);
      }
    }
  }
});

test('random mixes of hash lines, near misses, provider positives and assignments: the same findings with the pass on and off', () => {
  const positive = fc.constantFrom(...PROVIDERS.flatMap((p) => p.positives)).map((make) => make());
  const piece = fc.oneof(
    fc.record({ a: fc.integer({ min: 0, max: 2 }), indent: fc.constantFrom('', '    ', '\t'), tail: fc.constantFrom('', ' \\', '\\', ' \\\r', '\r') }).map(({ a, indent, tail }) => hashLine(a, indent, tail)),
    // Near misses: upper-case digits, a digit more or less, another algorithm, something after the backslash.
    fc.constantFrom('upper', 'long', 'short', 'md5', 'after', 'comment').map((kind) => {
      const line = hashLine();
      if (kind === 'upper') return line.toUpperCase().replace('--HASH=SHA256', '--hash=sha256');
      if (kind === 'long') return line.replace(' \\', 'a \\');
      if (kind === 'short') return line.replace(/[0-9a-f] \\$/, ' \\');
      if (kind === 'md5') return `    --hash=md5:${hex(32)} \\`;
      if (kind === 'after') return `${line} ${join('pass', 'word')}=${fake.alnum(20)}`;
      return `${line} # ${join('tok', 'en')}: ${fake.base64url(40)}`;
    }),
    positive,
    positive.map((s) => `${hashLine(0, '    ', '')} ${s}`),
    fc.constant(null).map(() => `API_${join('TO', 'KEN')}="${fake.alnum(12)}${fake.base64url(24)}"`),
    fc.constant(null).map(() => `    ${join('pass', 'word')}: ${join('Kx9', '#mQ2v!', 'Lp')}`),
    fc.constant(null).map(() => `    value: "${fake.alnum(48)}"`),
  );
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.constantFrom('requirements.txt', 'app.py', 'notes.md', 'x.lock'), (lines, path) => {
      assert.deepEqual(shape(scanLinesForTest(path, lines)), shape(scanWithoutForTest('hash-lines', path, lines)));
    }),
    { numRuns: 400 },
  );
});

test('scan: a staged lock file reports a token after a hash on its line and one on the next line; its hash lines alone report nothing', () => {
  const repo = Repo.init({ env: testEnv() });
  const github = PROVIDERS.find((p) => p.id === 'secret.github-pat')!;
  const token = github.positives[0]!();
  const entry = (name: string, extra = '') => [`${name}==1.0.0 \\`, hashLine(), `${hashLine(0, '    ', '')}${extra}`].join('\n');
  const clean = `${[entry('requests'), entry('urllib3'), entry('certifi')].join('\n')}\n`;
  assert.equal(repo.stageAndScan({ 'requirements.txt': clean }).run.code, 0);
  const text = `${[entry('requests'), entry('urllib3', ` ${token}`), entry('certifi'), `# ${token.slice(0, 4)}`, token].join('\n')}\n`;
  const { run, json } = repo.stageAndScan({ 'requirements.txt': text });
  assert.equal(run.code, 1, run.output);
  const lines = json.findings.filter((f) => f.rule === github.id).map((f) => f.line);
  assert.deepEqual(lines, [6, 11]);
});
