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
