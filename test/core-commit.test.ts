import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join, randomFrom } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const awsKey = () => join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));
const githubPat = () => withBase62Checksum(join('gh', 'p_'), fake.alnum(30));

test('a commit adding a credential is refused with rule id, path and line', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'README.md': '# project\n' });
  const token = githubPat();
  const run = repo.commit({ 'app/settings.py': `DEBUG = True\nGITHUB_TOKEN = "${token}"\n` });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /secret\.github-pat/);
  assert.match(run.output, /app\/settings\.py:2/);
  assert.ok(!run.output.includes(token), 'the token must not be printed');
  assert.equal(repo.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');
});

test('a commit adding a .env file is refused; a template passes', () => {
  const repo = Repo.init().installPreCommitHook();
  const refused = repo.commit({ '.env': 'DEBUG=1\n' });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /env-file\.committed/);
  repo.git(['rm', '-q', '--cached', '.env']);
  repo.git(['clean', '-fq']);
  const passed = repo.commit({ '.env.example': 'DATABASE_URL=\nAPI_KEY=<your-key>\n' });
  assert.equal(passed.code, 0, passed.output);
});

test('a clean commit succeeds', () => {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'main.py': 'print("hello")\n', 'docs/guide.md': '# Guide\n' });
  assert.equal(run.code, 0, run.output);
  assert.equal(repo.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1');
});

test('a secret already in an unchanged line is not reported when another line changes', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'config.py': `KEY = "${awsKey()}"\nDEBUG = False\n` });
  const run = repo.commit({ 'config.py': repo.git(['show', 'HEAD:config.py']).stdout.replace('DEBUG = False', 'DEBUG = True') });
  assert.equal(run.code, 0, run.output);
});

test('deleting a secret passes, and deleting a .env file passes', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'config.py': `KEY = "${awsKey()}"\nDEBUG = False\n`, '.env': 'X=1\n' });
  repo.write({ 'config.py': 'DEBUG = False\n' });
  repo.git(['rm', '-q', '.env']);
  const run = repo.commit({});
  assert.equal(run.code, 0, run.output);
});

test('works in a repository with no commit yet, from a subfolder, and in a worktree', () => {
  const repo = Repo.init();
  repo.write({ 'pkg/sub/x.py': `T = "${githubPat()}"\n` });
  repo.git(['add', '-A']);
  const fromSub = repo.gitward(['scan', '--format', 'json'], { cwd: `${repo.dir}/pkg/sub` });
  assert.equal(fromSub.code, 1, fromSub.output);
  assert.equal(JSON.parse(fromSub.stdout).findings[0].path, 'pkg/sub/x.py');
  repo.git(['reset', '-q']);
  repo.commitUnchecked({ 'a.txt': 'a\n' });
  const wt = `${repo.dir}-wt`;
  repo.git(['worktree', 'add', '-q', wt]);
  const wtRepo = new Repo(wt, repo.env);
  const { run, json } = wtRepo.stageAndScan({ 'b.py': `T = "${githubPat()}"\n` });
  assert.equal(run.code, 1);
  assert.equal(json.findings[0].rule, 'secret.github-pat');
  repo.git(['worktree', 'remove', '--force', wt]);
});

test('file names with spaces, quotes, newlines and non-ASCII keep their exact path', () => {
  const repo = Repo.init();
  const names = ['with space.py', 'quo"te.py', 'new\nline.py', 'naïve-ünï.py', '-leading-dash.py', 'tab\there.py'];
  const files: Record<string, string> = {};
  for (const name of names) files[`dir/${name}`] = `TOKEN = "${githubPat()}"\n`;
  const { json } = repo.stageAndScan(files);
  assert.deepEqual(json.findings.map((f) => f.path).sort(), names.map((n) => `dir/${n}`).sort());
});

test('json output follows the contract and never holds the secret', () => {
  const repo = Repo.init();
  const token = githubPat();
  const { run, json } = repo.stageAndScan({ 'a.py': `x = 1\ntoken = "${token}"\n` });
  assert.equal(run.code, 1);
  assert.ok(!run.stdout.includes(token));
  assert.deepEqual(Object.keys(json.findings[0]).sort(), ['category', 'commit', 'fingerprint', 'line', 'message', 'path', 'rule', 'severity']);
  assert.deepEqual(
    { line: json.findings[0].line, commit: json.findings[0].commit, category: json.findings[0].category, severity: json.findings[0].severity },
    { line: 2, commit: null, category: 'secret', severity: 'block' },
  );
  const again = repo.gitward(['scan', '--format', 'json']);
  assert.equal(JSON.parse(again.stdout).findings[0].fingerprint, json.findings[0].fingerprint, 'fingerprint is stable');
});

test('outside a repository: exit 2 with a clear message, no stack trace', () => {
  const repo = new Repo(Repo.init().dir + '/../');
  const run = repo.gitward(['scan'], { cwd: '/' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /not inside a git repository/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});
