// Bundles the CLI into dist/ so that every hook run starts one small file instead of resolving
// node_modules. Code split: what only some commands need (SARIF, pickle parsing, the server
// path) sits in chunks loaded on demand.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { gitward: 'src/cli.ts' },
  outdir: 'dist',
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
});
chmodSync('dist/gitward.mjs', 0o755);
