// `npm pack`/`npm publish` (prepack, postpack): the package.json inside the tarball carries no
// `prepare` script. An install from a tarball never runs `prepare` (the tarball holds dist/ already),
// yet npm 11 lists it among the install scripts it warns about. `strip` builds dist/, keeps the
// package.json as it is in .package.json.packing and writes one without `prepare`; `restore`
// (postpack) puts the kept file back. A pack that failed half way is restored by the next one.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const KEPT = '.package.json.packing';

function restore() {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
}

const step = process.argv[2];
if (step === 'strip') {
  restore();
  await import('./build.mjs');
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  delete manifest.scripts.prepare;
  writeFileSync(KEPT, text);
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'restore') {
  restore();
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
