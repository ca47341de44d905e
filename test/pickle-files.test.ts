import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { npy, pickleOf, python, reduceOsSystem, stackGlobalEval, torchZip } from './pickle/fixtures.ts';
import { refused } from './pickle/commit.ts';

for (const protocol of [0, 1, 2, 3, 4, 5]) {
  test(`a protocol ${protocol} pickle is refused with its imported globals`, () => {
    refused({ 'data/model.pkl': pickleOf('collections.OrderedDict(a=1)', protocol) }, new RegExp(`protocol ${protocol === 1 ? '[01]' : protocol}.*collections\\.OrderedDict`));
  });
}

test('a pickle under any name is judged by content (weights.bin, notes.txt)', () => {
  refused({ 'weights.bin': pickleOf('collections.Counter("ab")', 4) }, /collections\.Counter/, /pickle\.file/);
  refused({ 'notes.txt': pickleOf('collections.deque([1])', 0) }, /collections\.deque/, /pickle\.file/);
});

test('a hand-written pickle whose REDUCE would call os.system is refused naming it dangerous', () => {
  refused({ 'payload.dat': reduceOsSystem() }, /DANGEROUS: os\.system/);
  refused({ 'x.pkl': stackGlobalEval() }, /DANGEROUS: builtins\.eval/);
});

test('a PyTorch-style zip is refused naming archive/data.pkl and its globals', () => {
  refused({ 'ckpt/model.pt': torchZip() }, /archive\/data\.pkl.*collections\.OrderedDict/, /pickle\.archive/);
});

test('an object .npy is refused; a numeric .npy passes', () => {
  const objects = npy('|O', pickleOf('[1, "a"]', 3));
  refused({ 'arr.npy': objects }, /dtype '\|O'/, /pickle\.numpy-object/);
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'arr.npy': npy('<f8', Buffer.alloc(16)) });
  assert.equal(run.code, 0, run.output);
});

test('a Git LFS pointer named .pkl is refused by name, content not inspected', () => {
  const pointer = `version https://git-lfs.${'github'}.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 12345\n`;
  refused({ 'models/clf.pkl': pointer }, /could not be inspected/, /pickle\.lfs-pointer/);
});

test('a truncated or malformed .pkl is reported as such and still blocked', () => {
  const whole = pickleOf('{"k": collections.OrderedDict()}', 4);
  refused({ 'cut.pkl': whole.subarray(0, whole.length - 5) }, /truncated/);
  refused({ 'bad.pkl': Buffer.concat([Buffer.from([0x80, 0x04, 0xff]), Buffer.alloc(10, 1)]) }, /malformed/);
});

test('safe formats pass: safetensors, onnx-like bytes, a plain zip, a PNG, text', () => {
  const repo = Repo.init().installPreCommitHook();
  const header = Buffer.from('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const plainZip = python(`
b = io.BytesIO(); z = zipfile.ZipFile(b, 'w'); z.writestr('readme.txt', 'hello'); z.close(); out(b.getvalue())`);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 0)]);
  const run = repo.commit({
    'm.safetensors': Buffer.concat([len, header, Buffer.alloc(8)]),
    'm.onnx': Buffer.concat([Buffer.from([0x08, 0x07, 0x12, 0x04]), Buffer.from('onnx'), Buffer.alloc(32)]),
    'bundle.zip': plainZip,
    'logo.png': png,
    'lisp.el': '(defun f () 1)\n',
  });
  assert.equal(run.code, 0, run.output);
});

test('[pickle] allow-globals lets a pickle of only allowed globals through as a warning; dangerous never', () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': '[pickle]\nallow-globals = ["collections.*"]\n' });
  const ok = repo.stageAndScan({ 'a.pkl': pickleOf('collections.OrderedDict()', 4) });
  assert.equal(ok.run.code, 0, ok.run.output);
  assert.equal(ok.json.findings[0]?.severity, 'warn');
  const bad = repo.stageAndScan({ 'b.pkl': reduceOsSystem() });
  assert.equal(bad.run.code, 1, bad.run.output);
  repo.write({ '.gitward.toml': '[pickle]\nallow-globals = ["not a name"]\n' });
  const bogus = repo.gitward(['scan', '--staged']);
  assert.equal(bogus.code, 2, bogus.output);
  assert.match(bogus.output, /pickle\.allow-globals/);
});

test('a checkpoint whose zip directory is beyond the bytes read is still found (local headers)', () => {
  const many = python(`
b = io.BytesIO(); z = zipfile.ZipFile(b, 'w')
z.writestr('archive/data.pkl', pickle.dumps(collections.OrderedDict(), protocol=2))
for i in range(4000): z.writestr('archive/data/%d' % i, b'x' * 40)
z.close(); out(b.getvalue())`);
  const repo = Repo.init();
  // A small read limit puts the 250 KB directory out of reach of the head and the tail.
  repo.write({ '.gitward.toml': '[limits]\nmax-file-bytes = 65536\n' });
  const { run, json } = repo.stageAndScan({ 'many.pt': many });
  assert.equal(run.code, 1, run.output);
  assert.match(json.findings.find((f) => f.path === 'many.pt')?.message ?? '', /archive\/data\.pkl.*collections\.OrderedDict/);
});
