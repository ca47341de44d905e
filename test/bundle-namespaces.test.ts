// scripts/build.mjs (namespaceOnce): `await import()` of a module wrapped as CommonJS (the modules
// kept apart, the commands) gives the same namespace object each time, as an ES module's import
// does, instead of esbuild's helper making a new one (a getter per export) at every call: the
// rules import their apart modules once per change.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { CLI } from './helpers/git.ts';

const chunks = join(dirname(CLI), 'chunks');

/** The bundle's helpers (esbuild's prelude, up to `__toCommonJS`), run alone: its `__toESM`. */
function toEsmOf(file: string): (mod: unknown, isNodeMode?: number) => Record<string, unknown> {
  const text = readFileSync(join(chunks, file), 'utf8');
  const start = text.indexOf('var __create=');
  const helper = text.indexOf('var __toCommonJS=', start);
  assert.ok(start >= 0 && helper > start, `${file} starts with esbuild's helpers`);
  const end = text.indexOf(';var ', helper);
  const prelude = text.slice(start, end + 1);
  return new Function(`${prelude}\nreturn __toESM;`)() as (mod: unknown, isNodeMode?: number) => Record<string, unknown>;
}

const bundles = readdirSync(chunks).filter((f) => /^(gitward|apart)-[0-9a-f]{16}\.cjs$/.test(f));

test('both bundle files are checked', () => {
  assert.deepEqual(bundles.map((f) => f.split('-')[0]).sort(), ['apart', 'gitward']);
});

for (const file of bundles) {
  test(`${file.split('-')[0]}: a module's namespace is made once and stays live`, () => {
    const toEsm = toEsmOf(file);
    const exportsOf = { judge: () => 'first', count: 1 };
    const first = toEsm(exportsOf, 1);
    assert.equal(toEsm(exportsOf, 1), first, 'the same namespace for the same module');
    assert.equal(first.default, exportsOf, 'the module itself as default (node mode)');
    assert.equal((first.judge as () => string)(), 'first');
    exportsOf.count = 2;
    assert.equal(first.count, 2, 'exports read through, as before');
    // Another module, or the same one outside node mode, gets its own namespace.
    assert.notEqual(toEsm({ judge: () => 'other' }, 1), first);
    const esModule = Object.defineProperty({ value: 3 }, '__esModule', { value: true });
    const plain = toEsm(esModule);
    assert.equal(plain.default, undefined, 'an ES module compiled to CommonJS has no added default outside node mode');
    assert.equal(toEsm(esModule), plain);
    assert.notEqual(toEsm(esModule, 1), plain);
    assert.equal(toEsm(esModule, 1).default, esModule);
    // Values that are not objects are wrapped as before.
    assert.equal(toEsm(undefined, 1).default, undefined);
  });
}
