import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRequirementsFile, stripComment } from '../src/rules/requirements/req-file.ts';
import { hideCredentials, judgeRequirements } from '../src/rules/requirements/judge.ts';
import { bundledTopPackages, lookAlikeOf } from '../src/rules/requirements/look-alike.ts';
import { findEolPython, lowestAllowed } from '../src/rules/python-version/scan.ts';
import type { FileChange } from '../src/engine/types.ts';

/**
 * The requirements parser and judge are linear on hostile lines, judged by a RATIO (no wall-clock
 * limit): time on a 1 MiB adversarial line against time on 1 MiB of ordinary text. Each line is
 * first tried at 64 KiB, where a quadratic path already shows a ratio in the hundreds, so a
 * regression fails in seconds instead of running for half an hour at 1 MiB.
 */
const RATIO = 30;
const FLOOR_MS = 4;
const SMALL = 1 << 16;
const LARGE = 1 << 20;

const fill = (piece: string, size: number) => piece.repeat(Math.ceil(size / piece.length)).slice(0, size);
const ORDINARY_TEXT = 'The quick brown fox jumps over the lazy dog; def main(argv): return 0  # plain text, 12345 ';

const top = bundledTopPackages();
function parseAndJudge(text: string) {
  return judgeRequirements(parseRequirementsFile(`${text}\n`), {
    touched: () => true,
    lookAlike: (name) => (top ? lookAlikeOf(name, top) : null),
  });
}

function median(work: () => void, enough: number): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
    if (times[0] > enough) return times[0];
  }
  return times.sort((a, b) => a - b)[1];
}

/** Each hostile line (a function of its size) with the rule ids it must still produce. */
const HOSTILE: Array<[string, (size: number) => string, string[]]> = [
  ['" \\t" repeated', (n) => fill(' \t', n), []],
  ['numpy then spaces', (n) => `numpy${fill(' ', n - 5)}`, ['requirement.unpinned']],
  ['numpy then spaces and a comment', (n) => `numpy${fill(' ', n - 12)}# trailing`, ['requirement.unpinned']],
  ['"a" repeated', (n) => fill('a', n), ['requirement.unpinned']],
  ['"ABCDEFGH0123" repeated', (n) => fill('ABCDEFGH0123', n), ['requirement.unpinned']],
  ['"[," repeated', (n) => fill('[,', n), ['requirement.unparseable']],
  ['"[" repeated then "]"', (n) => `${fill('[', n - 1)}]`, ['requirement.unparseable']],
  ['backslashes inside a continuation', (n) => `numpy ${fill('\\', n - 8)} \\`, []],
  ['a scheme-like run without "://"', (n) => `${fill('a', n - 1)}[`, ['requirement.unparseable']],
  ['"a+" repeated then "://" and a user', (n) => `[${fill('a+', n - 6)}://x@`, ['requirement.unparseable']],
  ['" #" repeated, then a CR inside the line', (n) => `x${fill(' #', n - 3)}\rz`, ['requirement.unparseable']],
  ['egg name with "[" repeated', (n) => `git+https://h/r@main#egg=${fill('[', n - 26)}`, ['requirement.url-unpinned']],
  ['"numpy>=1," repeated', (n) => fill('numpy>=1,', n), ['requirement.unparseable']],
  ['"==" repeated', (n) => fill('==', n), ['requirement.unparseable']],
  ['"-r " repeated', (n) => fill('-r ', n), []],
  ['"--hash=sha256:" repeated', (n) => fill('--hash=sha256:', n), ['requirement.unparseable']],
];

test('the requirements parser and judge are linear on 1 MiB adversarial lines (ratio to ordinary text)', () => {
  const ordinary = (size: number) => Math.max(FLOOR_MS, median(() => parseAndJudge(fill(ORDINARY_TEXT, size)), Infinity));
  const baseline = { [SMALL]: ordinary(SMALL), [LARGE]: ordinary(LARGE) };
  const failures: string[] = [];
  for (const [label, line, rules] of HOSTILE) {
    assert.deepEqual([...new Set(parseAndJudge(line(SMALL)).map((f) => f.rule.id))], rules, label);
    for (const size of [SMALL, LARGE]) {
      const text = line(size);
      const ratio = median(() => parseAndJudge(text), baseline[size] * RATIO) / baseline[size];
      if (ratio > RATIO) {
        failures.push(`${label}: ${ratio.toFixed(0)}× at ${size} chars`);
        break;
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('lowestAllowed is linear on a long run of whitespace and keeps its answers', () => {
  const spaces = fill(' ', LARGE);
  const ordinary = Math.max(FLOOR_MS, median(() => lowestAllowed(fill('>=3.8,<4 ', LARGE)), Infinity));
  const hostile = median(() => lowestAllowed(`>=3.8${spaces}x`), ordinary * RATIO);
  assert.ok(hostile / ordinary <= RATIO, `${(hostile / ordinary).toFixed(0)}× on whitespace`);
  assert.deepEqual(lowestAllowed(`>=3.8${spaces}<3.13`), { major: 3, minor: 8 });
  assert.deepEqual(lowestAllowed(`>=3.7 \t\n >=3.9`), { major: 3, minor: 9 });
});

test('.tool-versions: a long run of digits is read in linear time, and the version is still found after it', async () => {
  const change = (text: string) => ({ path: '.tool-versions', addedLines: [{ number: 1, text }] }) as unknown as FileChange;
  const now = new Date('2026-01-01T00:00:00Z');
  const ordinaryLine = `python ${fill('x', LARGE)}`;
  const hostileLine = `python ${fill('1', LARGE)}x`;
  const time = async (line: string) => {
    const start = performance.now();
    await findEolPython(change(line), now);
    return performance.now() - start;
  };
  await time(ordinaryLine);
  const ordinary = Math.max(FLOOR_MS, await time(ordinaryLine));
  const ratio = (await time(hostileLine)) / ordinary;
  assert.ok(ratio <= RATIO, `${ratio.toFixed(0)}× on a run of digits`);
  const found = await findEolPython(change(`python ${fill('1', 1000)}x3.7.1`), now);
  assert.deepEqual(found.map((f) => f.key), ['python 3.7']);
});

// The hand-written scans must agree with the regexes they replace (kept here as the reference).
const OLD_COMMENT = /(^|\s+)#.*$/;
const OLD_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi;
const pieces = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 24 }).map((a) => a.join(''));

test('stripComment removes what the former comment regex removed', () => {
  fc.assert(
    fc.property(pieces([' ', '\t', '#', 'a', '\r', '\u2028', '\\', '=']), (text) => {
      assert.equal(stripComment(text).trim(), text.replace(OLD_COMMENT, '').trim());
    }),
    { numRuns: 3000 },
  );
});

test('hideCredentials hides exactly what the former credentials regex hid', () => {
  fc.assert(
    fc.property(pieces(['a', 'B', '1', '+', '.', '-', ':', '/', '://', '@', ' ', 'x:y@', 'http://']), (text) => {
      assert.equal(hideCredentials(text), text.replace(OLD_CREDENTIALS, '$1***@'));
    }),
    { numRuns: 3000 },
  );
});
