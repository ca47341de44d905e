import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { CLI, ROOT, Repo, tempDir, type JsonReport } from './helpers/git.ts';
import { hasPreCommit, hookRepo } from './helpers/hook-repo.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';
import { TextQueue } from '../src/git/text-queue.ts';

const githubPat = () => withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));
const leakyMessage = (token: string) => `Fix the deploy\n\nUsed ${token} to test it.\n`;

/** Runs `git commit -m` (through any installed hook). */
function commitWithMessage(repo: Repo, files: Record<string, string>, message: string) {
  repo.write(files);
  repo.git(['add', '-A']);
  return repo.git(['commit', '-q', '-m', message], { allowFail: true });
}

function assertNoLeak(output: string, token: string): void {
  assert.ok(!output.includes(token), 'the token is never printed');
  assert.ok(!output.includes('Used '), 'no message text is printed');
}

test('commit-msg hook from `gitward install --commit-msg`: a token in the message refuses the commit; a clean one passes; a `git commit -v` diff is not the message', () => {
  const repo = Repo.init();
  const install = repo.gitward(['install', '--commit-msg']);
  assert.equal(install.code, 0, install.output);
  assert.match(install.stdout, /installed .*hooks\/commit-msg/);
  const token = githubPat();
  const refused = commitWithMessage(repo, { 'a.txt': 'hello\n' }, leakyMessage(token));
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /✖ secret\.github-pat {2}commit message:3/);
  assert.match(refused.output, /in the commit message/);
  assertNoLeak(refused.output, token);
  assert.equal(repo.git(['rev-list', '--all', '--count']).stdout.trim(), '0', 'nothing was committed');

  const passed = commitWithMessage(repo, {}, 'Fix the deploy\n\nThe token now comes from the environment.\n');
  assert.equal(passed.code, 0, passed.output);

  // What `git commit -v` shows below the scissors line (here a removed secret) is not recorded: not scanned.
  const file = join(tempDir(), 'COMMIT_EDITMSG');
  writeFileSync(file, `Remove the old key\n# Please enter the commit message.\n# ------------------------ >8 ------------------------\n-KEY = "${githubPat()}"\n`);
  const verbose = repo.gitward(['commit-msg', file, '--format', 'json']);
  assert.equal(verbose.code, 0, verbose.output);
  writeFileSync(file, `Add it\n\n${githubPat()}\n# ------------------------ >8 ------------------------\n`);
  const json = repo.gitward(['commit-msg', file, '--format', 'json']);
  assert.equal(json.code, 1, json.output);
  const finding = (JSON.parse(json.stdout) as JsonReport).findings[0] as unknown as Record<string, unknown>;
  assert.deepEqual([finding.rule, finding.path, finding.location, finding.line, finding.commit], ['secret.github-pat', null, 'commit-message', 3, null]);

  const uninstall = repo.gitward(['uninstall']);
  assert.match(uninstall.stdout, /removed .*hooks\/commit-msg/);
});

test('husky: .husky/commit-msg refuses a token in the message', () => {
  const repo = Repo.init();
  repo.write({ 'package.json': '{ "name": "app", "private": true }\n' });
  const husky = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  assert.equal(husky.status, 0, husky.stdout + husky.stderr);
  repo.write({ '.husky/commit-msg': `"${process.execPath}" "${CLI}" commit-msg "$1"\n` });
  const token = githubPat();
  const refused = commitWithMessage(repo, { 'a.txt': 'x\n' }, leakyMessage(token));
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /secret\.github-pat {2}commit message:3/);
  assertNoLeak(refused.output, token);
  assert.equal(repo.git(['rev-list', '--all', '--count']).stdout.trim(), '0');
});

