import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT, Repo, tempDir } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

test('SARIF from a commit range validates against the SARIF 2.1.0 schema, with rules, commit and fingerprints', () => {
  const repo = Repo.init();
  const base = repo.commitUnchecked({ 'README.md': '# x\n' });
  const token = withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));
  const head = repo.commitUnchecked({ 'dir with space/a#b.py': `T = "${token}"\n`, '.env': 'A=1\n' }, 'leak');
  const out = join(tempDir(), 'out.sarif');
  const run = repo.gitward(['scan', '--range', `${base}..${head}`, '--format', 'sarif', '--output', out]);
  assert.equal(run.code, 1, run.output);
  const text = readFileSync(out, 'utf8');
  assert.ok(!text.includes(token), 'no secret in SARIF');
  const log = JSON.parse(text);
  assert.ok(validate(structuredClone(log)), JSON.stringify(validate.errors, null, 2));
  const driver = log.runs[0].tool.driver;
  const ids = driver.rules.map((r: { id: string }) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'one entry per rule');
  assert.ok(ids.includes('secret.github-pat'));
  assert.ok(driver.rules.every((r: { help: { text: string } }) => r.help.text.length > 20));
  const secret = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'secret.github-pat');
  assert.equal(secret.properties.commit, head);
  assert.equal(secret.locations[0].physicalLocation.artifactLocation.uri, 'dir%20with%20space/a%23b.py');
  assert.equal(secret.locations[0].physicalLocation.region.startLine, 1);
  assert.match(secret.partialFingerprints['gitwardFingerprint/v1'], /^[0-9a-f]{32}$/);
  assert.equal(driver.rules[secret.ruleIndex].id, 'secret.github-pat');
});

test('the schema check is real: a broken log is rejected', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
});

test('SARIF of a clean staged scan validates and exits 0', () => {
  const repo = Repo.init();
  repo.write({ 'a.py': 'print(1)\n' });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'sarif']);
  assert.equal(run.code, 0, run.output);
  assert.ok(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors));
});

test('SARIF lists only the rules that fired; --sarif-all-rules lists every rule', () => {
  const repo = Repo.init();
  repo.write({ '.env': 'A=1\n', 'a.py': 'print(1)\n' });
  repo.git(['add', '-A']);
  const fired = JSON.parse(repo.gitward(['scan', '--format', 'sarif']).stdout);
  assert.ok(validate(structuredClone(fired)), JSON.stringify(validate.errors));
  assert.deepEqual(fired.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['env-file.committed']);
  assert.equal(fired.runs[0].results[0].ruleIndex, 0);
  const all = JSON.parse(repo.gitward(['scan', '--format', 'sarif', '--sarif-all-rules']).stdout);
  assert.ok(validate(structuredClone(all)), JSON.stringify(validate.errors));
  const rules = JSON.parse(repo.gitward(['rules', '--format', 'json']).stdout) as { id: string }[];
  assert.equal(all.runs[0].tool.driver.rules.length, rules.length);
  const result = all.runs[0].results[0];
  assert.equal(all.runs[0].tool.driver.rules[result.ruleIndex].id, 'env-file.committed');
  const clean = JSON.parse(repo.gitward(['scan', '--format', 'sarif', 'a.py']).stdout);
  assert.deepEqual(clean.runs[0].tool.driver.rules, []);
});
