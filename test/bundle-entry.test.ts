import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { CLI, copyOfBuild, Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// scripts/build.mjs stores the bundle already wrapped as a module's function, for the entries
// (dist/gitward.cjs, dist/gitward.mjs) to compile. Run by node itself, such a file only evaluates
// the function and exits 0: nothing may start it that way and take the 0 for "nothing found".

const chunks = join(dirname(CLI), 'chunks');
const bundle = join(chunks, readdirSync(chunks).find((file) => /^gitward-[0-9a-f]{16}\.cjs$/.test(file))!);

function repoWithSecret(): Repo {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'demo\n' });
  repo.commitUnchecked({ 'deploy.py': `TOKEN = "${fakeGithubPat()}"\n` });
  return repo;
}

test('the bundle file run by node itself exits 2 with one line, not 0 having scanned nothing', () => {
  const repo = repoWithSecret();
  repo.write({ 'more.py': `TOKEN = "${fakeGithubPat()}"\n` });
  repo.git(['add', '-A']);
  assert.equal(repo.gitward(['scan']).code, 1, 'the entry finds the staged token');
  refusedWithOneLine(spawnSync(process.execPath, [bundle, 'scan'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' }));
});

/** A part of the bundle run by node itself: exit 2, one line that names the entry to run instead. */
function refusedWithOneLine(direct: SpawnSyncReturns<string>): void {
  assert.equal(direct.status, 2, `exit ${direct.status}: ${direct.stdout}${direct.stderr}`);
  assert.match(direct.stderr, /^gitward: error: .*run dist\/gitward\.cjs/);
  assert.equal(direct.stderr.trim().split('\n').length, 1);
}

test('a history scan on worker threads runs from the .mjs entry when the .cjs one is absent', () => {
  const repo = repoWithSecret();
  // A copy of the build with only the ES module entry: the worker threads must start it, not the bundle.
  const dist = copyOfBuild();
  rmSync(join(dist, 'gitward.cjs'));
  const env = { ...repo.env, GITWARD_WORKERS: '2', GITWARD_WORKERS_FROM: '0', GITWARD_DEBUG: '1' };
  const run = spawnSync(process.execPath, [join(dist, 'gitward.mjs'), 'scan', '--history'], { cwd: repo.dir, env, encoding: 'utf8' });
  assert.match(run.stderr, /on 2 worker threads/, 'the scan ran on worker threads');
  assert.equal(run.status, 1, `exit ${run.status}: ${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /secret\.github-pat/);
});

// Code the everyday commit does not run is a file of its own, compiled on first use (scripts/build.mjs, APART).
const apart = join(chunks, readdirSync(chunks).find((file) => /^apart-[0-9a-f]{16}\.cjs$/.test(file))!);

test('the file of code kept apart, run by node itself, exits 2 with one line too', () => {
  refusedWithOneLine(spawnSync(process.execPath, [apart, 'pre-receive'], { cwd: tempDir(), encoding: 'utf8' }));
});

test('the everyday commit never reads the code kept apart; a door that needs it, missing, exits 2 with a clear error', () => {
  const repo = repoWithSecret();
  const dist = copyOfBuild();
  rmSync(join(dist, 'chunks', basename(apart)));
  const cli = join(dist, 'gitward.cjs');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  // A staged change of small text files: scanned in full without the file (a token found, a clean one passed).
  repo.write({ 'app.py': `TOKEN = "${fakeGithubPat()}"\n`, 'settings.yaml': 'server:\n  port: 8080\n' });
  repo.git(['add', '-A']);
  const found = run(['scan']);
  assert.equal(found.status, 1, `exit ${found.status}: ${found.stdout}${found.stderr}`);
  assert.match(found.stdout, /secret\.github-pat/);
  repo.git(['reset', '-q', 'app.py']);
  const clean = run(['scan']);
  assert.equal(clean.status, 0, `exit ${clean.status}: ${clean.stdout}${clean.stderr}`);
  // Doors whose code is kept apart: exit 2 and say what is missing, never 0.
  for (const args of [['scan', '--format', 'sarif'], ['rules'], ['scan', '--history']]) {
    const failed = run(args);
    assert.equal(failed.status, 2, `${args.join(' ')}: exit ${failed.status}: ${failed.stdout}${failed.stderr}`);
    assert.match(failed.stderr, /^gitward: error: gitward is installed incompletely: .*apart-[0-9a-f]{16}\.cjs cannot be read \(ENOENT\)\n/, args.join(' '));
    assert.equal(failed.stdout, '', args.join(' '));
  }
});
