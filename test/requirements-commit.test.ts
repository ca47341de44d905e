import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { Repo, ROOT, CLI, testEnv } from './helpers/git.ts';

const H = (c: string) => c.repeat(64);
// A build copied out of the package (a private GITWARD_DIST) cannot walk up to data/.
const env = relative(ROOT, CLI).startsWith('..') ? testEnv({ GITWARD_DATA_DIR: `${ROOT}/data` }) : undefined;
const newRepo = () => Repo.init({ env });

test('git commit: adding requests>=2 is refused, requests==2.32.3 passes', () => {
  const repo = newRepo().installPreCommitHook();
  repo.commitUnchecked({ 'README.md': '# app\n' });
  const refused = repo.commit({ 'requirements.txt': 'requests>=2\n' });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /requirement\.unpinned/);
  assert.match(refused.output, /requirements\.txt:1/);
  assert.equal(repo.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1');
  const passed = repo.commit({ 'requirements.txt': 'requests==2.32.3\n' });
  assert.equal(passed.code, 0, passed.output);
});

test('git commit: a line without --hash added to a hashed file is refused', () => {
  const repo = newRepo().installPreCommitHook();
  repo.commitUnchecked({ 'requirements.txt': `requests==2.32.3 \\\n    --hash=sha256:${H('a')}\n` });
  const run = repo.commit({ 'requirements.txt': `requests==2.32.3 \\\n    --hash=sha256:${H('a')}\nflask==3.0.3\n` });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /requirement\.missing-hash/);
  assert.match(run.output, /requirements\.txt:3/);
});

test('git commit: an unchanged unpinned line elsewhere in the file is not reported', () => {
  const repo = newRepo().installPreCommitHook();
  repo.commitUnchecked({ 'requirements/base.txt': 'flask\nrequests==2.32.3\n' });
  const run = repo.commit({ 'requirements/base.txt': 'flask\nrequests==2.32.3\ndjango==5.0.6\n' });
  assert.equal(run.code, 0, run.output);
});

test('lines added right before and right after an unchanged unpinned entry do not touch it; one inside a continued entry does', () => {
  const repo = newRepo().installPreCommitHook();
  repo.commitUnchecked({ 'requirements.txt': 'django==5.0.6\nflask \\\n  [async]\nrequests==2.32.3\n' });
  // The entry `flask [async]` is lines 2-3 before and 3-4 after: lines 1 and 5 are added beside it.
  const beside = repo.commit({ 'requirements.txt': 'pytest==8.2.0\ndjango==5.0.6\nflask \\\n  [async]\nattrs==23.2.0\nrequests==2.32.3\n' });
  assert.equal(beside.code, 0, beside.output);
  const inside = repo.commit({ 'requirements.txt': 'pytest==8.2.0\ndjango==5.0.6\nflask \\\n  [async] \\\n  ; python_version >= "3.9"\nattrs==23.2.0\nrequests==2.32.3\n' });
  assert.equal(inside.code, 1, inside.output);
  assert.match(inside.output, /requirement\.unpinned/);
});

test('a new --hash continuation line is judged as part of the requirement above', () => {
  const repo = newRepo();
  repo.commitUnchecked({ 'requirements.txt': 'requests>=2 \\\n    --hash=sha256:' + H('a') + '\n' });
  const { json } = repo.stageAndScan({ 'requirements.txt': 'requests>=2 \\\n    --hash=sha256:' + H('b') + '\n' });
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['requirement.missing-hash', 2]]);
});

test('pip-tools inputs (*.in) and other files are not checked; configured globs are', () => {
  const repo = newRepo();
  const { json } = repo.stageAndScan({ 'requirements.in': 'requests\n', 'deps.txt': 'requests\n' });
  assert.deepEqual(json.findings, []);
  const configured = repo.stageAndScan({ '.gitward.toml': '[requirements]\nfiles = ["deps.txt"]\n', 'deps.txt': 'requests\nflask\n' });
  assert.deepEqual(configured.json.findings.map((f) => f.line), [1, 2]);
  repo.write({ '.gitward.toml': '[requirements]\nfilez = []\n' });
  const unknown = repo.gitward(['scan']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /filez/);
});

