// What an inline `gitward:allow NAME` comment allows (engine/suppress.ts): only the rules its names
// pick, by id, category or id prefix, as `gitward rules NAME` and `[rules]` read names. Before, an
// undotted name that was not the finding's own category was dropped as reason text, so the
// deserialization rule's own advice (`# gitward:allow deserialization`) allowed a token on its line.
// Each case through a real `git commit` with the hook, and the server's door through a real push.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { Repo } from './helpers/git.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';
import fc from 'fast-check';
import { editDistance, withinEdits } from '../src/engine/did-you-mean.ts';

const githubPat = () => withBase62Checksum(join('gh', 'p_'), fake.alnum(30));

/** The staged change's JSON report, then a real `git commit` of it through the hook. */
function committing(files: Record<string, string>) {
  const r = Repo.init().installPreCommitHook();
  const { json } = r.stageAndScan(files);
  const run = r.commit({}, 'change');
  return { r, run, json, found: json.findings.map((f) => `${f.rule}:${f.line}`) };
}

test('a family prefix (the rule docs\' own advice) allows that family only: a token on the line still blocks', () => {
  const pat = githubPat();
  const { r, run, found } = committing({
    'load.py': `import pickle\nx = pickle.loads(b); t = "${pat}"  # gitward:allow deserialization: our own cache\n`,
  });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['secret.github-pat:2']);
  assert.match(run.output, /the gitward:allow comment here names deserialization, not this rule: add secret\.github-pat \(or secret\) to it/);
  assert.doesNotMatch(run.output, new RegExp(pat), 'the token is never printed');
  assert.equal(r.git(['rev-list', '--all', '--count']).stdout.trim(), '0', 'nothing was committed');
  // SARIF carries the same line in the result's properties (JSON's finding keys are a fixed contract).
  const sarif = JSON.parse(r.gitward(['scan', '--staged', '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; properties: { details?: string[] } }[] }[] };
  const [result] = sarif.runs[0]!.results;
  assert.equal(result!.ruleId, 'secret.github-pat');
  assert.match(result!.properties.details?.join('\n') ?? '', /names deserialization, not this rule/);
});

test('a category name allows that category only, whichever rule is on the line', () => {
  const { run, found, json } = committing({
    'load.py': `import pickle\nx = pickle.loads(b); t = "${githubPat()}"  # gitward:allow unsafe-deserialization\ny = pickle.loads(b); u = "${githubPat()}"  # gitward:allow secret\n`,
  });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['secret.github-pat:2', 'deserialization.pickle:3']);
  assert.equal(json.stats.suppressed, 2);
});

test('names and reason words mix; several names, a comma list and the line before all work', () => {
  const { run, found, json } = committing({
    'load.py':
      `import pickle\n` +
      `x = pickle.loads(b); t = "${githubPat()}"  # gitward:allow deserialization, secret.github-pat fixture\n` +
      `# gitward:allow-next-line deserialization secret\n` +
      `y = pickle.loads(b); u = "${githubPat()}"\n` +
      `z = pickle.loads(b)  # gitward:allow test fixture written by us\n`,
  });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(found, []);
  assert.equal(json.stats.suppressed, 5);
});

test('a mistyped id allows nothing, and the finding says which name to use without repeating the word', () => {
  const { run, found } = committing({ 'load.py': `import pickle\nx = pickle.loads(b)  # gitward:allow deserialization.pickel\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['deserialization.pickle:2']);
  assert.match(run.output, /names no rule that exists: add deserialization\.pickle \(or deserialization\) to it to allow this finding; one name in it is no rule \(did you mean "deserialization\.pickle"\?\)/);
  assert.doesNotMatch(run.output, /pickel/, 'a word that is no rule is not repeated (it could be a secret)');
});

test('however a name is written: punctuation around it, capitals, a full stop, British spelling, a plural, a no-break space', () => {
  const pat = () => githubPat();
  const lines = [
    `a = pickle.loads(b); t = "${pat()}"  # gitward:allow: deserialization`,
    `b = pickle.loads(b); t = "${pat()}"  # gitward:allow (Deserialization) our cache`,
    `c = pickle.loads(b); t = "${pat()}"  # gitward:allow deserialization.`,
    `d = pickle.loads(b); t = "${pat()}"  # gitward:allow deserialisation, our own`,
    `e = pickle.loads(b); t = "${pat()}"  # gitward:allow\u00a0deserialization`,
    `f = pickle.loads(b); t = "${pat()}"  # gitward:allow="deserialization"`,
    `g = pickle.loads(b); t = "${pat()}"  # gitward:allow-next-line deserialization`,
  ];
  const { run, found } = committing({ 'load.py': `import pickle\n${lines.join('\n')}\n`, 'requirements.txt': 'flask  # gitward:allow requirements.unpinned\n' });
  assert.equal(run.code, 1, run.output);
  // Every token blocks; every call is allowed but the last, whose comment speaks of the line after it.
  assert.deepEqual(found, [...lines.map((_, i) => `secret.github-pat:${i + 2}`), 'deserialization.pickle:8']);
});

test('reason words stay reason words: a comment without a rule name allows every rule on its line', () => {
  // File names, versions, abbreviations and domains with dots are words, not ids.
  const { run, found, json } = committing({
    'load.py': ['import pickle', `y = pickle.loads(b); t = "${githubPat()}"  # gitward:allow fixture from setup.py, e.g. v1.2 of example.com`, ''].join('\n'),
    'requirements.txt': `flask  # gitward:allow requirement loose on purpose\n`,
  });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(found, []);
  assert.equal(json.stats.suppressed, 3);
  // A plural of a category names it: the call beside "secrets" is not allowed by it.
  const plural = committing({ 'load.py': `import pickle\nx = pickle.loads(b)  # gitward:allow secrets are fake\n` });
  assert.deepEqual(plural.found, ['deserialization.pickle:2']);
});

test('a module\'s name names its rule: "pickle", "yaml.load", "numpy arrays" allow those calls and not a token beside them', () => {
  const lines = [
    `x = pickle.loads(b); t = "${githubPat()}"  # gitward:allow trusted pickle from our own cache`,
    `y = yaml.load(s); t = "${githubPat()}"  # gitward:allow yaml.load of our config`,
    `z = np.load(p, allow_pickle=True); t = "${githubPat()}"  # gitward:allow numpy arrays we wrote`,
    `w = pickle.loads(b)  # gitward:allow yaml only`,
  ];
  const { run, found } = committing({ 'load.py': `import pickle, yaml, numpy as np\n${lines.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['secret.github-pat:2', 'secret.github-pat:3', 'secret.github-pat:4', 'deserialization.pickle:5']);
  assert.match(run.output, /names yaml, not this rule: add deserialization\.pickle \(or deserialization\)/);
});

test('names as people write them: an id without its prefix, hyphens for dots or underscores, a linter\'s code', () => {
  const lines = [
    `a = pickle.loads(b); t = "${githubPat()}"  # gitward:allow github-pat`,
    `b = pickle.loads(b); t = "${githubPat()}"  # gitward:allow B301`,
    `c = pickle.loads(b); t = "${githubPat()}"  # gitward:allow unsafe_deserialization`,
    `d = pickle.loads(b); t = "${githubPat()}"  # gitward:allow deserialization-pickle`,
    `e = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secret-github-pat`,
    `f = pickle.loads(b); t = "${githubPat()}"  # gitward:allow unsafe-deserialization.pickle`,
    `g = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secret-github-token`,
  ];
  const { found } = committing({ 'load.py': `import pickle\n${lines.join('\n')}\n` });
  // Each names one of the two (the last a mistyped id under a category: it allows nothing).
  // (and a hyphenated name under a prefix that is no alias, a mistyped id too).
  assert.deepEqual(found, ['secret.github-pat:3', 'secret.github-pat:4', 'secret.github-pat:5', 'secret.github-pat:7', 'secret.github-pat:8', 'deserialization.pickle:2', 'deserialization.pickle:6', 'deserialization.pickle:7', 'deserialization.pickle:8']);
});

test('a mistyped id in any spelling allows nothing: a full stop after it, an underscore, a plural prefix', () => {
  const lines = [
    `a = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secret.github-pat.`,
    `b = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secret.github_pat`,
    `c = pickle.loads(b); t = "${githubPat()}"  # gitward:allow deserialization.pickle_loads`,
    `d = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secrets.github-pat...!`,
  ];
  const { found } = committing({ 'load.py': `import pickle\n${lines.join('\n')}\n` });
  // The first and last name the token (a full stop, a plural): the call blocks; the middle two name no rule: both block.
  assert.deepEqual(found, ['secret.github-pat:3', 'secret.github-pat:4', 'deserialization.pickle:2', 'deserialization.pickle:3', 'deserialization.pickle:4', 'deserialization.pickle:5']);
});

test('a typo in an id\'s prefix is a mistyped id, not a reason word that would allow every rule on the line', () => {
  const lines = [
    `a = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secert.github-pat`,
    `b = pickle.loads(b); t = "${githubPat()}"  # gitward:allow Sercet.github-pat fixture`,
    `c = pickle.loads(b)  # gitward:allow desrialization.pickle`,
    `d = pickle.loads(b); t = "${githubPat()}"  # gitward:allow sensitive_file.keystore`,
    `e = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secert-github-pat`,
    `f = pickle.loads(b); t = "${githubPat()}"  # gitward:allow secert`,
    `g = pickle.loads(b); t = "${githubPat()}"  # gitward:allow unsafe-deserializaton, secrett.github-pat`,
    `h = pickle.loads(b)  # gitward:allow secret..github-pat`,
  ];
  const { run, found } = committing({ 'load.py': `import pickle\n${lines.join('\n')}\n`, 'requirements.txt': 'flask  # gitward:allow requirment.unpinned\n' });
  assert.equal(run.code, 1, run.output);
  // Nothing is allowed: the fourth line names an id (underscores for its prefix's hyphen) of neither finding.
  assert.deepEqual(found, ['secret.github-pat:2', 'secret.github-pat:3', 'secret.github-pat:5', 'secret.github-pat:6', 'secret.github-pat:7', 'secret.github-pat:8', 'deserialization.pickle:2', 'deserialization.pickle:3', 'deserialization.pickle:4', 'deserialization.pickle:5', 'deserialization.pickle:6', 'deserialization.pickle:7', 'deserialization.pickle:8', 'deserialization.pickle:9', 'requirement.unpinned:1']);
  assert.match(run.output, /one name in it is no rule \(did you mean "secret\.github-pat"/);
  assert.match(run.output, /did you mean "deserialization\.pickle"\?/);
  assert.match(run.output, /did you mean "requirement\.unpinned"\?/);
  assert.doesNotMatch(run.output, /secert|sercet|desrialization|requirment/i, 'the mistyped word is not repeated');
  // Look-alikes stay reason words: Python's own names one edit from a prefix, or two from a short one.
  const reasons = committing({ 'load.py': `import pickle\nx = pickle.loads(b)  # gitward:allow written by pickler.dump, socket.socket and serialization.load from secrets-manager; pickle_file.read is our cache\n` });
  assert.equal(reasons.run.code, 0, reasons.run.output);
  assert.deepEqual(reasons.found, []);
});

test('a typo in an id\'s words without its prefix (`githb-pat`) names no rule, so it allows nothing', () => {
  const lines = [
    `a = pickle.loads(b); t = "${githubPat()}"  # gitward:allow githb-pat`,
    `b = pickle.loads(b); t = "${githubPat()}"  # gitward:allow github-pta: a fixture`,
    `c = pickle.loads(b); t = "${githubPat()}"  # gitward:allow gihtub-pats`,
    `d = pickle.loads(b)  # gitward:allow aws-acess-key-id`,
  ];
  const { run, found } = committing({ 'load.py': `import pickle\n${lines.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['secret.github-pat:2', 'secret.github-pat:3', 'secret.github-pat:4', 'deserialization.pickle:2', 'deserialization.pickle:3', 'deserialization.pickle:4', 'deserialization.pickle:5']);
  assert.match(run.output, /names no rule that exists: add secret\.github-pat \(or secret\) to it to allow this finding; one name in it is no rule \(did you mean "secret\.github-pat"/);
  assert.match(run.output, /did you mean "secret\.aws-access-key-id"\?/);
  assert.doesNotMatch(run.output, /githb|pta|gihtub|acess/i, 'the mistyped word is not repeated');
  // Hyphenated reason words stay reason words: a header's name two edits from an alias, the alias
  // with more after it, a Python name, everyday words.
  const reasons = committing({ 'load.py': `import pickle\nx = pickle.loads(b)  # gitward:allow x-api-key header, github-pat-like fixture, githb_pat built-in read-only third-party\n` });
  assert.equal(reasons.run.code, 0, reasons.run.output);
  assert.deepEqual(reasons.found, []);
});

test('a typo in a rule\'s own word (`pyyml`, `jobilb`) names no rule, so it allows nothing; the word with more after it is a reason word', () => {
  const lines = [
    `a = yaml.load(s); t = "${githubPat()}"  # gitward:allow pyyml`,
    `b = joblib.load(p); t = "${githubPat()}"  # gitward:allow jobilb cache`,
    'c = pickle.loads(b)  # gitward:allow picke',
  ];
  const { run, found } = committing({ 'load.py': `import pickle, yaml, joblib\n${lines.join('\n')}\n` });
  assert.equal(run.code, 1, run.output);
  assert.deepEqual(found, ['secret.github-pat:2', 'secret.github-pat:3', 'deserialization.yaml:2', 'deserialization.pickle:3', 'deserialization.pickle:4']);
  assert.match(run.output, /one name in it is no rule \(did you mean "pyyaml"\?\)/);
  assert.doesNotMatch(run.output, /pyyml|jobilb|picke\b/, 'the mistyped word is not repeated');
  // Reason words: a rule's word with more after it, a word of five letters one edit from `torch`.
  const reasons = committing({ 'load.py': 'import pickle\nx = pickle.loads(b)  # gitward:allow pickled by our own marshall step, do not touch\n' });
  assert.equal(reasons.run.code, 0, reasons.run.output);
  assert.deepEqual(reasons.found, []);
});

test('withinEdits (the typo checks of prefixes and aliases, without a table) says what the edit distance says', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 9 });
  fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => withinEdits(a, b, max) === editDistance(a, b, max) <= max), { numRuns: 40000 });
  assert.equal(withinEdits('secert', 'secret', 1), true);
  assert.equal(withinEdits('socket', 'secret', 1), false);
  assert.equal(withinEdits('gihtub-pta', 'github-pat', 2), true);
  assert.equal(withinEdits('gihtub-pta', 'github-pat', 1), false);
});

test('a custom rule is named by its id, also in hyphens; "custom" alone or before other words is a reason word', () => {
  const config = `[[custom-rules]]\nid = "custom.acme-key"\ntitle = "ACME key"\nregex = '''(?<secret>acme_[a-z0-9]{20})'''\nkeywords = ["acme_"]\n`;
  const key = `${'acme'}_${fake.lower(20)}`;
  const { run, found } = committing({
    '.gitward.toml': config,
    'a.py': `import pickle\nA = "${key}"  # gitward:allow custom.acme-key\nB = "${key}"; pickle.loads(b)  # gitward:allow custom key\nC = "${key}"  # gitward:allow custom.acme-kye\nD = "${key}"; pickle.loads(b)  # gitward:allow custom-built fixture\nE = "${key}"; pickle.loads(b)  # gitward:allow custom-acme-key\n`,
  });
  assert.equal(run.code, 1, run.output);
  // `custom-built` is a reason word (allows all on line 5); `custom-acme-key` names the custom id only (line 6's call blocks).
  assert.deepEqual(found, ['custom.acme-key:4', 'deserialization.pickle:6']);
  assert.match(run.output, /one name in it is no rule \(did you mean "custom\.acme-key"\?\)/);
});

test('the server reads allow comments the same: a push with a token beside a deserialization allow is refused', () => {
  const r = Repo.init();
  const bare = Repo.init({ bare: true, env: r.env }).installPreReceiveHook();
  r.commitUnchecked({ 'load.py': `import pickle\nx = pickle.loads(b)  # gitward:allow deserialization\n` }, 'allowed');
  assert.equal(r.git(['push', '-q', '--no-verify', bare.dir, 'main']).code, 0, 'the allowed call passes');
  r.commitUnchecked({ 'load.py': `import pickle\nx = pickle.loads(b); t = "${githubPat()}"  # gitward:allow deserialization\n` }, 'token');
  const push = r.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.stderr);
  assert.match(push.stderr, /secret\.github-pat/);
  assert.doesNotMatch(push.stderr, /deserialization\.pickle {2}load\.py/);
  assert.match(push.stderr, /names deserialization, not this rule/);
});

