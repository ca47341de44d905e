// A history door's `git log` marks the end of each commit header with random bytes
// (log-source.ts). They come from /dev/urandom, not node:crypto: loading node:crypto for them cost
// the push ~8 ms before its `git log` could start. A clean push loads it not at all; a push with
// findings still does (their fingerprints are SHA-256 hashes).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

/** A preload recording, at each run's exit, whether node:crypto was loaded. */
function cryptoRecorder(): { preload: string; runs: () => string[] } {
  const folder = tempDir();
  const preload = join(folder, 'crypto.cjs');
  const out = join(folder, 'runs.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(out)}, (process.moduleLoadList.includes('NativeModule crypto') ? 'crypto' : 'no-crypto') + '\\n'));\n`,
  );
  writeFileSync(out, '');
  return { preload, runs: () => readFileSync(out, 'utf8').split('\n').filter(Boolean) };
}

test('a clean push through pre-receive never loads node:crypto; a refused one does, for its fingerprints', () => {
  const { preload, runs } = cryptoRecorder();
  const plain = Repo.init({ bare: true }).installPreReceiveHook();
  // The hook's node started with the recorder (git passes the pusher's environment to the hook).
  const env = { ...plain.env, NODE_OPTIONS: `--require ${preload}` };
  const client = Repo.init({ env });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  client.commitUnchecked({ 'app.py': 'import os\nNAME = os.environ["NAME"]\n' }, 'second');
  const clean = client.git(['push', plain.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stderr, /2 new commits/);
  assert.deepEqual(runs(), ['no-crypto'], 'the hook ran once and did not load node:crypto');

  client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
  const refused = client.git(['push', plain.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.notEqual(refused.code, 0, 'the push is refused');
  assert.match(refused.stderr, /settings\.yaml/);
  assert.deepEqual(runs(), ['no-crypto', 'crypto'], 'findings load node:crypto for their fingerprints');
});
