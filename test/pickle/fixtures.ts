// Builds real pickle bytes for the tests: python3 dumps them (never loads), or TypeScript writes
// the opcodes by hand. Nothing here is ever unpickled.
import { execFileSync } from 'node:child_process';

/** Runs a python3 snippet that writes bytes to stdout (`out(b)`), returns them. */
export function python(code: string): Buffer {
  const prelude = 'import sys, pickle, io, zipfile, collections\ndef out(b): sys.stdout.buffer.write(b)\n';
  return execFileSync('python3', ['-c', prelude + code], { maxBuffer: 64 * 1024 * 1024 });
}

export function pickleOf(expr: string, protocol: number): Buffer {
  return python(`out(pickle.dumps(${expr}, protocol=${protocol}))`);
}

/** Protocol 2 pickle whose REDUCE would call os.system('…') — written by hand, never executed. */
export function reduceOsSystem(): Buffer {
  const command = Buffer.from('echo never-run');
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('cos\nsystem\n', 'latin1'),
    Buffer.from([0x58]), u32(command.length), command, // BINUNICODE
    Buffer.from([0x85, 0x52, 0x2e]), // TUPLE1 REDUCE STOP
  ]);
}

/** Protocol 4 STACK_GLOBAL form of builtins.eval (strings pushed first, memoized). */
export function stackGlobalEval(): Buffer {
  const s = (t: string) => Buffer.concat([Buffer.from([0x8c, t.length]), Buffer.from(t), Buffer.from([0x94])]);
  return Buffer.concat([Buffer.from([0x80, 0x04]), s('builtins'), s('eval'), Buffer.from([0x93, 0x94]), s('1+1'), Buffer.from([0x85, 0x52, 0x2e])]);
}

/** A PyTorch-style zip: archive/data.pkl plus a raw storage entry. */
export function torchZip(): Buffer {
  return python(`
b = io.BytesIO()
z = zipfile.ZipFile(b, 'w')
z.writestr('archive/data.pkl', pickle.dumps(collections.OrderedDict(w=1), protocol=2))
z.writestr('archive/data/0', bytes(64))
z.writestr('archive/version', '3\\n')
z.close()
out(b.getvalue())`);
}

/** An .npy file with the given dtype descr and data, NPY header written by hand. */
export function npy(descr: string, data: Buffer): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), len, Buffer.from(header, 'latin1'), data]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