test('security linters\' markers: bandit\'s # nosec and ruff\'s # noqa: S301 allow the deserialization checks they share, nothing else', () => {
  const { run, found, json } = committing({
    'load.py': [
      'import pickle, marshal, yaml, joblib, numpy as np',
      'a = pickle.loads(b)  # nosec',
      'b = pickle.loads(b)  # nosec B301',
      'c = marshal.loads(b)  # noqa: E501, S302',
      'd = yaml.load(s)  # nosec: B506',
      'e = pickle.loads(b)  # nosec B608',
      'f = pickle.loads(b)  # noqa',
      'g = np.load(p, allow_pickle=True)  # nosec',
      `h = "${githubPat()}"  # nosec`,
      'i = pickle.loads(b)  # pragma: allowlist secret',
      'j = pickle.loads(b)  # nosec pickle',
      'k = pickle.loads(b)  # NOQA: s301',
      'l = pickle.loads(b); s = "see # nosec"',
      'm = pickle.loads(b)  # nosec hardcoded_tmp_directory',
      'n = joblib.load(p)  # nosec',
      '',
    ].join('\n'),
  });
  assert.equal(run.code, 1, run.output);
  // Another bandit test, a bare noqa, a check bandit has not (numpy), a token, detect-secrets' marker
  // on a call, a marker in a string, another bandit test by name, a call bandit does not check (joblib).
  assert.deepEqual(found, [
    'secret.github-pat:9',
    'deserialization.pickle:6',
    'deserialization.pickle:7',
    'deserialization.numpy:8',
    'deserialization.pickle:10',
    'deserialization.pickle:13',
    'deserialization.pickle:14',
    'deserialization.pickle:15',
  ]);
  assert.equal(json.stats.suppressed, 6);
});

test('the server honours the linters\' markers as the hook does, and not when it turns inline allows off', () => {
  const r = Repo.init();
  const bare = Repo.init({ bare: true, env: r.env }).installPreReceiveHook();
  r.commitUnchecked({ 'load.py': 'import pickle\nx = pickle.loads(b)  # nosec B301\n' }, 'reviewed with bandit');
  const push = r.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.equal(push.code, 0, push.output);
  assert.match(push.stderr, /# nosec B301/, 'the push lists the allow it used');
  writeFileSync(joinPath(bare.dir, 'gitward.toml'), 'inline-allow = false\n');
  r.commitUnchecked({ 'more.py': 'import pickle\ny = pickle.loads(b)  # nosec\n' }, 'more');
  const refused = r.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(refused.code, 0, refused.output);
  assert.match(refused.stderr, /deserialization\.pickle/);
});
