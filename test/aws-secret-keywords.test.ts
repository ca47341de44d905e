import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { PROVIDER_COUNT, providerAt } from '../src/rules/secrets/providers/rows.ts';
import { fake } from '../src/rules/secrets/fake.ts';

// The AWS secret key row's keywords are its names' prefixes, and three of its names whole, not the
// word `secret` (which ran its case-insensitive pattern over every line and 1 MiB window holding
// that word). A line reaches the pattern only through a keyword, so every name must hold one.
const ID = 'secret.aws-secret-access-key';
const row = Array.from({ length: PROVIDER_COUNT }, (_, i) => providerAt(i)).find((p) => p.id === ID)!;
const names = /^\(\?<!\[a-z\]\)\(\?:([\w|-]+)\)/.exec(row.source)![1]!.split('|');

test("each of the AWS row's names holds one of its keywords, and `secret` alone is none", () => {
  assert.ok(names.length >= 7, row.source);
  for (const name of names) assert.ok(row.keywords.some((k) => name.includes(k)), `${name}: no keyword in ${row.keywords.join(', ')}`);
  assert.ok(!row.keywords.includes('secret'));
});

test('the CLI finds an AWS secret key after each name, in any case, and not after `secret` alone', () => {
  const value = () => fake.base64(40);
  const spell = [(n: string) => n, (n: string) => n.toUpperCase(), (n: string) => n[0]!.toUpperCase() + n.slice(1)];
  const lines: string[] = [];
  for (const name of names) for (const s of spell) lines.push(`${s(name)} = ${value()}`);
  const found = lines.length;
  lines.push(`secret = ${value()}`, `SecretAccount: ${value()}`);
  const { run, json } = Repo.init().stageAndScan({ 'settings.ini': `${lines.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  const aws = json.findings.filter((f) => f.rule === ID).map((f) => f.line);
  assert.deepEqual(aws, Array.from({ length: found }, (_, i) => i + 1), run.stdout);
});
