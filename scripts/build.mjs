// Bundles the CLI into dist/ so that every hook run starts one small file instead of resolving
// node_modules. Code split: what only some commands need (SARIF, pickle parsing, the server
// path) sits in chunks loaded on demand.
import { build } from 'esbuild';

// GITWARD_DIST builds elsewhere (a private copy for one test run); the package uses dist/.
const out = process.env.GITWARD_DIST || 'dist';
import { chmodSync, readdirSync, rmSync } from 'node:fs';

// dist/ is not wiped first: several test runs may share it while one rebuilds. Stale chunks
// are removed after the build, by name, once the new entry no longer refers to them.
const result = await build({
  entryPoints: { gitward: 'src/cli.ts' },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __gwCreateRequire } from 'node:module'; const require = __gwCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const fresh = new Set(Object.keys(result.metafile.outputs).map((p) => p.slice(p.indexOf('chunks/'))));
for (const name of readdirSync(`${out}/chunks`)) {
  if (!fresh.has(`chunks/${name}`)) rmSync(`${out}/chunks/${name}`, { force: true });
}
chmodSync(`${out}/gitward.mjs`, 0o755);
