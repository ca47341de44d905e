import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fake, join as glue } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';
import { CLI, Repo, tempDir } from './helpers/git.ts';

// scripts/build.mjs stores the bundle already wrapped as a module's function, for the entries
// (dist/gitward.cjs, dist/gitward.mjs) to compile. Run by node itself, such a file only evaluates
// the function and exits 0: nothing may start it that way and take the 0 for "nothing found".

const chunks = join(dirname(CLI), 'chunks');
const bundle = join(chunks, readdirSync(chunks).find((file) => /^gitward-[0-9a-f]{16}\.cjs$/.test(file))!);

function repoWithSecret(): Repo {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'demo\n' });
  repo.commitUnchecked({ 'deploy.py': `TOKEN = "${withBase62Checksum(glue('gh', 'p_'), fake.alnum(30))}"\n` });
  return repo;
}

test('the bundle file run by node itself exits 2 with one line, not 0 having scanned nothing', () => {
  const repo = repoWithSecret();
  repo.write({ 'more.py': `TOKEN = "${withBase62Checksum(glue('gh', 'p_'), fake.alnum(30))}"\n` });
  repo.git(['add', '-A']);
  assert.equal(repo.gitward(['scan']).code, 1, 'the entry finds the staged token');
  const direct = spawnSync(process.execPath, [bundle, 'scan'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  assert.equal(direct.status, 2, `exit ${direct.status}: ${direct.stdout}${direct.stderr}`);
  assert.match(direct.stderr, /^gitward: error: .*run dist\/gitward\.cjs/);
  assert.equal(direct.stderr.trim().split('\n').length, 1);
});

test('a history scan on worker threads runs from the .mjs entry when the .cjs one is absent', () => {
  const repo = repoWithSecret();
  // A copy of the build with only the ES module entry: the worker threads must start it, not the bundle.
  const dist = join(tempDir(), 'dist');
  cpSync(dirname(CLI), dist, { recursive: true });
  rmSync(join(dist, 'gitward.cjs'));
  const env = { ...repo.env, GITWARD_WORKERS: '2', GITWARD_WORKERS_FROM: '0', GITWARD_DEBUG: '1' };
  const run = spawnSync(process.execPath, [join(dist, 'gitward.mjs'), 'scan', '--history'], { cwd: repo.dir, env, encoding: 'utf8' });
  assert.match(run.stderr, /on 2 worker threads/, 'the scan ran on worker threads');
  assert.equal(run.status, 1, `exit ${run.status}: ${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /secret\.github-pat/);
});