test('pre-commit framework: the gitward-commit-msg hook (stage commit-msg) refuses a token in the message', { skip: hasPreCommit ? false : 'pre-commit is not installed (apt-get install pre-commit; .ci/run does it)' }, () => {
  const hooks = hookRepo();
  const project = Repo.init();
  const env: NodeJS.ProcessEnv = { ...project.env, PRE_COMMIT_HOME: tempDir('gitward-pc-home-') };
  delete env.GITWARD_DIST;
  const p = new Repo(project.dir, env);
  p.write({ '.pre-commit-config.yaml': `repos:\n- repo: ${hooks.dir}\n  rev: ${hooks.rev}\n  hooks:\n  - id: gitward-commit-msg\n` });
  p.commitUnchecked({ 'README.md': '# app\n' });
  const install = spawnSync('pre-commit', ['install', '-t', 'commit-msg'], { cwd: p.dir, env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stdout + install.stderr);
  const token = githubPat();
  const refused = commitWithMessage(p, { 'a.txt': 'x\n' }, leakyMessage(token));
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /secret\.github-pat {2}commit message:3/);
  assertNoLeak(refused.output, token);
  assert.equal(p.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');
  const passed = commitWithMessage(p, {}, 'A clean message');
  assert.equal(passed.code, 0, passed.output);
});

/** A bare repository with the pre-receive hook, and a client with it as origin. */
function server(): { bare: Repo; client: Repo } {
  const bare = Repo.init({ bare: true });
  bare.installPreReceiveHook();
  const client = Repo.init({ env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  return { bare, client };
}

const push = (client: Repo, refs: string[]) => client.git(['push', '--porcelain', 'origin', ...refs], { allowFail: true });

test('pre-receive: a token in a pushed commit message is refused, naming the commit; a clean push passes', () => {
  const { client } = server();
  client.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  assert.equal(push(client, ['main']).code, 0);
  const token = githubPat();
  const leaky = client.commitUnchecked({ 'a.txt': 'two\n' }, leakyMessage(token));
  client.commitUnchecked({ 'a.txt': 'three\n' }, 'later');
  const run = push(client, ['main']);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, new RegExp(`secret\\.github-pat {2}${leaky.slice(0, 12)} commit message:3`));
  assertNoLeak(run.output, token);
});

test('pre-receive and pre-push: a token in the subject line is never printed with the commit (other commits keep their subject)', () => {
  const { bare, client } = server();
  client.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  assert.equal(push(client, ['main']).code, 0);
  const token = githubPat();
  client.commitUnchecked({ 'a.txt': 'two\n', 'app.py': `TOKEN = "${githubPat()}"\n` }, `Deploy with ${token}`);
  client.commitUnchecked({ 'b.py': `KEY = "${githubPat()}"\n` }, 'Add the b module');
  const refused = push(client, ['main']);
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.output, /secret\.github-pat {2}[0-9a-f]{12} commit message:1/);
  assert.match(refused.output, /\(subject not shown: the message holds a finding\)/);
  assert.match(refused.output, /: Add the b module/, 'a commit whose message is clean keeps its subject');
  assert.ok(!refused.output.includes(token), 'the token in the subject is never printed');

  // The same commits through the client's pre-push hook.
  bare.git(['config', 'core.hooksPath', '/dev/null']);
  assert.equal(client.gitward(['install', '--pre-push']).code, 0);
  const stopped = push(client, ['main']);
  assert.notEqual(stopped.code, 0, stopped.output);
  assert.match(stopped.output, /\(subject not shown: the message holds a finding\)/);
  assert.ok(!stopped.output.includes(token), 'the token in the subject is never printed');
});

test('pre-receive: a token in an annotated tag message is refused; a clean annotated tag passes', () => {
  const { client } = server();
  client.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  assert.equal(push(client, ['main']).code, 0);
  client.git(['tag', '-a', 'v1', '-m', 'Release 1']);
  const clean = push(client, ['refs/tags/v1']);
  assert.equal(clean.code, 0, clean.output);
  const token = githubPat();
  client.git(['tag', '-a', 'v2', '-m', `Release 2\n\nUsed ${token} to test it.`]);
  const tagId = client.git(['rev-parse', 'v2']).stdout.trim();
  const run = push(client, ['refs/tags/v2']);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, new RegExp(`secret\\.github-pat {2}${tagId.slice(0, 12)} tag message:3`));
  assert.match(run.output, /in tag v2/);
  assertNoLeak(run.output, token);
});

