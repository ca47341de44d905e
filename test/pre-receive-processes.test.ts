// pre-receive peels the pushed ids through the `cat-file --batch-check` process that the push's
// blob reader then asks for sizes (one git process less per push): the findings must be those of
// two processes, and only one may start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { reduceOsSystem } from './pickle/fixtures.ts';
import { fake, join as glue } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const githubPat = () => withBase62Checksum(glue('gh', 'p_'), fake.alnum(30));

/** The `cat-file --batch-check` processes git traced (the peel's format or the default one). */
function batchChecks(trace: string): string[] {
  return trace.split('\n').filter((l) => l.includes('trace: built-in: git') && /cat-file '?--batch-check/.test(l));
}

test('a real push: the peel and the blob sizes share one cat-file --batch-check, with the same findings', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const trace = join(tempDir(), 'trace.txt');
  const client = Repo.init({ env: { ...bare.env, GIT_TRACE: trace } });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  // A binary change is sized before it is read (the pickle rule's read): the size check's process.
  client.commitUnchecked({ 'weights.bin': reduceOsSystem() }, 'weights');
  client.commitUnchecked({ 'settings.yaml': `token: ${githubPat()}\n` }, 'settings');
  const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main', 'HEAD:refs/heads/copy'], { allowFail: true });
  assert.notEqual(run.code, 0, 'the push is refused');
  assert.match(run.stderr, /3 new commits|3 commits \(pushed\)/);
  assert.match(run.stderr, /weights\.bin[\s\S]*DANGEROUS: os\.system|DANGEROUS: os\.system[\s\S]*weights\.bin/);
  assert.match(run.stderr, /settings\.yaml/);
  assert.equal(bare.git(['rev-parse', '--verify', '-q', 'refs/heads/main'], { allowFail: true }).stdout.trim(), '', 'nothing was let in');
  const checks = batchChecks(readFileSync(trace, 'utf8'));
  assert.equal(checks.length, 1, `one cat-file --batch-check for the peel and the sizes:\n${checks.join('\n')}`);
});

test('a push with a binary file and an annotated tag: the tag is peeled through the shared process too', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const trace = join(tempDir(), 'trace.txt');
  const client = Repo.init({ env: { ...bare.env, GIT_TRACE: trace } });
  client.commitUnchecked({ 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0xff]) }, 'logo');
  client.git(['tag', '-a', 'v1', '-m', 'release one']);
  const clean = client.git(['push', bare.dir, 'HEAD:refs/heads/main', 'refs/tags/v1'], { allowFail: true });
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stderr, /1 new commit scanned/);
  // The peel and the sizes: one process; the tag's message is read by tag-messages.ts's own pair.
  assert.equal(batchChecks(readFileSync(trace, 'utf8')).length, 2);
  // A tag whose message holds a secret is refused: it was peeled to its commit and its message read.
  client.git(['tag', '-a', 'v2', '-m', `token ${githubPat()}`]);
  const leaky = client.git(['push', bare.dir, 'refs/tags/v2'], { allowFail: true });
  assert.notEqual(leaky.code, 0, 'the tag is refused');
  assert.match(leaky.stderr, /tag v2|in tag/);
});
