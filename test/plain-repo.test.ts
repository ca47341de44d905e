import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { plainRepoInfo } from '../src/git/plain-repo.ts';
import { parseRepoInfo, repoInfo } from '../src/git/repo.ts';
import { join as joinPieces, randomFrom } from '../src/rules/secrets/fake.ts';
import { Repo, tempDir } from './helpers/git.ts';

// src/git/plain-repo.ts answers where a scan runs without a git process, for the plain layout only:
// it must give git's own answer there, and no answer (git is asked) everywhere else.

/** git's answer, as src/git/repo.ts asks it. */
function gitAnswer(cwd: string, env: NodeJS.ProcessEnv) {
  const run = spawnSync('git', ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format', '--show-toplevel'], { cwd, env, encoding: 'utf8' });
  const [gitDir, bare, objectFormat, topLevel] = run.stdout.split('\n');
  return { gitDir, bare: bare === 'true', objectFormat, topLevel: topLevel || null, zeroId: '0'.repeat(objectFormat === 'sha256' ? 64 : 40) };
}

test("the top of a plain work tree: git's answer, also through a symbolic link to it", () => {
  const repo = Repo.init();
  repo.commit({ 'app.py': 'print("hello")\n' }, 'first');
  const plain = plainRepoInfo(repo.dir);
  assert.ok(plain, 'a plain layout is answered without git');
  assert.deepEqual({ ...plain }, gitAnswer(repo.dir, repo.env));
  const link = join(tempDir(), 'link');
  symlinkSync(repo.dir, link);
  assert.deepEqual({ ...plainRepoInfo(link) }, gitAnswer(link, repo.env));
});

test('every other layout is left to git: a subfolder, a linked work tree, sha256, bare, a moved work tree, git variables, no repository', () => {
  const repo = Repo.init();
  repo.commit({ 'src/app.py': 'print("hello")\n' }, 'first');
  assert.equal(plainRepoInfo(join(repo.dir, 'src')), null, 'a subfolder');

  const linked = join(tempDir(), 'linked');
  repo.git(['worktree', 'add', '-q', linked]);
  assert.equal(plainRepoInfo(linked), null, 'a linked work tree (.git is a file)');

  assert.equal(plainRepoInfo(Repo.init({ objectFormat: 'sha256' }).dir), null, 'sha256');
  const bare = Repo.init({ bare: true });
  assert.equal(plainRepoInfo(bare.dir), null, 'a bare repository');

  const moved = Repo.init();
  const elsewhere = tempDir();
  moved.git(['config', 'core.worktree', elsewhere]);
  assert.equal(plainRepoInfo(moved.dir), null, 'core.worktree');
  assert.match(readFileSync(join(moved.dir, '.git', 'config'), 'utf8'), /worktree/);

  const bareFlag = Repo.init();
  bareFlag.git(['config', 'core.bare', 'true']);
  assert.equal(plainRepoInfo(bareFlag.dir), null, 'core.bare = true');

  const included = Repo.init();
  included.git(['config', 'include.path', join(elsewhere, 'more.config')]);
  assert.equal(plainRepoInfo(included.dir), null, 'an include');

  const previous = process.env.GIT_DIR;
  process.env.GIT_DIR = join(repo.dir, '.git');
  try {
    assert.equal(plainRepoInfo(repo.dir), null, 'GIT_DIR');
  } finally {
    if (previous === undefined) delete process.env.GIT_DIR;
    else process.env.GIT_DIR = previous;
  }

  const shared = Repo.init();
  writeFileSync(join(shared.dir, '.git', 'commondir'), join(Repo.init({ objectFormat: 'sha256' }).dir, '.git') + '\n');
  assert.equal(plainRepoInfo(shared.dir), null, 'a commondir file (objects and config of another repository)');

  const none = tempDir();
  mkdirSync(join(none, '.git'));
  assert.equal(plainRepoInfo(none), null, 'a .git folder that is no repository');
  assert.equal(plainRepoInfo(tempDir()), null, 'no repository');
});

test('a staged scan at the top of a plain work tree asks git only for the diff, elsewhere also where it runs', () => {
  const repo = Repo.init();
  repo.commit({ 'src/app.py': 'print("hello")\n' }, 'first');
  repo.write({ 'src/app.py': 'print("hello again")\n' });
  repo.git(['add', '-A']);
  const trace = join(tempDir(), 'trace');
  const gitCommands = (cwd: string) => {
    const run = repo.gitward(['scan'], { cwd, env: { ...repo.env, GIT_TRACE: trace } });
    assert.equal(run.code, 0, run.output);
    const commands = readFileSync(trace, 'utf8').match(/built-in: git( -c \S+)* [a-z-]+/g) ?? [];
    spawnSync('truncate', ['-s', '0', trace]);
    return commands.map((c) => c.split(' ').pop());
  };
  const top = gitCommands(repo.dir);
  assert.ok(top.includes('diff') && !top.includes('rev-parse'), top.join(' '));
  const below = gitCommands(join(repo.dir, 'src'));
  assert.ok(below.includes('diff') && below.includes('rev-parse'), below.join(' '));
});

test("a repository path holding a line break: git's answer read whole, so the top's config is the one honoured", () => {
  const dir = join(tempDir(), 'repo\nsha1');
  mkdirSync(dir);
  const repo = new Repo(dir);
  repo.git(['init', '-q', '-b', 'main']);
  mkdirSync(join(dir, 'sub'));
  const answer = spawnSync('git', ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format', '--show-toplevel'], { cwd: join(dir, 'sub'), env: repo.env, encoding: 'utf8' }).stdout;
  assert.deepEqual({ ...parseRepoInfo(answer) }, { gitDir: join(dir, '.git'), bare: false, topLevel: dir, objectFormat: 'sha1', zeroId: '0'.repeat(40) });
  assert.throws(() => parseRepoInfo('/a\nfalse\nsha1\n/b\nfalse\nsha1\n/c\n'), /cannot tell where this repository is/);

  // The top's config turns the rule to a warning; a config under sub/sha1 (where the old line-split
  // reading looked) turns it off. Run from sub/, where git is asked.
  repo.write({ '.gitward.toml': '[rules]\n"secret.aws-access-key-id" = "warn"\n', 'sub/sha1/.gitward.toml': '[rules]\n"secret.aws-access-key-id" = "off"\n' });
  repo.write({ 'sub/config.py': `aws_access_key_id = "${joinPieces('AKI', 'A', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16))}"\n` });
  repo.git(['add', '-A']);
  for (const cwd of [dir, join(dir, 'sub')]) {
    const run = repo.gitward(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 0, run.output);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; severity: string }[] };
    assert.deepEqual(report.findings.map((f) => [f.rule, f.severity]), [['secret.aws-access-key-id', 'warn']], cwd);
  }
});