test('pre-push (gitward install --pre-push): a token in a commit message or an annotated tag message stops the push', () => {
  const bare = Repo.init({ bare: true });
  const client = Repo.init({ env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  assert.equal(client.gitward(['install', '--pre-push']).code, 0);
  client.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  assert.equal(push(client, ['main']).code, 0);
  const token = githubPat();
  client.commitUnchecked({ 'a.txt': 'two\n' }, leakyMessage(token));
  const run = push(client, ['main']);
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /secret\.github-pat {2}[0-9a-f]{12} commit message:3/);
  assertNoLeak(run.output, token);
  assert.equal(bare.git(['rev-list', '--count', 'main']).stdout.trim(), '1', 'the push did not happen');

  client.git(['reset', '-q', '--hard', 'HEAD~1']);
  client.git(['tag', '-a', 'v1', '-m', `Release\n\nUsed ${token} to test it.`]);
  const tag = push(client, ['refs/tags/v1']);
  assert.notEqual(tag.code, 0, tag.output);
  assert.match(tag.output, /secret\.github-pat {2}[0-9a-f]{12} tag message:3/);
  assertNoLeak(tag.output, token);
});

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

test('--range and --history report a token in a commit message (JSON: path null, location commit-message; SARIF: a logical location); --history also reads tag messages', () => {
  const repo = Repo.init();
  const base = repo.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  const token = githubPat();
  const leaky = repo.commitUnchecked({ 'a.txt': 'two\n' }, leakyMessage(token));
  const range = repo.gitward(['scan', '--range', `${base}..HEAD`, '--format', 'json']);
  assert.equal(range.code, 1, range.output);
  assert.ok(!range.output.includes(token));
  const findings = (JSON.parse(range.stdout) as JsonReport).findings as unknown as Record<string, unknown>[];
  assert.deepEqual(findings.map((f) => [f.rule, f.path, f.location, f.line, f.commit]), [['secret.github-pat', null, 'commit-message', 3, leaky]]);

  const sarif = repo.gitward(['scan', '--range', `${base}..HEAD`, '--format', 'sarif']);
  assert.equal(sarif.code, 1);
  const log = JSON.parse(sarif.stdout);
  assert.ok(validate(structuredClone(log)), JSON.stringify(validate.errors, null, 2));
  const location = log.runs[0].results[0].locations[0];
  assert.equal(location.physicalLocation, undefined);
  assert.deepEqual(location.logicalLocations[0], { name: 'commit message', fullyQualifiedName: `commit/${leaky}/message:3`, kind: 'text', properties: { location: 'commit-message', line: 3 } });
  assert.ok(!sarif.stdout.includes(token));

  repo.git(['tag', '-a', 'v1', '-m', `Release\n\n${githubPat()}`, base]);
  const history = repo.gitward(['scan', '--history']);
  assert.equal(history.code, 1, history.output);
  assert.match(history.stdout, new RegExp(`secret\\.github-pat {2}${leaky.slice(0, 12)} commit message:3`));
  assert.match(history.stdout, /secret\.github-pat {2}[0-9a-f]{12} tag message:3/);
  assertNoLeak(history.output, token);
});

test('a hostile message (control characters, a forged header end) cannot hide the files of its commit or the message after it', () => {
  const repo = Repo.init();
  const base = repo.commitUnchecked({ 'a.txt': 'one\n' }, 'first');
  const fileToken = githubPat();
  repo.commitUnchecked({ 'b.py': `T = "${fileToken}"\n` }, 'x\x02\x01fake header\x02\n\x02\x02\n:100644 100644 a b M\n');
  repo.commitUnchecked({ 'c.txt': 'c\n' }, leakyMessage(githubPat()));
  const run = repo.gitward(['scan', '--range', `${base}..HEAD`, '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as JsonReport).findings;
  assert.deepEqual(findings.map((f) => [f.rule, f.path]), [['secret.github-pat', 'b.py'], ['secret.github-pat', null]]);
});

test('property: TextQueue.takeUntil with a delimiter of several characters, cut anywhere, gives what splitting the whole text gives', () => {
  const DELIMITER = '\x02mark\x02';
  const piece = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\x02', 'mark', '\x02ma', 'rk\x02', DELIMITER));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), fc.array(fc.nat({ max: 400 }), { maxLength: 12 }), (parts, points) => {
      const text = parts.join('');
      const bytes = Buffer.from(text);
      const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
      const queue = new TextQueue();
      const taken: string[] = [];
      let at = 0;
      for (const p of [...cuts, bytes.length]) {
        queue.push(bytes.subarray(at, p));
        at = p;
        for (let t = queue.takeUntil(DELIMITER); t !== null; t = queue.takeUntil(DELIMITER)) taken.push(t);
      }
      queue.finish();
      const expected = Buffer.from(text).toString('utf8').split(DELIMITER);
      assert.deepEqual([...taken, queue.takeRest()], expected);
    }),
    fuzzParams(300),
  );
});
