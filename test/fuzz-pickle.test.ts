import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { defaultConfig } from '../src/config/types.ts';
import type { BlobReadOptions, FileChange, RawFinding } from '../src/engine/types.ts';
import { pickleFileDetector } from '../src/rules/pickle/detector.ts';
import { looksLikePickleStart, parsePickle, type PickleScan } from '../src/rules/pickle/parser.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { npy, python } from './pickle/fixtures.ts';

// Every pickle here is parsed, never loaded: python3 only dumps, TypeScript writes opcodes by hand.

/** A binary file added in a commit; loadContent honours headBytes/tailBytes like the blob reader. */
function changeOf(path: string, bytes: Buffer): FileChange {
  const maxFileBytes = defaultConfig().limits.maxFileBytes;
  return {
    path, oldPath: null, status: 'A', oldMode: null, newMode: '100644', oldBlob: null, newBlob: 'f'.repeat(40), binary: true, addedLines: [], commit: null,
    loadContent: async (options?: BlobReadOptions) => {
      const headBytes = options?.headBytes ?? maxFileBytes;
      const complete = bytes.length <= headBytes;
      const tailBytes = options?.tailBytes ?? 0;
      const tail = complete || tailBytes === 0 ? null : bytes.subarray(Math.max(headBytes, bytes.length - tailBytes));
      return { size: bytes.length, head: bytes.subarray(0, headBytes), tail, complete };
    },
    loadOldContent: async () => null,
  };
}

const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };

async function scan(path: string, bytes: Buffer): Promise<RawFinding[]> {
  const change = changeOf(path, bytes);
  if (!pickleFileDetector.appliesTo(change, ctx)) return [];
  const findings = await pickleFileDetector.scan(change, ctx);
  for (const f of findings) {
    assert.ok(f.message.length < 4000, `a message of ${f.message.length} characters`);
    assert.ok((f.details ?? []).length <= 100, `${f.details?.length} detail lines`);
  }
  return findings;
}

const blocks = (findings: readonly RawFinding[]) => findings.some((f) => (f.severity ?? f.rule.severity) === 'block');
const shownGlobals = (findings: readonly RawFinding[]) => findings.flatMap((f) => [f.message, ...(f.details ?? [])]).join('\n');

/** The parse result is bounded and says what happened: complete, truncated, or malformed, never two of them. */
function assertBounded(scan: PickleScan, data: Buffer, start = 0): void {
  assert.ok(scan.end >= start && scan.end <= data.length, `end ${scan.end} outside [${start}, ${data.length}]`);
  assert.ok(scan.opcodes <= data.length - start + 1, `${scan.opcodes} opcodes from ${data.length - start} bytes`);
  assert.ok(scan.globals.length <= 1000, `${scan.globals.length} globals`);
  assert.ok(scan.protocol >= 0 && scan.protocol <= 5, `protocol ${scan.protocol}`);
  const states = [scan.complete, scan.truncated, scan.error !== null].filter(Boolean).length;
  assert.equal(states, 1, `complete=${scan.complete} truncated=${scan.truncated} error=${scan.error}`);
  if (scan.error !== null) assert.ok(scan.error.length < 200, 'a bounded error');
}

// --- building pickles by hand ----------------------------------------------------------------

const op = (...bytes: number[]) => Buffer.from(bytes);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const shortUnicode = (text: string) => Buffer.concat([op(0x8c, Buffer.byteLength(text)), Buffer.from(text)]);

