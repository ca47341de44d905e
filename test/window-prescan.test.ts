// A long line's windows are keyword-scanned from their bytes as git prints them (src/git/window-runs.ts,
// KeywordScanner.prescan), and the secrets rule takes that scan when it reads each window. Here, on a
// real repository through the real CLI: a staged 3.2 MB single-line file with secrets inside a
// window, in the overlap of two windows, across a window's end, after a name word the assignment
// rule looks behind (`"password":`) and in the last window gives the same report with the prescan
// as without it (GITWARD_WINDOW_PRESCAN=0), read from the diff and from the blob; so does one that
// turns non-ASCII mid-way, and one scanned under another limits.max-line-length (no prescan then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';
import { prescanPair } from './helpers/json-report.ts';
import { fake } from '../src/rules/secrets/fake.ts';

const WINDOW = 1024 * 1024;
const STEP = WINDOW - 4096;

/** A minified JSON line of `length` characters with `planted` texts at the given offsets. */
function minifiedLine(length: number, planted: Array<[number, string]>): string {
  const filler = '{"id":12,"name":"widget","tags":["a","b"],"ok":true},';
  let line = filler.repeat(Math.ceil(length / filler.length)).slice(0, length);
  for (const [at, text] of planted) line = line.slice(0, at) + text + line.slice(at + text.length);
  return line;
}


const token = () => `"token":"${fakeGithubPat()}"`;
const planted = (): Array<[number, string]> => [
  [100_000, token()],
  [STEP + 10, token()],
  [WINDOW - 20, token()],
  [2_200_000, `"password":"${fake.alnum(12)}Q7x"`],
  [3_150_000, token()],
];

/** A repository with `line` staged as a minified file (and `files` committed before). */
function stagedLine(line: string, files: Record<string, string> = {}): Repo {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n', ...files }, 'root');
  repo.write({ 'static/bundle.min.json': `${line}\n` });
  repo.git(['add', '-A']);
  return repo;
}

/** The staged scan with and without the prescan: the same report (returned), and what the debug line said. */
const bothWays = (repo: Repo, read: string, expectTaken = false) => prescanPair(repo, read, { GITWARD_WINDOW_PRESCAN: '0' }, /as they came/, expectTaken);

const tokensFound = (json: string) => (JSON.parse(json) as { findings: Array<{ rule: string }> }).findings.filter((f) => f.rule === 'secret.github-pat').length;

test('a long line scanned window by window as it comes reports what it reports scanned after it ended', () => {
  const repo = stagedLine(minifiedLine(3_200_000, planted()));
  for (const read of ['diff', 'blob']) {
    const scanned = bothWays(repo, read, true);
    // Three whole windows' scans were taken (the fourth, cut short, is scanned as before).
    assert.match(scanned.stderr, /debug: 3 windows of long lines were scanned for keywords as they came/, `${read}: the windows' scans were taken`);
    assert.equal(scanned.code, 1);
    assert.equal(tokensFound(scanned.json), 4, `${read}: each token once, the one in two windows too`);
  }
});

test('a long line with a character past ASCII after two windows reports what it reports scanned after it ended', () => {
  // At the first byte past 0x7f the line stops being cut as it comes: it is decoded whole at its
  // end and cut then, and the scans of the two windows cut before are dropped with them.
  const scanned = bothWays(stagedLine(minifiedLine(3_200_000, [...planted(), [2_600_000, '"caf\u00e9":"\u00e9t\u00e9"']])), 'diff');
  assert.doesNotMatch(scanned.stderr, /as they came/);
  assert.equal(tokensFound(scanned.json), 4);
});

test('under another limits.max-line-length the windows are the scan\'s own: none is prescanned, the report is the same', () => {
  const line = minifiedLine(2_500_000, planted().filter(([at]) => at < 2_400_000));
  const scanned = bothWays(stagedLine(line, { '.gitward.toml': '[limits]\nmax-line-length = 300000\n' }), 'diff');
  assert.doesNotMatch(scanned.stderr, /as they came/);
  assert.equal(scanned.code, 1);
});
