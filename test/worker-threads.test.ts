// History scans on worker threads (src/parallel): the same report, byte for byte, as one thread,
// for every door that reads history; bad settings and a fault inside a worker fail closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, Repo, type Run } from './helpers/git.ts';
import { fake } from '../src/rules/secrets/fake.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const ONE = { GITWARD_WORKERS: '1' };
/** Two threads from the first commit, so that a small history is split into many batches. */
const TWO = { GITWARD_WORKERS: '2', GITWARD_WORKERS_FROM: '0' };
const DEBUG = { GITWARD_DEBUG: '1' };

/**
 * 40 commits with findings in many of them: secrets in files and in messages, an allowed one, a
 * pinned and an unpinned requirement, a .env file, a merge adding a line, a part-split big file,
 * an annotated tag with a secret in its message, and a secret the work tree's baseline allows.
 */
function history(): Repo {
  const repo = Repo.init();
  const kept = fakeGithubPat();
  repo.commitUnchecked({ 'keep.py': `KEPT = "${kept}"\n` }, 'kept secret');
  for (let i = 0; i < 36; i++) {
    const files: Record<string, string> = { [`src/m${i % 7}.py`]: `VALUE_${i} = ${i}\n` };
    if (i % 3 === 0) files['src/secret.py'] = `TOKEN = "${fakeGithubPat()}"\n`;
    if (i % 5 === 0) files[`conf/a${i}.py`] = `TOKEN = "${fakeGithubPat()}"  # gitward:allow secret.github-pat\n`;
    if (i === 4) files['requirements.txt'] = 'requests\nflask==3.0.0\n';
    if (i === 9) files['.env'] = 'DEBUG=1\n';
    if (i === 12) files['big.txt'] = Array.from({ length: 9000 }, (_, n) => `line ${n} ${'x'.repeat(40)}`).join('\n') + `\nK = "${fakeGithubPat()}"\n`;
    repo.commitUnchecked(files, i % 4 === 0 ? `change ${i} with ${fakeGithubPat()}` : `change ${i}`);
  }
  repo.git(['checkout', '-q', '-b', 'side', 'HEAD~3']);
  repo.commitUnchecked({ 'side.py': `SIDE = "${fakeGithubPat()}"\n` }, 'side');
  repo.git(['checkout', '-q', 'main']);
  repo.git(['merge', '-q', '--no-ff', '--no-edit', 'side']);
  repo.git(['tag', '-a', 'v1', '-m', `release ${fakeGithubPat()}`]);
  const baseline = repo.gitward(['baseline']);
  assert.ok(baseline.code === 0 || baseline.code === 1, baseline.output);
  return repo;
}

/** The parts of a run that may differ between two runs of the same scan: durations. */
const steady = (text: string) => text.replace(/"durationMs": \d+/g, '"durationMs": N').replace(/\d+ ms/g, 'N ms').replace(/in \d+\.\d s(, [\d.,]+ commits\/s)?/g, 'in N s');
const withoutDebug = (text: string) => text.split('\n').filter((line) => !line.startsWith('gitward: debug:')).join('\n');

function same(one: Run, two: Run): void {
  assert.equal(two.code, one.code, two.output);
  assert.equal(steady(two.stdout), steady(one.stdout));
  assert.equal(steady(withoutDebug(two.stderr)), steady(withoutDebug(one.stderr)));
}

