// `npm run bench [-- --quick] [-- --only <workload>] [-- --repo PATH [--commits N]]`: gitward against
// the floor (node start-up plus the git command that reads the same change) and any installed peer,
// on generated workloads shaped like real ones; with --repo, also a local clone's last N commits
// replayed as a push into a fresh bare repository, and its whole history as `scan --history`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GIT_ENV, Text, fastImportHistory, git, initRepo, rng, writeChunked, writeFiles, writePickle, writePieces } from './generate.ts';
import { historyCopy, replayAsPush } from './real-repo.ts';
import { Source } from './source.ts';
import { gitEnv } from '../src/git/git-process.ts';
import { walkLogCommand } from '../src/git/log-source.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(process.env.GITWARD_DIST ? resolve(ROOT, process.env.GITWARD_DIST) : join(ROOT, 'dist'), 'gitward.cjs');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const SEED = 20261123;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
const repoAt = argv.indexOf('--repo');
const realRepo = repoAt >= 0 ? resolve(argv[repoAt + 1] ?? '') : undefined;
const commitsAt = argv.indexOf('--commits');
const realCommits = commitsAt >= 0 ? Number(argv[commitsAt + 1]) : 868;
function usage(line: string): never {
  console.error(`bench: ${line}`);
  process.exit(2);
}
if (repoAt >= 0 && (!argv[repoAt + 1] || !existsSync(realRepo!))) usage(`--repo: no such folder: ${argv[repoAt + 1] ?? '(missing)'}`);
if (!Number.isInteger(realCommits) || realCommits < 1) usage(`--commits: not a positive whole number: ${argv[commitsAt + 1]}`);
const work = mkdtempSync(join(tmpdir(), 'gitward-bench-'));

interface Command { cmd: string; args: string[]; cwd: string; input?: string; env?: NodeJS.ProcessEnv }
interface Workload {
  name: string;
  /** What the workload is, for the table (sizes, counts). */
  what?: string;
  runs: number;
  gitward: Command;
  floorGit: Command;
  /** The git command gitward itself runs to read the change, where it reads more than the floor's (a push's merges). */
  ownGit?: Command;
  peer?: { name: string; command: Command };
}
interface Sample { ms: number; rssKb: number | null; code: number; stderr: string }

