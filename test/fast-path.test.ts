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

test('anything else still goes through yargs: help, and unknown arguments are usage errors', () => {
  const repo = Repo.init();
  assert.match(repo.gitward(['--help']).stdout, /gitward <command>/);
  const bad = repo.gitward(['scan', '--no-such-option']);
  assert.equal(bad.code, 2, bad.output);
});
