import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, Repo } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';


function setup() {
  const bare = Repo.init({ bare: true });
  const client = Repo.init({ env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  return { bare, client };
}

test('pre-push scans only the commits the remote does not have, each on its own', () => {
  const { client } = setup();
  client.commitUnchecked({ 'old.py': `T = "${fakeGithubPat()}"\n` }, 'already pushed');
  client.git(['push', '-q', 'origin', 'main']);
  const bad = client.commitUnchecked({ 'k.py': `K = "${fakeGithubPat()}"\n` }, 'add');
  client.commitUnchecked({ 'k.py': 'K = None\n' }, 'remove');
  const head = client.git(['rev-parse', 'HEAD']).stdout.trim();
  const remote = client.git(['rev-parse', 'origin/main']).stdout.trim();
  const run = client.gitward(['pre-push', 'origin', 'url', '--format', 'json'], { input: `refs/heads/main ${head} refs/heads/main ${remote}\n` });
  assert.equal(run.code, 1, run.output);
  const json = JSON.parse(run.stdout) as { findings: { commit: string; path: string }[]; stats: { commits: number } };
  assert.deepEqual(json.findings.map((f) => [f.commit, f.path]), [[bad, 'k.py']]);
  assert.equal(json.stats.commits, 2);
  const deletion = client.gitward(['pre-push', 'origin', 'url'], { input: `(delete) ${'0'.repeat(40)} refs/heads/x ${remote}\n` });
  assert.equal(deletion.code, 0, deletion.output);
});

test('the hooks/pre-push wrapper runs gitward from a real git push and blocks it', () => {
  const { bare, client } = setup();
  client.commitUnchecked({ 'a.py': 'A = 1\n' });
  // GITWARD names the program; node needs the CLI as its first argument, so wrap it.
  writeFileSync(join(client.dir, '.git', 'gw'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(client.dir, '.git', 'gw'), 0o755);
  const hook = join(client.dir, '.git', 'hooks', 'pre-push');
  writeFileSync(hook, `#!/bin/sh\nGITWARD="${join(client.dir, '.git', 'gw')}" exec sh "${join(ROOT, 'hooks', 'pre-push')}" "$@"\n`);
  chmodSync(hook, 0o755);
  const ok = client.git(['push', 'origin', 'main'], { allowFail: true });
  assert.equal(ok.code, 0, ok.output);
  client.commitUnchecked({ 'b.py': `B = "${fakeGithubPat()}"\n` });
  const blocked = client.git(['push', 'origin', 'main'], { allowFail: true });
  assert.notEqual(blocked.code, 0, blocked.output);
  assert.match(blocked.output, /secret\.github-pat/);
  assert.equal(bare.git(['rev-list', '--count', 'main']).stdout.trim(), '1');
  writeFileSync(hook, `#!/bin/sh\nPATH=/usr/bin:/bin GITWARD= exec sh "${join(ROOT, 'hooks', 'pre-push')}" "$@"\n`);
  const missing = client.git(['push', 'origin', 'main'], { allowFail: true });
  assert.notEqual(missing.code, 0);
  assert.match(missing.output, /gitward: not found/);
});

test('pre-push leaves out what the remote already has: a new branch on top of a remote history holding a secret passes', () => {
  const { bare, client } = setup();
  client.commitUnchecked({ 'old.py': `T = "${fakeGithubPat()}"\n` }, 'a secret that reached the remote before the hook');
  client.git(['push', '-q', '--no-verify', 'origin', 'main']);
  const hook = join(client.dir, '.git', 'hooks', 'pre-push');
  writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-push "$@"\n`);
  chmodSync(hook, 0o755);
  client.git(['checkout', '-q', '-b', 'feature']);
  const clean = client.commitUnchecked({ 'new.py': 'print("clean")\n' }, 'clean work on top');
  const ok = client.git(['push', 'origin', 'feature'], { allowFail: true });
  assert.equal(ok.code, 0, ok.output);
  assert.equal(bare.git(['rev-parse', 'feature']).stdout.trim(), clean);
  // A new secret on the branch is refused, and only it is named.
  client.commitUnchecked({ 'new.py': `N = "${fakeGithubPat()}"\n` }, 'new secret');
  const refused = client.git(['push', 'origin', 'feature'], { allowFail: true });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /new\.py:1/);
  assert.doesNotMatch(refused.output, /old\.py/);
  assert.match(refused.output, /1 blocking finding/);
});
