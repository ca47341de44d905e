// Differential fuzz of how histories read merges (node --import tsx scripts/measure/merge-diff-fuzz.mts SEED RUNS):
// random histories (odd names, renames, type changes, octopus and criss-cross merges) built by
// fast-import; commitChanges here vs BASE (an oracle build), every EVIL line a merge adds (unique,
// in no parent) must be reported, and every added line must be where its number says in the blob.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NEW = new URL('../../src', import.meta.url).pathname;
// BASE: another checkout's src (e.g. a copy of this one with WHAT_A_COMMIT_ADDS using -c): the oracle.
const BASE = process.env.BASE;
if (!BASE) throw new Error('set BASE to the oracle src folder');
const newLog = await import(`${NEW}/git/log-source.ts`);
const baseLog = await import(`${BASE}/git/log-source.ts`);
const newBlobs = await import(`${NEW}/git/blob-reader.ts`);
const baseBlobs = await import(`${BASE}/git/blob-reader.ts`);

let seed = Number(process.argv[2] ?? 1);
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const ri = (n: number) => Math.floor(rnd() * n);
const pick = <T,>(a: T[]): T => a[ri(a.length)]!;

const B = (s: string) => Buffer.from(s, 'utf8');
const NAMES: Buffer[] = [
  'a.py', 'a b.py', ' lead.py', 'trail.py ', 'tab\tx.py', 'nl\nx.py', 'q"x.py', 'bs\\x.py', 'ü.py', 'dir/a.py', 'dir/b.py',
  'a/b', 'a-b', 'a.b', 'ab', 'diff --cc x', 'diff --git a/x b/x', '@@@ -1 +1 @@@', '"quoted"', '\uFFFD.py', 'x\r', 'c\x01.py',
  'index 0..1', '+x', '-x', 'a/b c/d', 'z', 'Z', 'é/e', 'e\u0301', '\u00e9', 'sp ', 'dir/sub/c.py', 'b/a',
].map(B).concat([Buffer.from([0x66, 0xfe, 0x2e, 0x70, 0x79]), Buffer.from([0x66, 0xff, 0x2e, 0x70, 0x79]), Buffer.from([0x66, 0xef, 0xbf, 0xbd, 0x2e, 0x70, 0x79]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82])]);

type Entry = { mode: string; lines: string[]; kind: 'text' | 'bin' | 'link' | 'git' };
type Tree = Map<string, Entry>; // key: hex of path bytes
let evilN = 0;
let lineN = 0;
const evil: { text: string; mark: string }[] = [];
const newLine = () => `l${lineN++} = ${ri(1000)}`;

function randomEntry(): Entry {
  const r = rnd();
  if (r < 0.06) return { mode: '100644', lines: [`\0bin${ri(5)}`, newLine()], kind: 'bin' };
  if (r < 0.1) return { mode: '120000', lines: [`target${ri(4)}`], kind: 'link' };
  if (r < 0.12) return { mode: '160000', lines: [Array.from({ length: 40 }, () => '0123456789abcdef'[ri(16)]).join('')], kind: 'git' };
  if (r < 0.15) return { mode: '100644', lines: [], kind: 'text' };
  const n = 1 + ri(12);
  return { mode: rnd() < 0.2 ? '100755' : '100644', lines: Array.from({ length: n }, newLine), kind: 'text' };
}

function mutateLines(lines: string[]): string[] {
  const out = [...lines];
  const k = 1 + ri(3);
  for (let i = 0; i < k; i++) {
    const r = rnd();
    const at = ri(out.length + 1);
    if (r < 0.4) out.splice(at, 0, newLine());
    else if (r < 0.7 && out.length) out.splice(Math.min(at, out.length - 1), 1);
    else if (out.length) out[Math.min(at, out.length - 1)] = newLine();
  }
  return out;
}

function child(t: Tree): Tree {
  const n: Tree = new Map([...t].map(([k, v]) => [k, { ...v, lines: [...v.lines] }]));
  const ops = 1 + ri(4);
  for (let i = 0; i < ops; i++) {
    const r = rnd();
    const keys = [...n.keys()];
    if (r < 0.45 && keys.length) {
      const k = pick(keys);
      const e = n.get(k)!;
      if (e.kind === 'text') e.lines = mutateLines(e.lines);
      else n.set(k, randomEntry());
    } else if (r < 0.65) n.set(pick(NAMES).toString('hex'), randomEntry());
    else if (r < 0.75 && keys.length) n.delete(pick(keys));
    else if (r < 0.87 && keys.length) {
      const k = pick(keys);
      const e = n.get(k)!;
      n.delete(k);
      n.set(pick(NAMES).toString('hex'), e);
    } else if (keys.length) {
      const e = n.get(pick(keys))!;
      if (e.kind === 'text') e.mode = e.mode === '100644' ? '100755' : '100644';
    }
  }
  return fixDirs(n);
}

