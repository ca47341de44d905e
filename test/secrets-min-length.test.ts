// A provider row is not searched (nor made) in a line shorter than its least match length
// (src/rules/secrets/min-length.ts): package names in a requirements file hold many provider
// keywords (`bot`, `sk`, `discord`, `twilio`), and each row they named was made and compiled for a
// line it cannot match. The tests check the bound against real matches (random patterns and the
// provider table), and that the findings are the same with the gate on and off, through the CLI too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { minMatchLength } from '../src/rules/secrets/min-length.ts';
import { scanLinesForTest, scanWithoutForTest } from '../src/rules/secrets/detector.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { PROVIDER_MIN_LENGTHS } from '../src/rules/secrets/providers/keywords.ts';
import { fake } from '../src/rules/secrets/fake.ts';
import { Repo, testEnv } from './helpers/git.ts';

test('minMatchLength: each piece of pattern syntax', () => {
  const cases: [string, number, string?][] = [
    ['abc', 3],
    ['a|bc|def', 1],
    ['(?:ab|c)d', 2],
    ['[a-z]{36}', 36],
    ['[a-z]{3,}x', 4],
    ['[a-z]{3,8}?', 3],
    ['a*b+c?d{0}', 1],
    ['(?<![\\w.-])(?<secret>ghp_[A-Za-z0-9]{36})(?![\\w/+-])', 40],
    ['(?<=x)ab(?=cd)', 2],
    ['(?!abc)a', 1],
    ['^\\bab\\B$', 2],
    ['(a)\\1', 1],
    ['(?<n>ab)\\k<n>', 2],
    ['\\d\\x41\\u0041\\u{1F600}\\cJ\\.\\p{L}', 7],
    // Under `u` a quantifier takes a surrogate pair whole (`\uD83D\uDE00?` may match nothing): 0.
    ['\\d\\x41\\u{1F600}', 0, 'u'],
    ['\\uD83D\\uDE00?', 0, 'u'],
    ['\\x4\\0\\012\\x4g', 6], // x4, NUL, octal 012, x4g
    ['a{', 2],
    ['a{,3}', 5],
    ['[\\]a]b', 2],
    ['[^]]', 2], // `[^]` (any character), then `]`
    ['(?:)', 0],
    ['x(', 0],
    ['[ab', 0],
    ['[\\q{abc}]', 0, 'v'],
    ['(?i:ab)c', 3],
  ];
  for (const [source, expected, flags] of cases) assert.equal(minMatchLength(source, flags), expected, source);
});

/** Random patterns: every match found at any position is at least as long as the bound. */
test('minMatchLength: never more than the length of a real match (random patterns, every start)', () => {
  const leaf = fc.constantFrom('a', 'b', '-', '\\.', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '^', '$', '\\b', '\\B', '{', '\\1', '[-.]', '\\x61', '\\x6', '\\u0062', '\\u{62}', '\\061', '\\0', '\\cJ', '}', ']');
  const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,}', '{0,2}', '{2,3}', '*?', '+?', '{1,2}?');
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(leaf, quantifier).map(([l, q]) => (l === '{' || l === '^' || l === '$' || l.startsWith('\\b') || l.startsWith('\\B') ? l : l + q)),
      fc.tuple(fc.array(tie('node'), { minLength: 0, maxLength: 4 }), fc.constantFrom('(', '(?:', '(?<g>', '(?=', '(?!', '(?<=', '(?<!'), quantifier).map(
        ([items, open, q]) => `${open}${items.join('')})${open.startsWith('(?=') || open.startsWith('(?!') || open.startsWith('(?<=') || open.startsWith('(?<!') ? '' : q}`,
      ),
      fc.array(fc.array(tie('node'), { maxLength: 3 }), { minLength: 2, maxLength: 3 }).map((branches) => `(?:${branches.map((b) => b.join('')).join('|')})`),
    ),
  }));
  const pattern = fc.array(node, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '1', ' ', 'A'), maxLength: 14 });
  let checked = 0;
  fc.assert(
    fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 6 }), fc.constantFrom('', 'i'), (source, texts, flags) => {
      let sticky: RegExp;
      try {
        sticky = new RegExp(source, `${flags}y`);
      } catch {
        return; // not a pattern (a duplicate group name, say)
      }
      const least = minMatchLength(source, flags);
      for (const t of texts) {
        for (let at = 0; at <= t.length; at++) {
          sticky.lastIndex = at;
          const m = sticky.exec(t);
          if (m === null) continue;
          checked++;
          assert.ok(m[0].length >= least, `${source} matched ${JSON.stringify(m[0])} in ${JSON.stringify(t)}, shorter than ${least}`);
        }
      }
    }),
    { numRuns: 3000 },
  );
  assert.ok(checked > 1000, `only ${checked} matches were checked`);
});

