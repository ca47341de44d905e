import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repo, testEnv } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';


async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Transport = 'path' | 'daemon';
const TRANSPORTS: Transport[] = ['path', 'daemon'];
let daemonPort = 0;
let fileDaemon: ChildProcess | null = null;

/** One `git daemon --enable=receive-pack` on 127.0.0.1 (free port) for the whole file, stopped at the end. */
before(async () => {
  daemonPort = await freePort();
  fileDaemon = spawn('git', ['daemon', '--reuseaddr', '--listen=127.0.0.1', `--port=${daemonPort}`, '--export-all', '--enable=receive-pack', tmpdir()], {
    env: testEnv(),
    stdio: 'ignore',
  });
  // Wait until it accepts connections.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(daemonPort, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('git daemon did not start');
});
after(() => fileDaemon?.kill());

interface Server {
  bare: Repo;
  client: Repo;
  url: string;
}

/** A bare repository with the hook installed, and a client that pushes to it by path. */
function setup(options: { objectFormat?: 'sha1' | 'sha256'; config?: string; transport?: Transport } = {}): Server {
  const transport = options.transport ?? 'path';
  const bare = Repo.init({ bare: true, objectFormat: options.objectFormat });
  if (transport === 'daemon') bare.git(['config', 'daemon.receivepack', 'true']);
  bare.git(['config', 'receive.advertisePushOptions', 'true']);
  bare.installPreReceiveHook();
  if (options.config !== undefined) writeFileSync(join(bare.dir, 'gitward.toml'), options.config);
  const client = Repo.init({ objectFormat: options.objectFormat, env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  const url = transport === 'daemon' ? `git://127.0.0.1:${daemonPort}${bare.dir}` : bare.dir;
  return { bare, client, url };
}

function push(s: Server, args: string[]) {
  return s.client.git(['push', '--porcelain', s.url, ...args], { allowFail: true });
}

function auditLines(s: Server): Record<string, unknown>[] {
  const file = join(s.bare.dir, 'gitward-audit.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

for (const transport of TRANSPORTS) {
  test(`[${transport}] clean push accepted; a secret in one of several commits rejected naming that commit`, () => {
    const s = setup({ transport });
    s.client.commitUnchecked({ 'README.md': '# hi\n' }, 'first');
    const ok = push(s, ['main']);
    assert.equal(ok.code, 0, ok.output);
    assert.match(ok.output, /1 new commit scanned/);
    s.client.commitUnchecked({ 'a.py': 'A = 1\n' }, 'clean one');
    const token = fakeGithubPat();
    const bad = s.client.commitUnchecked({ 'app/settings.py': `TOKEN = "${token}"\n` }, 'adds token');
    s.client.commitUnchecked({ 'b.py': 'B = 2\n' }, 'clean two');
    const run = push(s, ['main']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`${bad.slice(0, 12)} app/settings\\.py:1`));
    assert.match(run.output, /secret\.github-pat/);
    assert.match(run.output, /Test Author/);
    assert.match(run.output, /rebase -i/);
    assert.ok(!run.output.includes(token), 'the token is never shown');
    const log = auditLines(s);
    assert.equal(log.length, 1);
    assert.equal(log[0].event, 'rejected');
    assert.equal(log[0].commits, 3);
    assert.ok(!JSON.stringify(log).includes(token));
    assert.notEqual(s.bare.git(['rev-parse', 'main']).stdout.trim(), s.client.git(['rev-parse', 'HEAD']).stdout.trim());
  });

  test(`[${transport}] a secret added then removed in the same push is rejected`, () => {
    const s = setup({ transport });
    s.client.commitUnchecked({ 'README.md': '# hi\n' });
    const bad = s.client.commitUnchecked({ 'k.py': `K = "${fakeGithubPat()}"\n` }, 'add');
    s.client.commitUnchecked({ 'k.py': 'K = None\n' }, 'remove');
    const run = push(s, ['main']);
    assert.notEqual(run.code, 0);
    assert.match(run.output, new RegExp(bad.slice(0, 12)));
  });

  test(`[${transport}] branch deletion and a new branch of existing commits are accepted; forced update scans only new commits`, () => {
    const s = setup({ transport });
    s.client.commitUnchecked({ 'README.md': '# hi\n' });
    assert.equal(push(s, ['main', 'main:refs/heads/old']).code, 0);
    const branch = push(s, ['main:refs/heads/copy']);
    assert.equal(branch.code, 0, branch.output);
    assert.match(branch.output, /0 new commits scanned/);
    const del = push(s, [':refs/heads/old']);
    assert.equal(del.code, 0, del.output);
    s.client.git(['commit', '-q', '--amend', '-m', 'rewritten']);
    const forced = push(s, ['--force', 'main']);
    assert.equal(forced.code, 0, forced.output);
    assert.match(forced.output, /1 new commit scanned/);
  });

  test(`[${transport}] an annotated tag bringing a bad commit is rejected`, () => {
    const s = setup({ transport });
    s.client.commitUnchecked({ 'README.md': '# hi\n' });
    assert.equal(push(s, ['main']).code, 0);
    s.client.git(['checkout', '-q', '-b', 'side']);
    const bad = s.client.commitUnchecked({ '.env': 'SECRET=1\n' }, 'env');
    s.client.git(['tag', '-a', 'v1', '-m', 'release']);
    const run = push(s, ['refs/tags/v1']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`${bad.slice(0, 12)} \\.env`));
  });

  test(`[${transport}] a SHA-256 repository works`, () => {
    const s = setup({ transport, objectFormat: 'sha256' });
    s.client.commitUnchecked({ 'README.md': '# hi\n' });
    assert.equal(push(s, ['main']).code, 0);
    const bad = s.client.commitUnchecked({ 'x.py': `T = "${fakeGithubPat()}"\n` });
    assert.equal(bad.length, 64);
    const run = push(s, ['main']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, new RegExp(bad.slice(0, 12)));
    assert.equal(push(s, ['main~1:refs/heads/b2']).code, 0);
  });

  test(`[${transport}] a pushed config that tries to allow everything does not`, () => {
    const s = setup({ transport });
    const run = (() => {
      s.client.commitUnchecked({
        '.gitward.toml': 'exclude = ["**"]\ninline-allow = true\n[rules]\nsecret = "off"\n"env-file" = "off"\n',
        'pyproject.toml': '[tool.gitward]\nexclude = ["**"]\n',
        'x.py': `T = "${fakeGithubPat()}"\n`,
      });
      return push(s, ['main']);
    })();
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /secret\.github-pat/);
  });

  test(`[${transport}] inline allow is honoured and reported, unless the server turns it off`, () => {
    const files = () => ({ 'x.py': `T = "${fakeGithubPat()}"  # gitward:allow\n` });
    const s = setup({ transport });
    s.client.commitUnchecked(files());
    const ok = push(s, ['main']);
    assert.equal(ok.code, 0, ok.output);
    assert.match(ok.output, /allowed: secret\.github-pat .* x\.py:1 \(inline comment/);
    const strict = setup({ transport, config: 'inline-allow = false\n' });
    strict.client.commitUnchecked(files());
    assert.notEqual(push(strict, ['main']).code, 0);
  });

  test(`[${transport}] bypass only when the server allows it, and audited`, () => {
    const denied = setup({ transport });
    denied.client.commitUnchecked({ 'x.py': `T = "${fakeGithubPat()}"\n` });
    const no = push(denied, ['-o', 'gitward.bypass=incident 42', 'main']);
    assert.notEqual(no.code, 0, no.output);
    assert.match(no.output, /bypass .* is not enabled/);
    const s = setup({ transport, config: '[server]\nallow-bypass = true\n' });
    const token = fakeGithubPat();
    s.client.commitUnchecked({ 'x.py': `T = "${token}"\n` });
    const yes = push(s, ['-o', 'gitward.bypass=incident 42', 'main']);
    assert.equal(yes.code, 0, yes.output);
    assert.match(yes.output, /BYPASSED/);
    const [entry] = auditLines(s);
    assert.equal(entry.event, 'bypass');
    assert.equal(entry.reason, 'incident 42');
    assert.deepEqual(entry.rules, ['secret.github-pat']);
    assert.ok(!JSON.stringify(entry).includes(token));
  });
}

/** 1,000 commits through fast-import: each adds one file; the last one a secret. */
function thousandCommits(client: Repo): string {
  const parts: string[] = [];
  for (let i = 1; i <= 1000; i++) {
    const body = i === 1000 ? `T = "${fakeGithubPat()}"\n` : `N = ${i}\n`;
    parts.push(`commit refs/heads/main\nmark :${i}\ncommitter Gen <gen@example.com> ${1700000000 + i} +0000\ndata 7\ncommit\n`);
    if (i > 1) parts.push(`from :${i - 1}\n`);
    parts.push(`M 100644 inline f/${i}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  client.git(['fast-import', '--quiet'], { input: parts.join('') });
  client.git(['reset', '-q', '--hard', 'main']);
  return client.git(['rev-parse', 'main']).stdout.trim();
}

test('a push of 1,000 generated commits over git daemon is scanned completely; a tiny timeout rejects it', () => {
  const s = setup({ transport: 'daemon', config: '[server]\ntimeout = 0\n' });
  const last = thousandCommits(s.client);
  const run = push(s, ['main']);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, new RegExp(`${last.slice(0, 12)} f/1000\\.py:1`));
  assert.equal(auditLines(s)[0].commits, 1000);
  const slow = setup({ config: '[server]\ntimeout = 0.001\n' });
  thousandCommits(slow.client);
  const timed = push(slow, ['main']);
  assert.notEqual(timed.code, 0);
  assert.match(timed.output, /too large to scan/);
});

test('a merge is scanned for what it adds itself, not the merged branch again', () => {
  const s = setup();
  s.client.commitUnchecked({ 'g.py': 'x = 0\n' });
  s.client.git(['checkout', '-q', '-b', 'side']);
  s.client.commitUnchecked({ 'g.py': 'x = 0\nside = 1\n' }, 'side');
  s.client.git(['checkout', '-q', 'main']);
  s.client.commitUnchecked({ 'g.py': 'x = 0\nmain = 1\n' }, 'main');
  assert.equal(push(s, ['main', 'side']).code, 0);
  s.client.git(['merge', '-q', 'side', '-m', 'merge'], { allowFail: true });
  s.client.write({ 'g.py': `x = 0\nmain = 1\nside = 1\nT = "${fakeGithubPat()}"\n` });
  s.client.git(['add', 'g.py']);
  s.client.git(['commit', '-q', '--no-verify', '-m', 'merge']);
  const merge = s.client.git(['rev-parse', 'HEAD']).stdout.trim();
  const run = push(s, ['main']);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, new RegExp(`${merge.slice(0, 12)} g\\.py:4`));
  assert.match(run.output, /1 blocking finding/);
});
