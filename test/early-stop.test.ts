import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Repo } from './helpers/git.ts';

// A scan that stops in the middle (a limit reached) while blob reads are still being asked ahead
// must end the process: a hook that never exits hangs the push. The spawn timeout below only
// turns a hang into a failure; nothing here measures speed.

test('a push refused mid-scan by a limit ends at once, with the reads ahead still in flight', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  writeFileSync(join(bare.dir, 'gitward.toml'), '[limits]\nmax-push-bytes = 20000\n');
  const client = Repo.init({ env: bare.env });
  // Each module names yaml, so the deserialization rule reads every version (its reads are asked ahead).
  const body = (i: number, v: number) => `import yaml\n${Array.from({ length: 30 }, (_, k) => `value_${i}_${k} = compute(${v + k})`).join('\n')}\n`;
  for (let c = 0; c < 40; c++) {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`pkg/mod_${i}.py`] = body(i, c);
    client.commitUnchecked(files, `change ${c}`);
  }
  const push = client.git(['push', '--porcelain', bare.dir, 'main'], { allowFail: true, timeout: 60_000 });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.output, /max-push-bytes/);
});
