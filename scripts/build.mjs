// Bundles the CLI into ONE file, dist/chunks/gitward-<hash>.cjs, started by a small entry,
// dist/gitward.cjs (and dist/gitward.mjs), that compiles it with V8's code cache made at build time (a training run of
// `gitward scan` on a small staged change). Start-up is part of every commit: on commit-small
// this took the run from ~128 to ~108 ms against `node -e 0` at ~66 ms (in-process time,
// 15 runs each). Split ESM chunks cost more than they saved: compiling modules and running the
// ESM loader outweighed the code they kept unloaded. Modules the run does not need are still
// evaluated only when first imported (esbuild's lazy module wrappers), the code cache holds only
// the functions the training ran, and the code the everyday commit never runs (other commands,
// the server hook, worker threads, SARIF, pickle parsing, requirements checks) is a second file,
// dist/chunks/apart-<hash>.cjs with a cache of its own, compiled on first use (APART below).
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
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';

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

// The secrets provider table's keywords and least match lengths, worked out here instead of at every start: the CLI
// then makes a provider row only when a line holds one of its keywords and is long enough for it
// (src/rules/secrets/providers/keywords.ts).
const keywordsModule = resolve('src/rules/secrets/providers/keywords.ts');
/** The module's exports (PROVIDER_KEYWORDS, PROVIDER_IDS) as it computes them run from source (every row made); once per build, for both main bundles. */
let keywordsFromSource;
const providerKeywords = {
  name: 'provider-keywords',
  setup(b) {
    b.onLoad({ filter: /[\\/]providers[\\/]keywords\.ts$/ }, async (a) => {
      if (a.path !== keywordsModule) return undefined;
      keywordsFromSource ??= exportsFromSource(keywordsModule);
      const { PROVIDER_KEYWORDS, PROVIDER_IDS, PROVIDER_MIN_LENGTHS } = await keywordsFromSource;
      return {
        contents: `export const PROVIDER_KEYWORDS = ${JSON.stringify(PROVIDER_KEYWORDS)};\nexport const PROVIDER_IDS = ${JSON.stringify(PROVIDER_IDS)};\nexport const PROVIDER_MIN_LENGTHS = ${JSON.stringify(PROVIDER_MIN_LENGTHS)};`,
        loader: 'js',
      };
    });
  },
};

/** The exports of a source module, bundled alone and run here (the build's own work from the project's code). */
async function exportsFromSource(entry, options = {}) {
  const code = (await build({ ...BUNDLE, ...options, entryPoints: [entry] })).outputFiles[0].text;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}

/**
 * The ranking file's precomputed form (src/rules/requirements/ranking-index.ts), made by the
 * module's own code from the source, written beside the part of the bundle kept apart under its name: a run
 * looks names up in it as it lies instead of building the look-alike indexes from the tsv.
 */
async function rankingFromSource() {
  const { rankingFileBytes } = await exportsFromSource('src/rules/requirements/ranking-index.ts', { define: { 'import.meta.url': 'undefined', 'import.meta.filename': 'undefined' } });
  return rankingFileBytes(readFileSync(resolve('data/pypi-top-packages.tsv')));
}

/** An object literal's text whose keys are the project's module paths and values functions that require them. */
function requiresByPath(paths) {
  return paths.map((path) => `${JSON.stringify(path)}: () => require(${JSON.stringify(`./${path}`)})`).join(',\n');
}

// Run by node itself (`node dist/chunks/gitward-….cjs`, or as a worker thread's main file), the
// file would only evaluate that function and exit 0 having scanned nothing: it says so and exits 2.
// (Compiled by the entry, at the top level of a script, `module` and `require` are not defined.)
const ranDirectly =
  "if (typeof require === 'function' && typeof module === 'object' && require.main === module) { process.stderr.write('gitward: error: ' + __filename + ' is part of gitward\\'s bundle: run dist/gitward.cjs (the package\\'s bin) instead\\n'); process.exit(2); }";

