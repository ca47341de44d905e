import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, Repo, type Run } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// Point 5 of issue 12: the server hook under faults, through real pushes into a bare repository.


interface Server {
  bare: Repo;
  client: Repo;
}

function setup(config?: string): Server {
  const bare = Repo.init({ bare: true });
  bare.git(['config', 'receive.advertisePushOptions', 'true']);
  bare.installPreReceiveHook();
  if (config !== undefined) writeFileSync(join(bare.dir, 'gitward.toml'), config);
  const client = Repo.init({ env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  return { bare, client };
}

/** A push, with a bound that only turns a hang into a failure (no test measures speed with it). */
function push(s: Server, args: string[] = ['main'], timeout = 120_000): Run {
  return s.client.git(['push', '--porcelain', 'origin', ...args], { allowFail: true, timeout });
}

function auditLines(s: Server, file = join(s.bare.dir, 'gitward-audit.log')): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function leak(s: Server, files: Record<string, string> = { 'x.py': `T = "${fakeGithubPat()}"\n` }): void {
  s.client.commitUnchecked(files, 'leak');
}

test('a timeout refusal writes one audit line; on-timeout = "accept" lets the push through and records it', () => {
  // 4,000 commits take far longer than 0.05 s to scan on any machine (their git log alone does). A
  // limit of seconds made this test pass or fail with the machine's speed: 4,000 commits took 1.3 s.
  const refuse = setup('[server]\ntimeout = 0.05\n');
  manyCommits(refuse.client, 4000);
  const run = push(refuse);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /too large to scan within 0\.05s/);
  const lines = auditLines(refuse);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0]!.event, 'timeout-rejected');
  assert.match(String(lines[0]!.reason), /too large to scan/);

  const accept = setup('[server]\ntimeout = 0.05\non-timeout = "accept"\n');
  manyCommits(accept.client, 4000);
  const through = push(accept);
  assert.equal(through.code, 0, through.output);
  assert.match(through.output, /let the push through unscanned; it has been recorded/);
  const [entry, ...more] = auditLines(accept);
  assert.equal(more.length, 0);
  assert.equal(entry!.event, 'timeout-accepted');
});

test('a scan fault refuses with an audit line; on-error = "accept" lets the push through and records it', () => {
  // An honest fault: more added text than [limits] max-push-bytes cannot be scanned to the end.
  const big = { 'data.txt': 'x = 1\n'.repeat(400) };
  const refuse = setup('[limits]\nmax-push-bytes = 1024\n');
  leak(refuse, big);
  const run = push(refuse);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /could not scan the push: .*max-push-bytes/);
  const lines = auditLines(refuse);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.event, 'error-rejected');

  const accept = setup('[limits]\nmax-push-bytes = 1024\n[server]\non-error = "accept"\n');
  leak(accept, big);
  const through = push(accept);
  assert.equal(through.code, 0, through.output);
  assert.match(through.output, /let the push through unscanned/);
  assert.deepEqual(auditLines(accept).map((l) => l.event), ['error-accepted']);
});

test('an audit-log path under /proc ends with an audit error inside the time limit, not a spin', () => {
  const s = setup('[server]\naudit-log = "/proc/gitward/audit.log"\ntimeout = 3\n');
  leak(s);
  const run = push(s, ['main'], 60_000);
  assert.notEqual(run.code, null, 'the push ended (a spinning hook would hang it)');
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /could not write the audit log \/proc\/gitward\/audit\.log/);
  assert.doesNotMatch(run.output, /could not scan the push|ran out of time/);
  // A bypass that cannot be recorded is not applied.
  const b = setup('[server]\naudit-log = "/proc/gitward/audit.log"\nallow-bypass = true\n');
  leak(b);
  const bypass = push(b, ['-o', 'gitward.bypass=incident 7', 'main']);
  assert.notEqual(bypass.code, 0, bypass.output);
  assert.match(bypass.output, /the bypass was refused: it could not be recorded/);
  // An accepted fault that cannot be recorded is refused too.
  const t = setup('[server]\naudit-log = "/proc/gitward/audit.log"\non-error = "accept"\n[limits]\nmax-push-bytes = 1024\n');
  leak(t, { 'data.txt': 'x = 1\n'.repeat(400) });
  const unrecorded = push(t);
  assert.notEqual(unrecorded.code, 0, unrecorded.output);
  assert.match(unrecorded.output, /could not be let through unscanned, as it could not be recorded/);
});

