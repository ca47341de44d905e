import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { DiffParser, PART_CHARS, CARRIED_LINES } from '../src/git/diff-parser.ts';
import { PATCH_FLAGS } from '../src/git/git-process.ts';
import { fakeMore, join } from '../src/rules/secrets/fake.ts';
import type { AddedLine } from '../src/engine/types.ts';
import { Repo } from './helpers/git.ts';

// A file with more than PART_CHARS of added text reaches the rules in parts (src/git/diff-parser.ts):
// the parts must add up to the file, and a finding on a part's edge must be reported exactly once.

const DASHES = '-'.repeat(5);

/** Python filler lines of exactly `width` characters that no rule reports. */
function filler(count: number, width = 99, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const line = `value_${from + i} = compute(${from + i})  # `;
    return line + 'x'.repeat(Math.max(0, width - line.length));
  });
}

/**
 * Lines that fill a part up to 10 characters short of PART_CHARS (each line counts its text and
 * one newline), so that whatever line comes next is the last line of the first part.
 */
function fillFirstPart(first: string[] = []): string[] {
  const used = first.reduce((n, l) => n + l.length + 1, 0);
  const left = PART_CHARS - 10 - used;
  const lines = [...first, ...filler(Math.floor(left / 100))];
  const rest = left % 100;
  if (rest > 0) lines.push('#'.repeat(rest - 1));
  return lines;
}

function partsOf(repo: Repo): { parts: AddedLine[][]; carried: number[] } {
  const out = spawnSync('git', ['diff', '--cached', ...PATCH_FLAGS], { cwd: repo.dir, env: repo.env, maxBuffer: 1 << 28 });
  const parser = new DiffParser();
  const events = [...parser.push(out.stdout), ...parser.end()];
  const files = events.flatMap((e) => (e.kind === 'file' ? [e.file] : []));
  return { parts: files.map((f) => f.added), carried: files.map((f) => f.part?.carried ?? -1) };
}

test('a large file comes in parts that add up to every added line, each part after the first carrying the lines before it', () => {
  const repo = Repo.init();
  const lines = filler(Math.ceil((2.5 * PART_CHARS) / 100));
  repo.write({ 'big.py': `${lines.join('\n')}\n` });
  repo.git(['add', '-A']);
  const { parts, carried } = partsOf(repo);
  assert.equal(parts.length, 3);
  assert.deepEqual(carried, [0, CARRIED_LINES, CARRIED_LINES]);
  for (let i = 1; i < parts.length; i++) {
    assert.deepEqual(parts[i]!.slice(0, CARRIED_LINES), parts[i - 1]!.slice(-CARRIED_LINES), `part ${i} starts with the end of part ${i - 1}`);
  }
  const whole = parts.flatMap((p, i) => (i === 0 ? p : p.slice(CARRIED_LINES)));
  assert.deepEqual(whole.map((l) => l.number), lines.map((_, i) => i + 1));
  assert.deepEqual(whole.map((l) => l.text), lines);
});

test('a long minified line ends a part without being carried into (and scanned again in) the next', () => {
  const repo = Repo.init();
  repo.write({ 'bundle.min.js': `${'var a=1;'.repeat(PART_CHARS / 4)}\n` });
  repo.git(['add', '-A']);
  const { parts, carried } = partsOf(repo);
  assert.equal(parts.length, 1);
  assert.deepEqual(carried, [0]);
});

test('findings on the edge between two parts are found once, and the counts are of the file', () => {
  const repo = Repo.init();
  // big.txt: a private key whose header ends the first part and whose body opens the second.
  const body = Array.from({ length: 5 }, () => fakeMore.b64bytes(48));
  const keyLines = [join(DASHES, 'BEGIN RSA ', 'PRIVATE KEY', DASHES), ...body, join(DASHES, 'END RSA ', 'PRIVATE KEY', DASHES)];
  const keyFile = [...fillFirstPart(), ...keyLines, ...filler(50)];
  // big.py: an alias imported on line 1 and used two parts later; an allow comment that ends the
  // first part, for the line that opens the second.
  const secret = join('Zq7', fakeMore.alpha(10), '4', fakeMore.alpha(8), '9x');
  const pyFile = [
    ...fillFirstPart(['import pickle as p']),
    '# gitward:allow-next-line secret',
    `db_password = "${secret}"`,
    ...filler(Math.ceil(PART_CHARS / 100) + 10),
    'data = p.loads(blob)',
    ...filler(20),
  ];
  const { json } = repo.stageAndScan({ 'big.txt': `${keyFile.join('\n')}\n`, 'big.py': `${pyFile.join('\n')}\n` });
  const all = json.findings.map((f) => `${f.rule} ${f.path}:${f.line}`);
  assert.equal(new Set(all).size, all.length, `a finding reported twice: ${all.join(', ')}`);
  // The key's body lines also draw high-entropy warnings, as in any file: the blocking findings are the point.
  const found = json.findings.filter((f) => f.severity === 'block').map((f) => `${f.rule} ${f.path}:${f.line}`).sort();
  assert.deepEqual(found, [
    `deserialization.pickle big.py:${pyFile.indexOf('data = p.loads(blob)') + 1}`,
    `secret.private-key big.txt:${keyFile.length - keyLines.length - 50 + 1}`,
  ]);
  assert.equal(json.stats.addedLines, keyFile.length + pyFile.length);
  assert.equal(json.stats.files, 2);
  assert.equal(json.stats.suppressed, 1, 'the password under the allow comment was found and allowed');
  const report = JSON.stringify(json);
  assert.ok(!report.includes(body[0]!.slice(0, 40)) && !report.includes(secret), 'no value is printed');
});

test('a large Python script named without .py is judged in every part: the shebang of line 1 goes with each', () => {
  const repo = Repo.init();
  const lines = ['#!/usr/bin/env python3', 'import pickle', ...filler(Math.ceil((2.5 * PART_CHARS) / 100)), 'data = pickle.loads(blob)'];
  const { json } = repo.stageAndScan({ 'bin/tool': `${lines.join('\n')}\n` });
  assert.deepEqual(json.findings.map((f) => `${f.rule} ${f.path}:${f.line}`), [`deserialization.pickle bin/tool:${lines.length}`]);
});

test('a continued requirement across a part edge is reported once, on its first line', () => {
  const repo = Repo.init();
  // Thirteen lines of the requirement end the first part, more than the part after carries.
  const requirement = ['flask \\', ...Array.from({ length: 20 }, () => '    \\'), '    >=2.0'];
  const inFirst = requirement.slice(0, 13).reduce((n, l) => n + l.length + 1, 0);
  const fill: string[] = [];
  let chars = 0;
  for (let i = 0; chars + 18 <= PART_CHARS - inFirst - 18; i++, chars += 18) fill.push(`pkg-a${String(i).padStart(5, '0')}==1.0.0`);
  const pad = PART_CHARS - inFirst - chars; // one last pinned line makes the first part end on requirement[12]
  fill.push(`pkg-last==1.0.0${' '.repeat(pad - 16)}`);
  const { json } = repo.stageAndScan({ 'requirements.txt': `${[...fill, ...requirement].join('\n')}\n` });
  const unpinned = json.findings.filter((f) => f.path === 'requirements.txt' && f.rule !== 'requirement.look-alike');
  assert.deepEqual(unpinned.map((f) => `${f.rule}:${f.line}`), [`requirement.unpinned:${fill.length + 1}`]);
});
