import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { BlobReader } from '../src/git/blob-reader.ts';

const MB = 1024 * 1024;

/** `size` bytes that zlib cannot shrink (so git really holds 20 MB), starting with `magic`. */
function noise(size: number, magic: string, seed = 7): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.writeUInt32LE(x, Math.min(i, size - 4));
  }
  out.write(magic, 0, 'latin1');
  return out;
}

/** A hand-made protocol 4 pickle: a BINBYTES8 payload of `payload` bytes, then os.system called, STOP, and `trailing` bytes. */
function pickleWithPayloadBeforeGlobal(payload: number, trailing = 0): Buffer {
  const head = Buffer.alloc(11);
  head[0] = 0x80; head[1] = 4; // PROTO 4
  head[2] = 0x8e; head.writeBigUInt64LE(BigInt(payload), 3); // BINBYTES8 <payload>
  const call = Buffer.from('0cos\nsystem\n(S\'true\'\ntR.', 'latin1'); // POP, GLOBAL os.system, MARK, STRING, TUPLE, REDUCE, STOP
  return Buffer.concat([head, noise(payload, '', 3), call, noise(trailing, '', 5)]);
}

/** git commands a traced run started, one per line as GIT_TRACE prints them. */
function gitCommands(trace: string): string[] {
  return trace.split('\n').filter((l) => l.includes('trace: built-in: git')).map((l) => l.slice(l.indexOf('git ')));
}

test('a 20 MB blob is read only as far as asked: the head, or the head and tail, never the whole blob', async () => {
  const repo = Repo.init();
  const big = noise(20 * MB, 'GGUF');
  repo.write({ 'model.gguf': big, 'small.bin': Buffer.from([0, 1, 2, 3]) });
  repo.git(['add', '-A']);
  const id = (path: string) => repo.git(['rev-parse', `:${path}`]).stdout.trim();
  const trace = join(tempDir(), 'trace.txt');
  const saved = process.env;
  process.env = { ...repo.env, GIT_TRACE: trace };
  const blobs = new BlobReader(repo.dir, MB);
  try {
    const sniff = await blobs.read(id('model.gguf'), { headBytes: 64 });
    assert.ok(sniff);
    assert.equal(sniff.size, big.length);
    assert.equal(sniff.head.length, 64);
    assert.deepEqual(sniff.head, big.subarray(0, 64));
    assert.equal(sniff.complete, false);
    assert.equal(sniff.tail, null);

    const again = await blobs.read(id('model.gguf'), { headBytes: 8000 });
    assert.deepEqual(again?.head, big.subarray(0, 8000));

    const ends = await blobs.read(id('model.gguf'), { headBytes: 1000, tailBytes: 4096 });
    assert.equal(ends?.head.length, 1000);
    assert.deepEqual(ends?.tail, big.subarray(big.length - 4096));

    const byDefault = await blobs.read(id('model.gguf'));
    assert.equal(byDefault?.head.length, MB, 'the reader default (max-file-bytes) caps the head');
    assert.deepEqual(byDefault?.head.subarray(MB - 16), big.subarray(MB - 16, MB));

    const small = await blobs.read(id('small.bin'), { headBytes: 2 });
    assert.deepEqual(small, { size: 4, head: Buffer.from([0, 1]), tail: null, complete: false });
    const whole = await blobs.read(id('small.bin'));
    assert.deepEqual(whole, { size: 4, head: Buffer.from([0, 1, 2, 3]), tail: null, complete: true });

    assert.equal(await blobs.read('0123456789abcdef0123456789abcdef01234567'), null, 'a missing object reads as null');
  } finally {
    blobs.close();
    process.env = saved;
  }
  const commands = gitCommands(readFileSync(trace, 'utf8'));
  // The 20 MB blob went through streaming children that stop early, never through `--batch`,
  // which inflates a whole object in git's memory.
  assert.ok(commands.some((c) => c.endsWith(`cat-file blob ${id('model.gguf')}`)), commands.join('\n'));
  assert.ok(commands.some((c) => c.endsWith('cat-file --batch')), 'the small blob uses the shared --batch process');
  assert.ok(commands.some((c) => c.endsWith('cat-file --batch-check')), 'sizes come from --batch-check');
});

test('a staged 20 MB model (not a pickle) and a 12 MB pickle: the model passes, the pickle is judged from its first bytes', () => {
  const repo = Repo.init();
  const trace = join(tempDir(), 'trace.txt');
  repo.write({
    'models/model.gguf': noise(20 * MB, 'GGUF'),
    // The payload runs past max-file-bytes (4 MB here): the stream is reported truncated, as a full read of the limit would.
    'weights.pkl': pickleWithPayloadBeforeGlobal(12 * MB),
    // Past max-file-bytes too, but its global lies within the limit: read up to the limit and found.
    'mid.pkl': pickleWithPayloadBeforeGlobal(3 * MB, 2 * MB),
  });
  repo.git(['add', '-A']);
  repo.write({ '.gitward.toml': '[limits]\nmax-file-bytes = 4194304\n' });
  const run = repo.gitward(['scan', '--staged', '--format', 'json'], { env: { ...repo.env, GIT_TRACE: trace } });
  assert.equal(run.code, 1, run.output);
  const findings = (JSON.parse(run.stdout) as { findings: { path: string; rule: string; message: string }[] }).findings;
  assert.deepEqual(findings.map((f) => f.path).sort(), ['mid.pkl', 'weights.pkl']);
  assert.match(findings.find((f) => f.path === 'weights.pkl')!.message, /protocol 4; imports no globals; truncated pickle \(larger than the bytes inspected\)/);
  assert.match(findings.find((f) => f.path === 'mid.pkl')!.message, /DANGEROUS: os\.system/);
  const commands = gitCommands(readFileSync(trace, 'utf8'));
  assert.ok(!commands.some((c) => c.endsWith('cat-file --batch')), `no whole-object reads:\n${commands.join('\n')}`);
});
