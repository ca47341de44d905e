import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatchRun } from '../src/git/patch-stream.ts';
import { PATCH_FLAGS } from '../src/git/git-process.ts';
import type { DiffEvent } from '../src/git/diff-parser.ts';
import { Repo } from './helpers/git.ts';

// A staged change past 32 KiB of patch text is scanned with V8 optimizing less eagerly
// (engine/optimizer-budget.ts, asked through PatchRun.whenLarger); a small commit never loads it.
// Here, on real staged diffs: the hook runs once, only past its size, before that output is
// parsed, and the events are those of the same diff read without it.

async function read(repo: Repo, bytes: number | null): Promise<{ events: DiffEvent[]; calls: number; eventsBeforeCall: number }> {
  const run = new PatchRun(['diff', '--cached', ...PATCH_FLAGS], repo.dir);
  let calls = 0;
  let eventsBeforeCall = -1;
  const events: DiffEvent[] = [];
  if (bytes !== null) {
    run.whenLarger({
      bytes,
      act: async () => {
        calls++;
        eventsBeforeCall = events.length;
      },
    });
  }
  for await (const event of run.events()) events.push(event);
  return { events, calls, eventsBeforeCall };
}

test('PatchRun.whenLarger runs its hook once past the size, before that output is parsed, and changes no event', async () => {
  const repo = Repo.init();
  repo.write({ 'small.py': 'x = 1\n' });
  repo.git(['add', '-A']);
  const small = await read(repo, 32 * 1024);
  assert.equal(small.calls, 0);
  assert.equal(small.events.filter((e) => e.kind === 'file').length, 1);

  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`m${i}.py`] = Array.from({ length: 60 }, (_, k) => `value_${i}_${k} = ${k}`).join('\n') + '\n';
  repo.write(files);
  repo.git(['add', '-A']);
  const plain = await read(repo, null);
  const large = await read(repo, 32 * 1024);
  assert.equal(large.calls, 1);
  // The first chunk past 32 KiB waits for the hook: the files it holds are not handed out before.
  assert.ok(large.eventsBeforeCall >= 0 && large.eventsBeforeCall < 40, `${large.eventsBeforeCall} events before the hook`);
  assert.deepEqual(JSON.stringify(large.events), JSON.stringify(plain.events));
  assert.equal(large.events.filter((e) => e.kind === 'file').length, 41);
});