/** One run: wall time, and peak RSS from /usr/bin/time when it exists. */
function measure(c: Command): Sample {
  const rssFile = join(work, 'rss.txt');
  const [cmd, args] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, c.cmd, ...c.args]] : [c.cmd, c.args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: c.cwd, env: c.env ? { ...GIT_ENV, ...c.env } : GIT_ENV, input: c.input ?? '', encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = TIME && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : null;
  return { ms, rssKb, code: r.status ?? -1, stderr: r.stderr ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

const NODE: Command = { cmd: process.execPath, args: ['-e', '0'], cwd: work };
const gitward = (cwd: string, args: string[], input?: string): Command => ({ cmd: process.execPath, args: [CLI, ...args], cwd, input });
const gitCmd = (cwd: string, args: string[]): Command => ({ cmd: 'git', args, cwd });
/** The hook's own `git log` of a range, as gitward spawns it (src/git/log-source.ts). */
const ownLog = (cwd: string, range: string): Command => ({ cmd: 'git', args: walkLogCommand([range]), cwd, env: gitEnv() });
/**
 * The pre-receive hook run as git runs it: inside the bare repository, one ref line on stdin, and
 * GIT_DIR set (receive-pack sets it for its hooks; the objects are already in place, so no
 * quarantine variables).
 */
const preReceive = (bare: string, line: string): Command => ({ ...gitward(bare, ['pre-receive'], line), env: { GIT_DIR: '.' } });

/** secretlint where installed: in the project's devDependencies or an optional bench set-up. */
function secretlintPeer(cwd: string, files: string[]): Workload['peer'] {
  const bin = [join(ROOT, 'node_modules', '.bin', 'secretlint'), join(ROOT, 'bench', 'node_modules', '.bin', 'secretlint')].find((b) => existsSync(b));
  if (!bin) return undefined;
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

const src = new Source(t);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 0)} MB`;

const WORKLOADS: Record<string, () => Workload | string> = {
  'commit-small': () => {
    const dir = initRepo(join(work, 'commit-small'));
    const files = { 'app/models.py': src.module('app', 15), 'config/settings.yaml': src.config('yaml', 12), 'tests/test_models.py': src.tests('app', 13) };
    writeFiles(dir, files);
    git(dir, ['add', '-A']);
    return staged('commit-small', dir, quick ? 3 : 21, Object.keys(files), '3 files, ~40 lines');
  },
  'commit-large': () => {
    // A vendored release of a web framework: package modules, tests, docs, config.
    const dir = initRepo(join(work, 'commit-large'));
    const files: Record<string, string> = {};
    const count = Math.round(400 * scale);
    for (let i = 0; i < count; i++) {
      const pkg = `framework${i % 6}`;
      const k = i % 10;
      if (k < 6) files[`vendor/${pkg}/src/${pkg}/mod_${i}.py`] = src.module(pkg, 100);
      else if (k < 8) files[`vendor/${pkg}/tests/test_mod_${i}.py`] = src.tests(pkg, 100);
      else if (k === 8) files[`vendor/${pkg}/docs/page_${i}.rst`] = src.docs(100);
      else files[`vendor/${pkg}/config/conf_${i}.${i % 20 === 9 ? 'yaml' : 'toml'}`] = src.config(i % 20 === 9 ? 'yaml' : 'toml', 100);
    }
    writeFiles(dir, files);
    git(dir, ['add', '-A']);
    const lines = Object.values(files).reduce((n, f) => n + f.split('\n').length - 1, 0);
    return staged('commit-large', dir, quick ? 3 : 9, Object.keys(files), `${count} files, ${lines} lines of generated source`);
  },
  'ndjson-20mb': () => {
    const dir = initRepo(join(work, 'ndjson-20mb'));
    const bytes = writePieces(join(dir, 'logs/events.ndjson'), 20e6 * scale, (i) => src.logRecord(i));
    git(dir, ['add', '-A']);
    return staged('ndjson-20mb', dir, 3, ['logs/events.ndjson'], `one ${mb(bytes)} file, a JSON record a line`);
  },
  'minified-10mb': () => {
    const dir = initRepo(join(work, 'minified-10mb'));
    const bytes = writePieces(join(dir, 'static/orders.min.json'), 10e6 * scale, (i) => `${i === 0 ? '[' : ','}${src.apiRecord(i)}`, ']\n');
    git(dir, ['add', '-A']);
    return staged('minified-10mb', dir, 3, ['static/orders.min.json'], `one ${mb(bytes)} line of minified JSON`);
  },
  'requirements-800kb': () => {
    const dir = initRepo(join(work, 'requirements-800kb'));
    const ranked = readFileSync(join(ROOT, 'data', 'pypi-top-packages.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[1]).filter((n): n is string => !!n);
    const text = src.lockFile(ranked, 800e3 * scale);
    writeFiles(dir, { 'requirements.txt': text });
    git(dir, ['add', '-A']);
    return staged('requirements-800kb', dir, quick ? 3 : 7, ['requirements.txt'], `a ${mb(text.length)} pip-compile lock file with hashes`);
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
      gitward: preReceive(bare, `${old} ${tip} refs/heads/main\n`),
      floorGit: gitCmd(bare, ['log', '-p', '-U0', `${old}..${tip}`]),
      ownGit: ownLog(bare, `${old}..${tip}`),
    };
  },
  history: () => {
    const dir = initRepo(join(work, 'history'));
    fastImportHistory(dir, Math.round(3000 * scale), 600, SEED + 3);
    git(dir, ['reset', '-q', '--hard', 'main']);
    return { name: 'history', runs: 3, gitward: gitward(dir, ['scan', '--history']), floorGit: gitCmd(dir, ['log', '-p', '-U0', '--all']) };
  },
  ...(realRepo
    ? {
        'repo-push': (): Workload => {
          const { bare, old, tip, count } = replayAsPush(realRepo, join(work, 'repo-push.git'), realCommits);
          // The hook's own argument list (git runs `gitward pre-receive`), the time limit lifted by the
          // server's policy file as an admin would, not by an option the hook is never given.
          writeFileSync(join(bare, 'gitward.toml'), '[server]\ntimeout = 0\n');
          return {
            name: 'repo-push',
            what: `the last ${count} commits of ${realRepo} pushed (pre-receive, no time limit)`,
            runs: quick ? 3 : 7,
            gitward: preReceive(bare, `${old} ${tip} refs/heads/main\n`),
            floorGit: gitCmd(bare, ['log', '-p', '-U0', `${old}..${tip}`]),
            ownGit: ownLog(bare, `${old}..${tip}`),
          };
        },
        'repo-history': (): Workload => {
          const { dir, count } = historyCopy(realRepo, join(work, 'repo-history.git'));
          return {
            name: 'repo-history',
            what: `scan --history of ${realRepo} (${count} commits)`,
            runs: 3,
            gitward: gitward(dir, ['scan', '--history']),
            floorGit: gitCmd(dir, ['log', '-p', '-U0', '--all']),
          };
        },
      }
    : {}),
};

function staged(name: string, dir: string, runs: number, files: string[], what?: string): Workload {
  return {
    name,
    what,
    runs,
    gitward: gitward(dir, ['scan']),
    floorGit: gitCmd(dir, ['diff', '--cached', '-U0']),
    peer: gitleaksPeer(dir, true) ?? (files.length ? secretlintPeer(dir, files) : undefined),
  };
}

const rows: string[][] = [];
const notes: string[] = [];
const header = ['workload', 'gitward median', 'min–max', 'peak RSS', 'floor', 'ratio', 'peer'];
/**
 * What memory touched for the first time costs on this host, per MiB (a fresh buffer filled, then
 * filled again). It decides how ratios read: where it is dear, git's page faults are much of every
 * floor (docs/performance.md, rounds 11 and 12: ~4.4 against ~0.6 ms a MiB on two hosts of one kind).
 */
function firstTouchMsPerMiB(): { first: number; again: number } {
  const mib = 32;
  const buffer = Buffer.allocUnsafeSlow(mib << 20);
  const t0 = process.hrtime.bigint();
  buffer.fill(1);
  const t1 = process.hrtime.bigint();
  buffer.fill(2);
  const t2 = process.hrtime.bigint();
  return { first: Number(t1 - t0) / 1e6 / mib, again: Number(t2 - t1) / 1e6 / mib };
}
const touch = firstTouchMsPerMiB();
console.log(`gitward bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ', --quick' : ''}; workloads in ${work}`);
console.log(`memory touched first: ${touch.first.toFixed(2)} ms a MiB (again: ${touch.again.toFixed(2)})`);
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
    const nodeAlone: number[] = [];
    const floorGit: number[] = [];
    const ownGit: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < w.runs; i++) {
      g.push(measure(w.gitward));
      nodeAlone.push(measure(NODE).ms);
      floorGit.push(measure(w.floorGit).ms);
      floor.push(nodeAlone.at(-1)! + floorGit.at(-1)!);
      if (w.ownGit) ownGit.push(measure(w.ownGit).ms);
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
    if (w.what) notes.push(`${name}: ${w.what}`);
    if (w.ownGit) {
      const own = median(ownGit);
      notes.push(`${name}: gitward's own git log (merges' combined diffs, renames, raw records, messages) ${ms(own)} against the floor's ${ms(median(floorGit))}; gitward / (node + its own git log) = ${(median(times) / (median(nodeAlone) + own)).toFixed(2)}×`);
    }
    console.log(row.join('  '));
  }
} finally {
  if (!process.env.GITWARD_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}

console.log(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\nfloor = `node -e 0` + the git command that reads the same change; ratio = gitward median / floor median.');
for (const note of notes) console.log(`- ${note}`);
