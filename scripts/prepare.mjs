// `npm run prepare`: builds dist/ (scripts/build.mjs). npm runs it after `npm ci`/`npm install` in
// this folder, and when it installs gitward from a git URL (dist/ is not in git).
//
// Workarounds for `npm install -g git+<url>`, whose preparation of the clone runs an `npm install`
// that inherits the outer command's global mode (open npm bugs, npm/cli#8440 and #3692):
// - that install never installs the clone's own dependencies, so esbuild is missing: when it cannot
//   be found, this installs the clone's pinned dependencies from package-lock.json itself (not
//   global, no scripts);
// - it links the global package folder to the temporary clone, which npm deletes afterwards, so
//   the real install would land in the deleted clone: that link (only one that points here) is
//   removed, and the outer install then writes a real folder.
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

function hasEsbuild() {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

if (!hasEsbuild()) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(global|location|prefix)$/i.test(key)) delete env[key];
  }
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const args = ['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
  const run = spawnSync(npm[0], [...npm.slice(1), ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 || !hasEsbuild()) {
    console.error(`prepare: esbuild is missing and \`npm ${args.join(' ')}\` did not install it (exit ${run.status ?? run.error?.message}).`);
    process.exit(1);
  }
}

unlinkGlobalLinkToHere();

await import('./build.mjs');

function unlinkGlobalLinkToHere() {
  const prefix = process.env.npm_config_prefix;
  if (process.env.npm_config_global !== 'true' || !prefix) return;
  const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const folder of [join(prefix, 'lib', 'node_modules', name), join(prefix, 'node_modules', name)]) {
    try {
      if (lstatSync(folder).isSymbolicLink() && realpathSync(folder) === realpathSync('.')) unlinkSync(folder);
    } catch {
      // Not there: nothing to undo.
    }
  }
}