test('scan --history and --range on two worker threads print what one thread prints, in text and JSON', () => {
  const repo = history();
  for (const args of [['scan', '--history'], ['scan', '--range', 'HEAD~30..HEAD'], ['scan', '--range', 'main']]) {
    for (const format of ['text', 'json']) {
      const one = repo.gitward([...args, '--format', format], { env: { ...repo.env, ...ONE, ...DEBUG } });
      const two = repo.gitward([...args, '--format', format], { env: { ...repo.env, ...TWO, ...DEBUG } });
      assert.equal(one.code, 1, one.output);
      // The threads really ran (and one thread did not start any).
      assert.match(two.stderr, /gitward: debug: \d+ commits in \d+ batches on 2 worker threads/);
      assert.doesNotMatch(one.stderr, /worker threads/);
      same(one, two);
    }
  }
  type Report = { findings: { commit: string; location?: string }[]; stats: { suppressed: number } };
  const scan = (extra: string[]) => JSON.parse(repo.gitward(['scan', '--history', '--format', 'json', ...extra], { env: { ...repo.env, ...TWO } }).stdout) as Report;
  const json = scan([]);
  const unfiltered = scan(['--no-baseline']);
  // The history holds what the test says it does: findings in many commits and in messages,
  // findings allowed by comments, and more by the baseline.
  assert.ok(new Set(json.findings.map((f) => f.commit)).size >= 12, 'findings in many commits');
  assert.ok(json.findings.some((f) => f.location === 'commit-message'));
  assert.ok(json.findings.some((f) => f.location === 'tag-message'));
  assert.ok(unfiltered.stats.suppressed > 0, 'allow comments');
  assert.ok(json.stats.suppressed > unfiltered.stats.suppressed, 'the baseline');
});

test('pre-push and pre-receive on two worker threads answer as one thread does', () => {
  const repo = history();
  const runs = [ONE, TWO].map((threads) => {
    const bare = Repo.init({ bare: true, env: { ...repo.env, ...threads, ...DEBUG } });
    // No time limit: this test compares answers, and a loaded machine must not turn one into a timeout.
    const hook = join(bare.dir, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive --timeout 0\n`);
    chmodSync(hook, 0o755);
    const push = repo.git(['push', bare.dir, 'main', 'v1'], { allowFail: true, env: { ...repo.env, ...threads, ...DEBUG } });
    const head = repo.git(['rev-parse', 'HEAD']).stdout.trim();
    const prePush = repo.gitward(['pre-push', 'origin', '--format', 'json'], { input: `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`, env: { ...repo.env, ...threads, ...DEBUG } });
    return { push: { ...push, stderr: push.stderr.replaceAll(bare.dir, 'BARE') }, prePush };
  });
  const [one, two] = runs as [(typeof runs)[0], (typeof runs)[0]];
  assert.notEqual(one.push.code, 0, 'the push is refused');
  assert.match(two.push.stderr, /worker threads/);
  assert.equal(two.push.code, one.push.code);
  const remote = (run: Run) => steady(withoutDebug(run.stderr.replace(/^remote: /gm, ''))).replace(/^To .*$/m, 'To …');
  assert.equal(remote(two.push), remote(one.push));
  assert.equal(one.prePush.code, 1, one.prePush.output);
  same(one.prePush, two.prePush);
});

test('a long history on one thread, read in several git log runs, prints what one run prints', () => {
  const repo = history();
  // Four commits a run: the 41 commits of --history take 11 runs, and the blob reads (requirements,
  // the big file) land in different runs, each with the cat-file readers started afresh.
  const MANY = { ...ONE, GITWARD_LOG_BATCH: '4' };
  for (const args of [['scan', '--history'], ['scan', '--range', 'HEAD~30..HEAD']]) {
    for (const format of ['text', 'json']) {
      const one = repo.gitward([...args, '--format', format], { env: { ...repo.env, ...ONE, ...DEBUG } });
      const many = repo.gitward([...args, '--format', format], { env: { ...repo.env, ...MANY, ...DEBUG } });
      assert.equal(one.code, 1, one.output);
      assert.doesNotMatch(one.stderr, /git log runs/);
      const runs = Number(/gitward: debug: \d+ commits in (\d+) git log runs/.exec(many.stderr)?.[1]);
      assert.ok(runs >= 8, many.stderr);
      same(one, many);
    }
  }
});

test('a long push on one thread, its walk stopped and the rest read in git log runs, answers as one walk does', () => {
  const repo = history();
  // Four commits a run: the push's walking git log is stopped at the fifth commit that brings a
  // change, and the other commits are listed and read four at a time.
  const MANY = { ...ONE, GITWARD_LOG_BATCH: '4' };
  const runs = [ONE, MANY].map((settings) => {
    const env = { ...repo.env, ...settings, ...DEBUG };
    const bare = Repo.init({ bare: true, env });
    const hook = join(bare.dir, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive --timeout 0\n`);
    chmodSync(hook, 0o755);
    const push = repo.git(['push', bare.dir, 'main', 'v1'], { allowFail: true, env });
    const head = repo.git(['rev-parse', 'HEAD']).stdout.trim();
    const prePush = repo.gitward(['pre-push', 'origin', '--format', 'json'], { input: `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`, env });
    return { push: { ...push, stderr: push.stderr.replaceAll(bare.dir, 'BARE') }, prePush };
  });
  const [one, many] = runs as [(typeof runs)[0], (typeof runs)[0]];
  assert.notEqual(one.push.code, 0, 'the push is refused');
  for (const run of [many.push, many.prePush]) {
    assert.match(run.stderr, /gitward: debug: the walk passed 4 commits: the other \d+ are read listed/);
    assert.ok(Number(/gitward: debug: \d+ commits in (\d+) git log runs/.exec(run.stderr)?.[1]) >= 8, run.stderr);
  }
  assert.doesNotMatch(one.push.stderr + one.prePush.stderr, /read listed|git log runs/);
  assert.equal(many.push.code, one.push.code);
  const remote = (run: Run) => steady(withoutDebug(run.stderr.replace(/^remote: /gm, ''))).replace(/^To .*$/m, 'To …');
  assert.equal(remote(many.push), remote(one.push));
  assert.equal(one.prePush.code, 1, one.prePush.output);
  same(one.prePush, many.prePush);
});