test('the provider table: each row\'s bound as the build lists it, and no positive\'s match is shorter', () => {
  assert.equal(PROVIDER_MIN_LENGTHS.length, PROVIDERS.length);
  PROVIDERS.forEach((p, i) => {
    assert.equal(PROVIDER_MIN_LENGTHS[i], minMatchLength(p.source, p.flags), p.id);
    const global = new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`);
    for (const make of p.positives) for (const m of make().matchAll(global)) assert.ok(m[0].length >= PROVIDER_MIN_LENGTHS[i]!, `${p.id}: ${m[0].length} < ${PROVIDER_MIN_LENGTHS[i]}`);
  });
  // What the gate is for: short requirement lines whose names hold a row's keyword.
  const bound = (id: string) => PROVIDER_MIN_LENGTHS[PROVIDERS.findIndex((p) => p.id === id)]!;
  assert.ok('botocore==1.35.36 \\'.length < bound('secret.discord-bot-token'));
  assert.ok('flask-tasks==2.0.1 \\'.length < bound('secret.twilio-api-key'));
  assert.ok('    #   twilio'.length < bound('secret.twilio-auth-token'));
});

/** The findings as comparable data. */
const shape = (findings: ReturnType<typeof scanLinesForTest>) => findings.map((f) => ({ rule: f.rule.id, line: f.line, column: f.column, secret: f.secret }));

test('every provider positive, alone, as a requirement name or version, after a `#`: the same findings with the gate on and off', () => {
  let found = 0;
  for (const p of PROVIDERS) {
    for (const make of p.positives) {
      const positive = make();
      const token = (new RegExp(p.source, p.flags.replace('g', '')).exec(positive)?.groups?.secret) ?? positive;
      const lines = [positive, `${token}==1.0.0 \\`, `requests==${token}`, `    #   ${token}`, `${token}`, 'botocore==1.35.36 \\', '    # via', '    #   discord-py'];
      for (const path of ['requirements.txt', 'app.py']) {
        const gated = shape(scanLinesForTest(path, lines));
        assert.deepEqual(gated, shape(scanWithoutForTest('min-length', path, lines)), `${p.id} in ${path}`);
        if (gated.some((f) => f.rule === p.id)) found++;
      }
    }
  }
  assert.ok(found > PROVIDERS.length, `only ${found} positives found`);
});

test('scan: tokens pasted into a hashed requirements file are reported, short lines with provider keywords are not', () => {
  const repo = Repo.init({ env: testEnv() });
  const hash = () => `    --hash=sha256:${fake.hex(64)} \\`;
  const entry = (name: string, via: string) => [`${name}==1.35.36 \\`, hash(), hash().slice(0, -2), '    # via', `    #   ${via}`];
  const clean = [...entry('botocore', 'boto3'), ...entry('discord-py', 'twilio'), ...entry('flask-tasks', '-r requirements.in')];
  assert.equal(repo.stageAndScan({ 'requirements.txt': `${clean.join('\n')}\n` }).run.code, 0);
  const github = PROVIDERS.find((p) => p.id === 'secret.github-pat')!;
  const token = () => /gh[a-z]_[A-Za-z0-9_]+/.exec(github.positives[0]!())![0];
  const planted = [...clean, `${token()}==1.0.0 \\`, hash().slice(0, -2), `requests==${token()}`, `    #   ${token()}`];
  const { run, json } = repo.stageAndScan({ 'requirements.txt': `${planted.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.filter((f) => f.rule === github.id).map((f) => f.line), [16, 18, 19]);
});
