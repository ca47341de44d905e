import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { buildCorpus } from './secrets/corpus.ts';

test('realistic corpus: planted secrets are blocked, look-alikes pass, nothing leaks', () => {
  const files = buildCorpus(6);
  const repo = Repo.init();
  const { run, json } = repo.stageAndScan(Object.fromEntries(files.map((f) => [f.path, f.content])));
  const blockedPaths = new Set(json.findings.filter((f) => f.severity === 'block').map((f) => f.path));
  const planted = files.filter((f) => f.secret !== null);
  const lookalikes = files.filter((f) => f.secret === null);
  const missed = planted.filter((f) => !blockedPaths.has(f.path));
  const falsePositives = lookalikes.filter((f) => blockedPaths.has(f.path));
  const recall = 1 - missed.length / planted.length;
  const fpRate = falsePositives.length / lookalikes.length;
  console.log(`corpus: ${files.length} files, recall ${(recall * 100).toFixed(1)}%, look-alikes blocked ${(fpRate * 100).toFixed(1)}%; missed: ${missed.map((f) => f.kind).join(", ") || "none"}`);
  assert.ok(files.length >= 200, `corpus has ${files.length} files`);
  assert.ok(recall >= 0.95, `missed: ${missed.map((f) => `${f.kind}:${f.path}`).join(', ')}`);
  assert.ok(fpRate <= 0.02, `blocked look-alikes: ${falsePositives.map((f) => `${f.kind}:${f.path}`).join(', ')}`);
  for (const f of planted) assert.ok(!run.output.includes(f.secret!), `the value planted in ${f.path} was printed`);
});