/** A path cannot be both a file and a directory. */
function fixDirs(t: Tree): Tree {
  const paths = [...t.keys()].map((k) => Buffer.from(k, 'hex').toString('latin1'));
  for (const p of paths) {
    for (const q of paths) if (q !== p && q.startsWith(`${p}/`)) t.delete(Buffer.from(p, 'latin1').toString('hex'));
  }
  return t;
}

function merge(parents: Tree[]): Tree {
  const all = new Set(parents.flatMap((p) => [...p.keys()]));
  const out: Tree = new Map();
  for (const k of all) {
    const versions = parents.map((p) => p.get(k)).filter((e): e is Entry => !!e);
    const r = rnd();
    if (r < 0.08) continue; // deleted in the merge
    let e: Entry = { ...pick(versions) };
    e.lines = [...e.lines];
    const texts = versions.filter((v) => v.kind === 'text');
    if (r < 0.5 && texts.length > 1 && e.kind === 'text') {
      // interleave the lines of two parents
      const other = pick(texts);
      const lines = [...e.lines];
      for (const l of other.lines) if (!lines.includes(l) && rnd() < 0.6) lines.splice(ri(lines.length + 1), 0, l);
      e.lines = lines;
    } else if (r < 0.6 && e.kind === 'text') e.lines = mutateLines(e.lines);
    else if (r < 0.65) e.mode = e.kind === 'text' ? (e.mode === '100644' ? '100755' : '100644') : e.mode;
    else if (r < 0.68) e = randomEntry();
    if (e.kind === 'text' && rnd() < 0.35) {
      const text = `EVIL_${evilN++} = ${ri(100)}`;
      e.lines.splice(ri(e.lines.length + 1), 0, text);
    }
    if (rnd() < 0.1) {
      out.set(pick(NAMES).toString('hex'), e); // renamed in the merge
      continue;
    }
    out.set(k, e);
  }
  if (rnd() < 0.3) {
    const e = randomEntry();
    if (e.kind === 'text') e.lines.push(`EVIL_${evilN++} = new`);
    out.set(pick(NAMES).toString('hex'), e);
  }
  return fixDirs(out);
}

function quote(path: Buffer): string {
  let s = '"';
  for (const b of path) {
    if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b >= 0x7f) s += `\\${b.toString(8).padStart(3, '0')}`;
    else s += String.fromCharCode(b);
  }
  return `${s}"`;
}

function build(dir: string, commits: number): { mergeCount: number } {
  const trees: Tree[] = [];
  const chunks: Buffer[] = [];
  let mark = 0;
  let mergeCount = 0;
  const emit = (t: Tree, parents: number[]) => {
    mark++;
    const msg = `c${mark}`;
    let s = `commit refs/heads/main\nmark :${mark}\ncommitter T <t@e> ${1600000000 + mark} +0000\ndata ${msg.length}\n${msg}\n`;
    if (parents.length) s += `from :${parents[0]}\n`;
    for (const p of parents.slice(1)) s += `merge :${p}\n`;
    s += 'deleteall\n';
    chunks.push(B(s));
    for (const [k, e] of t) {
      const path = quote(Buffer.from(k, 'hex'));
      if (e.kind === 'git') {
        chunks.push(B(`M 160000 ${e.lines[0]} ${path}\n`));
        continue;
      }
      const data = B(e.kind === 'link' ? e.lines[0]! : e.lines.map((l) => `${l}\n`).join(''));
      chunks.push(B(`M ${e.mode} inline ${path}\ndata ${data.length}\n`), data, B('\n'));
    }
    chunks.push(B('\n'));
    trees.push(t);
  };
  const root: Tree = new Map();
  for (let i = 0; i < 4; i++) root.set(pick(NAMES).toString('hex'), randomEntry());
  emit(fixDirs(root), []);
  for (let i = 1; i < commits; i++) {
    if (i > 2 && rnd() < 0.4) {
      const k = rnd() < 0.2 ? 3 + ri(2) : 2;
      const ps = new Set<number>();
      while (ps.size < Math.min(k, i)) ps.add(ri(i));
      const list = [...ps];
      mergeCount++;
      // record evil lines that no parent holds
      const t = merge(list.map((p) => trees[p]!));
      emit(t, list.map((p) => p + 1));
    } else {
      const p = rnd() < 0.7 ? i - 1 : ri(i);
      emit(child(trees[p]!), [p + 1]);
    }
  }
  // every later commit is reachable from main: a final octopus would be too big; keep refs to all
  let refs = '';
  for (let m = 1; m <= mark; m++) refs += `reset refs/tags/t${m}\nfrom :${m}\n\n`;
  chunks.push(B(refs));
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(chunks) });
  if (r.status !== 0) throw new Error(`fast-import: ${r.stderr}`);
  return { mergeCount };
}

