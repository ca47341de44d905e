// Runs gitward on picklescan's public test samples (not shipped; see docs/pickle-and-requirements.md).
// The samples are read as bytes, never loaded: the files its repository commits (tests/data,
// tests/data2), and the ones its tests build in memory with Python, written here byte by byte.
// Each sample is staged in a fresh git repository and `gitward scan --format json` runs twice:
// with the default configuration and with allow-globals = ["torch.*", "numpy.*"].
// Usage: node --import tsx scripts/measure/picklescan-samples.ts <picklescan checkout> [--verbose]
//   (a checkout: `git clone <mirror of mmaitre314/picklescan> /tmp/picklescan`)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'gitward.cjs');
const checkout = process.argv[2];
const verbose = process.argv.includes('--verbose');
if (!checkout) throw new Error('usage: picklescan-samples.ts <picklescan checkout> [--verbose]');

/** The samples picklescan's tests expect to find nothing dangerous in (by its test file). */
const BENIGN = new Set([
  'data/benign0_v0.pkl', 'data/benign0_v3.pkl', 'data/benign0_v4.pkl', 'data/pytorch_model.bin', 'data/new_pytorch_model.bin',
  'data/bad_pytorch.pt', 'data/not_a_pickle.bin', 'data/benign_password_protected.zip',
  'data2/int_array.npy', 'data2/int_arrays.npz', 'data2/int_arrays_compressed.npz', 'data2/object_array.npy',
  'data2/object_arrays.npz', 'data2/object_arrays_compressed.npz',
]);
/** Inside an archive format gitward does not open: must at least warn. */
const UNOPENED = new Set(['data/malicious1.7z']);

// ---- The in-memory samples of its test file, byte by byte ----
const short = (t: string) => Buffer.concat([Buffer.from([0x8c, t.length]), Buffer.from(t), Buffer.from([0x94])]);
/** pickle.dumps(obj) at protocol 4 of an object whose __reduce__ returns (module.name, (arg,)). */
function reduceProtocol4(module: string, name: string, arg: string): Buffer {
  const body = Buffer.concat([short(module), short(name), Buffer.from([0x93, 0x94]), short(arg), Buffer.from([0x94, 0x85, 0x94, 0x52, 0x94, 0x2e])]);
  const frame = Buffer.alloc(9);
  frame[0] = 0x95;
  frame.writeBigUInt64LE(BigInt(body.length), 1);
  return Buffer.concat([Buffer.from([0x80, 0x04]), frame, body]);
}
function zipOf(name: string, data: Buffer, method: 0 | 8): Buffer {
  const body = method === 8 ? deflateRawSync(data) : data;
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE(method, 10);
  cd.writeUInt32LE(body.length, 20);
  cd.writeUInt32LE(data.length, 24);
  cd.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + body.length, 16);
  return Buffer.concat([local, n, body, cd, n, end]);
}
const IN_MEMORY: Record<string, Buffer> = {
  'mem/malicious1.pkl': reduceProtocol4('builtins', 'eval', "print('456')"), // Malicious1
  'mem/malicious2.pkl': reduceProtocol4('posix', 'system', 'ls -la'), // Malicious2
  'mem/zip-malicious.zip': zipOf('data.pkl', reduceProtocol4('builtins', 'eval', "print('456')"), 0), // mock/zip/malicious
  'mem/pytorch_model.bin': zipOf('archive/data.pkl', reduceProtocol4('builtins', 'eval', "print('456')"), 8), // the Hugging Face mock
};

// ---- Stage everything and scan ----
const files: Record<string, Buffer> = { ...IN_MEMORY };
for (const dir of ['data', 'data2']) {
  for (const name of readdirSync(join(checkout, 'tests', dir))) files[`${dir}/${name}`] = readFileSync(join(checkout, 'tests', dir, name));
}

interface Outcome {
  blocked: boolean;
  warned: boolean;
  messages: string[];
}

function scan(config: string | null): Map<string, Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'gitward-picklescan-'));
  try {
    execFileSync('git', ['init', '-q', dir]);
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    if (config) writeFileSync(join(dir, '.gitward.toml'), config);
    execFileSync('git', ['-C', dir, 'add', '-A']);
    const run = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`gitward exited ${run.status}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { findings: { path: string; severity: string; message: string }[] };
    const out = new Map<string, Outcome>();
    for (const f of report.findings) {
      const o = out.get(f.path) ?? { blocked: false, warned: false, messages: [] };
      if (f.severity === 'block') o.blocked = true;
      else o.warned = true;
      o.messages.push(f.message);
      out.set(f.path, o);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const settings: [string, string | null][] = [
  ['default configuration', null],
  ['allow-globals = ["torch.*", "numpy.*"]', '[pickle]\nallow-globals = ["torch.*", "numpy.*"]\n'],
];
for (const [label, config] of settings) {
  const outcome = scan(config);
  const malicious = Object.keys(files).filter((p) => !BENIGN.has(p) && !UNOPENED.has(p)).sort();
  const blocked = malicious.filter((p) => outcome.get(p)?.blocked);
  const unopenedWarned = [...UNOPENED].filter((p) => outcome.get(p)?.blocked || outcome.get(p)?.warned);
  const benignBlocked = [...BENIGN].filter((p) => outcome.get(p)?.blocked);
  const benignWarned = [...BENIGN].filter((p) => !outcome.get(p)?.blocked && outcome.get(p)?.warned);
  console.log(`${label}:`);
  console.log(`  malicious samples blocked: ${blocked.length} of ${malicious.length}`);
  console.log(`  inside .7z (not opened), at least a warning: ${unopenedWarned.length} of ${UNOPENED.size}`);
  console.log(`  benign samples: ${benignBlocked.length} of ${BENIGN.size} blocked, ${benignWarned.length} warned, the rest pass`);
  const missed = malicious.filter((p) => !outcome.get(p)?.blocked);
  if (missed.length > 0) console.log(`  NOT blocked: ${missed.join(', ')}`);
  if (verbose) for (const p of [...malicious, ...UNOPENED, ...BENIGN]) console.log(`    ${p}: ${outcome.get(p)?.messages.join(' | ') ?? 'no finding'}`);
}
