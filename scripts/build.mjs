// Bundles the CLI into ONE file, dist/chunks/gitward-<hash>.cjs, started by a small entry,
// dist/gitward.cjs (and dist/gitward.mjs), that compiles it with V8's code cache made at build time (a training run of
// `gitward scan` on a small staged change). Start-up is part of every commit: on commit-small
// this took the run from ~128 to ~108 ms against `node -e 0` at ~66 ms (in-process time,
// 15 runs each). Split ESM chunks cost more than they saved: compiling modules and running the
// ESM loader outweighed the code they kept unloaded. Modules the run does not need (SARIF,
// pickle and notebook parsing, the server path) are still evaluated only when first imported
// (esbuild's lazy module wrappers), and the code cache holds only the functions the training ran.
// yargs and its helpers (a third of the bytes) are a plain CommonJS file of their own beside the
// bundle, required only when yargs parses (never for a hook's argument list); the bundle is
// minified of whitespace and comments. Every start reads the bundle and makes a string of it, and
// on this machine that costs by the byte (853 KB with some non-ASCII comment characters, a
// two-byte string: ~13 ms; 451 KB of ASCII: ~5 ms). See docs/performance.md, "Round 4: start-up".
//
// A node whose V8 rejects the cache (another version or flags) just compiles the bundle. The
// cache and the bundle are named by the bundle's hash, so a cache is never paired with another
// bundle (V8 checks little more than the source length).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// GITWARD_DIST builds elsewhere (a private copy for one test run); the package uses dist/.
const out = resolve(process.env.GITWARD_DIST || 'dist');
const chunks = join(out, 'chunks');
mkdirSync(chunks, { recursive: true });

// yargs' ES module build lays out help with cliui's ES module build, whose stand-in for wrap-ansi
// cuts lines at the column width, inside words; its CommonJS build wraps at word boundaries.
const cliuiWrapsWords = createRequire(createRequire(import.meta.url).resolve('yargs')).resolve('cliui');

// Both bundles: one CommonJS file each, held in memory until written. Fewer bytes to read and turn
// into a string on every start (and plain ASCII: a string of one byte a character); names are kept
// by minifyWhitespace, so stack traces still say which function.
const BUNDLE = {
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  alias: { cliui: cliuiWrapsWords },
  legalComments: 'none',
  logLevel: 'warning',
  minifyWhitespace: true,
};

// yargs (with its helpers, a third of the bundle) is needed only by commands typed by hand, never
// by hooks' argument lists (src/fast-path.ts): it goes into a file of its own, read only when required.
const yargsSource = (
  await build({
    ...BUNDLE,
    stdin: { contents: "export { default } from 'yargs';", resolveDir: process.cwd(), loader: 'js' },
  })
).outputFiles[0].text;
const yargsName = `yargs-${createHash('sha256').update(yargsSource).digest('hex').slice(0, 16)}`;
const yargsApart = {
  name: 'yargs-apart',
  setup(b) {
    // Through a stub bundled in: `import('yargs')` becomes a require of the stub (a vm.Script has no
    // dynamic import), and the stub requires the file beside the bundle.
    b.onResolve({ filter: /^yargs$/ }, () => ({ path: 'yargs', namespace: 'yargs-apart' }));
    b.onLoad({ filter: /.*/, namespace: 'yargs-apart' }, () => ({ contents: `module.exports = require('./${yargsName}.cjs').default;`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/yargs-[0-9a-f]+\.cjs$/ }, (a) => ({ path: a.path, external: true }));
  },
};

// The secrets provider table's keywords, worked out here instead of at every start: the CLI then
// makes a provider row only when a line holds one of its keywords (src/rules/secrets/providers/keywords.ts).
const keywordsModule = resolve('src/rules/secrets/providers/keywords.ts');
const providerKeywords = {
  name: 'provider-keywords',
  setup(b) {
    b.onLoad({ filter: /[\\/]providers[\\/]keywords\.ts$/ }, async (a) => {
      if (a.path !== keywordsModule) return undefined;
      return { contents: `export const PROVIDER_KEYWORDS = ${JSON.stringify(await keywordsFromSource())};`, loader: 'js' };
    });
  },
};

/** PROVIDER_KEYWORDS as the module computes it run from source (every row made). */
async function keywordsFromSource() {
  const code = (await build({ ...BUNDLE, entryPoints: [keywordsModule] })).outputFiles[0].text;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(import.meta.url));
  return module.exports.PROVIDER_KEYWORDS;
}

/**
 * The ranking file's precomputed form (src/rules/requirements/ranking-index.ts), made by the
 * module's own code from the source, written beside the bundle under the bundle's name: a run
 * reads it with one JSON.parse instead of building the look-alike indexes from the tsv.
 */
async function rankingFromSource() {
  const code = (await build({ ...BUNDLE, entryPoints: ['src/rules/requirements/ranking-index.ts'], define: { 'import.meta.url': 'undefined' } })).outputFiles[0].text;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(import.meta.url));
  return module.exports.rankingFileText(readFileSync(resolve('data/pypi-top-packages.tsv')));
}

