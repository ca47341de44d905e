import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { CLI, Repo } from './helpers/git.ts';

// scripts/build.mjs: one bundle named by its hash, and a code cache made by a training scan.
const chunks = join(dirname(CLI), 'chunks');
const entry = readFileSync(CLI, 'utf8');
const bundleName = /'(gitward-[0-9a-f]{16}\.cjs)'/.exec(entry)?.[1];

test('the entry runs one bundle, named by its hash', () => {
  assert.ok(bundleName, 'the entry names its bundle');
  assert.ok(readdirSync(chunks).includes(bundleName));
  assert.ok(entry.includes(bundleName.replace(/\.cjs$/, '.cache')), 'the entry reads the cache made for that bundle');
  // yargs is a file of its own, required by the bundle; older builds' chunks and bundles are gone.
  const yargsName = /require\("\.\/(yargs-[0-9a-f]{16}\.cjs)"\)/.exec(readFileSync(join(chunks, bundleName), 'utf8'))?.[1];
  assert.ok(yargsName && readdirSync(chunks).includes(yargsName), 'the bundle requires yargs from its own file beside it');
  const apartName = apartOf(bundleName);
  for (const file of readdirSync(chunks)) {
    const current = file.startsWith(bundleName.replace(/\.cjs$/, '.')) || file.startsWith(apartName.replace(/\.cjs$/, '.')) || file === yargsName;
    assert.ok(current || file.includes('.tmp-'), `stale file ${file}`);
  }
});

/** The file of code kept apart that the bundle's loader names (scripts/build.mjs, APART). */
function apartOf(bundle: string): string {
  const name = /"(apart-[0-9a-f]{16}\.cjs)"/.exec(readFileSync(join(chunks, bundle), 'utf8'))?.[1];
  assert.ok(name, 'the bundle names the file of code kept apart');
  assert.ok(readdirSync(chunks).includes(name), `${name} is beside the bundle`);
  return name;
}

test('code the everyday commit does not run is kept apart, with a code cache of its own this node accepts', () => {
  const bundle = readFileSync(join(chunks, bundleName!), 'utf8');
  const apart = readFileSync(join(chunks, apartOf(bundleName!)), 'utf8');
  // Each kept-apart module is in one file only: one instance, one state (the apart file takes the bundle's).
  // esbuild's module wrappers: `"src/x.ts"(){` for an ES module, `"…/x.js"(exports,module){` for CommonJS.
  const defines = (text: string, path: string) => new RegExp(`"${path.replace(/[.]/g, '\\.')}"\\((?:exports\\d*,module\\d*)?\\)\\{`).test(text);
  for (const path of ['src/commands/pre-receive.ts', 'src/parallel/pool.ts', 'src/report/sarif.ts', 'src/rules/pickle/parser.ts', 'node_modules/picomatch/lib/parse.js']) {
    assert.ok(defines(apart, path), `${path} is in the apart file`);
    assert.ok(!defines(bundle, path), `${path} is not in the bundle`);
  }
  assert.ok(defines(bundle, 'src/rules/secrets/detector.ts') && !defines(apart, 'src/rules/secrets/detector.ts'), 'the scan is in the bundle only');
  const file = join(chunks, apartOf(bundleName!));
  const cachedData = readFileSync(file.replace(/\.cjs$/, '.cache'));
  assert.equal(new Script(apart, { filename: file, cachedData }).cachedDataRejected, false);
  assert.ok(cachedData.length > 50_000, `cache of ${cachedData.length} bytes holds only the top level`);
});

// V8 takes a code cache only under the flags it was made with, and a large staged change lightens
// V8's optimizing (src/engine/optimizer-budget.ts) before the part apart is first needed: that run
// reads a cache the build made under those flags (src/engine/optimizer-state.ts).
test('the part kept apart takes its code cache in a small staged change and in a large one, which lightens the optimizing first', () => {
  const repo = Repo.init();
  repo.write({ 'requirements.txt': 'requests==2.32.3\n', 'app.py': 'import pickle\nobj = pickle.loads(blob)\n' });
  repo.git(['add', '-A']);
  const apartLine = (run: { stderr: string }) => /debug: the part kept apart compiled (.*)/.exec(run.stderr)?.[1];
  const debug = { ...repo.env, GITWARD_DEBUG: '1' };
  const small = repo.gitward(['scan'], { env: debug });
  assert.equal(small.code, 1, small.output);
  assert.equal(apartLine(small), 'with its code cache (.cache)');
  // Past 32 KiB of patch text: a large staged change. Named to come first in the diff (git sorts
  // by path), so the output is past 32 KiB before app.py's patch, however small node's reads are.
  repo.write({ 'NOTES.txt': Array.from({ length: 3000 }, (_, i) => `note ${i} of a long text file\n`).join('') });
  repo.git(['add', '-A']);
  const large = repo.gitward(['scan'], { env: debug });
  assert.equal(large.code, 1, large.output);
  assert.equal(apartLine(large), 'with its code cache (.large.cache)');
  assert.equal(large.stdout, repo.gitward(['scan']).stdout, 'the same report without the debug lines');
});

