import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { eagerChunks } from '../src/git/eager-read.ts';

// A child that prints `total` bytes (a repeating, position-dependent pattern) as fast as it can.
function printer(total: number) {
  const script = `
    const total = ${total};
    const block = Buffer.alloc(1 << 16);
    let sent = 0;
    function more() {
      while (sent < total) {
        const n = Math.min(block.length, total - sent);
        for (let i = 0; i < n; i++) block[i] = (sent + i) % 251;
        sent += n;
        if (!process.stdout.write(Buffer.from(block.subarray(0, n)))) return process.stdout.once('drain', more);
      }
    }
    more();`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function expected(total: number): string {
  const bytes = Buffer.alloc(total);
  for (let i = 0; i < total; i++) bytes[i] = i % 251;
  return createHash('sha256').update(bytes).digest('hex');
}

test("eagerChunks gives a child's whole output in order, and pauses the pipe when the consumer falls behind", async () => {
  const total = 3 * 1024 * 1024;
  const child = printer(total);
  let pauses = 0;
  child.stdout.on('pause', () => pauses++);
  const hash = createHash('sha256');
  let seen = 0;
  for await (const chunk of eagerChunks(child.stdout, 128 * 1024)) {
    hash.update(chunk);
    seen += chunk.length;
    // A slow consumer: the queue fills past its limit while this waits.
    if (seen < total / 2) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.equal(seen, total);
  assert.equal(hash.digest('hex'), expected(total));
  assert.ok(pauses > 0, 'the stream was paused at the limit');
});

test('eagerChunks ends on an empty stream and throws the stream error', async () => {
  const empty = new PassThrough();
  empty.end();
  const got: Buffer[] = [];
  for await (const chunk of eagerChunks(empty)) got.push(chunk);
  assert.equal(got.length, 0);

  const broken = new PassThrough();
  broken.write(Buffer.from('first'));
  setTimeout(() => broken.destroy(new Error('pipe broke')), 5);
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of eagerChunks(broken)) seen.push(chunk.toString());
  }, /pipe broke/);
  assert.deepEqual(seen, ['first']);
});