const result = await build({
  ...BUNDLE,
  entryPoints: { gitward: 'src/cli.ts' },
  // The bundle is CommonJS; modules that find files next to themselves get its URL.
  define: { 'import.meta.url': '__gwModule.url' },
  // Loaded from node_modules by `install` and `demo` only: the scan's bundle stays as it was.
  external: ['simple-git'],
  plugins: [yargsApart, providerKeywords],
  // Worked out when first used (few runs need it), not at every start.
  banner: { js: "const __gwModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  outfile: join(chunks, 'gitward.cjs'),
});
// Written already wrapped as a CommonJS module's function, as the entry compiles it: wrapping at
// every start made a second copy of the whole source (~465 KB of young memory, ~2 ms CPU).
// Run by node itself (`node dist/chunks/gitward-….cjs`, or as a worker thread's main file), the
// file would only evaluate that function and exit 0 having scanned nothing: it says so and exits 2.
// (Compiled by the entry, at the top level of a script, `module` and `require` are not defined.)
const ranDirectly =
  "if (typeof require === 'function' && typeof module === 'object' && require.main === module) { process.stderr.write('gitward: error: ' + __filename + ' is part of gitward\\'s bundle: run dist/gitward.cjs (the package\\'s bin) instead\\n'); process.exit(2); }";
const source = `${ranDirectly}(function (exports, require, module, __filename, __dirname) { ${result.outputFiles[0].text}\n});`;
const name = `gitward-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
const bundle = join(chunks, `${name}.cjs`);
const cache = join(chunks, `${name}.cache`);

/**
 * The entry: reads the bundle and its cache, compiles with the cache, runs it as a CommonJS module.
 * `gitward.cjs` is the one the package's bin names: a CommonJS main file spares node its ES module
 * loader (eighteen internal modules, ~4 ms of every commit). `gitward.mjs` does the same from an ES
 * module, for hooks and scripts written before the .cjs entry existed.
 */
function entry(bundleName, cacheName, kind) {
  const head =
    kind === 'cjs'
      ? `'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const chunks = join(__dirname, 'chunks');`
      : `import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const chunks = fileURLToPath(new URL('./chunks', import.meta.url));`;
  return `#!/usr/bin/env node
// Generated by scripts/build.mjs: runs the bundle with the code cache made at build time.
${head}
const file = join(chunks, '${bundleName}');
let cachedData;
try {
  cachedData = readFileSync(join(chunks, '${cacheName}'));
} catch {
  // No cache (the training failed): compile as usual.
}
const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
const module_ = { exports: {}, filename: file };
script.runInThisContext()(module_.exports, Module.createRequire(file), module_, file, chunks);
`;
}

writeAtomically(join(chunks, `${yargsName}.cjs`), yargsSource);
writeAtomically(bundle, source);
writeAtomically(join(chunks, `${name}.ranking.json`), await rankingFromSource());
trainCodeCache(bundle, cache);

// Written last: a run started meanwhile uses either the old entry and bundle or the new ones.
for (const kind of ['cjs', 'mjs']) writeAtomically(join(out, `gitward.${kind}`), entry(`${name}.cjs`, `${name}.cache`, kind), 0o755);

// dist/ is not wiped first: several test runs may share it while one rebuilds. Older bundles,
// caches and the split chunks of earlier builds go once the new entry no longer refers to them.
for (const file of readdirSync(chunks)) {
  if (!file.startsWith(`${name}.`) && file !== `${yargsName}.cjs`) rmSync(join(chunks, file), { force: true });
}

/** By rename, so that a run (or a build) at the same time never reads half a file. */
function writeAtomically(file, data, mode = 0o644) {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, data, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

/**
 * Runs `gitward scan` from the bundle on a small staged change (Python, YAML, JSON: the everyday
 * commit) in a temporary repository, then saves V8's code cache of everything that run compiled.
 * A failed training leaves no cache; the CLI then compiles the bundle on each start.
 */
function trainCodeCache(bundleFile, cacheFile) {
  const repo = mkdtempSync(join(tmpdir(), 'gitward-build-'));
  try {
    const git = (args) => spawnSync('git', args, { cwd: repo, stdio: 'ignore' });
    git(['init', '-q']);
    mkdirSync(join(repo, 'app'));
    writeFileSync(join(repo, 'app', 'models.py'), 'import os\n\n\ndef load(path):\n    """Read settings."""\n    return open(path).read()\n\nTIMEOUT = 30\nNAME = os.environ["NAME"]\n');
    writeFileSync(join(repo, 'settings.yaml'), 'server:\n  host: localhost\n  port: 8080\n  password: ${DB_PASSWORD}\n');
    writeFileSync(join(repo, 'data.json'), '{"name": "demo", "items": [1, 2, 3], "url": "https://example.com/a"}\n');
    writeFileSync(join(repo, 'requirements.txt'), 'requests==2.32.3\n');
    git(['add', '-A']);
    const trainer = `
      const { readFileSync, writeFileSync } = require('node:fs');
      const { createRequire } = require('node:module');
      const { Script } = require('node:vm');
      const { renameSync } = require('node:fs');
      const [file, cacheFile] = process.argv.slice(-2);
      process.argv = [process.argv[0], file, 'scan'];
      const script = new Script(readFileSync(file, 'utf8'), { filename: file });
      process.on('exit', () => {
        const temporary = cacheFile + '.tmp-' + process.pid;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      });
      const module = { exports: {}, filename: file };
      script.runInThisContext()(module.exports, createRequire(file), module, file, require('node:path').dirname(file));
    `;
    const run = spawnSync(process.execPath, ['-e', trainer, '--', bundleFile, cacheFile], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
    });
    // 1 is a scan with findings: still a full run.
    if (run.status !== 0 && run.status !== 1) {
      rmSync(cacheFile, { force: true });
      console.warn(`build: code cache not made (training scan exited ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