test("yargs is read only when yargs parses: not for a hook's argument list, and for --help", () => {
  const folder = mkdtempSync(join(tmpdir(), 'gitward-build-test-'));
  const preload = join(folder, 'required.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nREQUIRED ' + Object.keys(require.cache).join(' ')));\n");
  const required = (args: string[]) => {
    const run = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd: folder, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: folder } });
    return { status: run.status, files: run.stderr.slice(run.stderr.lastIndexOf('REQUIRED ')) };
  };
  try {
    // Outside a repository the fast path still routes `scan` (and fails there: exit 2).
    const hook = required(['scan']);
    assert.equal(hook.status, 2);
    assert.doesNotMatch(hook.files, /yargs-[0-9a-f]{16}\.cjs/);
    const help = required(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.files, /yargs-[0-9a-f]{16}\.cjs/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the code cache was made by the training scan and this node accepts it', () => {
  const file = join(chunks, bundleName!);
  const cachedData = readFileSync(file.replace(/\.cjs$/, '.cache'));
  // The bundle is written already wrapped as a module's function: the entry compiles the file as it is.
  const source = readFileSync(file, 'utf8');
  // (After one statement that stops a run of the file by node itself: test/bundle-entry.test.ts.)
  const wrapperAt = source.indexOf(Module.wrap('').slice(0, 40));
  assert.ok(wrapperAt >= 0 && wrapperAt < 400 && !source.slice(0, wrapperAt).includes('\n'), 'the bundle is stored wrapped');
  const script = new Script(source, { filename: file, cachedData });
  assert.equal(script.cachedDataRejected, false);
  // A cache of the top level alone is a few tens of KB; the scan's functions make it several times that.
  assert.ok(cachedData.length > 200_000, `cache of ${cachedData.length} bytes holds only the top level`);
});

test('the bin is the CommonJS entry (no ES module loader at start-up), and the .mjs entry runs the same bundle', () => {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(manifest.bin.gitward, 'dist/gitward.cjs');
  assert.ok(CLI.endsWith('gitward.cjs'));
  const esm = CLI.replace(/\.cjs$/, '.mjs');
  assert.ok(readFileSync(esm, 'utf8').includes(`'${bundleName}'`), 'both entries name the same bundle');
  for (const file of [CLI, esm]) {
    const run = spawnSync(process.execPath, [file, '--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${file}: ${run.stderr}`);
    assert.match(run.stdout, /\d+\.\d+\.\d+/);
  }
  // The CommonJS entry spares node's ES module jobs (and the fs/promises and readline they load).
  const folder = mkdtempSync(join(tmpdir(), 'gitward-build-test-'));
  const preload = join(folder, 'modules.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n')));\n");
  const loaded = spawnSync(process.execPath, ['--require', preload, CLI, '--version'], { encoding: 'utf8' });
  rmSync(folder, { recursive: true, force: true });
  assert.equal(loaded.status, 0, loaded.stderr);
  assert.match(loaded.stderr, /NativeModule vm/, 'the preload listed the modules');
  assert.doesNotMatch(loaded.stderr, /internal\/modules\/esm\/module_job|internal\/fs\/promises/);
});

test("the bundle holds the provider rows' keywords worked out at build time, the same as the table's", () => {
  // src/rules/secrets/providers/keywords.ts makes every row; the build replaces it with its result.
  const bundle = readFileSync(join(chunks, bundleName!), 'utf8');
  const literal = /PROVIDER_KEYWORDS=(\[\[.*?\]\])[;}]/.exec(bundle)?.[1];
  assert.ok(literal, 'the bundle holds the keyword lists as a literal');
  assert.deepEqual(JSON.parse(literal), PROVIDERS.map((p) => p.keywords));
  assert.doesNotMatch(bundle, /providerAt\(i\)\.keywords/, 'the bundle does not make every row to find the keywords');
  // The rows' ids too (a config's [rules] is checked against them).
  const ids = /PROVIDER_IDS=(\[.*?\])[;}]/.exec(bundle)?.[1];
  assert.ok(ids, 'the bundle holds the rows\' ids as a literal');
  assert.deepEqual(JSON.parse(ids), PROVIDERS.map((p) => p.id));
  assert.doesNotMatch(bundle, /providerAt\(i\)\.id\b/);
});
