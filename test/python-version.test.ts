import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo, testEnv } from './helpers/git.ts';
import { endOfLife, isPastEndOfLife, supportedVersions } from '../src/rules/python-version/eol.ts';
import { lowestAllowed } from '../src/rules/python-version/scan.ts';
import { createPythonVersionDetector } from '../src/rules/python-version/detector.ts';
import type { FileChange } from '../src/engine/types.ts';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

test('end of life follows the calendar and the date', () => {
  assert.equal(endOfLife({ major: 3, minor: 9 }), '2025-10-31');
  assert.equal(endOfLife({ major: 3, minor: 10 }), '2026-10-31');
  assert.equal(endOfLife({ major: 3, minor: 11 }), '2027-10-31');
  assert.equal(endOfLife({ major: 3, minor: 8 }), '2024-10-07');
  assert.equal(isPastEndOfLife({ major: 3, minor: 9 }, day('2025-10-31')), null);
  assert.equal(isPastEndOfLife({ major: 3, minor: 9 }, day('2025-11-01')), '2025-10-31');
  assert.equal(isPastEndOfLife({ major: 3, minor: 11 }, day('2027-06-01')), null);
  assert.equal(isPastEndOfLife({ major: 3, minor: 11 }, day('2028-01-01')), '2027-10-31');
  assert.deepEqual(supportedVersions(day('2025-12-01')), ['3.10', '3.11', '3.12', '3.13', '3.14']);
});

test('the lowest version a specifier allows', () => {
  assert.deepEqual(lowestAllowed('>=3.8'), { major: 3, minor: 8 });
  assert.deepEqual(lowestAllowed('>=3.8,<4'), { major: 3, minor: 8 });
  assert.deepEqual(lowestAllowed('^3.9'), { major: 3, minor: 9 });
  assert.deepEqual(lowestAllowed('>=3.8 <3.13'), { major: 3, minor: 8 });
  assert.deepEqual(lowestAllowed('~=3.10.2'), { major: 3, minor: 10 });
  assert.equal(lowestAllowed('<3.13'), null);
  assert.equal(lowestAllowed('*'), null);
});

function change(path: string, lines: string[]): FileChange {
  const text = lines.join('\n') + '\n';
  return {
    path, oldPath: null, status: 'A', oldMode: null, newMode: '100644', oldBlob: null, newBlob: 'x', binary: false, commit: null,
    addedLines: lines.map((t, i) => ({ number: i + 1, text: t })),
    loadContent: async () => ({ size: text.length, head: Buffer.from(text), tail: null, complete: true }),
  };
}

test('with an injected date, 3.11 is fine in 2027 and reported in 2028', async () => {
  const ctx = { config: {} as never, notice() {} };
  const early = createPythonVersionDetector(() => day('2027-06-01'));
  const late = createPythonVersionDetector(() => day('2028-01-01'));
  const c = change('.python-version', ['3.11.9']);
  assert.equal(early.appliesTo(c, ctx), true);
  assert.deepEqual(await early.scan(c, ctx), []);
  const found = await late.scan(c, ctx);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /Python 3\.11 .*2027-10-31/);
});

test('staged scan: .python-version, runtime.txt, Dockerfile and an application pyproject warn; a library does not', () => {
  // Pinned: python:3.13 below is past its end of life from November 2029.
  const repo = Repo.init({ env: testEnv({ GITWARD_TODAY: '2026-06-01' }) });
  const { run, json } = repo.stageAndScan({
    '.python-version': '3.8\n',
    'runtime.txt': 'python-3.7.17\n',
    'docker/Dockerfile': 'FROM --platform=linux/amd64 python:3.6-slim AS build\nFROM python:3.13-slim\n',
    'app/pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.8"\n',
    'lib/pyproject.toml': '[project]\nname = "lib"\nrequires-python = ">=3.7"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
  });
  assert.equal(run.code, 0, 'warnings do not block');
  const got = json.findings.filter((f) => f.rule === 'eol-python.version').map((f) => [f.path, f.line, f.severity]);
  assert.deepEqual(got.sort(), [
    ['.python-version', 1, 'warn'],
    ['app/pyproject.toml', 3, 'warn'],
    ['docker/Dockerfile', 1, 'warn'],
    ['runtime.txt', 1, 'warn'],
  ]);
});

test('GITWARD_TODAY pins the date the CLI judges by; a malformed one is exit 2', () => {
  const repo = Repo.init({ env: testEnv({ GITWARD_TODAY: '2027-06-01' }) });
  const early = repo.stageAndScan({ '.python-version': '3.11.9\n' });
  assert.deepEqual(early.json.findings.filter((f) => f.rule === 'eol-python.version'), []);
  const late = repo.gitward(['scan', '--format', 'json'], { env: { ...repo.env, GITWARD_TODAY: '2028-01-01' } });
  const found = (JSON.parse(late.stdout) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === 'eol-python.version');
  assert.equal(found.length, 1, late.output);
  assert.match(found[0]!.message, /Python 3\.11 .*2027-10-31/);
  const bad = repo.gitward(['scan'], { env: { ...repo.env, GITWARD_TODAY: '2028-13-45' } });
  assert.equal(bad.code, 2, bad.output);
  assert.match(bad.stderr, /GITWARD_TODAY must be a date as YYYY-MM-DD/);
});
