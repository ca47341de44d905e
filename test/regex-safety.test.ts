import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange } from '../src/engine/types.ts';
import { DETECTORS } from '../src/rules/index.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { fileChangeOf } from './helpers/change.ts';
import { cpuMs } from './helpers/cpu-time.ts';
import { linearTimeProblems } from '../src/rules/regex-safety.ts';

/**
 * Linear time on hostile lines, judged by a RATIO (no wall-clock limit): the time a rule takes on
 * a 1 MB adversarial line against its time on 1 MB of ordinary text, median of several runs.
 * Catastrophic backtracking is quadratic or worse: on 1 MB that is a ratio in the thousands, far
 * beyond the generous bound used here.
 */
const SIZE = 1 << 20;
/**
 * Detectors run whole parsers (requirements, Python calls) per line; they are measured on 64 KiB,
 * where a quadratic parser already shows a ratio in the hundreds, so a failure is reported in
 * seconds instead of hanging the suite for an hour.
 */
const DETECTOR_SIZE = 1 << 16;
const RATIO = 60;
/** Time growth from a quarter of the line to the whole that still counts as linear (linear: 4, quadratic: 16). */
const GROWTH = 8;
/** Times below this are noise; the ordinary-text time is never taken as less. */
const FLOOR_MS = 4;

function fill(piece: string, size = SIZE): string {
  return piece.repeat(Math.ceil(size / Math.max(1, piece.length))).slice(0, size);
}

function median(work: () => void, runs = 3, enough = Infinity): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = cpuMs();
    work();
    times.push(cpuMs() - start);
    if (times[0] > enough) return times[0];
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const ORDINARY_TEXT = 'The quick brown fox jumps over the lazy dog; def main(argv): return 0  # plain text, 12345 ';
const ORDINARY = fill(ORDINARY_TEXT);

/** Near-misses of one provider's own format, and the usual backtracking bait. */
function adversarialFor(keywords: readonly string[], positives: readonly (() => string)[]): string[] {
  const lines = [fill('a'), fill('A'), fill('0'), fill(' '), fill('=')];
  for (const kw of keywords.slice(0, 3)) {
    const upper = kw.toUpperCase();
    lines.push(kw + fill('A1b2'), upper + fill('AB12'), fill(`${kw}x `), fill(`${upper}_`), fill(`${kw}=`), `${kw}${fill('-')}`);
  }
  for (const positive of positives.slice(0, 2)) {
    const sample = positive();
    lines.push(fill(`${sample.slice(0, -1)} `), fill(sample.slice(0, -1)), sample.slice(0, -1) + fill(sample.slice(-8)));
  }
  return lines;
}

test('every provider pattern of the secrets table is linear on 1 MB adversarial lines (ratio to ordinary text)', () => {
  const failures: string[] = [];
  for (const provider of PROVIDERS) {
    const run = (text: string) => () => {
      const lower = text.toLowerCase();
      if (provider.keywords.some((k) => lower.includes(k))) provider.pattern.exec(text);
    };
    const ordinary = Math.max(FLOOR_MS, median(run(ORDINARY)));
    for (const line of adversarialFor(provider.keywords, provider.positives)) {
      // Run the pattern itself, not only behind the keyword prefilter.
      const timeOn = (text: string, runs: number) =>
        median(() => {
          provider.pattern.exec(text);
          run(text)();
        }, runs, ordinary * RATIO * 4);
      let hostile = timeOn(line, 1);
      if (hostile / ordinary <= RATIO) continue;
      hostile = timeOn(line, 3);
      if (hostile / ordinary <= RATIO) continue;
      // Over the ratio: a bounded repetition ({59}, {0,24}) costs a constant per position, which
      // against a prefiltered ordinary line can exceed the ratio and still be linear. Tell the two
      // apart by growth: a quarter of the line must take about a quarter of the time (linear: ×4;
      // quadratic: ×16). Only super-linear growth fails.
      const quarter = Math.max(FLOOR_MS / 4, timeOn(line.slice(0, line.length / 4), 3));
      const growth = hostile / quarter;
      if (growth > GROWTH) {
        failures.push(`${provider.id}: ${(hostile / ordinary).toFixed(0)}× ordinary text, ×${growth.toFixed(1)} from 256 KiB to 1 MiB on ${JSON.stringify(line.slice(0, 30))}…`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

const PATHS = ['app.py', 'requirements.txt', 'requirements-dev.in', 'pyproject.toml', 'setup.cfg', 'Pipfile', 'config/.env.example', '.python-version', 'notes.txt', 'model.pkl'];

const changeOf = (path: string, text: string): FileChange => fileChangeOf(path, text);

async function timeDetectors(path: string, text: string, enough = Infinity): Promise<number> {
  const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (times.length > 0 && times[0] > enough) return times[0];
    const change = changeOf(path, text);
    const start = cpuMs();
    for (const detector of DETECTORS) if (detector.appliesTo(change, ctx)) await detector.scan(change, ctx);
    times.push(cpuMs() - start);
  }
  return times.sort((a, b) => a - b)[1];
}

test('every detector in DETECTORS is linear on adversarial lines of the files it reads (ratio to ordinary text)', async () => {
  const f = (piece: string) => fill(piece, DETECTOR_SIZE);
  const bait = [
    f('a'), f('('), f('[,'), f(' \t'), f('\\'), f('"'), f("'''"), f('=='), f('-r '), f('--hash=sha256:'), f('pickle.loads('),
    f('torch.load(x, '), f('import pickle;'), f('numpy>=1,'), `numpy${f(' ')}`, `x = pickle.loads(${f('(')}`, f('# gitward:allow '), f('ABCDEFGH0123'),
    f('KEY='), f('password = "'), f('https://u:'), f('-----BEGIN '), f('eyJ'),
  ];
  const failures: string[] = [];
  for (const path of PATHS) {
    const ordinary = Math.max(FLOOR_MS, await timeDetectors(path, fill(ORDINARY_TEXT, DETECTOR_SIZE)));
    for (const line of bait) {
      const hostile = await timeDetectors(path, line, ordinary * RATIO * 4);
      if (hostile / ordinary <= RATIO) continue;
      // Over the ratio (parsers do real work per token: a line of 5,000 calls makes 5,000
      // findings): fail only on super-linear growth, as for the provider patterns above.
      const quarter = Math.max(FLOOR_MS / 4, await timeDetectors(path, line.slice(0, line.length / 4)));
      // Both as a median of three: `hostile` may be one cold run cut short above (a first run
      // compiles as it goes, and on a loaded machine that alone once read as ×11 growth).
      const growth = (await timeDetectors(path, line)) / quarter;
      if (growth > GROWTH) {
        failures.push(`${path}: ${(hostile / ordinary).toFixed(0)}×, ×${growth.toFixed(1)} from 16 to 64 KiB on ${JSON.stringify(line.slice(0, 20))}…`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('static check: every provider pattern passes the linear-time checker custom rules are held to', () => {
  for (const classic of ['(a+)+$', '(?:ab|ac){1,9}', '(?:a{1,9}){1,9}', '(x)\\1', '(?<=a{1,9})b', '[a-z]+_key']) {
    assert.ok(linearTimeProblems(classic).length > 0, `the checker itself must catch ${classic}`);
  }
  assert.deepEqual(linearTimeProblems('(?<![\\w/+-])(?:A3T[A-Z0-9]|AKIA)[A-Z2-7]{16}(?![\\w/+-])'), []);
  const problems = PROVIDERS.flatMap((p) => linearTimeProblems(p.source).map((problem) => `${p.id}: ${problem}`));
  assert.deepEqual(problems, []);
});
