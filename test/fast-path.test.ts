import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Repo } from './helpers/git.ts';

// The hooks' fast path (src/fast-path.ts) must answer exactly as yargs does for the same arguments.
test('scan through the fast path and through yargs gives the same report and exit code', () => {
  const repo = Repo.init();
  repo.write({ '.env': 'DEBUG=1\n', 'app.py': 'print("hello")\n' });
  repo.git(['add', '-A']);
  for (const args of [[], ['scan'], ['scan', '--staged']]) {
    const fast = repo.gitward(args);
    const slow = repo.gitward(args, { env: { ...repo.env, GITWARD_NO_FAST_PATH: '1' } });
    assert.equal(fast.code, 1, fast.output);
    assert.equal(fast.code, slow.code, `exit code for ${args.join(' ')}`);
    assert.equal(fast.stdout, slow.stdout, `report for ${args.join(' ')}`);
  }
});

test("the pre-commit framework's argument lists (names after --) take the fast path and answer as yargs does", () => {
  const repo = Repo.init();
  repo.commit({ 'old.py': 'print("committed before")\n' }, 'first');
  repo.write({ '.env': 'DEBUG=1\n', '-dash.py': 'print("a name with a leading dash")\n', 'app.py': 'print("hello")\n' });
  repo.git(['add', '-A']);
  const cases: [string[], number][] = [
    [['scan', '--pre-commit=commit', '--', '.env', '-dash.py', 'app.py'], 1], // all staged: the staged diff
    [['scan', '--pre-commit=commit', '--', 'app.py'], 0], // a staged subset
    [['scan', '--pre-commit=commit', '--', 'old.py', 'app.py'], 0], // --all-files: whole files
    [['scan', '--pre-commit=push', '--'], 1], // no refs from the framework: all tracked files
  ];
  for (const [args, code] of cases) {
    const fast = repo.gitward(args);
    const slow = repo.gitward(args, { env: { ...repo.env, GITWARD_NO_FAST_PATH: '1' } });
    assert.equal(fast.code, code, `${args.join(' ')}: ${fast.output}`);
    assert.equal(fast.code, slow.code, `exit code for ${args.join(' ')}`);
    assert.equal(fast.stdout, slow.stdout, `report for ${args.join(' ')}`);
    assert.equal(fast.stderr, slow.stderr, `notes for ${args.join(' ')}`);
  }
});

test('the commit-msg hook\'s `commit-msg <file>` takes the fast path and answers as yargs does', () => {
  const repo = Repo.init();
  repo.write({ 'clean.txt': 'Fix the build\n', 'leaky.txt': `Fix it\n\npassword = "${['Xq7', '#mP2', '!vL9', 'z'].join('')}"\n` });
  for (const [file, code] of [['clean.txt', 0], ['leaky.txt', 1]] as const) {
    const fast = repo.gitward(['commit-msg', file]);
    const slow = repo.gitward(['commit-msg', file], { env: { ...repo.env, GITWARD_NO_FAST_PATH: '1' } });
    assert.equal(fast.code, code, fast.output);
    assert.equal(fast.code, slow.code);
    assert.equal(fast.stdout, slow.stdout);
  }
});

test('anything else still goes through yargs: help, and unknown arguments are usage errors', () => {
  const repo = Repo.init();
  assert.match(repo.gitward(['--help']).stdout, /gitward \[-C <path>\] <command>/);
  const bad = repo.gitward(['scan', '--no-such-option']);
  assert.equal(bad.code, 2, bad.output);
});

test("hooks' argument lists really take the fast path (GITWARD_DEBUG says so), and nothing else does", () => {
  const repo = Repo.init();
  repo.write({ 'app.py': 'print("hello")\n' });
  repo.git(['add', '-A']);
  const debug = { ...repo.env, GITWARD_DEBUG: '1' };
  const FAST = /gitward: debug: fast path/;
  for (const args of [[], ['scan'], ['scan', '--staged'], ['scan', '--pre-commit=commit', '--', 'app.py'], ['scan', '--pre-commit=push', '--']]) {
    const run = repo.gitward(args, { env: debug });
    assert.equal(run.code, 0, run.output);
    assert.match(run.stderr, FAST, `gitward ${args.join(' ')} takes the fast path`);
    const slow = repo.gitward(args, { env: { ...debug, GITWARD_NO_FAST_PATH: '1' } });
    assert.doesNotMatch(slow.stderr, FAST, 'GITWARD_NO_FAST_PATH turns it off');
  }
  const receive = repo.gitward(['pre-receive'], { env: debug, input: '' });
  assert.match(receive.stderr, FAST, 'pre-receive takes the fast path');
  for (const args of [['scan', '--format', 'json'], ['rules'], ['scan', '--history']]) {
    assert.doesNotMatch(repo.gitward(args, { env: debug }).stderr, FAST, `gitward ${args.join(' ')} goes through yargs`);
  }
});