/** `os.system('echo never-run')` in each way a pickle can import a global. */
const OS_SYSTEM_FORMS: Record<string, Buffer> = {
  'protocol 0 GLOBAL': Buffer.from("cos\nsystem\n(S'echo never-run'\ntR.", 'latin1'),
  'protocol 0 INST': Buffer.from("(S'echo never-run'\nios\nsystem\n.", 'latin1'),
  'protocol 2 GLOBAL + BINUNICODE': Buffer.concat([op(0x80, 2), Buffer.from('cos\nsystem\n', 'latin1'), op(0x58), u32(14), Buffer.from('echo never-run'), op(0x85, 0x52, 0x2e)]),
  'protocol 4 STACK_GLOBAL + MEMOIZE + FRAME': (() => {
    const body = Buffer.concat([shortUnicode('os'), op(0x94), shortUnicode('system'), op(0x94, 0x93, 0x94), shortUnicode('echo never-run'), op(0x94, 0x85, 0x94, 0x52, 0x94, 0x2e)]);
    return Buffer.concat([op(0x80, 4, 0x95), u64(BigInt(body.length)), body]);
  })(),
  'protocol 5 STACK_GLOBAL via BINGET': Buffer.concat([op(0x80, 5), shortUnicode('os'), op(0x71, 0), shortUnicode('system'), op(0x71, 1, 0x30, 0x30, 0x68, 0, 0x68, 1, 0x93), shortUnicode('id'), op(0x85, 0x52, 0x2e)]),
  'protocol 2 SHORT_BINSTRING + STACK_GLOBAL': Buffer.concat([op(0x80, 2, 0x55, 2), Buffer.from('os'), op(0x55, 6), Buffer.from('system'), op(0x93, 0x4e, 0x85, 0x52, 0x2e)]),
};

/** Benign pickles of every protocol, dumped by python3 (dumps only). */
const CORPUS: Buffer[] = (() => {
  const script = `
import base64, json
objs = [None, True, 1, -5, 2**70, 3.5, 'text', 'ünï\\n', b'bytes', bytearray(b'ba'), [1, [2, [3]]], {'a': (1, 2), 'b': {1, 2}},
        frozenset([1]), collections.OrderedDict(a=1), complex(1, 2), list(range(200)), 'x' * 300, (1,), (1, 2), (1, 2, 3), [[[]]] * 3]
shared = [1]
objs.append([shared, shared, {'k': shared}])
out(json.dumps([base64.b64encode(pickle.dumps(o, protocol=p)).decode() for p in range(6) for o in objs]).encode())`;
  return (JSON.parse(python(script).toString()) as string[]).map((b) => Buffer.from(b, 'base64'));
})();

// --- generators --------------------------------------------------------------------------------

/** One opcode with plausible, hostile or enormous arguments. */
const opcode = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0x28, 0x30, 0x31, 0x32, 0x4e, 0x88, 0x89, 0x5d, 0x7d, 0x29, 0x8f, 0x61, 0x65, 0x62, 0x73, 0x75, 0x90, 0x64, 0x6c, 0x74, 0x91, 0x85, 0x86, 0x87, 0x52, 0x81, 0x92, 0x6f, 0x93, 0x94, 0x97, 0x98, 0x51, 0x2e).map((b) => op(b)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(0x4b, 0x43, 0x55, 0x8c, 0x8a, 0x71, 0x68, 0x82, 0x80), fc.nat(255)).map(([b, n]) => op(b, n)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('os', 'builtins', 'collections', '', '1x', 'a.b'), fc.constantFrom('system', 'eval', 'OrderedDict', '', ' ')).map(([m, n]) => Buffer.concat([shortUnicode(m), shortUnicode(n)])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0x4a, 0x58, 0x42, 0x54, 0x8b, 0x72, 0x6a, 0x84), fc.oneof(fc.nat(64), fc.constantFrom(0xffffffff, 0x80000000, 0x7fffffff))).map(([b, n]) => Buffer.concat([op(b), u32(n)])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0x8d, 0x8e, 0x96, 0x95), fc.oneof(fc.bigInt(0n, 64n), fc.constantFrom(1n << 62n, (1n << 64n) - 1n, 1n << 53n, (1n << 53n) - 1n, 1n << 40n))).map(([b, n]) => Buffer.concat([op(b), u64(n)])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('c', 'i', 'I', 'L', 'F', 'S', 'V', 'P', 'p', 'g'), fc.constantFrom('os\nsystem\n', '0\n', '01\n', "'a'\n", '-12L\n', 'x\n', '\n', '99999999999999999999\n', '1.5\r\n', 'os')).map(([o, a]) => Buffer.from(o + a, 'latin1')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)) },
);
const opcodeStream = fc.tuple(fc.constantFrom(...[0, 2, 3, 4, 5, 6, 255]), fc.array(opcode, { maxLength: 40 })).map(([proto, ops]) => Buffer.concat([proto === 0 ? Buffer.alloc(0) : op(0x80, proto), ...ops]));

// --- properties ---------------------------------------------------------------------------------

