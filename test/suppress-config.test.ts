import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

const githubPat = () => withBase62Checksum(join('gh', 'p_'), fake.alnum(30));

test('inline gitward:allow and pragma: allowlist secret suppress the line', () => {
  const repo = Repo.init();
  const { run, json } = repo.stageAndScan({
    'a.py': `A = "${githubPat()}"  # gitward:allow\nB = "${githubPat()}"  # pragma: allowlist secret\nC = "${githubPat()}"  # gitward:allow secret.github-pat\n`,
  });
  assert.equal(run.code, 0, run.output);
  assert.equal(json.findings.length, 0);
  assert.equal(json.stats.suppressed, 3);
});

test('an allow comment naming another rule does not suppress', () => {
  const repo = Repo.init();
  const { run } = repo.stageAndScan({ 'a.py': `A = "${githubPat()}"  # gitward:allow requirement.unpinned\n` });
  assert.equal(run.code, 1);
});

test('config: exclude globs, allowed values, rules turned off or down to warn', () => {
  const repo = Repo.init();
  const allowed = githubPat();
  repo.write({
    '.gitward.toml': [
      'exclude = ["tests/fixtures/**"]',
      `allow-values = ["${allowed}"]`,
      '[rules]',
      '"env-file.committed" = "warn"',
      '"sensitive-file" = "off"',
      '',
    ].join('\n'),
  });
  const { run, json } = repo.stageAndScan({
    'tests/fixtures/tok.py': `T = "${githubPat()}"\n`,
    'src/a.py': `T = "${allowed}"\n`,
    '.env': 'A=1\n',
    '.netrc': 'machine x login y password z\n',
  });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(json.findings.map((f) => [f.rule, f.severity]), [['env-file.committed', 'warn']]);
});

test('[tool.gitward] in pyproject.toml is read', () => {
  const repo = Repo.init();
  repo.write({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.gitward]\nexclude = ["fixtures/**"]\n' });
  const { run } = repo.stageAndScan({ 'fixtures/t.py': `T = "${githubPat()}"\n` });
  assert.equal(run.code, 0, run.output);
});

test('a config that cannot be read is exit 2 naming the file and the problem', () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': 'exclude = [unclosed\n' });
  repo.git(['add', '-A']);
  const bad = repo.gitward(['scan']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\.gitward\.toml: not valid TOML/);
  repo.write({ '.gitward.toml': 'excludes = ["x"]\n' });
  const unknown = repo.gitward(['scan']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown key "excludes"/);
  repo.write({ '.gitward.toml': '[rules]\n"secret.github-pat" = "maybe"\n' });
  const badValue = repo.gitward(['scan']);
  assert.equal(badValue.code, 2);
  assert.match(badValue.stderr, /must be one of block, warn, off/);
  const missing = repo.gitward(['scan', '--config', 'nope.toml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.toml: does not exist/);
});

test('an allow comment selects rules by id, category or family; a mistyped name allows nothing and the finding says so', () => {
  const repo = Repo.init();
  const lines = [
    `A = "${githubPat()}"  # gitward:allow secret`, // category: allowed
    `B = "${githubPat()}"  # gitward:allow secrets in test fixtures`, // a plural names its group: allowed
    `C = "${githubPat()}"  # gitward:allow test fixture, not a real token`, // only a reason: allowed
    `D = "${githubPat()}"  # gitward:allow deserialization`, // another family: not allowed
    `E = "${githubPat()}"  # gitward:allow secet`, // mistyped: not allowed, said
    `F = "${githubPat()}"  # gitward:allow secret.github-pats`, // no such id: not allowed, said
    'import pickle',
    'x = pickle.loads(b)  # gitward:allow deserialization (our own cache)', // family: allowed
    'y = pickle.loads(b)  # gitward:allow deserialisation', // mistyped: not allowed, said
  ];
  const { run, json } = repo.stageAndScan({ 'a.py': `${lines.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(json.findings.map((f) => f.line), [4, 5, 6, 9]);
  assert.equal(json.stats.suppressed, 4);
  const text = repo.gitward(['scan', '--staged']).output;
  assert.match(text, /the allow comment on this line names `secet`, which is no rule, category or family \(did you mean `secret`\?\), so it allows nothing/);
  assert.match(text, /names `secret\.github-pats`, which is no rule's id \(did you mean `secret\.github-pat`/);
  assert.match(text, /names `deserialisation`, which is no rule, category or family \(did you mean `deserialization`/);
  assert.doesNotMatch(text, /a\.py:4[\s\S]*allows nothing[\s\S]*a\.py:5/, 'a correctly named other family is no mistake');
});
