// Measures that `gitward scan --history` on a clone finds every finding that a pre-receive of the
// clone's whole history finds (docs/doors.md). Not shipped (scripts/measure/ is outside the
// package). Usage, after `npm run build`:
//   node --import tsx scripts/measure/history-vs-pre-receive.ts <repository or git dir to clone>
// It clones the repository to a temp folder, runs `scan --history --format json` there, pushes
// every branch and tag into a fresh bare repository whose pre-receive hook is gitward (with
// `timeout = 0`), reads the findings the hook prints, and compares (rule, path, line, commit).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: history-vs-pre-receive.ts <repository to clone>\n');
  process.exit(2);
}
const cli = resolve('dist', 'gitward.cjs');
const work = mkdtempSync(join(tmpdir(), 'gitward-doors-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work, NO_COLOR: '1' };

function run(command: string, args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function git(args: string[], cwd: string): string {
  const r = run('git', args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const key = (rule: string, commit: string | null, path: string, line: number | null) => `${rule} ${commit?.slice(0, 12) ?? '-'} ${path}:${line ?? '-'}`;

try {
  const clone = join(work, 'clone');
  git(['clone', '-q', '--no-checkout', source, clone], work);

  let started = Date.now();
  const history = run(process.execPath, [cli, 'scan', '--history', '--format', 'json'], clone);
  if (history.code === 2) throw new Error(`scan --history failed: ${history.stderr}`);
  const historySeconds = (Date.now() - started) / 1000;
  const fromHistory = new Set(
    (JSON.parse(history.stdout) as { findings: { rule: string; commit: string | null; path: string; line: number | null }[] }).findings.map((f) =>
      key(f.rule, f.commit, f.path, f.line),
    ),
  );

  const bare = join(work, 'server.git');
  git(['init', '-q', '--bare', bare], work);
  writeFileSync(join(bare, 'gitward.toml'), '[server]\ntimeout = 0\n');
  writeFileSync(join(bare, 'hooks', 'pre-receive'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" pre-receive\n`);
  chmodSync(join(bare, 'hooks', 'pre-receive'), 0o755);
  started = Date.now();
  // Every branch the clone knows (its remote-tracking refs) and every tag: the whole history.
  const push = run('git', ['push', '--no-verify', bare, 'refs/remotes/origin/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], clone);
  const pushSeconds = (Date.now() - started) / 1000;
  const fromServer = new Set<string>();
  for (const line of push.stderr.split('\n')) {
    const m = /^remote: [✖▲] (\S+) {2}(?:([0-9a-f]{12}) )?(.+?)(?::(\d+))?\s*$/.exec(line);
    if (m) fromServer.add(key(m[1]!, m[2] ?? null, m[3]!, m[4] ? Number(m[4]) : null));
  }
  const pushCommits = /remote: .*?(\d+) (?:new|pushed) commit/.exec(push.stderr)?.[1] ?? '?';

  const missing = [...fromServer].filter((k) => !fromHistory.has(k));
  const extra = [...fromHistory].filter((k) => !fromServer.has(k));
  const commits = git(['rev-list', '--all', '--count'], clone).trim();
  console.log(`repository: ${commits} commits (all refs of the clone)`);
  console.log(`scan --history: ${fromHistory.size} findings in ${historySeconds.toFixed(1)} s`);
  console.log(`pre-receive (push of every branch and tag, exit ${push.code}, ${pushCommits} commits): ${fromServer.size} findings in ${pushSeconds.toFixed(1)} s`);
  console.log(`found by pre-receive, not by --history: ${missing.length}${missing.length ? `\n  ${missing.join('\n  ')}` : ''}`);
  console.log(`found by --history, not by pre-receive: ${extra.length}${extra.length ? `\n  ${extra.join('\n  ')}` : ''}`);
  console.log(missing.length === 0 && extra.length === 0 ? 'the two sets are equal' : 'the sets DIFFER');
  process.exitCode = missing.length === 0 && extra.length === 0 ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