test('property: any bytes and any opcode stream parse without throwing, to a bounded result', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)), opcodeStream), fc.nat(8), (data, start) => {
      const from = Math.min(start, data.length);
      assertBounded(parsePickle(data, from), data, from);
    }),
    fuzzParams(3000),
  );
});

test('property: the detector judges any bytes under any name without throwing; a pickle-looking .pkl always blocks', async () => {
  const name = fc.constantFrom('model.pkl', 'data.pickle', 'x.joblib', 'weights.bin', 'model.pt', 'arr.npy', 'notes.txt', 'blob', 'x.pkl.gz');
  await fc.assert(
    fc.asyncProperty(fc.oneof(opcodeStream, fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))), name, async (data, path) => {
      const findings = await scan(path, data);
      if (/\.(pkl|pickle|joblib)$/.test(path) && looksLikePickleStart(data)) assert.ok(blocks(findings), `${path} ${data.subarray(0, 16).toString('hex')}: not blocked`);
    }),
    fuzzParams(800),
  );
});

test('every prefix of every valid pickle (protocols 0-5) is read as truncated, never as complete or malformed, with a subset of the globals', () => {
  assert.ok(CORPUS.length >= 100, `python3 dumped ${CORPUS.length} pickles`);
  for (const full of [...CORPUS, ...Object.values(OS_SYSTEM_FORMS)]) {
    const whole = parsePickle(full);
    assert.ok(whole.complete && whole.error === null && whole.end === full.length, `the whole pickle ${full.subarray(0, 24).toString('hex')} reads cleanly: ${whole.error}`);
    for (let n = 0; n < full.length; n++) {
      const prefix = full.subarray(0, n);
      const cut = parsePickle(prefix);
      assertBounded(cut, prefix);
      assert.ok(cut.truncated && cut.error === null, `prefix ${n}/${full.length} of ${full.subarray(0, 24).toString('hex')}: truncated=${cut.truncated} error=${cut.error}`);
      assert.ok(cut.needs > n, `prefix ${n}: needs ${cut.needs}`);
      for (const g of cut.globals) assert.ok(whole.globals.includes(g), `prefix ${n} names ${g}, the whole pickle does not`);
    }
  }
});

test('property: a truncated pickle under a pickle name still blocks, as raw, gzip, zip entry or npy object array', async () => {
  const candidates = [...CORPUS.filter((c) => c.length >= 3 && c.length < 4000), ...Object.values(OS_SYSTEM_FORMS)];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...candidates), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('raw', 'gzip', 'npy', 'zip'), async (full, at, wrap) => {
      const prefix = full.subarray(0, Math.max(2, Math.floor(at * full.length)));
      if (wrap === 'raw') {
        if (!looksLikePickleStart(prefix)) return;
        assert.ok(blocks(await scan('model.pkl', prefix)), `raw prefix ${prefix.toString('hex')} not blocked`);
      } else if (wrap === 'gzip') {
        assert.ok(blocks(await scan('model.pkl.gz', gzipSync(prefix))), `gzip of ${prefix.toString('hex')} not blocked`);
      } else if (wrap === 'zip') {
        assert.ok(blocks(await scan('model.pt', zipOf([['archive/data.pkl', prefix], ['archive/version', Buffer.from('3\n')]]))), `zip entry ${prefix.toString('hex')} not blocked`);
      } else {
        assert.ok(blocks(await scan('arr.npy', npy('|O', prefix))), `npy object array with ${prefix.toString('hex')} not blocked`);
      }
    }),
    fuzzParams(300),
  );
});

test('os.system is named dangerous in every import form, container, and after any benign opcodes', async () => {
  for (const [form, bytes] of Object.entries(OS_SYSTEM_FORMS)) {
    assert.ok(parsePickle(bytes).globals.includes('os.system'), form);
    for (const [path, data] of [
      ['model.pkl', bytes],
      ['weights.bin', bytes],
      ['notes.txt', bytes],
      ['model.pkl.gz', gzipSync(bytes)],
      ['arr.npy', npy('|O', bytes)],
      ['model.pt', zipOf([['archive/data.pkl', bytes]])],
    ] as const) {
      const findings = await scan(path, data);
      assert.ok(blocks(findings), `${form} as ${path}: not blocked`);
      assert.match(shownGlobals(findings), /os\.system/, `${form} as ${path}: os.system not named`);
      assert.match(shownGlobals(findings), /DANGEROUS|dangerous/, `${form} as ${path}`);
    }
  }
});