async function collect(log: any, Blobs: any, dir: string): Promise<string[]> {
  const out: string[] = [];
  const blobs = new Blobs.BlobReader(dir, 1 << 20);
  try {
    for await (const c of log.commitChanges({ revisions: ['--all'] }, dir, blobs)) {
      if (c.location) continue;
      out.push(JSON.stringify([c.commit, c.path, c.oldPath, c.status, c.oldMode, c.newMode, c.oldBlob, c.newBlob, c.binary, c.merge ?? false, c.otherParentBlobs ?? null, c.part ?? null, c.addedLines.map((l: any) => `${l.number}:${l.text}${l.cr ? '\\r' : ''}`)]));
    }
  } finally {
    blobs.close();
  }
  return out;
}

const runs = Number(process.argv[3] ?? 20);
let bad = 0;
for (let run = 0; run < runs; run++) {
  const startSeed = seed;
  const dir = mkdtempSync(join(tmpdir(), 'r5rc-fuzz-'));
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  evilN = 0;
  const { mergeCount } = build(dir, 10 + ri(30));
  const a = await collect(newLog, newBlobs, dir);
  const b = await collect(baseLog, baseBlobs, dir);
  // evil lines: each present in some merge's result and in none of its parents must be in a merge change
  const missingEvil: string[] = [];
  const ids = spawnSync('git', ['rev-list', '--all', '--min-parents=2'], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  const reported = new Set(a.map((s) => JSON.parse(s)).flatMap((c: any[]) => (c[9] ? c[12].map((l: string) => `${c[0]} ${l.replace(/^\d+:/, '')}`) : [])));
  const binaryFiles = new Set(a.map((s) => JSON.parse(s)).flatMap((c: any[]) => (c[9] && c[8] ? [`${c[0]} ${c[1]}`] : [])));
  for (const id of ids) {
    const grepz = (rev: string) => { const out = spawnSync('git', ['-c', 'core.quotePath=false', 'grep', '-z', '-a', '--no-color', '-e', 'EVIL_', rev], { cwd: dir, encoding: 'utf8' }).stdout; const res: string[][] = []; let i = 0; while (i < out.length) { const z = out.indexOf('\0', i); const n = out.indexOf('\n', z); res.push(['', out.slice(i + rev.length + 1, z), '', out.slice(z + 1, n)]); i = n + 1; } return res; };
    const grep = (rev: string) => new Set(grepz(rev).map((f) => f[3]!));
    const mineFull = grepz(id);
    const mine = grep(id);
    const parents = spawnSync('git', ['rev-parse', `${id}^@`], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n');
    const theirs = new Set(parents.flatMap((p) => [...grep(p)]));
    for (const f of mineFull) { const l = f[3]!; if (!theirs.has(l) && !reported.has(`${id} ${l}`) && !binaryFiles.has(`${id} ${f[1]}`)) missingEvil.push(`${id.slice(0, 8)} ${f[1]} ${l}`); }
  }
  const wrongLine: string[] = [];
  for (const c of a.map((x) => JSON.parse(x))) {
    if (!c[7] || c[12].length === 0 || c[5] === '160000') continue;
    const blob = spawnSync('git', ['cat-file', 'blob', c[7]], { cwd: dir }).stdout.toString('utf8').split('\n');
    for (const l of c[12] as string[]) { const m = /^(\d+):(.*)$/s.exec(l)!; if (blob[Number(m[1]) - 1] !== m[2]) wrongLine.push(`${c[0].slice(0, 8)} ${JSON.stringify(c[1])} ${l}`); }
  }
  if (wrongLine.length) { console.log('WRONG LINE', wrongLine.slice(0, 5)); missingEvil.push(...wrongLine); }
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same || missingEvil.length) {
    bad++;
    console.log(`seed ${startSeed} dir ${dir}: merges ${mergeCount}, same=${same}, missing evil ${missingEvil.length}`);
    if (!same) {
      const bs = new Set(b);
      const as = new Set(a);
      for (const x of a) if (!bs.has(x)) console.log('  new only :', x.slice(0, 400));
      for (const x of b) if (!as.has(x)) console.log('  base only:', x.slice(0, 400));
    }
    for (const m of missingEvil.slice(0, 5)) console.log('  missing:', m);
    if (bad > 3) break;
  } else rmSync(dir, { recursive: true, force: true });
}
console.log(`done: ${runs} runs, ${bad} bad`);
