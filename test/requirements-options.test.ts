// Current pip options, removed ones, editable requirements in hash-checking mode, and look-alike
// names, each through a real `git commit` with the pre-commit hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { Repo, ROOT, CLI, testEnv } from './helpers/git.ts';

const H = (c: string) => c.repeat(64);
const env = relative(ROOT, CLI).startsWith('..') ? testEnv({ GITWARD_DATA_DIR: `${ROOT}/data` }) : undefined;

function commit(text: string) {
  const repo = Repo.init({ env }).installPreCommitHook();
  const run = repo.commit({ 'requirements.txt': text });
  return { run, committed: repo.git(['rev-list', '--all']).stdout.trim() !== '' };
}

test('options current pip accepts parse: -C/--config-settings on a requirement, --pypi-url, --no-require-hashes, --all-releases, --only-final', () => {
  const { run, committed } = commit(
    [
      '--pypi-url https://pkgs.example.internal/simple',
      '--no-require-hashes',
      '--all-releases :none:',
      '--only-final mypkg,other',
      '--use-feature=fast-deps',
      'lxml==5.2.2 -C "--build-option=--with-xslt"',
      'pyyaml==6.0.1 --config-settings=--pure=true',
      'numpy==2.0.0 -Csetup-args=-Dblas=openblas',
      '',
    ].join('\n'),
  );
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /requirement\.unparseable/);
  assert.equal(committed, true);
});

test('options pip removed or rejects are reported: --global-option on a requirement line, an unknown --use-feature', () => {
  const removed = commit('lxml==5.2.2 --global-option=build_ext\n');
  assert.equal(removed.run.code, 1, removed.run.output);
  assert.match(removed.run.output, /requirement\.unparseable/);
  assert.match(removed.run.output, /no such option: --global-option \(pip removed --global-option.*-C\/--config-settings\)/);
  const feature = commit('--use-feature=resolvelib\nflask==3.0.3\n');
  assert.equal(feature.run.code, 1, feature.run.output);
  assert.match(feature.run.output, /invalid choice: 'resolvelib'/);
  // A prefix that now names two options is ambiguous, as optparse says.
  const ambiguous = commit('--p\nflask==3.0.3\n');
  assert.match(ambiguous.run.output, /ambiguous option --p \(.*--pypi-url.*\)/);
});

test('an editable requirement in a hash-checking file is a missing-hash finding; outside hash mode it is not', () => {
  const sha = 'a'.repeat(40);
  const hashed = `flask==3.0.3 \\\n    --hash=sha256:${H('b')}\n`;
  for (const editable of ['-e .', '-e ./libs/core', `-e git+https://git.example.internal/org/repo.git@${sha}#egg=repo`]) {
    const { run, committed } = commit(`${hashed}${editable}\n`);
    assert.equal(run.code, 1, `${editable}\n${run.output}`);
    assert.match(run.output, /requirement\.missing-hash/);
    assert.match(run.output, /editable requirement in a hash-checking file/);
    assert.match(run.output, /requirements\.txt:3/);
    assert.equal(committed, false);
  }
  const required = commit('--require-hashes\n-e .\n');
  assert.match(required.run.output, /editable requirement in a hash-checking file/);
  const plain = commit('flask==3.0.3\n-e .\n');
  assert.equal(plain.run.code, 0, plain.run.output);
  assert.doesNotMatch(plain.run.output, /missing-hash/);
});

