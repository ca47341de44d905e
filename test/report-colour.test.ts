import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir, testEnv } from './helpers/git.ts';

// The text report's colour: on a terminal, or with FORCE_COLOR; never with NO_COLOR, --no-color or --output.
const ESCAPE = /\u001b\[[0-9;]*m/g;

function colourEnv(): NodeJS.ProcessEnv {
  const env = testEnv({ FORCE_COLOR: '1' });
  delete env.NO_COLOR;
  return env;
}

function repoWithFinding(): Repo {
  const repo = Repo.init();
  repo.write({ 'requirements.txt': 'flask\n' });
  repo.git(['add', 'requirements.txt']);
  return repo;
}

test('FORCE_COLOR colours the text report, and the coloured report is the plain one with escapes', () => {
  const repo = repoWithFinding();
  const plain = repo.gitward(['scan']);
  const coloured = repo.gitward(['scan'], { env: colourEnv() });
  assert.match(plain.stdout, /unpinned/, plain.output);
  assert.doesNotMatch(plain.stdout, ESCAPE);
  assert.match(coloured.stdout, ESCAPE);
  assert.equal(coloured.code, plain.code);
  assert.equal(coloured.stdout.replace(ESCAPE, ''), plain.stdout);
});

test('--no-color and --output win over FORCE_COLOR', () => {
  const repo = repoWithFinding();
  const env = colourEnv();
  const noColour = repo.gitward(['scan', '--no-color'], { env });
  assert.match(noColour.stdout, /unpinned/, noColour.output);
  assert.doesNotMatch(noColour.stdout, ESCAPE);
  const file = join(tempDir(), 'report.txt');
  const written = repo.gitward(['scan', '--output', file], { env });
  assert.equal(written.stdout, '');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /unpinned/);
  assert.doesNotMatch(text, ESCAPE);
});

test('a clean change prints nothing, coloured or not', () => {
  const repo = Repo.init();
  repo.write({ 'requirements.txt': 'flask==3.0.3\n' });
  repo.git(['add', 'requirements.txt']);
  const run = repo.gitward(['scan'], { env: colourEnv() });
  assert.equal(run.code, 0, run.output);
  assert.equal(run.stdout, '');
});
