import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from './helpers/git.ts';
import { fake, join as joinPieces } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

/** An in-house token format no built-in rule knows: `acme_live_` and 24 letters and digits. */
const acmeToken = () => joinPieces('acme', '_live_', fake.alnum(24));
const ACME_REGEX = String.raw`(?<![\w])(?<secret>acme_live_[A-Za-z0-9]{24})(?![\w])`;

/** TOML literal strings hold the regex as it is; basic strings the example lines. */
function acmeRule(options: { examples?: string[]; negatives?: string[]; extra?: string; id?: string } = {}): string {
  const list = (lines: string[]) => `[${lines.map((l) => JSON.stringify(l)).join(', ')}]`;
  return [
    '[[custom-rules]]',
    `id = "${options.id ?? 'custom.acme-live-key'}"`,
    'title = "ACME live API key"',
    `regex = '${ACME_REGEX}'`,
    'keywords = ["acme_live_"]',
    'min-entropy = 3.0',
    // The examples are themselves what the rule catches: the line allows them, as the docs say.
    `examples = ${list(options.examples ?? [`ACME_KEY = "${acmeToken()}"`])}  # gitward:allow custom.acme-live-key`,
    `negatives = ${list(options.negatives ?? ['ACME_KEY = "acme_live_<your key>"', `acme_live_${'x'.repeat(24)}`])}`,
    options.extra ?? '',
    '',
  ].join('\n');
}

function withHook(): Repo {
  return Repo.init().installPreCommitHook();
}

test('a custom rule in .gitward.toml blocks a git commit through the hook; its look-alikes and other paths pass; the value is never printed', () => {
  const repo = withHook();
  // The config itself commits through the hook: its example line carries the allow comment.
  const setup = repo.commit({ '.gitward.toml': acmeRule({ extra: 'paths = ["src/**", "config/*.toml"]' }) }, 'add the rule');
  assert.equal(setup.code, 0, setup.output);
  const token = acmeToken();
  const refused = repo.commit({ 'src/settings.py': `ACME = "${token}"\n` });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /custom\.acme-live-key {2}src\/settings\.py:1/);
  assert.match(refused.output, /ACME live API key: acme…\(34 chars\)/);
  assert.ok(!refused.output.includes(token), 'the token is never printed');
  assert.equal(repo.git(['rev-list', '--count', 'HEAD']).stdout.trim(), '1', 'nothing was committed');
  repo.git(['reset', '-q']);

  // A placeholder, a low-entropy filler and the same token outside the rule's paths pass.
  const clean = repo.commit({ 'src/settings.py': 'ACME_KEY = "acme_live_<your key>"\nfiller = "acme_live_aaaaaaaaaaaaaaaaaaaaaaaa"\n', 'docs/setup.md': `The key looks like ${token} in the dashboard.\n` });
  assert.equal(clean.code, 0, clean.output);

  // [rules] levels apply by id: warn lets the commit through with the finding shown.
  repo.write({ '.gitward.toml': `${acmeRule()}\n[rules]\n"custom.acme-live-key" = "warn"\n` });
  const warned = repo.commit({ 'config/app.toml': `acme = "${acmeToken()}"\n` });
  assert.equal(warned.code, 0, warned.output);
  assert.match(warned.output, /warnings — 0 blocking findings, 1 warning/);
});

test('a custom rule in [tool.gitward] of pyproject.toml blocks a git commit; an inline allow comment lets one through', () => {
  const repo = withHook();
  const rule = acmeRule().replace('[[custom-rules]]', '[[tool.gitward.custom-rules]]');
  repo.commitUnchecked({ 'pyproject.toml': `[project]\nname = "app"\n\n${rule}` });
  const token = acmeToken();
  const refused = repo.commit({ 'app/client.py': `ACME = "${token}"\n` });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /custom\.acme-live-key {2}app\/client\.py:1/);
  assert.ok(!refused.output.includes(token));
  const allowed = repo.commit({ 'app/client.py': `ACME = "${token}"  # gitward:allow custom.acme-live-key\n` });
  assert.equal(allowed.code, 0, allowed.output);
});