test('look-alikes: digit and version-suffix variants and python3-/py prefixes of top projects warn; niche real projects do not', () => {
  const repo = Repo.init({ env });
  const squats = ['urllib4', 'boto4', 'colorama2', 'python3-dateutil', 'reqeusts', 'numpyy', 'nmap-python', 'beautifulsoup-requests'];
  const niche = ['tbselenium', 'aiozmq', 'deeptools', 'django-q', 'django-graphene', 'tinycss', 'jpype', 'pyqt5-qwt', 'bluez', 'gwebsockets', 'udatetime'];
  const text = [...squats, ...niche].map((n) => `${n}==1.0.0`).join('\n') + '\n';
  const { run, json } = repo.stageAndScan({ 'requirements.txt': text });
  assert.equal(run.code, 0, run.output);
  const warned = new Map(json.findings.filter((f) => f.rule === 'requirement.look-alike').map((f) => [f.line, f]));
  squats.forEach((name, i) => {
    const f = warned.get(i + 1);
    assert.ok(f, `${name} should warn`);
    assert.equal(f.severity, 'warn');
  });
  assert.match(warned.get(1)!.message, /looks like "urllib3"/);
  assert.match(warned.get(4)!.message, /looks like "python-dateutil"/);
  niche.forEach((name, i) => assert.equal(warned.get(squats.length + i + 1), undefined, `${name} should not warn: ${warned.get(squats.length + i + 1)?.message}`));
  // Through the hook: a look-alike warns and the commit goes through.
  const hooked = commit('python3-dateutil==2.9.0\n');
  assert.equal(hooked.run.code, 0, hooked.run.output);
  assert.match(hooked.run.output, /requirement\.look-alike[\s\S]*python-dateutil/);
  assert.equal(hooked.committed, true);
});

/** Scans `requirements.txt` holding these names and maps each name to the project its warning names, or null. */
function lookAlikeWarnings(names: readonly string[]): Map<string, string | null> {
  const repo = Repo.init({ env });
  const { run, json } = repo.stageAndScan({ 'requirements.txt': names.map((n) => `${n}==1.0.0`).join('\n') + '\n' });
  assert.equal(run.code, 0, run.output);
  const byLine = new Map(json.findings.filter((f) => f.rule === 'requirement.look-alike').map((f) => [f.line, f]));
  return new Map(names.map((n, i) => [n, byLine.get(i + 1)?.message.match(/looks like "([^"]+)"/)?.[1] ?? null]));
}

test('look-alikes of names outside the ranking (protected names: the language, brands, platforms) warn; the names themselves and real neighbours do not', () => {
  const warned = lookAlikeWarnings(['pyhton', 'opnsea', 'detecron2', 'discrd', 'python', 'ethereum', 'discord', 'cython', 'jython', 'telegram-send']);
  assert.equal(warned.get('pyhton'), 'python');
  assert.equal(warned.get('opnsea'), 'opensea');
  assert.equal(warned.get('detecron2'), 'detectron2');
  // `discord` is ranked, but far down: as a protected name it counts as a popular target.
  assert.equal(warned.get('discrd'), 'discord');
  for (const real of ['python', 'ethereum', 'discord', 'cython', 'jython', 'telegram-send']) assert.equal(warned.get(real), null, `${real} should not warn`);
});

test('look-alikes: vowels garbled, two top projects joined, a garbled word of a top project warn; plugins, short parts and other words do not', () => {
  const squats = { etheruim: 'ethereum', tansurflow: 'tensorflow', 'numpy-selenium': 'numpy', torchtriton: 'torch', 'pandsa-helpers': 'pandas', 'ttensorflow-gpu': 'tensorflow' };
  // Real projects (Debian python3-* packages): plugins under a namespace word, a short second part,
  // the same consonants in a much longer word, words near a top project that are not its typo.
  const niche = ['flask-peewee', 'django-babel', 'pytest-cython', 'aiohttp-mako', 'cython-blis', 'psycopg2cffi', 'languagecodes', 'jinja-vanish', 'network-runner', 'git-repo-updater', 'kea-connector', 'calmjs-types'];
  const warned = lookAlikeWarnings([...Object.keys(squats), ...niche]);
  for (const [name, target] of Object.entries(squats)) assert.equal(warned.get(name), target, `${name} should warn as a look-alike of ${target}`);
  for (const name of niche) assert.equal(warned.get(name), null, `${name} should not warn`);
  // Through the hook: the warning shows and the commit goes through.
  const hooked = commit('opnsea==1.0.0\nnumpy-selenium==1.0.0\n');
  assert.equal(hooked.run.code, 0, hooked.run.output);
  assert.match(hooked.run.output, /requirement\.look-alike[\s\S]*opensea/);
  assert.match(hooked.run.output, /requirement\.look-alike[\s\S]*numpy/);
  assert.equal(hooked.committed, true);
});