test('a bad GITWARD_WORKERS or GITWARD_WORKERS_FROM is a usage error in one line (exit 2)', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.py': 'A = 1\n' });
  for (const [name, value] of [['GITWARD_WORKERS', '0'], ['GITWARD_WORKERS', 'two'], ['GITWARD_WORKERS', '65'], ['GITWARD_WORKERS', '1.5'], ['GITWARD_WORKERS_FROM', '-1']] as const) {
    const run = repo.gitward(['scan', '--history'], { env: { ...repo.env, [name]: value } });
    assert.equal(run.code, 2, `${name}=${value}: ${run.output}`);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^gitward: error: ${name} must be`));
  }
  assert.equal(repo.gitward(['scan', '--history'], { env: { ...repo.env, GITWARD_WORKERS: '' } }).code, 0);
  for (const value of ['0', 'many', '2.5']) {
    const run = repo.gitward(['scan', '--history'], { env: { ...repo.env, ...ONE, GITWARD_LOG_BATCH: value } });
    assert.equal(run.code, 2, `GITWARD_LOG_BATCH=${value}: ${run.output}`);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^gitward: error: GITWARD_LOG_BATCH must be/);
  }
});

test('a fault inside a worker thread fails the scan closed: exit 2, one line, as on one thread', () => {
  const repo = Repo.init();
  let lost = '';
  for (let i = 0; i < 12; i++) {
    repo.commitUnchecked({ [`f${i}.py`]: `V${i} = "${fake.alnum(20)}"\n` }, `c${i}`);
    if (i === 7) lost = repo.git(['rev-parse', `HEAD:f${i}.py`]).stdout.trim();
  }
  // A blob of the 8th commit is gone: the worker whose batch holds it cannot read that commit's patch.
  rmSync(join(repo.dir, '.git', 'objects', lost.slice(0, 2), lost.slice(2)));
  const one = repo.gitward(['scan', '--history'], { env: { ...repo.env, ...ONE } });
  const two = repo.gitward(['scan', '--history'], { env: { ...repo.env, ...TWO } });
  for (const run of [one, two]) {
    assert.equal(run.code, 2, run.output);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^gitward: error: git log/);
  }
});
