// What a clean push does not need, a clean push does not load (each costs every push its start-up):
// - node:crypto: the log's header mark (log-source.ts) comes from /dev/urandom; loading node:crypto
//   for 16 bytes cost ~8 ms before the push's `git log` could start. Findings still load it (their
//   fingerprints are SHA-256 hashes).
// - node:fs/promises (with readline and the file watchers it brings): only the audit line uses it,
//   which a push let through does not write.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const WATCHED = ['crypto', 'fs/promises'];

/** A preload recording, at each run's exit, which of WATCHED node loaded. */
function moduleRecorder(): { preload: string; runs: () => string[] } {
  const folder = tempDir();
  const preload = join(folder, 'modules.cjs');
  const out = join(folder, 'runs.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => {
  const loaded = ${JSON.stringify(WATCHED)}.filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
  require('node:fs').appendFileSync(${JSON.stringify(out)}, (loaded.join(' ') || 'none') + '\\n');
});\n`,
  );
  writeFileSync(out, '');
  return { preload, runs: () => readFileSync(out, 'utf8').split('\n').filter(Boolean) };
}

test('a clean push through pre-receive loads neither node:crypto nor node:fs/promises; a refused one loads both (fingerprints, the audit line)', () => {
  const { preload, runs } = moduleRecorder();
  const server = Repo.init({ bare: true }).installPreReceiveHook();
  // The hook's node started with the recorder (git passes the pusher's environment to the hook).
  const client = Repo.init({ env: { ...server.env, NODE_OPTIONS: `--require ${preload}` } });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  client.commitUnchecked({ 'app.py': 'import os\nNAME = os.environ["NAME"]\n' }, 'second');
  const clean = client.git(['push', server.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stderr, /2 new commits/);
  assert.deepEqual(runs(), ['none'], 'the hook ran once and loaded neither');

  client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
  const refused = client.git(['push', server.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.notEqual(refused.code, 0, 'the push is refused');
  assert.match(refused.stderr, /settings\.yaml/);
  assert.match(readFileSync(join(server.dir, 'gitward-audit.log'), 'utf8'), /"event":"rejected"/, 'the audit line was written');
  assert.deepEqual(runs(), ['none', 'crypto fs/promises']);
});
