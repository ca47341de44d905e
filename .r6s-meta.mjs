import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
const inits = new Set(readFileSync(process.argv[2], 'utf8').trim().split('\n'));
const r = await build({ bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'error', minifyWhitespace: true, metafile: true,
  entryPoints: { gitward: 'src/cli.ts' }, define: { 'import.meta.url': '__gwModule.url' }, external: ['simple-git', 'yargs'], outdir: '/tmp/r6s/metaout' });
const out = Object.values(r.metafile.outputs)[0];
let hot = 0, cold = 0; const rows = [];
for (const [p, v] of Object.entries(out.inputs)) { const h = inits.has(p); if (h) hot += v.bytesInOutput; else cold += v.bytesInOutput; rows.push([v.bytesInOutput, h ? 'HOT ' : 'cold', p]); }
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows) console.log(r.join('\t'));
console.log('hot', hot, 'cold', cold);