test('every refusal and every bypass writes exactly one audit line, failed bypasses with their reason', () => {
  const s = setup('[server]\nallow-bypass = true\n');
  leak(s);
  assert.notEqual(push(s).code, 0);
  assert.notEqual(push(s, ['-o', 'gitward.bypass', 'main']).code, 0);
  assert.equal(push(s, ['-o', 'gitward.bypass=incident 9', 'main']).code, 0);
  const lines = auditLines(s);
  assert.deepEqual(lines.map((l) => [l.event, l.reason]), [
    ['rejected', 'blocking findings'],
    ['bypass-refused', 'a bypass needs a reason'],
    ['bypass', 'incident 9'],
  ]);
  const off = setup();
  leak(off);
  assert.notEqual(push(off, ['-o', 'gitward.bypass=because', 'main']).code, 0);
  const [refused, ...more] = auditLines(off);
  assert.equal(more.length, 0);
  assert.equal(refused!.event, 'bypass-refused');
  assert.equal(refused!.reason, 'bypass is not enabled on this server');
  assert.equal(refused!.bypassRequested, 'because');
});

test('a server config that does not resolve to a readable file refuses the push (audited), never falls back to defaults', () => {
  for (const make of ['dangling link', 'folder'] as const) {
    const s = setup();
    const file = join(s.bare.dir, 'gitward.toml');
    if (make === 'dangling link') symlinkSync(join(s.bare.dir, 'no-such.toml'), file);
    else mkdirSync(file);
    s.client.commitUnchecked({ 'a.py': 'x = 1\n' });
    const run = push(s);
    assert.notEqual(run.code, 0, `${make}: ${run.output}`);
    assert.match(run.output, make === 'folder' ? /gitward\.toml: is a folder/ : /gitward\.toml: is a symbolic link to nothing/);
    assert.deepEqual(auditLines(s).map((l) => l.event), ['error-rejected'], make);
  }
  const configured = setup();
  configured.bare.git(['config', 'gitward.config', '/nonexistent/policy.toml']);
  configured.client.commitUnchecked({ 'a.py': 'x = 1\n' });
  const run = push(configured);
  assert.notEqual(run.code, 0);
  assert.match(run.output, /policy\.toml: does not exist/);
});

test('the pusher sees at most 20 findings per rule and 50 in all, then counts; the audit line keeps all', () => {
  const s = setup();
  const files: Record<string, string> = {};
  for (let i = 0; i < 70; i++) files[`s/${i}.py`] = `T = "${fakeGithubPat()}"\n`;
  for (let i = 0; i < 40; i++) files[`e${i}/.env`] = 'A=1\n';
  leak(s, files);
  const run = push(s);
  assert.notEqual(run.code, 0);
  assert.match(run.output, /110 blocking findings/);
  assert.equal(run.output.match(/✖ secret\.github-pat/g)?.length, 20);
  assert.equal(run.output.match(/✖ env-file\./g)?.length, 20);
  assert.match(run.output, /… and 70 more findings not shown \((?=.*secret\.github-pat: 50)(?=.*env-file\.committed: 20)/);
  assert.equal((auditLines(s)[0]!.findings as unknown[]).length, 110);
});

test('the refusal names a pushed config only where the tip holds one as a file (a directory of that name is none)', () => {
  // Both files are asked of one cat-file: a directory named .gitward.toml must not hide the
  // pyproject table, nor be reported as a config itself.
  const s = setup();
  leak(s, { '.gitward.toml/readme.txt': 'not a config\n', 'pyproject.toml': '[project]\nname = "x"\n\n[tool.gitward]\nexclude = ["x.py"]\n', 'x.py': `T = "${fakeGithubPat()}"\n` });
  const refused = push(s);
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /the pushed \[tool\.gitward\] in pyproject\.toml was not used: this server judges pushes by its own config only/);
  assert.doesNotMatch(refused.output, /the pushed \.gitward\.toml was not used/);

  const plain = setup();
  leak(plain, { 'pyproject.toml': '[project]\nname = "x"\n', 'x.py': `T = "${fakeGithubPat()}"\n` });
  const told = push(plain);
  assert.notEqual(told.code, 0, told.output);
  assert.doesNotMatch(told.output, /was not used/);
});