test('gitward rules --check: 0 when every example matches and no negative does; 1 naming each mismatch, never its value', () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': acmeRule() });
  const ok = repo.gitward(['rules', '--check']);
  assert.equal(ok.code, 0, ok.output);
  assert.match(ok.stdout, /ok {4}custom\.acme-live-key: 1 example, 2 negatives/);

  const missed = acmeToken().slice(0, -3); // too short for the format
  const caught = acmeToken();
  repo.write({ '.gitward.toml': acmeRule({ examples: [`KEY = "${acmeToken()}"`, `KEY = "${missed}"`], negatives: ['acme_live_', `see ${caught}`] }) });
  const bad = repo.gitward(['rules', '--check']);
  assert.equal(bad.code, 1, bad.output);
  assert.match(bad.stdout, /FAIL {2}custom\.acme-live-key/);
  assert.match(bad.stdout, /example 2 \(.*\) gives no finding/);
  assert.match(bad.stdout, /negative 2 \(.*\) gives a finding/);
  assert.doesNotMatch(bad.stdout, /example 1|negative 1/);
  assert.ok(!bad.output.includes(missed) && !bad.output.includes(caught), 'no example or negative is printed');

  // A built-in rule that claims the same span first is a mismatch too: the custom rule would never report.
  const pat = withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));
  repo.write({ '.gitward.toml': acmeRule({ examples: [`T = "${pat}"`], negatives: [] }).replace(ACME_REGEX, String.raw`(?<secret>ghp_[A-Za-z0-9]{36})`).replace('"acme_live_"', '"ghp_"') });
  const shadowed = repo.gitward(['rules', '--check']);
  assert.equal(shadowed.code, 1, shadowed.output);

  const explicit = repo.gitward(['rules', '--check', '--config', join(repo.dir, 'none.toml')]);
  assert.equal(explicit.code, 2, 'a config named on the command line must exist');
  repo.write({ '.gitward.toml': 'exclude = []\n' });
  const none = repo.gitward(['rules', '--check']);
  assert.equal(none.code, 0, none.output);
  assert.match(none.stdout, /no \[\[custom-rules\]\] in \.gitward\.toml/);
});

