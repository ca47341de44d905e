// Builds real pickle bytes for the tests: python3 dumps them (never loads), or TypeScript writes
// the opcodes by hand. Nothing here is ever unpickled.
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';

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

// ---- Byte-by-byte builders (no python, nothing loaded) ----

/** A protocol 0 pickle calling `module.name(arg)` (GLOBAL, MARK, STRING, TUPLE, REDUCE, STOP). */
export function reduceCall(module: string, name: string, arg = 'x', protocol0 = true): Buffer {
  if (protocol0) return Buffer.from(`c${module}\n${name}\n(S'${arg}'\ntR.`, 'latin1');
  return stackGlobalCall(module, name, arg);
}

/** A protocol 4 pickle calling `module.name(arg)` through STACK_GLOBAL (names like `Class.method` allowed). */
export function stackGlobalCall(module: string, name: string, arg = 'x'): Buffer {
  const s = (t: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(t)]), Buffer.from(t), Buffer.from([0x94])]);
  return Buffer.concat([Buffer.from([0x80, 0x04]), s(module), s(name), Buffer.from([0x93, 0x94]), s(arg), Buffer.from([0x85, 0x52, 0x2e])]);
}

/** A protocol 2 pickle of plain data only: {'a': [1, 2]} (no globals). */
export function plainData(): Buffer {
  return Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x01, 0x00, 0x00, 0x00, 0x61, 0x5d, 0x71, 0x01, 0x28, 0x4b, 0x01, 0x4b, 0x02, 0x65, 0x73, 0x2e]);
}

/** A protocol 2 pickle of collections.OrderedDict() (one harmless global). */
export function orderedDict(): Buffer {
  return Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('ccollections\nOrderedDict\n', 'latin1'), Buffer.from([0x29, 0x52, 0x2e])]);
}

/**
 * PyTorch's legacy torch.save layout: the magic number, the protocol version and sys_info pickles,
 * the model pickle, the storage keys pickle, then raw storage bytes (an 8-byte count, then data).
 */
export function legacyTorch(model: Buffer, keys: Buffer = Buffer.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x58, 0x01, 0x00, 0x00, 0x00, 0x30, 0x61, 0x2e])): Buffer {
  const magic = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]); // LONG1 0x1950a86a20f9469cfc6c
  const protocol = Buffer.from([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]); // 1001
  const sysInfo = Buffer.concat([Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x28]), Buffer.from([0x58, 0x0d, 0, 0, 0]), Buffer.from('little_endian'), Buffer.from([0x88, 0x75, 0x2e])]);
  const count = Buffer.alloc(8);
  count.writeBigUInt64LE(4n);
  const storage = Buffer.concat([count, Buffer.from(new Float32Array([1.5, -2, 3.25, 0]).buffer)]);
  return Buffer.concat([magic, protocol, sysInfo, model, keys, storage]);
}

export interface ZipMember {
  name: string;
  data: Buffer;
  /** 0 stored (default), 8 deflated. */
  method?: 0 | 8;
  /** Sets the encryption flag (the data is left as is). */
  encrypted?: boolean;
  /** Lie about the uncompressed size in the directory (a bomb's declared size). */
  declaredSize?: number;
}

/** A zip archive written byte by byte (local headers, central directory, end record). */
export function zipOf(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const method = m.method ?? 0;
    const body = method === 8 ? deflateRawSync(m.data) : m.data;
    const size = m.declaredSize ?? m.data.length;
    const flags = m.encrypted ? 1 : 0;
    const crc = crc32(m.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(Math.min(size, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(Math.min(size, 0xfffffffe), 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

/** A ustar archive written byte by byte. */
export function tarOf(members: readonly { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const header = Buffer.alloc(512);
    header.write(m.name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'latin1');
    header.write('0000000\0', 108, 'latin1');
    header.write('0000000\0', 116, 'latin1');
    header.write(`${m.data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write('00000000000\0', 136, 'latin1');
    header.write('        ', 148, 'latin1');
    header.write('0', 156, 'latin1');
    header.write('ustar\0', 257, 'latin1');
    header.write('00', 263, 'latin1');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(header, m.data, Buffer.alloc((512 - (m.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
