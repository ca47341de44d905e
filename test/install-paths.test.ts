// The install paths the README gives, each run for real: a packed tarball installed into a
// temporary prefix, and an install from a git URL (which builds dist/ through `prepare`). Both then
// stop a real `git commit`. npm reads its cache (filled by `npm ci`) before the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, Repo, tempDir } from './helpers/git.ts';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** npm with the developer's own cache and config, never in global mode by inheritance. */
function npm(args: string[], cwd: string): { code: number; output: string } {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(global|location|prefix)$/i.test(key)) delete env[key];
  const run = spawnSync('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd, env, encoding: 'utf8' });
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/**
 * This work tree as a package folder of its own (tracked and new files, no dist/), with a commit,
 * so that packing it never touches the checkout the other tests run from, and a git URL can point at it.
 */
function packageCopy(): string {
  const copy = join(tempDir('gitward-package-'), 'gitward');
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  const repo = new Repo(copy);
  repo.git(['init', '-q', '-b', 'main']);
  repo.git(['add', '-A']);
  repo.git(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'package']);
  return copy;
}

/** A repository whose commits go through `gitward scan` found on PATH: a leak refused, a clean change let through. */
function assertGuardsCommits(bin: string): void {
  const repo = Repo.init();
  repo.env.PATH = `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`;
  writeFileSync(join(repo.dir, '.git/hooks/pre-commit'), '#!/bin/sh\nexec gitward scan\n', { mode: 0o755 });
  const refused = repo.commit({ '.env': 'API_KEY=x\n' });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /env-file\.committed/);
  rmSync(join(repo.dir, '.env'));
  const clean = repo.commit({ 'app.py': 'print(1)\n' });
  assert.equal(clean.code, 0, clean.output);
}

test('npm pack, then npm install -g into a temporary prefix: no install warning, and the installed gitward stops a commit', { timeout: 600_000 }, () => {
  const copy = packageCopy();
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const before = readFileSync(join(copy, 'package.json'), 'utf8');
  const out = tempDir('gitward-pack-');
  const pack = npm(['pack', '--pack-destination', out], copy);
  assert.equal(pack.code, 0, pack.output);
  assert.equal(readFileSync(join(copy, 'package.json'), 'utf8'), before, 'package.json is as it was after packing');
  assert.ok(!existsSync(join(copy, '.package.json.packing')));
  const tarball = join(out, `gitward-${manifest.version}.tgz`);
  const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout;
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'dist/gitward.cjs', 'hooks/pre-receive']) assert.match(listing, new RegExp(`^package/${file}$`, 'm'), file);
  const packed = JSON.parse(spawnSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' }).stdout) as { scripts: Record<string, string> };
  assert.equal(packed.scripts.prepare, undefined, 'the packed manifest has no prepare script');

  const prefix = tempDir('gitward-prefix-');
  const install = npm(['install', '-g', '--prefix', prefix, tarball], out);
  assert.equal(install.code, 0, install.output);
  assert.doesNotMatch(install.output, /prepare|EBADENGINE|install scripts/, install.output);
  const bin = join(prefix, 'bin');
  const version = spawnSync(join(bin, 'gitward'), ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` } });
  assert.equal(version.stdout.trim(), manifest.version);
  assertGuardsCommits(bin);
});

test('npm install -D git+file://…: prepare builds dist/, and husky runs `gitward scan` from node_modules/.bin', { timeout: 600_000 }, () => {
  const copy = packageCopy();
  const project = Repo.init();
  project.write({ 'package.json': '{ "name": "app", "version": "1.0.0", "private": true }\n', '.gitignore': 'node_modules/\n' });
  const install = npm(['install', '-D', `git+file://${copy}`], project.dir);
  assert.equal(install.code, 0, install.output);
  assert.doesNotMatch(install.output, /EBADENGINE/);
  const installed = join(project.dir, 'node_modules', 'gitward');
  assert.ok(existsSync(join(installed, 'dist', 'gitward.cjs')), `dist/ was built: ${readdirSync(installed).join(', ')}`);
  // husky 9 puts node_modules/.bin on PATH for its hooks: the README's recipe, without npx.
  const husky = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: project.dir, env: project.env, encoding: 'utf8' });
  assert.equal(husky.status, 0, husky.stdout + husky.stderr);
  writeFileSync(join(project.dir, '.husky', 'pre-commit'), 'gitward scan\n');
  project.env.PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
  const refused = project.commit({ '.env': 'API_KEY=x\n' });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /env-file\.committed/);
  rmSync(join(project.dir, '.env'));
  const clean = project.commit({ 'app.py': 'print(1)\n' });
  assert.equal(clean.code, 0, clean.output);
});