test('property: benign opcodes before an os.system GLOBAL never hide it from the global list', () => {
  const benign = fc.constantFrom(op(0x4e), op(0x5d), op(0x7d), op(0x29), op(0x88), op(0x4b, 7), shortUnicode('pad'), Buffer.from('I42\n'), op(0x28, 0x4e, 0x74));
  fc.assert(
    fc.property(fc.array(benign, { maxLength: 30 }), fc.constantFrom(0, 2, 3, 4, 5), fc.boolean(), (pad, proto, stackGlobal) => {
      const global = stackGlobal ? Buffer.concat([shortUnicode('os'), shortUnicode('system'), op(0x93)]) : Buffer.from('cos\nsystem\n', 'latin1');
      const data = Buffer.concat([proto === 0 ? Buffer.alloc(0) : op(0x80, proto), ...pad, global, op(0x29, 0x52, 0x2e)]);
      const scan = parsePickle(data);
      assertBounded(scan, data);
      assert.ok(scan.globals.includes('os.system'), `${data.toString('hex')}: ${scan.globals.join(',')} ${scan.error}`);
    }),
    fuzzParams(500),
  );
});

test('deep nesting (100k MARK / EMPTY_LIST / EMPTY_DICT) and opcode floods end in a result, and a .pkl still blocks', async () => {
  const deep = [
    Buffer.concat([op(0x80, 4), Buffer.alloc(100_000, 0x28), op(0x2e)]),
    Buffer.concat([op(0x80, 4), Buffer.alloc(100_000, 0x5d), op(0x2e)]),
    Buffer.concat([op(0x80, 2), Buffer.from('(]'.repeat(100_000), 'latin1'), Buffer.from('ea'.repeat(100_000), 'latin1'), op(0x2e)]),
    Buffer.concat([op(0x80, 4), Buffer.alloc(300_000, 0x7d), op(0x2e)]),
    Buffer.concat([op(0x80, 4, 0x4e), Buffer.alloc(500_000, 0x32), op(0x2e)]), // DUP flood
    Buffer.concat([op(0x80, 4, 0x4e), Buffer.from(op(0x94, 0x30, 0x4e).toString('latin1').repeat(150_000), 'latin1'), op(0x2e)]), // memo flood
    Buffer.concat([op(0x80, 4), Buffer.from('\x8c\x02os\x8c\x06system\x93'.repeat(5_000), 'latin1'), op(0x2e)]),
  ];
  for (const data of deep) {
    const result = parsePickle(data);
    assertBounded(result, data);
    assert.ok(blocks(await scan('deep.pkl', data)), `${data.subarray(0, 8).toString('hex')}… not blocked`);
  }
});

test('enormous declared lengths (BINUNICODE8, BINBYTES8, BYTEARRAY8, FRAME to 2^64-1, BINUNICODE 2^32-1, negative LONG4) do not allocate or throw', async () => {
  const lengths = [1n << 62n, (1n << 64n) - 1n, 1n << 53n, (1n << 53n) - 1n, 1n << 40n, 1n << 31n];
  const cases: Buffer[] = [];
  for (const opc of [0x8d, 0x8e, 0x96, 0x95]) for (const n of lengths) cases.push(Buffer.concat([op(0x80, 5, opc), u64(n), Buffer.from('abc'), op(0x2e)]));
  for (const opc of [0x58, 0x42, 0x54, 0x8b]) for (const n of [0xffffffff, 0x80000000, 0x7fffffff]) cases.push(Buffer.concat([op(0x80, 2, opc), u32(n), Buffer.from('abc')]));
  for (const data of cases) {
    const result = parsePickle(data);
    assertBounded(result, data);
    assert.ok(!result.complete, `${data.toString('hex')} read as complete`);
    assert.ok(blocks(await scan('huge.pkl', data)), `${data.toString('hex')} not blocked`);
  }
  // A large file whose payload runs past max-file-bytes: judged from its first bytes, still blocked, os.system named.
  const big = Buffer.concat([OS_SYSTEM_FORMS['protocol 2 GLOBAL + BINUNICODE'].subarray(0, -3), op(0x8e), u64(1n << 40n), Buffer.alloc(200_000, 0x41)]);
  const findings = await scan('big.pkl', big);
  assert.ok(blocks(findings));
  assert.match(shownGlobals(findings), /os\.system/);
  // A gzip bomb: 32 MiB of payload after the global inflates past max-file-bytes (8 MiB); judged from what inflates.
  const payload = 32 << 20;
  const bomb = gzipSync(Buffer.concat([OS_SYSTEM_FORMS['protocol 2 GLOBAL + BINUNICODE'].subarray(0, -3), op(0x8e), u64(BigInt(payload)), Buffer.alloc(payload), op(0x86, 0x52, 0x2e)]));
  const inflated = await scan('model.pkl.gz', bomb);
  assert.ok(blocks(inflated));
  assert.match(shownGlobals(inflated), /os\.system/);
});

