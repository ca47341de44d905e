// pre-receive asks its start-up questions (where the repository is, its configured policy, what
// the pushed ids point to) side by side: the answers must be those of asking one after the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';


/** A bare repository holding a client's objects (no refs moved: as git shows them to the hook). */
function serverWith(client: Repo, objectFormat?: 'sha1' | 'sha256'): Repo {
  const bare = Repo.init({ bare: true, objectFormat, env: client.env });
  client.git(['push', '-q', bare.dir, 'refs/heads/*:refs/incoming/*', 'refs/tags/*:refs/incoming-tags/*']);
  // The hook sees the new objects but no ref to them yet: drop the refs again, keep the objects.
  for (const ref of bare.git(['for-each-ref', '--format=%(refname)']).stdout.trim().split('\n')) {
    if (ref) bare.git(['update-ref', '-d', ref]);
  }
  return bare;
}

for (const objectFormat of ['sha1', 'sha256'] as const) {
  test(`[${objectFormat}] every kind of pushed id peels as before: commits, tags of tags, tags of trees, deletions, repeats`, () => {
    const client = Repo.init({ objectFormat });
    const zero = '0'.repeat(objectFormat === 'sha256' ? 64 : 40);
    const withToken = client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'token');
    client.git(['checkout', '-q', '--orphan', 'other']);
    client.git(['rm', '-rqf', '.']);
    const withPickle = client.commitUnchecked({ 'load.py': 'import pickle as p\nx = p.loads(b)\n' }, 'pickle');
    client.git(['tag', '-a', 'inner', '-m', 'inner', withPickle]);
    client.git(['tag', '-a', 'outer', '-m', 'outer', 'inner']);
    const tree = client.git(['rev-parse', 'HEAD^{tree}']).stdout.trim();
    client.git(['tag', '-a', 'of-tree', '-m', 'a tree', tree]);
    const outer = client.git(['rev-parse', 'refs/tags/outer']).stdout.trim();
    const ofTree = client.git(['rev-parse', 'refs/tags/of-tree']).stdout.trim();
    const bare = serverWith(client, objectFormat);
    const input = [
      `${zero} ${withToken} refs/heads/main`,
      `${zero} ${withToken} refs/heads/copy`,
      `${zero} ${outer} refs/tags/outer`,
      `${zero} ${ofTree} refs/tags/of-tree`,
      `${withToken} ${zero} refs/heads/gone`,
    ].join('\n');
    const run = bare.gitward(['pre-receive'], { input: `${input}\n` });
    assert.equal(run.code, 1, run.output);
    assert.match(run.stderr, /2 new commits|2 commits \(pushed\)/);
    assert.match(run.stderr, new RegExp(`${withToken.slice(0, 12)}[\\s\\S]*settings\\.yaml|settings\\.yaml[\\s\\S]*${withToken.slice(0, 12)}`));
    assert.match(run.stderr, /deserialization\.pickle/);
    assert.match(run.stderr, /load\.py/);
  });
}

test('a tag of a tree alone, or an id the server does not have, scans nothing and passes', () => {
  const client = Repo.init();
  client.commitUnchecked({ 'a.txt': 'a\n' }, 'a');
  const tree = client.git(['rev-parse', 'HEAD^{tree}']).stdout.trim();
  client.git(['tag', '-a', 'of-tree', '-m', 'a tree', tree]);
  const ofTree = client.git(['rev-parse', 'refs/tags/of-tree']).stdout.trim();
  const bare = serverWith(client);
  const run = bare.gitward(['pre-receive'], { input: `${'0'.repeat(40)} ${ofTree} refs/tags/t\n${'0'.repeat(40)} ${'ab'.repeat(20)} refs/heads/x\n` });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /0 new commits scanned/);
});

test('start-up errors are the same: a bad ref line is a usage error, a folder outside git says so', () => {
  const client = Repo.init();
  const tip = client.commitUnchecked({ 'a.txt': 'a\n' }, 'a');
  const bare = serverWith(client);
  const bad = bare.gitward(['pre-receive'], { input: `${'0'.repeat(40)} ${tip.slice(0, 20)} refs/heads/main\n` });
  assert.equal(bad.code, 2, bad.output);
  assert.match(bad.stderr, /unexpected ref update line/);
  // A SHA-256-length id in a SHA-1 repository is refused too (it was peeled early, but never used).
  const long = bare.gitward(['pre-receive'], { input: `${'0'.repeat(40)} ${'ab'.repeat(32)} refs/heads/main\n` });
  assert.equal(long.code, 2, long.output);
  const outside = new Repo(tempDir(), client.env).gitward(['pre-receive'], { input: `${'0'.repeat(40)} ${tip} refs/heads/main\n` });
  assert.equal(outside.code, 2, outside.output);
  assert.match(outside.stderr, /not inside a git repository/);
});

test('the policy named by `git config gitward.config` (relative to the git dir) is the one applied', () => {
  const client = Repo.init();
  const tip = client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'token');
  const bare = serverWith(client);
  const input = `${'0'.repeat(40)} ${tip} refs/heads/main\n`;
  assert.equal(bare.gitward(['pre-receive'], { input }).code, 1);
  writeFileSync(join(bare.dir, 'policy.toml'), '[rules]\nsecret = "warn"\n');
  bare.git(['config', 'gitward.config', 'policy.toml']);
  const run = bare.gitward(['pre-receive'], { input });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /settings\.yaml/);
  writeFileSync(join(bare.dir, 'policy.toml'), '[rules\n');
  const broken = bare.gitward(['pre-receive'], { input });
  assert.equal(broken.code, 2, broken.output);
  assert.match(broken.stderr, /policy\.toml/);
});