test('an unsafe or malformed custom rule is a config error: exit 2 naming the rule and the reason', () => {
  const repo = Repo.init();
  repo.write({ 'a.txt': 'hello\n' });
  repo.git(['add', '-A']);
  const cases: [string, string, RegExp][] = [
    ['nested repetition', acmeRule().replace(ACME_REGEX, String.raw`(?<secret>(?:acme_[a-z]{1,9}){1,30})`), /custom rule "custom\.acme-live-key": "regex" is not linear-time safe: nested repetition/],
    ['unbounded repetition', acmeRule().replace(ACME_REGEX, String.raw`(?<secret>acme_live_\w+)`), /"regex" is not linear-time safe: unbounded repetition "\\w\+"/],
    ['overlapping alternation', acmeRule().replace(ACME_REGEX, String.raw`(?<secret>(?:ab|ac){1,40})`), /ambiguous alternation under a repetition/],
    ['backreference', acmeRule().replace(ACME_REGEX, String.raw`(?<q>[:=])(?<secret>acme_live_[a-z]{24})\k<q>`), /backreference/],
    ['lookahead with a repetition', acmeRule().replace(ACME_REGEX, String.raw`(?<secret>acme_live_(?=[a-z]{1,30}!)[a-z]{24})`), /lookaround with a repetition/],
    ['no secret group', acmeRule().replace(ACME_REGEX, 'acme_live_[A-Za-z0-9]{24}'), /must hold a named group \(\?<secret>/],
    ['invalid regex', acmeRule().replace(ACME_REGEX, '(?<secret>acme_live_[A-Z'), /"regex" is not a valid regular expression/],
    ['missing keywords', acmeRule().replace('keywords = ["acme_live_"]\n', ''), /"keywords" is required/],
    ['empty keywords', acmeRule().replace('keywords = ["acme_live_"]', 'keywords = []'), /"keywords" must list at least one word/],
    ['bad severity', acmeRule({ extra: 'severity = "fatal"' }), /"severity" must be "block" or "warn"/],
    ['unknown key', acmeRule({ extra: 'entropy = 3' }), /unknown key "entropy" in the rule/],
    ['id without custom.', acmeRule({ id: 'acme-key' }), /custom rule "acme-key": "id" must start with "custom\."/],
    ['duplicate id', acmeRule() + acmeRule(), /the id is used by another custom rule/],
    ['not an array', 'custom-rules = "x"\n', /"custom-rules" must be an array of tables/],
  ];
  for (const [name, config, reason] of cases) {
    writeFileSync(join(repo.dir, '.gitward.toml'), config);
    const run = repo.gitward(['scan']);
    assert.equal(run.code, 2, `${name}: ${run.output}`);
    assert.match(run.stderr, /config \.gitward\.toml: /, name);
    assert.match(run.stderr, reason, name);
    assert.equal(run.stderr.trim().split('\n').length, 2, `${name}: one line and its hint`);
  }
});

/** A bare repository with the pre-receive hook, a server config, and a client that pushes to it. */
function server(config: string): { bare: Repo; client: Repo } {
  const bare = Repo.init({ bare: true });
  bare.installPreReceiveHook();
  writeFileSync(join(bare.dir, 'gitward.toml'), config);
  const client = Repo.init({ env: bare.env });
  client.git(['remote', 'add', 'origin', bare.dir]);
  return { bare, client };
}

const push = (client: Repo) => client.git(['push', '--porcelain', 'origin', 'main'], { allowFail: true });

test('server: its own custom rules reject a push; a pushed config cannot turn them off or replace them, even when trusted', () => {
  const token = acmeToken();
  for (const trust of [false, true]) {
    const { client } = server(`${acmeRule()}\n[server]\ntrust-pushed-config = ${trust}\n`);
    client.commitUnchecked({
      '.gitward.toml': [
        // Same id, a regex that never matches; the level turned off by id and by category.
        acmeRule().replace(ACME_REGEX, '(?<secret>never_[0-9]{40})').replace('"acme_live_"', '"never_"'),
        '[rules]',
        '"custom.acme-live-key" = "off"',
        'secret = "off"',
      ].join('\n'),
      'svc/client.py': `ACME = "${token}"\n`,
    });
    const run = push(client);
    assert.notEqual(run.code, 0, `trust=${trust}: ${run.output}`);
    assert.match(run.output, /custom\.acme-live-key .*svc\/client\.py:1/, `trust=${trust}`);
    assert.ok(!run.output.includes(token));
  }
});

test('server: a pushed config adds a custom rule only where trust-pushed-config = true', () => {
  const files = () => ({ '.gitward.toml': acmeRule(), 'svc/client.py': `ACME = "${acmeToken()}"\n` });
  const untrusted = server('[server]\ntrust-pushed-config = false\n');
  untrusted.client.commitUnchecked(files());
  const passed = push(untrusted.client);
  assert.equal(passed.code, 0, `the server's policy has no such rule: ${passed.output}`);

  const trusted = server('[server]\ntrust-pushed-config = true\n');
  trusted.client.commitUnchecked(files());
  const rejected = push(trusted.client);
  assert.notEqual(rejected.code, 0, rejected.output);
  assert.match(rejected.output, /custom\.acme-live-key .*svc\/client\.py:1/);
});

test('a custom rule whose pattern may start without its prefix (an optional leading group) still finds values without it', () => {
  const repo = Repo.init();
  const config = [
    '[[custom-rules]]',
    'id = "custom.acme-key"',
    'title = "ACME key"',
    String.raw`regex = '(?<![\w])(?<pre>acme_)?(?<secret>[A-Za-z0-9]{32})(?![\w])'`,
    'keywords = ["acme"]',
    '',
  ].join('\n');
  repo.write({ '.gitward.toml': config, 'settings.txt': `acme key: ${fake.alnum(32)}\n` });
  repo.git(['add', 'settings.txt']);
  const run = repo.gitward(['scan', '--format', 'json']);
  assert.equal(run.code, 1, run.output);
  const report = JSON.parse(run.stdout) as { findings: { rule: string }[] };
  assert.deepEqual(report.findings.map((f) => f.rule), ['custom.acme-key']);
});
