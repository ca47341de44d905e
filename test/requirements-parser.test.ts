import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequirementsFile } from '../src/rules/requirements/req-file.ts';
import { judgeRequirements } from '../src/rules/requirements/judge.ts';
import { lookAlikeOf, parseTopPackages, skeleton } from '../src/rules/requirements/look-alike.ts';
import { editDistance } from '../src/engine/did-you-mean.ts';
import { bundledTopPackages } from '../src/rules/requirements/ranking-index.ts';
import { findDataFile } from '../src/rules/requirements/data-file.ts';
import { ROOT } from './helpers/git.ts';
import { join } from 'node:path';

const H = (c: string) => c.repeat(64);

/** Rule ids (without the `requirement.` prefix) a whole new file would get, judged as all added. */
function judge(text: string): string[] {
  const top = bundledTopPackages();
  return judgeRequirements(parseRequirementsFile(text), {
    touched: () => true,
    lookAlike: (name) => (top ? lookAlikeOf(name, top) : null),
  }).map((f) => f.rule.id.replace('requirement.', ''));
}

const TABLE: Array<[string, string[]]> = [
  ['requests==2.32.3', []],
  ['requests==2.32.3  # pinned after review', []],
  ['requests===2.32.3', []],
  ['requests', ['unpinned']],
  ['requests>=2', ['unpinned']],
  ['requests~=2.32', ['unpinned']],
  ['requests==2.*', ['unpinned']],
  ['requests>=2,<3', ['unpinned']],
  ['requests==2.32.3,!=2.32.2', ['unpinned']],
  ['requests (==2.32.3)', []],
  ['Django[argon2,bcrypt]==5.0.6 ; python_version >= "3.10" and sys_platform != "win32"', []],
  ['uvicorn[standard]>=0.30; python_version>="3.9"', ['unpinned']],
  ['requests==2.32.3\r', []],
  [`requests==2.32.3 \\\n    --hash=sha256:${H('a')} \\\n    --hash=sha256:${H('b')}`, []],
  [`requests==2.32.3 \\\r\n    --hash=sha256:${H('a')}\r\nflask==3.0.3\r\n`, ['missing-hash']],
  [`requests>=2 --hash=sha256:${H('a')}`, ['missing-hash']],
  [`requests==2.32.3\n    --hash=sha256:${H('a')}`, ['missing-hash']],
  ['git+https://github.com/psf/requests.git@0e322af87745eff34caffe4df68456ebc20d9068#egg=requests', []],
  ['git+https://github.com/psf/requests.git@main#egg=requests', ['url-unpinned']],
  ['requests @ git+https://github.com/psf/requests.git@v2.32.3', ['url-unpinned']],
  ['-e git+https://github.com/psf/requests.git#egg=requests', ['url-unpinned']],
  [`pkg @ https://files.example.org/pkg-1.0.tar.gz#sha256=${H('c')}`, []],
  ['pkg @ https://files.example.org/pkg-1.0.tar.gz', ['url-unpinned']],
  ['-e .', []],
  ['./libs/foo', []],
  ['-r base.txt', []],
  ['-c constraints.txt', []],
  ['--pre', []],
  ['--index-url https://pypi.internal.example/simple', []],
  ['--extra-index-url https://pypi.internal.example/simple', ['extra-index-url']],
  ['--extra-index https://pypi.internal.example/simple', ['extra-index-url']],
  ['--trusted-host pypi.internal.example', ['trusted-host']],
  ['-i http://pypi.internal.example/simple', ['insecure-index']],
  ['--find-links http://mirror.example/wheels', ['insecure-index']],
  ['--no-such-option', ['unparseable']],
  ['--no- x', ['unparseable']],
  ['requests==', ['unparseable']],
  ['requests==2.32.3; python_versionn < "3"', ['unparseable']],
  ['requests==2.32.3 --hash=md5:abc', ['unparseable']],
  ['requests[security==2.0', ['unparseable']],
  ['# only a comment\n\n   \n', []],
  ['reqeusts==2.32.3', ['look-alike']],
  ['python-dateutils==2.9.0', ['look-alike']],
  ['python-dateutil==2.9.0.post0', []],
  ['pyqt6==6.7.0', []],
];

