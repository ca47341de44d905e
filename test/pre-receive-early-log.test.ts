// pre-receive starts the push's `git log` as soon as it has read the ref-update lines, guessing
// that each pushed id is a commit (src/server/early-push.ts). The scan takes that log only when it
// is the very walk the selection asks for; any other push (a tag object, a tag of a tree, a
// deletion beside a branch) starts its own, with the findings of before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// One thread, as on a 2-core server (the default there): with more, a push's commits are listed
// while the log runs, and the log is read only when they are too few for the threads (the last tests).
const ONE_THREAD = { GITWARD_WORKERS: '1', GITWARD_DEBUG: '1' };

const TAKEN = /debug: the git log started with the push was taken/;
const NOT_TAKEN = /debug: the git log started with the push was cancelled/;

/** The `git log` processes a trace shows (the hook's walks; no other door runs in these pushes). */
function logs(trace: string): string[] {
  return trace.split('\n').filter((l) => /trace: built-in: git .*'?log'? /.test(l) && l.includes('--reverse'));
}

test('a push of branches: the log started with the push is the one scanned, and the only one', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const trace = join(tempDir(), 'trace.txt');
  const client = Repo.init({ env: { ...bare.env, GIT_TRACE: trace, ...ONE_THREAD } });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
  client.commitUnchecked({ 'README.md': 'hello again\n' }, 'third');
  const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main', 'HEAD~1:refs/heads/old'], { allowFail: true });
  assert.notEqual(run.code, 0, 'the push is refused');
  assert.match(run.stderr, /3 new commits|3 commits \(pushed\)/);
  assert.match(run.stderr, /settings\.yaml/);
  assert.match(run.stderr, TAKEN);
  assert.equal(logs(readFileSync(trace, 'utf8')).length, 1, 'one git log for the whole push');
});

test('a pushed annotated tag: the guessed log is not the walk, a log of the peeled commit is started and finds the same', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const client = Repo.init({ env: { ...bare.env, ...ONE_THREAD } });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
  client.git(['tag', '-a', 'v1', '-m', 'release one']);
  const run = client.git(['push', bare.dir, 'refs/tags/v1'], { allowFail: true });
  assert.notEqual(run.code, 0, 'the tag is refused');
  assert.match(run.stderr, /2 new commits|2 commits \(pushed\)/);
  assert.match(run.stderr, /settings\.yaml/);
  assert.match(run.stderr, NOT_TAKEN);
  assert.equal(bare.git(['tag', '-l']).stdout.trim(), '', 'nothing was let in');
});

test('a branch pushed with a deletion and a repeated id: the walk is still the guessed one', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const client = Repo.init({ env: { ...bare.env, ...ONE_THREAD } });
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  client.git(['push', '-q', bare.dir, 'HEAD:refs/heads/gone']);
  client.commitUnchecked({ 'config.py': `TOKEN = "${fakeGithubPat()}"\n` }, 'config');
  const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main', 'HEAD:refs/heads/copy', ':refs/heads/gone'], { allowFail: true });
  assert.notEqual(run.code, 0, 'the push is refused');
  assert.match(run.stderr, /1 new commit|1 commit \(pushed\)/);
  assert.match(run.stderr, /config\.py/);
  assert.match(run.stderr, TAKEN);
});

/** A bare repository holding two commits (the second with a token) that no ref reaches yet, as git holds a push's objects while its hook runs. */
function receivedNotYetPushed(): { bare: Repo; tip: string } {
  const client = Repo.init();
  client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
  const tip = client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
  const bare = Repo.init({ bare: true, env: client.env });
  client.git(['push', '-q', bare.dir, 'HEAD:refs/incoming/main']);
  bare.git(['update-ref', '-d', 'refs/incoming/main']);
  return { bare, tip };
}

test('read by hand from the ref lines given with --timeout (yargs, not the fast path): the same log is started and taken', () => {
  const { bare, tip } = receivedNotYetPushed();
  const run = bare.gitward(['pre-receive', '--timeout', '0'], { input: `${'0'.repeat(40)} ${tip} refs/heads/main\n`, env: { ...bare.env, ...ONE_THREAD } });
  assert.equal(run.code, 1, run.output);
  assert.match(run.stderr, /2 new commits|2 commits \(pushed\)/);
  assert.match(run.stderr, TAKEN);
});

test('where threads may take the commits (GITWARD_WORKERS=2), a push too few for them reads the log started with it; one enough for them cancels it; both find the same', () => {
  const push = (env: NodeJS.ProcessEnv) => {
    const bare = Repo.init({ bare: true }).installPreReceiveHook();
    const trace = join(tempDir(), 'trace.txt');
    const client = Repo.init({ env: { ...bare.env, GIT_TRACE: trace, GITWARD_WORKERS: '2', GITWARD_DEBUG: '1', ...env } });
    client.commitUnchecked({ 'README.md': 'hello\n' }, 'first');
    client.commitUnchecked({ 'settings.yaml': `token: ${fakeGithubPat()}\n` }, 'settings');
    const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main'], { allowFail: true });
    assert.notEqual(run.code, 0, 'the push is refused');
    assert.match(run.stderr, /2 new commits|2 commits \(pushed\)/);
    assert.match(run.stderr, /settings\.yaml:1/);
    return { stderr: run.stderr, logs: logs(readFileSync(trace, 'utf8')).length };
  };
  // Under GITWARD_WORKERS_FROM (400 by default) commits: listed, then read from the walking log, the only one.
  const few = push({});
  assert.match(few.stderr, TAKEN);
  assert.doesNotMatch(few.stderr, /worker threads/);
  assert.equal(few.logs, 1, 'one git log for the whole push');
  // Threads from one commit on: they read the listed commits; the walking log is cancelled.
  const many = push({ GITWARD_WORKERS_FROM: '1' });
  assert.match(many.stderr, NOT_TAKEN);
  assert.match(many.stderr, /2 commits in \d+ batches on \d+ worker threads/);
});

test('given --config, the hook does not ask git for the configured policy path it would not read', () => {
  const { bare, tip } = receivedNotYetPushed();
  const policy = join(tempDir(), 'policy.toml');
  writeFileSync(policy, '[server]\ntimeout = 0\n');
  const asked = (args: string[]) => {
    const trace = join(tempDir(), 'trace.txt');
    const run = bare.gitward(['pre-receive', ...args], { input: `${'0'.repeat(40)} ${tip} refs/heads/main\n`, env: { ...bare.env, ...ONE_THREAD, GIT_TRACE: trace } });
    assert.equal(run.code, 1, run.output);
    assert.match(run.stderr, /settings\.yaml/);
    return readFileSync(trace, 'utf8').split('\n').filter((l) => /trace: built-in: git .*config'? '?--get'? '?gitward\.config/.test(l)).length;
  };
  assert.equal(asked(['--timeout', '0']), 1, 'without --config the configured path is asked');
  assert.equal(asked(['--config', policy]), 0, 'with --config it is not');
});