// Realistic changes (kept apart from the unit table): every unpinned, unhashed or risky addition
// blocks, no pinned one does.
const BLOCKED: Record<string, string> = {
  'no version': 'numpy\n',
  'range': 'pandas>=2.0,<3\n',
  'compatible release': 'pydantic~=2.7\n',
  'wildcard': 'django==5.0.*\n',
  'extras and range': 'celery[redis]>=5.3\n',
  'marker and no version': 'pywin32 ; sys_platform == "win32"\n',
  'git branch': 'mylib @ git+https://github.com/acme/mylib.git@main\n',
  'git tag': 'git+https://github.com/acme/mylib.git@v1.2.0#egg=mylib\n',
  'editable git without ref': '-e git+ssh://git@github.com/acme/mylib.git#egg=mylib\n',
  'archive without hash': 'mylib @ https://files.acme.example/mylib-1.0.tar.gz\n',
  'extra index': '--extra-index-url https://pypi.acme.example/simple\nacmelib==1.0\n',
  'trusted host': '--trusted-host pypi.acme.example\n',
  'http index': '--index-url http://pypi.acme.example/simple\n',
  'hash but range': `requests>=2.31 --hash=sha256:${H('d')}\n`,
  'unparseable': 'requests=2.32.3\n',
};
const PASSED: Record<string, string> = {
  'exact': 'numpy==1.26.4\n',
  'arbitrary equality': 'legacy===1.0-custom\n',
  'extras and marker': 'celery[redis,sqs]==5.4.0 ; python_version >= "3.9"  # workers\n',
  'hashed': `requests==2.32.3 \\\n    --hash=sha256:${H('a')} \\\n    --hash=sha256:${H('b')}\nidna==3.7 \\\n    --hash=sha256:${H('c')}\n`,
  'git commit': 'mylib @ git+https://github.com/acme/mylib.git@0e322af87745eff34caffe4df68456ebc20d9068\n',
  'archive with hash': `mylib @ https://files.acme.example/mylib-1.0.tar.gz#sha256=${H('e')}\n`,
  'local and includes': '-e .\n./libs/shared\n-r base.txt\n-c constraints.txt\n--pre\n--index-url https://pypi.acme.example/simple\n',
  'crlf': 'flask==3.0.3\r\nitsdangerous==2.2.0\r\n',
};

test('realistic changes: every risky addition blocks, no pinned one does', () => {
  for (const [name, text] of Object.entries(BLOCKED)) {
    const repo = newRepo();
    const { run, json } = repo.stageAndScan({ 'requirements-dev.txt': text });
    assert.equal(run.code, 1, `${name}: ${run.stdout}`);
    assert.ok(json.findings.some((f) => f.category === 'unpinned-requirement' && f.severity === 'block'), name);
  }
  for (const [name, text] of Object.entries(PASSED)) {
    const repo = newRepo();
    const { run, json } = repo.stageAndScan({ 'requirements.txt': text });
    assert.equal(run.code, 0, `${name}: ${run.stdout}`);
    assert.deepEqual(json.findings, [], name);
  }
});

test('a look-alike name warns without blocking', () => {
  const repo = newRepo();
  const { run, json } = repo.stageAndScan({ 'requirements.txt': 'reqeusts==2.32.3\npython-dateutils==2.9.0\n' });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.severity, f.line]), [
    ['requirement.look-alike', 'warn', 1],
    ['requirement.look-alike', 'warn', 2],
  ]);
});

test('requirements.known-names silences the look-alike check for a name written in any case or with any separators', () => {
  const lookAlikes = (repo: Repo) => repo.stageAndScan({ 'requirements.txt': 'reqeusts==2.32.3\nmy_internal.lib==1.0\n' }).json.findings.filter((f) => f.rule === 'requirement.look-alike');
  // Without the setting, the misspelt name is reported (so that the assertion below can fail).
  assert.deepEqual(lookAlikes(newRepo()).map((f) => f.line), [1]);
  const known = newRepo().write({ '.gitward.toml': '[requirements]\nknown-names = ["Reqeusts", "My.Internal_Lib"]\n' });
  assert.deepEqual(lookAlikes(known), []);
});