// Code the everyday commit (a staged scan of a few text files) never runs: other commands, the
// server hook, worker threads, SARIF, pickle parsing, requirements checks, python-version files,
// picomatch (globs in a config). It is a file of its own beside the bundle (dist/chunks/apart-<hash>.cjs),
// with its own code cache, compiled on first use: every start read, deserialized and made closures
// of all of it (a third of the bundle's bytes). Each entry is reached only by a dynamic import or a
// require call (checked below), so the everyday commit never opens the file.
const APART = [
  'src/commands/baseline.ts',
  'src/commands/commit-msg.ts',
  'src/commands/demo.ts',
  'src/commands/install.ts',
  'src/commands/pre-push.ts',
  'src/commands/pre-receive.ts',
  'src/commands/rules.ts',
  'src/parallel/heap-growth.ts',
  'src/parallel/pool.ts',
  'src/parallel/settings.ts',
  'src/parallel/worker.ts',
  'src/report/sarif.ts',
  'src/rules/deserialization/scan-python.ts',
  'src/rules/pickle/dangerous.ts',
  'src/rules/pickle/inspect.ts',
  'src/rules/pickle/parser.ts',
  'src/rules/python-version/scan.ts',
  'src/rules/requirements/judge.ts',
  'src/rules/requirements/look-alike.ts',
  'src/rules/requirements/ranking-index.ts',
  'src/rules/requirements/req-file.ts',
  'src/server/early-push.ts',
  'node_modules/picomatch/index.js',
];
const MAIN_OPTIONS = {
  ...BUNDLE,
  entryPoints: { gitward: 'src/cli.ts' },
  // The bundle is CommonJS; modules that find files next to themselves get its URL.
  // import.meta.filename: the file's path without a URL made (ranking-index.ts).
  define: { 'import.meta.url': '__gwModule.url', 'import.meta.filename': '__filename' },
  // Loaded from node_modules by `install` and `demo` only: the scan's bundle stays as it was.
  external: ['simple-git'],
  // Worked out when first used (few runs need it), not at every start.
  banner: { js: "const __gwModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  outfile: join(chunks, 'gitward.cjs'),
  metafile: true,
};
const relative = (path) => path.split(sep).join('/').replace(`${process.cwd().split(sep).join('/')}/`, '');

/**
 * A plugin's hook on every import of a file (not the entry): esbuild resolves it as usual (once,
 * marked `plugin` so this hook does not see its own resolution), and `decide` gets the file's path
 * relative to the project and the import; it returns esbuild's answer, or undefined for the usual one.
 */
function onImportedFile(b, plugin, decide) {
  b.onResolve({ filter: /.*/ }, async (a) => {
    if (a.pluginData === plugin || a.namespace !== 'file' || a.kind === 'entry-point') return undefined;
    const resolved = await b.resolve(a.path, { resolveDir: a.resolveDir, importer: a.importer, kind: a.kind, pluginData: plugin });
    return decide(relative(resolved.path), a);
  });
}

/**
 * In the main bundle, an import of an APART module becomes a require of the part kept apart: `apartModule`
 * (below, in the bundle) compiles that file on first use and hands out the module.
 */
function keptApart(loader) {
  return {
    name: 'kept-apart',
    setup(b) {
      onImportedFile(b, 'kept-apart', (path, a) => {
        if (!APART.includes(path)) return undefined;
        if (a.kind !== 'dynamic-import' && a.kind !== 'require-call') {
          return { errors: [{ text: `${relative(a.importer)} imports ${path} at load: it would load the part kept apart at every start (scripts/build.mjs, APART)` }] };
        }
        return { path, namespace: 'kept-apart' };
      });
      b.onLoad({ filter: /.*/, namespace: 'kept-apart' }, (a) => ({ contents: `module.exports = require('gitward-apart-loader').apartModule(${JSON.stringify(a.path)});`, loader: 'js' }));
      b.onResolve({ filter: /^gitward-apart-loader$/ }, () => ({ path: 'loader', namespace: 'apart-loader' }));
      b.onLoad({ filter: /.*/, namespace: 'apart-loader' }, () => ({ contents: loader, loader: 'js', resolveDir: process.cwd() }));
    },
  };
}

/**
 * The loader, in the main bundle: reads the part kept apart and its cache, compiles it as the
 * entries compile the bundle, and gives it the main bundle's own modules (`main`: one instance of
 * each, with its state). A missing or unreadable file is a clear exit 2, never a silent pass.
 */
function apartLoader(file, mainModules) {
  const main = requiresByPath(mainModules);
  return `import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { GitwardError } from './src/engine/errors.ts';
import { codeCacheEnding } from './src/engine/optimizer-state.ts';
const MAIN = {
${main}
};
let modules;
export function apartModule(path) {
  modules ??= load();
  return modules[path]();
}
function load() {
  const file = join(__dirname, ${JSON.stringify(file)});
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GitwardError(\`gitward is installed incompletely: \${file} cannot be read (\${error.code ?? error.message})\`, 'Reinstall gitward (npm ci, or npm install gitward).');
  }
  // The cache made under the V8 flags now in effect (optimizer-state.ts): any other is refused.
  const ending = codeCacheEnding();
  let cachedData;
  try {
    if (ending !== null) cachedData = readFileSync(file.replace(/\\.cjs$/, ending));
  } catch {
    // No cache: compile as usual.
  }
  const script = new Script(source, { filename: file, cachedData });
  // Observable on purpose: a test checks that a large staged change's run takes its cache.
  if (process.env.GITWARD_DEBUG) {
    const how = cachedData === undefined ? 'without a code cache' : script.cachedDataRejected ? \`without its code cache (\${ending} refused)\` : \`with its code cache (\${ending})\`;
    process.stderr.write(\`gitward: debug: the part kept apart compiled \${how}\\n\`);
  }
  const module = { exports: {}, filename: file };
  script.runInThisContext()(module.exports, require, module, file, __dirname, (path) => MAIN[path]());
  return module.exports;
}
`;
}

/**
 * esbuild's `__toESM` (what `await import('./x.ts')` of a module wrapped as CommonJS becomes: every
 * module kept apart, and the commands) makes a new namespace object at each call, defining a getter
 * per export. The rules import their apart modules inside `scan`, once per change (a push: ~1,000
 * calls, ~10 ms in the profile), so the bundles keep each module's namespace once made, as an ES
 * module's import does (the same object every time). Fails the build when esbuild writes the
 * helper differently.
 */
function namespaceOnce(text) {
  const helper = 'var __toESM=(mod,isNodeMode,target)=>(';
  if (text.split(helper).length > 2) throw new Error('scripts/build.mjs: more than one __toESM helper in a bundle');
  if (!text.includes(helper)) {
    if (text.includes('__toESM(')) throw new Error('scripts/build.mjs: esbuild\'s __toESM helper changed: update namespaceOnce');
    return text;
  }
  // Kept by module object (a namespace depends only on it and on isNodeMode).
  const once = 'var __namespaces=[new WeakMap,new WeakMap];var __toESM=(mod,isNodeMode)=>{if(mod==null||typeof mod!=="object"&&typeof mod!=="function")return __toESMNew(mod,isNodeMode);const kept=__namespaces[isNodeMode?1:0];let ns=kept.get(mod);if(ns===void 0)kept.set(mod,ns=__toESMNew(mod,isNodeMode));return ns};var __toESMNew=(mod,isNodeMode,target)=>(';
  return text.replace(helper, once);
}

// 1. The main bundle with the part apart left out: what it holds (every other module).
const plain = await build({ ...MAIN_OPTIONS, plugins: [yargsApart, providerKeywords, keptApart(apartLoader('', []))] });
const inMain = new Set(Object.keys(plain.metafile.inputs).filter((path) => !path.includes(':')));

// 2. The part apart: the APART modules and what only they import; a module of the main bundle is
// taken from it (`main(path)`, the loader's MAIN), never bundled twice (two instances, two states).
const apartResult = await build({
  ...BUNDLE,
  stdin: { contents: `module.exports = {\n${requiresByPath(APART)}\n};`, resolveDir: process.cwd(), loader: 'js', sourcefile: 'apart-entry.js' },
  define: MAIN_OPTIONS.define,
  external: MAIN_OPTIONS.external,
  banner: MAIN_OPTIONS.banner,
  metafile: true,
  plugins: [
    {
      name: 'main-modules',
      setup(b) {
        onImportedFile(b, 'main-modules', (path) => (inMain.has(path) ? { path, namespace: 'main-module' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'main-module' }, (a) => ({ contents: `module.exports = main(${JSON.stringify(a.path)});`, loader: 'js' }));
      },
    },
  ],
});
const usedFromMain = Object.keys(apartResult.metafile.inputs).filter((path) => path.startsWith('main-module:')).map((path) => path.slice('main-module:'.length)).sort();
const apartSource = `${ranDirectly}(function (exports, require, module, __filename, __dirname, main) { ${namespaceOnce(apartResult.outputFiles[0].text)}\n});`;
const apartName = `apart-${createHash('sha256').update(apartSource).digest('hex').slice(0, 16)}`;

// 3. The main bundle, whose loader names the part apart and lends it the modules it uses.
const result = await build({ ...MAIN_OPTIONS, plugins: [yargsApart, providerKeywords, keptApart(apartLoader(`${apartName}.cjs`, usedFromMain))] });
// Written already wrapped as a CommonJS module's function, as the entry compiles it: wrapping at
// every start made a second copy of the whole source (~465 KB of young memory, ~2 ms CPU).
const source = `${ranDirectly}(function (exports, require, module, __filename, __dirname) { ${namespaceOnce(result.outputFiles[0].text)}\n});`;
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
const { join } = require('node:path');
const { Script } = require('node:vm');

const chunks = join(__dirname, 'chunks');
// The bundle requires node's modules and the files beside it (./yargs-<hash>.cjs): this entry's own
// require, those names taken from chunks/ (node:module's createRequire loaded node:module and the
// ES module loader with it at every start).
const bundleRequire = (id) => require(id.startsWith('./') ? join(chunks, id) : id);`
      : `import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const chunks = fileURLToPath(new URL('./chunks', import.meta.url));
const bundleRequire = Module.createRequire(join(chunks, '${bundleName}'));`;
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
script.runInThisContext()(module_.exports, bundleRequire, module_, file, chunks);
`;
}

writeAtomically(join(chunks, `${yargsName}.cjs`), yargsSource);
writeAtomically(join(chunks, `${apartName}.cjs`), apartSource);
writeAtomically(bundle, source);
// Beside the part kept apart, which holds ranking-index.ts (its import.meta.filename names that file).
writeAtomically(join(chunks, `${apartName}.ranking.bin`), await rankingFromSource());
// The part apart's caches by the V8 settings they fit (src/engine/optimizer-state.ts).
const { CODE_CACHE_ENDINGS, LARGE_STAGED_CHANGE_BYTES } = await exportsFromSource('src/engine/optimizer-state.ts');
trainCodeCaches(bundle, cache, join(chunks, `${apartName}.cjs`), join(chunks, `${apartName}${CODE_CACHE_ENDINGS.defaults}`));

// Written last: a run started meanwhile uses either the old entry and bundle or the new ones.
for (const kind of ['cjs', 'mjs']) writeAtomically(join(out, `gitward.${kind}`), entry(`${name}.cjs`, `${name}.cache`, kind), 0o755);

// dist/ is not wiped first: several test runs may share it while one rebuilds. Older bundles,
// caches and the split chunks of earlier builds go once the new entry no longer refers to them.
for (const file of readdirSync(chunks)) {
  if (!file.startsWith(`${name}.`) && !file.startsWith(`${apartName}.`) && file !== `${yargsName}.cjs`) rmSync(join(chunks, file), { force: true });
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
 * The part kept apart is trained by a second run that needs it (`--format sarif` on a change that
 * adds a requirements file, a pickle and a Python line that unpickles), and by a third in a large
 * staged change, under the V8 flags such a change runs with (`.large.cache`: src/engine/optimizer-state.ts).
 * A failed training leaves no cache; the CLI then compiles that file on each start.
 */
function trainCodeCaches(bundleFile, cacheFile, apartFile, apartCacheFile) {
  const repo = mkdtempSync(join(tmpdir(), 'gitward-build-'));
  try {
    const git = (args) => spawnSync('git', args, { cwd: repo, stdio: 'ignore' });
    git(['init', '-q']);
    mkdirSync(join(repo, 'app'));
    writeFileSync(join(repo, 'app', 'models.py'), 'import os\n\n\ndef load(path):\n    """Read settings."""\n    return open(path).read()\n\nTIMEOUT = 30\nNAME = os.environ["NAME"]\n');
    writeFileSync(join(repo, 'settings.yaml'), 'server:\n  host: localhost\n  port: 8080\n  password: ${DB_PASSWORD}\n');
    writeFileSync(join(repo, 'data.json'), '{"name": "demo", "items": [1, 2, 3], "url": "https://example.com/a"}\n');
    git(['add', '-A']);
    train(repo, bundleFile, bundleFile, cacheFile, ['scan']);
    writeFileSync(join(repo, 'requirements.txt'), lockFileForTraining());
    // An empty dict, pickled (protocol 2): read by the pickle rules, never loaded.
    writeFileSync(join(repo, 'app', 'state.pkl'), Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]));
    writeFileSync(join(repo, 'app', 'cache.py'), 'import pickle\n\n\ndef restore(blob):\n    return pickle.loads(blob)\n');
    git(['add', '-A']);
    train(repo, bundleFile, apartFile, apartCacheFile, ['scan', '--format', 'sarif']);
    // Again in a large staged change (twice the size that makes one), whose scan lightens V8's
    // optimizing before it needs the part apart: a cache made under those flags.
    const note = (i) => `note ${i} of the build's training\n`;
    writeFileSync(join(repo, 'notes.txt'), Array.from({ length: Math.ceil((2 * LARGE_STAGED_CHANGE_BYTES) / note(0).length) }, (_, i) => note(i)).join(''));
    git(['add', '-A']);
    train(repo, bundleFile, apartFile, apartCacheFile.replace(/\.cache$/, CODE_CACHE_ENDINGS['large staged change']), ['scan', '--format', 'sarif']);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/**
 * The requirements file of the part apart's training: a small pip-compile lock file (hashed
 * requirements continued over `--hash` lines, `# via` comments) with unranked names, so that the
 * cache holds what a lock file's scan runs — the hashed entries' parse and the whole look-alike
 * search — not only a one-line pin's path (those functions were parsed and compiled on every
 * lock file's scan: docs/performance.md, "Round 8: requirements"). The digests are made here.
 */
function lockFileForTraining() {
  const digest = (text) => `    --hash=sha256:${createHash('sha256').update(text).digest('hex')}`;
  const entry = (pin, via) => [`${pin} \\`, `${digest(`${pin}.whl`)} \\`, digest(`${pin}.tar.gz`), `    # via ${via}`].join('\n');
  return [
    '#',
    '# This file is autogenerated by pip-compile',
    '#',
    entry('acme-billing-client==2.4.1', 'acme-orders-service'),
    entry('acme-orders-service==1.0.3', '-r requirements.in'),
    entry('requests==2.32.3', 'acme-billing-client'),
    entry('urllib3==2.2.2', 'requests'),
    '',
  ].join('\n');
}

/** One training run: `gitward <args>` from `bundleFile`, then the code cache of `file` (the bundle, or a file it compiled). */
function train(repo, bundleFile, file, cacheFile, args) {
  // The bundle compiles the part apart with node:vm's Script: the trainer's Script keeps each it made.
  const trainer = `
    const { readFileSync, renameSync, writeFileSync } = require('node:fs');
    const { createRequire } = require('node:module');
    const vm = require('node:vm');
    const [bundleFile, file, cacheFile, ...args] = process.argv.slice(1);
    process.argv = [process.argv[0], bundleFile, ...args];
    const made = new Map();
    const Script = vm.Script;
    vm.Script = class extends Script {
      constructor(source, options) {
        super(source, options);
        made.set(options.filename, this);
      }
    };
    const script = new vm.Script(readFileSync(bundleFile, 'utf8'), { filename: bundleFile });
    process.on('exit', () => {
      const trained = made.get(file);
      if (!trained) return;
      const temporary = cacheFile + '.tmp-' + process.pid;
      writeFileSync(temporary, trained.createCachedData());
      renameSync(temporary, cacheFile);
    });
    const module = { exports: {}, filename: bundleFile };
    script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, require('node:path').dirname(bundleFile));
  `;
  rmSync(cacheFile, { force: true });
  const run = spawnSync(process.execPath, ['-e', trainer, '--', bundleFile, file, cacheFile, ...args], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' },
    encoding: 'utf8',
  });
  // 1 is a scan with findings: still a full run.
  if ((run.status !== 0 && run.status !== 1) || !existsSync(cacheFile)) {
    rmSync(cacheFile, { force: true });
    console.warn(`build: code cache of ${basename(file)} not made (training \`gitward ${args.join(' ')}\` exited ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}
