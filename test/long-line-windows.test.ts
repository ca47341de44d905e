import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { sarifPlaces } from './helpers/sarif.ts';
import { fake, join, randomFrom } from '../src/rules/secrets/fake.ts';

// A long added line of ASCII is cut into the scan's windows by the diff parser as git prints it
// (TextQueue.windowHeldLine); a line holding another character is decoded whole and cut by the
// scan (engine/limits.ts windowedLines), as before. Both must give the rules the same windows:
// the same line is staged three times, as ASCII (cut by the parser), with CRLF (cut by the parser,
// the CR left out) and with a non-ASCII character after the last secret (cut by the scan), with
// secrets on the windows' edges, in their overlaps and at the line's end.

const WINDOW = 1 << 20;
const STEP = WINDOW - 4096;
const awsKey = () => join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));

/** `length` characters of minified JSON records with `plants` written over it at their offsets. */
function longLine(length: number, plants: [number, string][]): string {
  let text = '{"id":1,"v":"abc"},'.repeat(Math.ceil(length / 19)).slice(0, length);
  for (const [at, plant] of plants) text = text.slice(0, at) + plant + text.slice(at + plant.length);
  return text;
}

test('a long ASCII line cut into windows as it comes gives the findings of the line cut by the scan', () => {
  const repo = Repo.init();
  // Each planted value, to find where it is in the line.
  const values: string[] = [];
  const planted = (value: string) => (values.push(value), value);
  const key = () => `"k":"${planted(awsKey())}"`;
  const pair = () => `"password":"${planted(join('Kx9', '#mQ2v!', fake.alnum(6)))}"`;
  const plants: [number, string][] = [
    [1000, key()],
    [STEP - 8, key()], // across the second window's start
    [WINDOW - 12, key()], // across the first window's end
    [WINDOW - 2000, pair()], // inside the overlap
    [2 * STEP - 3, pair()], // across the third window's start
    [STEP + WINDOW - 6, key()], // across the second window's end
  ];
  const length = 2 * STEP + WINDOW + 777;
  const end = key();
  const line = longLine(length, plants) + end;
  repo.write({
    'ascii.json': `${line}\n`,
    'crlf.json': `${line}\r\n`,
    'wide.json': `${line}é\n`,
  });
  repo.git(['add', '-A']);
  // SARIF: the findings with their columns, which a window cut one character off would move.
  const run = repo.gitward(['scan', '--format', 'sarif']);
  assert.equal(run.code, 1, run.output);
  const results = sarifPlaces(run.stdout);
  const of = (path: string) => results.filter((r) => r.uri === path).map((r) => [r.rule, r.line, r.column, r.message]);
  const ascii = of('ascii.json');
  assert.equal(ascii.length, plants.length + 1, JSON.stringify(results));
  // Each column is the value's in the whole line, not in the window that found it.
  const columns = (found: unknown[][]) => found.map(([, , column]) => column as number).sort((a, b) => a - b);
  assert.deepEqual(columns(ascii), values.map((value) => line.indexOf(value) + 1).sort((a, b) => a - b));
  assert.deepEqual(of('crlf.json'), ascii);
  assert.deepEqual(of('wide.json'), ascii);
  const text = repo.gitward(['scan']);
  for (const [path, chars] of [['ascii.json', line.length], ['crlf.json', line.length], ['wide.json', line.length + 1]] as const) {
    assert.ok(text.output.includes(`${path}:1: a line of ${chars} characters was scanned in windows of ${WINDOW} (limits.max-line-length)`), text.output);
  }
});