test('where there is no work tree, git is asked where it runs once: the pre-receive hook, a scan of a bare mirror, a scan from inside .git', () => {
  const client = Repo.init();
  const head = client.commitUnchecked({ 'app.py': 'print("hello")\n' }, 'first');
  for (const objectFormat of ['sha1', 'sha256'] as const) {
    const bare = Repo.init({ bare: true, objectFormat, env: client.env });
    if (objectFormat === 'sha1') client.git(['push', '-q', bare.dir, 'HEAD:refs/heads/main']);
    // The answer, read from what git printed before it stopped at --show-toplevel.
    assert.deepEqual({ ...repoInfo(bare.dir) }, { gitDir: bare.dir, bare: true, topLevel: null, objectFormat, zeroId: '0'.repeat(objectFormat === 'sha256' ? 64 : 40) });
  }
  const inside = join(client.dir, '.git');
  assert.deepEqual({ ...repoInfo(inside) }, { gitDir: inside, bare: false, topLevel: null, objectFormat: 'sha1', zeroId: '0'.repeat(40) });

  const bare = Repo.init({ bare: true, env: client.env });
  client.git(['push', '-q', bare.dir, 'HEAD:refs/heads/main']);
  const trace = join(tempDir(), 'trace');
  const queries = (repo: Repo, args: string[], options: { input?: string; cwd?: string } = {}) => {
    const run = repo.gitward(args, { ...options, env: { ...repo.env, GIT_TRACE: trace } });
    assert.equal(run.code, 0, run.output);
    const asked = readFileSync(trace, 'utf8').match(/built-in: git( -c \S+)* rev-parse --absolute-git-dir/g) ?? [];
    spawnSync('truncate', ['-s', '0', trace]);
    return asked.length;
  };
  assert.equal(queries(bare, ['pre-receive'], { input: `${'0'.repeat(40)} ${head} refs/heads/other\n` }), 1, 'pre-receive');
  assert.equal(queries(bare, ['scan', '--range', 'main']), 1, 'scan --range in a bare repository');
  assert.equal(queries(client, ['scan', '--range', 'HEAD'], { cwd: inside }), 1, 'scan from inside .git');
});

