import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { CLI } from './helpers/git.ts';

// scripts/build.mjs: one bundle named by its hash, and a code cache made by a training scan.
const chunks = join(dirname(CLI), 'chunks');
const entry = readFileSync(CLI, 'utf8');
const bundleName = /\.\/chunks\/(gitward-[0-9a-f]{16}\.cjs)/.exec(entry)?.[1];

test('the entry runs one bundle, named by its hash', () => {
  assert.ok(bundleName, 'the entry names its bundle');
  assert.ok(readdirSync(chunks).includes(bundleName));
  assert.ok(entry.includes(bundleName.replace(/\.cjs$/, '.cache')), 'the entry reads the cache made for that bundle');
  // Older builds' chunks and bundles are gone.
  for (const file of readdirSync(chunks)) assert.ok(file.startsWith(bundleName.replace(/\.cjs$/, '.')) || file.includes('.tmp-'), `stale file ${file}`);
});

test('the code cache was made by the training scan and this node accepts it', () => {
  const file = join(chunks, bundleName!);
  const cachedData = readFileSync(file.replace(/\.cjs$/, '.cache'));
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  assert.equal(script.cachedDataRejected, false);
  // A cache of the top level alone is a few tens of KB; the scan's functions make it several times that.
  assert.ok(cachedData.length > 200_000, `cache of ${cachedData.length} bytes holds only the top level`);
});
