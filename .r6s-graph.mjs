import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
const inits = new Set(readFileSync('/tmp/r6s/inits-scan.txt', 'utf8').trim().split('\n'));
const r = await build({ bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'error', metafile: true,
  entryPoints: { gitward: 'src/cli.ts' }, define: { 'import.meta.url': '__gwModule.url' }, external: ['simple-git', 'yargs'], outdir: '/tmp/r6s/metaout' });
for (const [p, v] of Object.entries(r.metafile.inputs)) {
  for (const imp of v.imports) {
    if (!imp.path.startsWith('src/') && !imp.path.startsWith('node_modules')) continue;
    const from = inits.has(p) || p === 'src/cli.ts' || p === 'src/fast-path.ts' ? 'H' : 'c';
    const to = inits.has(imp.path) ? 'H' : 'c';
    if (from !== to) console.log(from + to, imp.kind, p, '->', imp.path);
  }
}
