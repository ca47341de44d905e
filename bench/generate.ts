// Deterministic workloads (fixed seed) written into a temp folder; nothing large is committed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** mulberry32: a tiny seeded PRNG, so every run generates the same bytes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'user order item price total count name value config client session request response cache queue event batch record path token_count retries timeout'.split(' ');

export class Text {
  constructor(private readonly r: () => number) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pythonLine(): string {
    const a = this.pick(WORDS);
    const b = this.pick(WORDS);
    switch (this.int(6)) {
      case 0: return `def get_${a}_${b}(self, ${b}_id: int) -> dict:`;
      case 1: return `    ${a} = self.${b}.get("${a}", ${this.int(1000)})`;
      case 2: return `    if ${a} is None or len(${b}) > ${this.int(50)}:`;
      case 3: return `        logger.info("loaded %s ${a}s", len(${b}))`;
      case 4: return `    return {"${a}": ${a}, "${b}": [x for x in ${b} if x]}`;
      default: return `import ${a}_${b}  # ${this.pick(WORDS)} helpers`;
    }
  }
  yamlLine(): string {
    return `${'  '.repeat(this.int(3))}${this.pick(WORDS)}_${this.int(99)}: ${this.pick(['true', '"' + this.pick(WORDS) + '"', String(this.int(9999))])}`;
  }
  jsonLine(): string {
    return `  "${this.pick(WORDS)}_${this.int(999)}": ${this.pick(['null', String(this.int(1e6)), '"' + this.pick(WORDS) + '"'])},`;
  }
  file(kind: 'py' | 'yaml' | 'json', lines: number): string {
    const out: string[] = [];
    for (let i = 0; i < lines; i++) out.push(kind === 'py' ? this.pythonLine() : kind === 'yaml' ? this.yamlLine() : this.jsonLine());
    return kind === 'json' ? `{\n${out.join('\n')}\n  "end": true\n}\n` : `${out.join('\n')}\n`;
  }
}

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench Author',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench Author',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  NO_COLOR: '1',
};

export function git(cwd: string, args: string[], input?: string | Buffer): string {
  const r = spawnSync('git', args, { cwd, env: GIT_ENV, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function initRepo(dir: string, bare = false): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main', ...(bare ? ['--bare'] : [])]);
  return dir;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A large file written in chunks (never whole in memory). */
export function writeChunked(path: string, totalBytes: number, chunk: (i: number) => Buffer): void {
  const fd = openSync(path, 'w');
  let written = 0;
  for (let i = 0; written < totalBytes; i++) {
    const b = chunk(i);
    const part = written + b.length > totalBytes ? b.subarray(0, totalBytes - written) : b;
    writeSync(fd, part);
    written += part.length;
  }
  closeSync(fd);
}

/**
 * A text file of whole pieces, written in ~1 MB chunks: `piece(i)` until `totalBytes` is reached,
 * then `end`. Returns the bytes written.
 */
export function writePieces(path: string, totalBytes: number, piece: (i: number) => string, end = ''): number {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let written = 0;
  let chunk: string[] = [];
  let chunkBytes = 0;
  for (let i = 0; written + chunkBytes < totalBytes; i++) {
    const p = piece(i);
    chunk.push(p);
    chunkBytes += Buffer.byteLength(p);
    if (chunkBytes >= 1 << 20) {
      written += writeSync(fd, chunk.join(''));
      chunk = [];
      chunkBytes = 0;
    }
  }
  written += writeSync(fd, chunk.join('') + end);
  closeSync(fd);
  return written;
}

/**
 * A pickle written by hand (never by a pickler, never loaded): PROTO 4, FRAME, a BINBYTES8 payload
 * of `payloadBytes`, STOP. Streams the payload so memory stays small.
 */
export function writePickle(path: string, payloadBytes: number, r: () => number): void {
  const fd = openSync(path, 'w');
  const head = Buffer.alloc(2 + 9 + 9);
  head[0] = 0x80; head[1] = 4; // PROTO 4
  head[2] = 0x95; head.writeBigUInt64LE(BigInt(9 + payloadBytes + 1), 3); // FRAME <len>
  head[11] = 0x8e; head.writeBigUInt64LE(BigInt(payloadBytes), 12); // BINBYTES8 <len>
  writeSync(fd, head);
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = Math.floor(r() * 256);
  for (let left = payloadBytes; left > 0; left -= block.length) writeSync(fd, left >= block.length ? block : block.subarray(0, left));
  writeSync(fd, Buffer.from([0x2e])); // STOP
  closeSync(fd);
}

/**
 * A history of `commits` commits built with one `git fast-import` (seconds, not minutes): each
 * commit edits 1–3 Python/YAML/JSON files of a ~`files`-file tree. Returns the commit ids, oldest first.
 */
export function fastImportHistory(dir: string, commits: number, files: number, seed: number): string[] {
  const t = new Text(rng(seed));
  const parts: string[] = [];
  const kinds = ['py', 'yaml', 'json'] as const;
  const when = 1_700_000_000;
  for (let c = 1; c <= commits; c++) {
    parts.push(`commit refs/heads/main\nmark :${c}\ncommitter Bench Author <bench@example.com> ${when + c * 60} +0000\n`);
    const msg = `change ${c}: ${t.pick(WORDS)} ${t.pick(WORDS)}\n`;
    parts.push(`data ${Buffer.byteLength(msg)}\n${msg}`);
    const edits = c === 1 ? Math.min(files, 50) : 1 + t.int(3);
    for (let e = 0; e < edits; e++) {
      const n = c === 1 ? e : t.int(files);
      const kind = kinds[n % 3]!;
      const body = t.file(kind, 10 + t.int(60));
      parts.push(`M 100644 inline pkg${n % 17}/mod_${n}.${kind}\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
  }
  parts.push('done\n');
  git(dir, ['fast-import', '--quiet', '--done'], parts.join(''));
  return git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
}
