// The environment gitward gives its git children (src/git/git-process.ts, gitEnv): output-steering
// variables removed, and glibc's heap step for git set unless the caller chose one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitEnv } from '../src/git/git-process.ts';

function withEnv(vars: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('git children grow their heap 16 MiB at a time unless the caller set MALLOC_TOP_PAD_', () => {
  withEnv({ MALLOC_TOP_PAD_: undefined }, () => assert.equal(gitEnv().MALLOC_TOP_PAD_, String(16 * 1024 * 1024)));
  withEnv({ MALLOC_TOP_PAD_: '0' }, () => assert.equal(gitEnv().MALLOC_TOP_PAD_, '0'));
});

test('what would steer git\'s diff output is not passed on; the rest of the environment is', () => {
  withEnv({ GIT_EXTERNAL_DIFF: 'x', GIT_DIFF_OPTS: '-u5', GIT_PAGER: 'less', GITWARD_ENV_PROBE: 'kept' }, () => {
    const env = gitEnv();
    assert.equal(env.GIT_EXTERNAL_DIFF, undefined);
    assert.equal(env.GIT_DIFF_OPTS, undefined);
    assert.equal(env.GIT_PAGER, undefined);
    assert.equal(env.LC_ALL, 'C');
    assert.equal(env.GIT_NO_REPLACE_OBJECTS, '1', 'the objects as stored, not their replacements');
    assert.equal(env.GITWARD_ENV_PROBE, 'kept');
  });
});
