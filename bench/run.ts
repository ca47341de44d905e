// `npm run bench [-- --quick] [-- --only <workload>]`: gitward against the floor (node start-up plus
// the git command that reads the same change) and any installed peer, on generated workloads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GIT_ENV, Text, fastImportHistory, git, initRepo, rng, writeChunked, writeFiles, writePickle } from './generate.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(process.env.GITWARD_DIST ? resolve(ROOT, process.env.GITWARD_DIST) : join(ROOT, 'dist'), 'gitward.cjs');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const SEED = 20261123;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), 'gitward-bench-'));

interface Command { cmd: string; args: string[]; cwd: string; input?: string }
interface Workload {
  name: string;
  runs: number;
  gitward: Command;
  floorGit: Command;
  peer?: { name: string; command: Command };
}
interface Sample { ms: number; rssKb: number | null; code: number; stderr: string }

/** One run: wall time, and peak RSS from /usr/bin/time when it exists. */
function measure(c: Command): Sample {
  const rssFile = join(work, 'rss.txt');
  const [cmd, args] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, c.cmd, ...c.args]] : [c.cmd, c.args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: c.cwd, env: GIT_ENV, input: c.input ?? '', encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = TIME && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : null;
  return { ms, rssKb, code: r.status ?? -1, stderr: r.stderr ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

const NODE: Command = { cmd: process.execPath, args: ['-e', '0'], cwd: work };
const gitward = (cwd: string, args: string[], input?: string): Command => ({ cmd: process.execPath, args: [CLI, ...args], cwd, input });
const gitCmd = (cwd: string, args: string[]): Command => ({ cmd: 'git', args, cwd });

function secretlintPeer(cwd: string, files: string[]): Workload['peer'] {
  const bin = join(ROOT, 'node_modules', '.bin', 'secretlint');
  if (!existsSync(bin)) return undefined;
  const rc = join(work, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  return { name: 'secretlint', command: { cmd: bin, args: ['--secretlintrc', rc, '--secretlintignore', '/dev/null', ...files], cwd } };
}

function gitleaksPeer(cwd: string, staged: boolean): Workload['peer'] {
  const found = spawnSync('sh', ['-c', 'command -v gitleaks'], { encoding: 'utf8' }).stdout.trim();
  if (!found || !staged) return undefined;
  return { name: 'gitleaks', command: { cmd: found, args: ['protect', '--staged', '--no-banner'], cwd } };
}

const scale = quick ? 0.1 : 1;
const t = new Text(rng(SEED));

const WORKLOADS: Record<string, () => Workload | string> = {
  'commit-small': () => {
    const dir = initRepo(join(work, 'commit-small'));
    const files = { 'app/models.py': t.file('py', 15), 'config/settings.yaml': t.file('yaml', 12), 'app/data.json': t.file('json', 11) };
    writeFiles(dir, files);
    git(dir, ['add', '-A']);
    return staged('commit-small', dir, quick ? 3 : 21, Object.keys(files));
  },
  'commit-large': () => {
    const dir = initRepo(join(work, 'commit-large'));
    const files: Record<string, string> = {};
    const count = Math.round(400 * scale);
    for (let i = 0; i < count; i++) {
      const kind = (['py', 'py', 'yaml', 'json'] as const)[i % 4]!;
      files[`vendor/pkg${i % 20}/mod_${i}.${kind}`] = t.file(kind, 100);
    }
    writeFiles(dir, files);
    git(dir, ['add', '-A']);
    return staged('commit-large', dir, quick ? 3 : 9, Object.keys(files));
  },
  'commit-huge-file': () => {
    const dir = initRepo(join(work, 'commit-huge-file'));
    const block = Buffer.from(t.file('py', 20000));
    writeChunked(join(dir, 'generated.py'), 20e6 * scale, () => block);
    const minified = Buffer.from(Array.from({ length: 5000 }, () => `var ${t.pick(['a', 'b', 'c'])}${t.int(999)}=${t.int(1e6)};`).join(''));
    writeChunked(join(dir, 'bundle.min.js'), 10e6 * scale, () => minified);
    writeFileSync(join(dir, 'bundle.min.js'), '\n', { flag: 'a' });
    git(dir, ['add', '-A']);
    return staged('commit-huge-file', dir, 3, ['generated.py', 'bundle.min.js']);
  },
  'commit-binary': () => {
    const dir = initRepo(join(work, 'commit-binary'));
    const r = rng(SEED + 1);
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < block.length; i++) block[i] = Math.floor(r() * 256);
    block[0] = 0x47; block[1] = 0x47; block[2] = 0x55; block[3] = 0x46; // "GGUF": a model file, not a pickle
    writeChunked(join(dir, 'model.gguf'), 200e6 * scale, (i) => (i === 0 ? block : block.subarray(4)));
    writePickle(join(dir, 'weights.pkl'), 50e6 * scale, r);
    git(dir, ['add', '-A']);
    const w = staged('commit-binary', dir, 3, []);
    delete w.peer;
    return w;
  },
  'push-500': () => {
    const bare = initRepo(join(work, 'push-500.git'), true);
    const ids = fastImportHistory(bare, 1 + Math.round(500 * scale), 300, SEED + 2);
    const [old, tip] = [ids[0]!, ids[ids.length - 1]!];
    git(bare, ['update-ref', 'refs/heads/main', old]);
    return {
      name: 'push-500',
      runs: quick ? 3 : 9,
      // Run like git runs the hook: inside the bare repository, the objects present, one ref line on stdin.
      gitward: gitward(bare, ['pre-receive'], `${old} ${tip} refs/heads/main\n`),
      floorGit: gitCmd(bare, ['log', '-p', '-U0', `${old}..${tip}`]),
    };
  },
  history: () => {
    const dir = initRepo(join(work, 'history'));
    fastImportHistory(dir, Math.round(3000 * scale), 600, SEED + 3);
    git(dir, ['reset', '-q', '--hard', 'main']);
    return { name: 'history', runs: 3, gitward: gitward(dir, ['scan', '--history']), floorGit: gitCmd(dir, ['log', '-p', '-U0', '--all']) };
  },
};

function staged(name: string, dir: string, runs: number, files: string[]): Workload {
  return {
    name,
    runs,
    gitward: gitward(dir, ['scan']),
    floorGit: gitCmd(dir, ['diff', '--cached', '-U0']),
    peer: gitleaksPeer(dir, true) ?? (files.length ? secretlintPeer(dir, files) : undefined),
  };
}

const rows: string[][] = [];
const header = ['workload', 'gitward median', 'min–max', 'peak RSS', 'floor', 'ratio', 'peer'];
console.log(`gitward bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ', --quick' : ''}; workloads in ${work}`);
try {
  for (const [name, make] of Object.entries(WORKLOADS)) {
    if (only && name !== only) continue;
    let w: Workload | string;
    try {
      w = make();
    } catch (error) {
      w = `generating failed: ${(error as Error).message.split('\n')[0]}`;
    }
    if (typeof w === 'string') {
      rows.push([name, `n/a: ${w}`, '', '', '', '', '']);
      continue;
    }
    const first = measure(w.gitward); // also a warm-up (page cache)
    if (first.code !== 0 && first.code !== 1) {
      const why = first.stderr.split('\n').find((l) => l.trim()) ?? `exit ${first.code}`;
      rows.push([name, `n/a: ${why.replace(/^gitward: (error: )?/, '')}`, '', '', '', '', '']);
      console.log(rows.at(-1)!.slice(0, 2).join('  '));
      continue;
    }
    const g: Sample[] = [];
    const floor: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < w.runs; i++) {
      g.push(measure(w.gitward));
      floor.push(measure(NODE).ms + measure(w.floorGit).ms);
      if (w.peer) peer.push(measure(w.peer.command).ms);
    }
    const times = g.map((s) => s.ms);
    const rss = g.map((s) => s.rssKb ?? 0);
    const f = median(floor);
    const row = [
      name,
      ms(median(times)),
      `${ms(Math.min(...times))}–${ms(Math.max(...times))}`,
      TIME ? `${(Math.max(...rss) / 1024).toFixed(0)} MB` : 'n/a',
      ms(f),
      `${(median(times) / f).toFixed(2)}×`,
      w.peer ? `${w.peer.name} ${ms(median(peer))}` : '—',
    ];
    rows.push(row);
    console.log(row.join('  '));
  }
} finally {
  if (!process.env.GITWARD_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}

console.log(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\nfloor = `node -e 0` + the git command that reads the same change; ratio = gitward median / floor median.');