// --- zips and npy -----------------------------------------------------------------------------

/** A stored (uncompressed) zip written by hand: local headers, central directory, end record. CRCs are zero (not checked). */
function zipOf(entries: readonly (readonly [string, Buffer])[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test('property: zips with bogus central directories, end records and zip64 locators never throw', async () => {
  const base = zipOf([['archive/data.pkl', OS_SYSTEM_FORMS['protocol 2 GLOBAL + BINUNICODE']], ['archive/data/0', Buffer.alloc(32)], ['arr.npy', npy('|O', Buffer.from('N.'))]]);
  const cdStart = base.length - 22 - (base.length - 22 - base.readUInt32LE(base.length - 22 + 16));
  const edit = fc.record({
    // Mostly in the directory and end record, where the reader trusts counts, sizes and offsets.
    at: fc.oneof(fc.integer({ min: cdStart, max: base.length - 1 }), fc.nat(base.length - 1)),
    value: fc.oneof(fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x01), fc.nat(255)),
    width: fc.constantFrom(1, 2, 4),
  });
  const zip64Locator = fc.constantFrom(null, 0n, 1n << 62n, (1n << 64n) - 1n, 20n);
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { maxLength: 6 }), zip64Locator, fc.nat(base.length), fc.constantFrom('model.pt', 'x.npz', 'model.bin', 'archive.zip'), async (edits, locator, cutAt, path) => {
      let data = Buffer.from(base);
      for (const e of edits) for (let i = 0; i < e.width && e.at + i < data.length; i++) data[e.at + i] = e.value;
      if (locator !== null) {
        // A zip64 end-of-directory locator just before the end record, pointing anywhere.
        const loc = Buffer.alloc(20);
        loc.writeUInt32LE(0x07064b50, 0);
        loc.writeBigUInt64LE(locator, 8);
        data = Buffer.concat([data.subarray(0, data.length - 22), loc, data.subarray(data.length - 22)]);
      }
      if (cutAt > 30 && cutAt % 3 === 0) data = data.subarray(0, cutAt); // sometimes truncated, end record gone
      await scan(path, data);
    }),
    fuzzParams(600),
  );
});

test('property: .npy files with garbage headers and lengths never throw; an object dtype with a pickle after it blocks', async () => {
  const garbageHeader = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom("{'descr': '|O'", "{'descr': [('a', '|O'), ('b', '<f8')], 'shape': (", "{'descr': \"|O\"}", "{'descr':'<f8'}", "'descr': '", '{', "{'descr': '|O8', 'fortran_order': False, 'shape': (1,), }"),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(1, 2, 3, 0, 255), garbageHeader, fc.oneof(fc.nat(0xffff), fc.constantFrom(0xffffffff, 0)), fc.uint8Array({ maxLength: 40 }), async (major, header, declared, payload) => {
      const text = Buffer.from(header, 'latin1');
      const len = major === 1 ? Buffer.alloc(2) : Buffer.alloc(4);
      if (major === 1) len.writeUInt16LE(declared & 0xffff);
      else len.writeUInt32LE(declared >>> 0);
      const data = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([major, 0]), len, text, Buffer.from(payload)]);
      await scan('arr.npy', data);
    }),
    fuzzParams(500),
  );
  for (const descr of ['|O', '<O', "[('a', '|O'), ('b', '<f8')]".replace(/'/g, '"')]) {
    const findings = await scan('arr.npy', npy(descr, OS_SYSTEM_FORMS['protocol 0 GLOBAL']));
    assert.ok(blocks(findings), descr);
    assert.match(shownGlobals(findings), /os\.system/, descr);
  }
});
