// `npm run prepare`: builds dist/ (scripts/build.mjs). npm runs it after `npm ci`/`npm install` in
// this folder, and when it installs gitward from a git URL (dist/ is not in git).
//
// One workaround: `npm install -g git+<url>` prepares the clone with an `npm install` that inherits
// the outer command's global mode, so the clone's own dependencies (esbuild among them) are never
// installed and the build cannot start (an open npm bug, npm/cli#8440). When esbuild cannot be
// found, this installs the clone's pinned dependencies from package-lock.json itself (not global,
// no scripts), then builds.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

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

await import('./build.mjs');