test('trust-pushed-config: off, a pushed .gitward.toml is ignored and the pusher is told; on, it is used; a bad one refuses', () => {
  const files = { '.gitward.toml': 'exclude = ["fixtures/**"]\n', 'fixtures/x.py': `T = "${fakeGithubPat()}"\n` };
  const off = setup();
  leak(off, files);
  const refused = push(off);
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /the pushed \.gitward\.toml was not used: this server judges pushes by its own config only/);
  // The allow advice names the server's config, not the pushed file.
  assert.match(refused.output, /allow: .*the server's config \(gitward\.toml, kept by the server's admin\)/);
  assert.doesNotMatch(refused.output, /allow: .*in \.gitward\.toml/);

  const on = setup('[server]\ntrust-pushed-config = true\n');
  leak(on, files);
  const accepted = push(on);
  assert.equal(accepted.code, 0, accepted.output);

  const pyproject = setup('[server]\ntrust-pushed-config = true\n');
  leak(pyproject, { 'pyproject.toml': '[tool.gitward]\nexclude = ["fixtures/**"]\n', 'fixtures/x.py': `T = "${fakeGithubPat()}"\n` });
  const notRead = push(pyproject);
  assert.notEqual(notRead.code, 0);
  assert.match(notRead.output, /the pushed \[tool\.gitward\] in pyproject\.toml was not used: this server reads a pushed \.gitward\.toml only/);

  const typo = setup('[server]\ntrust-pushed-config = true\n');
  leak(typo, { '.gitward.toml': '[rules]\n"secret.github-pta" = "off"\n', 'x.py': `T = "${fakeGithubPat()}"\n` });
  const bad = push(typo);
  assert.notEqual(bad.code, 0, bad.output);
  assert.match(bad.output, /unknown rule or category "secret\.github-pta" \(did you mean "secret\.github-pat"/);
  assert.deepEqual(auditLines(typo).map((l) => l.event), ['error-rejected']);
});

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  args: string[];
}

/** Every process, from /proc (pid, parent, state, arguments). */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(ppid), state, args: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Alive: present and not a zombie (a zombie has exited; only its parent's wait is missing). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** `count` commits of 3 files each: a push whose scan takes a while. */
function manyCommits(client: Repo, count: number): void {
  const parts: string[] = [];
  for (let i = 1; i <= count; i++) {
    parts.push(`commit refs/heads/main\nmark :${i}\ncommitter Gen <gen@example.com> ${1700000000 + i} +0000\ndata 7\ncommit\n`);
    if (i > 1) parts.push(`from :${i - 1}\n`);
    for (let f = 0; f < 3; f++) {
      const body = `N_${f} = ${i}\n`;
      parts.push(`M 100644 inline f${f}/${i}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
  }
  client.git(['fast-import', '--quiet'], { input: parts.join('') });
  client.git(['reset', '-q', '--hard', 'main']);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`a hook killed mid-scan (${signal}) leaves no git process behind`, async () => {
    const s = setup('[server]\ntimeout = 0\n');
    manyCommits(s.client, 1000);
    const bareDir = realpathSync(s.bare.dir);
    const pushing = spawn('git', ['push', 'origin', 'main'], { cwd: s.client.dir, env: s.client.env, stdio: 'ignore' });
    const pushed = new Promise<number | null>((resolve) => pushing.on('close', resolve));
    const left: number[] = [];
    try {
      // The hook: gitward pre-receive running in the bare repository; its `git log` mid-scan.
      let hook: Proc | undefined;
      let log: Proc | undefined;
      for (let i = 0; i < 6000 && !log; i++) {
        const all = processes();
        hook = all.find((p) => p.args.includes(CLI) && p.args.includes('pre-receive') && cwdOf(p.pid) === bareDir);
        log = hook && all.find((p) => p.ppid === hook!.pid && p.args[0] === 'git' && p.args.includes('log'));
        // Freeze git as if busy in a long computation: it will not notice its reader is gone. A log
        // that ended since it was listed (a loaded machine) is not caught: look again.
        if (log && !stopped(log.pid)) log = undefined;
        if (!log) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(hook && log, 'the hook was caught scanning');
      const children = processes().filter((p) => p.ppid === hook!.pid).map((p) => p.pid);
      left.push(...children);
      process.kill(hook.pid, signal);
      // Bounded: a git child left holding the hook's pipes keeps the push waiting.
      const code = await Promise.race([pushed, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000).unref())]);
      for (let i = 0; i < 40 && children.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
      const survivors = children.filter(alive);
      assert.deepEqual(survivors, [], `git children of the hook still running after it was killed (${signal})`);
      assert.notEqual(code, 'hung', 'the push ended');
      assert.notEqual(code, 0, 'a killed hook rejects the push');
    } finally {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      pushing.kill('SIGKILL');
    }
  });
}

/** Sends SIGSTOP; false when the process is gone. */
function stopped(pid: number): boolean {
  try {
    process.kill(pid, 'SIGSTOP');
    return true;
  } catch {
    return false;
  }
}

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}
