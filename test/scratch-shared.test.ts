import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

// The diff parser puts a long line's windows together in the buffer the keyword scan then copies
// lines into (engine/scratch.ts). Files are scanned one after another as git prints them: a line
// of the first file is copied into the buffer as it first was, the second file's long line grows it
// while git prints it, and the lines after it must be read from the grown buffer, not the old one.

const githubPat = () => withBase62Checksum(join('gh', 'p_'), fake.alnum(30));

test('lines before, in and after a long line that grows the shared buffer are all read whole', () => {
  const tokens: string[] = [];
  const token = () => {
    const t = githubPat();
    tokens.push(t);
    return t;
  };
  // 300 characters and more: copied by the keyword scan (lines under 128 characters are not).
  const medium = () => `config = {"name": "${'x'.repeat(200)}", "token": "${token()}", "note": "${'y'.repeat(100)}"}`;
  const filler = (n: number) => '{"id":1,"v":"abc"},'.repeat(Math.ceil(n / 19)).slice(0, n);
  const long = `[${filler(1_500_000)}"${token()}",${filler(1_200_000)}"${token()}"]`;
  const repo = Repo.init();
  repo.write({ 'a.py': `${medium()}\n${medium()}\n`, 'b.min.json': `${long}\n`, 'c.py': `${medium()}\n` });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  assert.equal(run.code, 1, run.output);
  const found = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings
    .filter((f) => f.rule === 'secret.github-pat')
    .map((f) => `${f.path}:${f.line}`);
  assert.deepEqual(found.sort(), ['a.py:1', 'a.py:2', 'b.min.json:1', 'b.min.json:1', 'c.py:1'], run.stdout);
});
