import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, Repo, tempDir } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const githubPat = () => withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;

/** This repository as a hook repository: its sources (as they are now) committed in a fresh repo. */
function hookRepo(): { dir: string; rev: string } {
  const repo = Repo.init();
  for (const entry of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'scripts', 'src', 'schemas', '.pre-commit-hooks.yaml', 'hooks', 'data']) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(repo.dir, entry), { recursive: true });
  }
  const rev = repo.commitUnchecked({}, 'hook repository');
  return { dir: repo.dir, rev };
}

test('pre-commit framework: a staged secret fails the commit, a clean change passes, --all-files scans files whole', { skip: hasPreCommit ? false : 'pre-commit is not installed (apt-get install pre-commit; .ci/run does it)' }, () => {
  const hooks = hookRepo();
  const project = Repo.init();
  // The framework's own npm install must build the package's dist/, not a private test build.
  const env: NodeJS.ProcessEnv = { ...project.env, PRE_COMMIT_HOME: tempDir('gitward-pc-home-') };
  delete env.GITWARD_DIST;
  const p = new Repo(project.dir, env);
  p.write({ '.pre-commit-config.yaml': `repos:\n- repo: ${hooks.dir}\n  rev: ${hooks.rev}\n  hooks:\n  - id: gitward\n` });
  p.commitUnchecked({ 'README.md': '# app\n' });
  const install = spawnSync('pre-commit', ['install'], { cwd: p.dir, env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stdout + install.stderr);

  const token = githubPat();
  const refused = p.commit({ 'app/settings.py': `TOKEN = "${token}"\n` });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /secret\.github-pat/);
  assert.ok(!refused.output.includes(token), 'the token is never printed');
  assert.equal(p.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');

  p.git(['rm', '-q', '--cached', 'app/settings.py']);
  p.write({ 'app/settings.py': 'import os\nTOKEN = os.environ["TOKEN"]\n' });
  const passed = p.commit({});
  assert.equal(passed.code, 0, passed.output);

  // A secret committed past the hook is found by `pre-commit run --all-files` (whole files).
  p.commitUnchecked({ 'old/config.py': `KEY = "${githubPat()}"\n` });
  const all = spawnSync('pre-commit', ['run', '--all-files'], { cwd: p.dir, env, encoding: 'utf8' });
  assert.equal(all.status, 1, all.stdout + all.stderr);
  assert.match(all.stdout, /old\/config\.py:1/);
});

test('husky: git commit of a secret fails through .husky/pre-commit', () => {
  const repo = Repo.init();
  repo.write({ 'package.json': '{ "name": "app", "private": true }\n' });
  const husky = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  assert.equal(husky.status, 0, husky.stdout + husky.stderr);
  assert.equal(repo.git(['config', 'core.hooksPath']).stdout.trim(), '.husky/_');
  repo.write({ '.husky/pre-commit': `"${process.execPath}" "${CLI}" scan\n` });
  const refused = repo.commit({ 'src/app.py': `TOKEN = "${githubPat()}"\n` });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /secret\.github-pat/);
  assert.equal(repo.git(['rev-list', '--all', '--count']).stdout.trim(), '0');
  repo.git(['rm', '-q', '--cached', 'src/app.py']);
  writeFileSync(join(repo.dir, 'src/app.py'), 'print("ok")\n');
  assert.equal(repo.commit({}).code, 0);
});