test('requirement lines, tricky ones included, get exactly the expected rules', () => {
  for (const [text, expected] of TABLE) {
    assert.deepEqual(judge(text).sort(), [...expected].sort(), JSON.stringify(text));
  }
});

test('continuations: a --hash line belongs to the requirement above; a comment line ends a continuation', () => {
  const entries = parseRequirementsFile(`a==1 \\\n  --hash=sha256:${H('a')}\nb==2 \\\n# note\nc==3\n`);
  assert.deepEqual(entries.map((e) => [e.kind, e.start, e.end]), [['requirement', 1, 2], ['requirement', 3, 4], ['requirement', 5, 5]]);
});

test('only entries with an added line are judged', () => {
  const entries = parseRequirementsFile('flask\nrequests>=2\ndjango==5.0\n');
  const findings = judgeRequirements(entries, { touched: (s, e) => s <= 3 && e >= 3, lookAlike: () => null });
  assert.deepEqual(findings, []);
  const second = judgeRequirements(entries, { touched: (s, e) => s <= 2 && e >= 2, lookAlike: () => null });
  assert.deepEqual(second.map((f) => [f.rule.id, f.line]), [['requirement.unpinned', 2]]);
  assert.match(second[0].message, /requests==<version>/);
  assert.match(second[0].message, /pip-compile --generate-hashes/);
  assert.match(second[0].message, /uv pip compile --generate-hashes/);
});

test('credentials in index URLs never reach a message', () => {
  const password = ['s3', 'cr', 'et', 'pw'].join('');
  const findings = judgeRequirements(parseRequirementsFile(`--extra-index-url https://user:${password}@pypi.example/simple\n--bogus https://user:${password}@x/\n`), {
    touched: () => true,
    lookAlike: () => null,
  });
  assert.equal(findings.length, 2);
  for (const f of findings) assert.ok(!f.message.includes(password), f.message);
});

test('look-alike: edit distance with swaps, no short names, listed names pass', () => {
  assert.equal(editDistance('reqeusts', 'requests', 2), 1);
  assert.equal(editDistance('abc', 'xyzabc', 2), 3);
  const top = bundledTopPackages();
  assert.ok(top, 'the bundled ranking is found');
  assert.equal(lookAlikeOf('requests', top), null);
  assert.equal(lookAlikeOf('six', top), null);
  assert.equal(lookAlikeOf('numpyy', top), 'numpy');
  assert.equal(lookAlikeOf('numpyy', top, ['numpyy']), null);
});

test('the data file is found by walking up from a module, as from dist/chunks', () => {
  assert.equal(findDataFile('pypi-top-packages.tsv', join(ROOT, 'dist', 'chunks', 'x.mjs'), {}), join(ROOT, 'data', 'pypi-top-packages.tsv'));
  assert.equal(findDataFile('pypi-top-packages.tsv', '/nowhere/at/all.mjs', {}), null);
});

test('look-alike signals at their edges: skeletons keep first and last letters, separators and digits; protected names only with the list', () => {
  assert.equal(skeleton('ethereum'), 'ethr.m');
  assert.equal(skeleton('etheruim'), skeleton('ethereum'));
  assert.notEqual(skeleton('json-pointer'), skeleton('jsonpointer'));
  assert.notEqual(skeleton('mistralai'), skeleton('mistral'));
  const ranking = '1\tnumpy\n2\tselenium\n3\ttensorflow\n4\tdjango\n5\tbabel\n';
  const bare = parseTopPackages(ranking, []);
  const guarded = parseTopPackages(ranking, ['opensea']);
  assert.equal(lookAlikeOf('opnsea', bare), null);
  assert.equal(lookAlikeOf('opnsea', guarded), 'opensea');
  assert.equal(lookAlikeOf('opensea', guarded), null);
  assert.equal(lookAlikeOf('numpy-selenium', bare), 'numpy');
  assert.equal(lookAlikeOf('tensorflow-numpy', bare), 'tensorflow');
  // Few listed names begin with `django-` in this ranking: joined; in the bundled one it is a plugin namespace.
  assert.equal(lookAlikeOf('django-babel', bare), 'django');
  assert.equal(lookAlikeOf('django-babel', bundledTopPackages()!), null);
  assert.equal(lookAlikeOf('tensorflow-numpyy', bare), 'numpy');
  assert.equal(lookAlikeOf('tansurflow', bare), 'tensorflow');
});