/** plainRepoInfo with these variables set as a hook has them (and only those of git's that are named). */
function bareAnswer(cwd: string, env: Record<string, string>) {
  const names = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_NAMESPACE'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return plainRepoInfo(cwd);
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

test("a hook's bare repository (GIT_DIR set by git): git's answer, through a relative GIT_DIR, a symbolic link, and the quarantine's objects", () => {
  const bare = Repo.init({ bare: true });
  const quarantine = join(bare.dir, 'objects', 'tmp_objdir-incoming-test');
  mkdirSync(quarantine);
  const hookEnvs: Record<string, string>[] = [{ GIT_DIR: '.' }, { GIT_DIR: bare.dir }, { GIT_DIR: '.', GIT_OBJECT_DIRECTORY: quarantine }];
  for (const env of hookEnvs) {
    const plain = bareAnswer(bare.dir, env);
    assert.ok(plain, `answered without git: ${JSON.stringify(env)}`);
    assert.deepEqual({ ...plain }, gitAnswer(bare.dir, { ...bare.env, ...env }), JSON.stringify(env));
  }
  const link = join(tempDir(), 'link.git');
  symlinkSync(bare.dir, link);
  const through = bareAnswer(tempDir(), { GIT_DIR: link });
  assert.deepEqual({ ...through }, gitAnswer(link, { ...bare.env, GIT_DIR: link }));
  assert.equal(through?.gitDir, bare.dir, 'the link resolved, as git resolves it');
});

test("every other bare layout is left to git: no GIT_DIR, a work tree or config in git's variables, no bare flag, sha256, an include, no repository", () => {
  const bare = Repo.init({ bare: true });
  assert.equal(bareAnswer(bare.dir, {}), null, 'no GIT_DIR (a scan run by hand)');
  assert.equal(bareAnswer(bare.dir, { GIT_DIR: '.', GIT_WORK_TREE: tempDir() }), null, 'GIT_WORK_TREE');
  assert.equal(bareAnswer(bare.dir, { GIT_DIR: '.', GIT_CONFIG_COUNT: '1' }), null, 'config in the environment');
  assert.equal(bareAnswer(bare.dir, { GIT_DIR: '.', GIT_NAMESPACE: 'team' }), null, 'GIT_NAMESPACE');

  const work = Repo.init();
  assert.equal(bareAnswer(work.dir, { GIT_DIR: '.git' }), null, 'a work tree\'s .git named by GIT_DIR (no bare flag set to true)');
  const unsaid = Repo.init({ bare: true });
  unsaid.git(['config', '--unset', 'core.bare']);
  assert.equal(bareAnswer(unsaid.dir, { GIT_DIR: '.' }), null, 'core.bare unset: git takes the folder it runs in as a work tree');
  // A `bare` key of another section is not core.bare: git still takes the folder as a work tree.
  unsaid.git(['config', 'remote.origin.bare', 'true']);
  assert.equal(gitAnswer(unsaid.dir, { ...unsaid.env, GIT_DIR: '.' }).bare, false, "git's answer");
  assert.equal(bareAnswer(unsaid.dir, { GIT_DIR: '.' }), null, 'bare = true under another section');
  assert.equal(bareAnswer(Repo.init({ bare: true, objectFormat: 'sha256' }).dir, { GIT_DIR: '.' }), null, 'sha256');
  const included = Repo.init({ bare: true });
  included.git(['config', 'include.path', join(tempDir(), 'more.config')]);
  assert.equal(bareAnswer(included.dir, { GIT_DIR: '.' }), null, 'an include');
  assert.equal(bareAnswer(tempDir(), { GIT_DIR: '.' }), null, 'no repository');
});

test('a push through pre-receive asks git nothing about where it runs, and reads the policy in that git dir', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  // The policy beside the repository's objects (serverConfigFrom: gitward.toml in the git dir) makes the token a warning.
  writeFileSync(join(bare.dir, 'gitward.toml'), '[rules]\n"secret.aws-access-key-id" = "warn"\n');
  const trace = join(tempDir(), 'trace');
  const client = Repo.init({ env: { ...bare.env, GIT_TRACE: trace } });
  client.commitUnchecked({ 'config.py': `aws_access_key_id = "${joinPieces('AKI', 'A', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16))}"\n` }, 'first');
  writeFileSync(trace, '');
  const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /secret\.aws-access-key-id/, 'reported as a warning, by the policy in the git dir');
  // Only the push's commands are traced: the client's, the server's receive-pack, and the hook's.
  const commands = (readFileSync(trace, 'utf8').match(/built-in: git( -c \S+)* [a-z-]+/g) ?? []).map((c) => c.split(' ').pop());
  assert.ok(commands.includes('log') && commands.includes('receive-pack'), commands.join(' '));
  assert.ok(!commands.includes('rev-parse'), commands.join(' '));
});
