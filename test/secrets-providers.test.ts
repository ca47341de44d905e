import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS } from '../src/rules/secrets/providers/index.ts';
import { scanLineForTest } from '../src/rules/secrets/detector.ts';
import { join, fake, fakeMore } from '../src/rules/secrets/fake.ts';

test('the provider table has at least 230 rules from at least 80 providers, with unique ids and keywords', () => {
  const ids = new Set(PROVIDERS.map((p) => p.id));
  assert.equal(ids.size, PROVIDERS.length);
  assert.ok(PROVIDERS.length >= 230, `only ${PROVIDERS.length} provider rules`);
  const providers = new Set(PROVIDERS.map((p) => p.id.replace(/^secret\./, '').split('-')[0]));
  assert.ok(providers.size >= 80, `only ${providers.size} providers`);
  for (const p of PROVIDERS) {
    assert.match(p.id, /^secret\.[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(p.keywords.length > 0 && p.keywords.every((k) => k === k.toLowerCase()), `${p.id} keywords must be lower-case`);
    assert.ok(p.positives.length > 0 && p.negatives.length > 0, `${p.id} needs examples`);
    // Patterns are kept as text and compiled on first use, once.
    assert.ok(p.pattern === p.pattern && p.pattern.source === new RegExp(p.source, p.flags).source && p.pattern.flags === p.flags, `${p.id} pattern`);
  }
});

for (const p of PROVIDERS) {
  test(`${p.id}: generated positives are found by this rule, negatives are not`, () => {
    for (let round = 0; round < 5; round++) {
      for (const make of p.positives) {
        const line = make();
        const ids = scanLineForTest(line).map((f) => f.rule.id);
        assert.ok(ids.includes(p.id), `${p.id} missed a positive ${process.env.GW_DEBUG ? line : ""} of shape ${JSON.stringify(line.replace(/[a-z]/g, 'a').replace(/[A-Z]/g, 'A').replace(/[0-9]/g, '0'))} (found: ${ids.join(', ') || 'nothing'})`);
      }
    }
    for (const line of p.negatives) {
      const ids = scanLineForTest(line).map((f) => f.rule.id);
      assert.ok(!ids.includes(p.id), `${p.id} matched its negative ${JSON.stringify(line)}`);
    }
  });
}

test('generic assignments: real-looking literals are found, placeholders and references are not', () => {
  const secret = () => join(fake.alnum(12), fake.base64url(20));
  const found = [
    ['settings.py', `SECRET_KEY = "${secret()}"`],
    ['config.yaml', `  password: ${join('P@ss', 'w0rd!2024', 'xyz')}`],
    ['app.json', `  "client_secret": "${secret()}",`],
    ['deploy.sh', `export API_TOKEN=${secret()}`],
    ['Dockerfile', `ENV DB_PASSWORD ${join('Tr0ub4', 'dor&3x')}`],
    ['app.ini', `db_password = ${join('Kx9', '#mQ2v!', 'Lp')}`],
    // Pinecone, Heroku and others issue UUIDs as API keys: under a key's name a UUID is one.
    ['app.py', `pinecone_api_key: str = "${fakeMore.uuid()}"`],
  ];
  for (const [path, line] of found) {
    assert.ok(scanLineForTest(line!, path).some((f) => f.rule.id === 'secret.generic-assignment' && f.severity !== 'warn'), `${path}: ${line}`);
  }
  const notFound = [
    ['settings.py', 'SECRET_KEY = os.environ["SECRET_KEY"]'],
    ['settings.py', 'SECRET_KEY = os.getenv("SECRET_KEY", "")'],
    ['config.yaml', '  password: ${DB_PASSWORD}'],
    ['config.yaml', '  password: changeme'],
    ['config.yaml', '  password: "{{ vault_db_password }}"'],
    ['.env.example', 'API_KEY=<your-api-key>'],
    ['.env.example', 'API_KEY=xxxxxxxxxxxxxxxx'],
    ['app.py', 'password = get_password()'],
    ['app.py', 'token = request.headers["Authorization"]'],
    ['app.ini', 'password_file = /run/secrets/db_password'],
    ['app.py', `api_key_id = "${join('f47ac10b', '-58cc-4372-a567-0e02b2c3d479')}"`],
    ['app.py', `api_key = "${join('00000000', '-0000-0000-0000-000000000000')}"`],
    ['app.py', `request_id = "${join('f47ac10b', '-58cc-4372-a567-0e02b2c3d479')}"`],
    ['app.py', 'max_tokens = 4096'],
    ['app.py', 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")'],
    ['conf.yaml', '  password: postgres'],
    ['app.py', 'auth_url = "https://login.example.com/oauth/token"'],
  ];
  for (const [path, line] of notFound) {
    const hits = scanLineForTest(line!, path).filter((f) => f.rule.id === 'secret.generic-assignment');
    assert.equal(hits.length, 0, `${path}: ${line}`);
  }
});

test('URL credentials: passwords are found, placeholders are not', () => {
  const pass = () => join(fake.alnum(8), '9x');
  for (const scheme of ['postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'https']) {
    const hits = scanLineForTest(`url = "${scheme}://app:${pass()}@db.internal.corp:5432/app"`);
    assert.ok(hits.some((f) => f.rule.id === 'secret.url-credentials'), scheme);
  }
  for (const line of [
    'url = "postgres://user:password@localhost/db"',
    'url = "postgres://user:${DB_PASS}@db/app"',
    'url = "postgres://user:<password>@db/app"',
    'url = "postgres://:@localhost/db"',
    'url = "https://github.com/org/repo.git"',
    'url = "postgres://postgres:postgres@localhost:5432/test"',
    // The placeholders an assignment's value may be are placeholders here too (httpx's tests), and a redaction mask.
    'url = "https://user:password123@example.org/"',
    'url = "https://tom%40example.org:abc123%40%20%25@example.org"',
    'shown = "URL(\'http://example-username:[secure]@example.org/\')"',
    'url = "postgres://app:[REDACTED]@db.internal.corp/app"',
    'url = "postgres://app:%DB_PASS%@db.internal.corp/app"',
    // WHATWG's URL vectors: passwords that decode to three characters or one emoji.
    'href = "http://:%3A%40c@d:2/"',
    'href = "http://foo:%F0%9F%92%A9@example.com/bar"',
  ]) {
    assert.equal(scanLineForTest(line).filter((f) => f.rule.id === 'secret.url-credentials').length, 0, line);
  }
  // Near them: a random password, percent-encoded or beside a bracket, is still one, and so is a
  // weak password with a placeholder's word on a real host (only example hosts hold placeholders).
  for (const line of [
    `url = "postgres://app:${join(fake.alnum(6), '%21', fake.alnum(6), '9x')}@db.internal.corp/app"`,
    `url = "postgres://app:${join('[', fake.alnum(10), '9x')}@db.internal.corp/app"`,
    // A password whose first character is escaped (`%21` is `!`), not a `%VAR%` template.
    `url = "postgres://app:${join('%21', fake.alnum(10), '9x')}@db.internal.corp/app"`,
    `url = "postgres://svc_app:${join('Pa' + 'ss', 'word2024!')}@db.prod.internal:5432/app"`,
    `url = "postgres://svc_app:${join('Summer', '12345!')}@db.prod.internal:5432/app"`,
    `url = "postgresql://u:${join('Xk9#mLq', '12345vB7zT')}@localhost:5433/prod"`,
  ]) {
    assert.equal(scanLineForTest(line).filter((f) => f.rule.id === 'secret.url-credentials').length, 1, line);
  }
});

test('a value that is mostly escapes is judged as what it encodes; a random password holding one is still one', () => {
  for (const line of ['{"password": "%60%7B%7D"}', '{"password": "%3Cpassword%3E"}', '"password": "abc123@ %",']) {
    assert.equal(scanLineForTest(line, 'tests/whatwg.json').filter((f) => f.rule.id === 'secret.generic-assignment').length, 0, line);
  }
  // `%7C` decodes to `|` (a "pattern"), `%2F` to a leading `/` (a "path"), `%20` to a space: not when the escape is one character among many.
  for (const escape of ['%24', '%7C', '%2F', '%20']) {
    const random = join(escape, fake.alnum(7), fake.alnum(7), '9Q');
    assert.equal(scanLineForTest(`{"password": "${random}"}`, 'config/app.json').filter((f) => f.rule.id === 'secret.generic-assignment').length, 1, random);
    assert.equal(scanLineForTest(`server.login("alerts@acme.example", "${random}")`, 'notify/mailer.py').length, 1, random);
  }
});

test('a value of escapes that do not decode (a broken UTF-8 sequence) is judged as written, without a crash', () => {
  // It crashed a --history of httpx (its URL parser test vectors): the undecodable text was decoded again and again.
  for (const value of ['%E0%A4%A%E0%A4%AE', '%C3%28%C3%28%C3%28', '%FF%FE%FD%FC']) {
    assert.doesNotThrow(() => scanLineForTest(`{"password": "${value}"}`, 'tests/vectors.json'), value);
  }
  const random = join('%E0%A4', fake.alnum(14), '9Q');
  assert.equal(scanLineForTest(`{"password": "${random}"}`, 'config/app.json').length, 1, random);
});

test('attribute pairs: the attribute that holds the value after one that names a credential', () => {
  const v = () => join(fake.alnum(10), fake.alnum(10), '7Qx');
  for (const line of [
    `<Property Id="DB_PASSWORD" Value="${v()}"/>`,
    `<Setting Name="StorageAccountKey" Value="${v()}"/>`,
    `<meta name="api-key" content="${v()}">`,
    `<input type="password" value="${v()}">`,
    `<TextInput label="Password" defaultValue="${v()}"/>`,
    `<entry key="db.password" val="${v()}"/>`,
    `<entry key="client_secret" data="${v()}"/>`,
    `<var name="SECRET_KEY" text="${v()}"/>`,
    `<Parameter Name="ApiKey" Text="${v()}"/>`,
    `<setting name="api_key" initialValue="${v()}"/>`,
    `<config name="password" newValue="${v()}"/>`,
  ]) {
    assert.equal(scanLineForTest(line, 'web/page.xml').filter((f) => (f.severity ?? f.rule.severity) === 'block').length, 1, line);
  }
  for (const line of [
    '<a href="#httpx-auth" class="md-nav__link">',
    '<a href="#api-token" title="md-nav__link--active">',
    `<input id="password" type="${v()}">`,
    // A password field's rules and hints are no password.
    '<input type="password" id="password" pattern="(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z]).{8,}" required>',
    `<input v-model="password" placeholder="${join('Tr0ub4', 'dor&3xK')}">`,
    `<TextField label="Password" helperText="${join('Use8+ch', 'ars&1num')}" />`,
  ]) {
    assert.equal(scanLineForTest(line, 'site/index.html').length, 0, line);
  }
});

test('keyed provider rules read the assignment forms of make, Go, PHP, Java, Ruby and Logstash', () => {
  const uuid = () => fakeMore.uuid();
  const forms = [
    (v: string) => `var hubspotToken string = "${v}"`,
    (v: string) => `hubspotToken := "${v}"`,
    (v: string) => `$hubspotToken .= "${v}"`,
    (v: string) => `System.setProperty("HUBSPOT_TOKEN", "${v}")`,
    (v: string) => `HUBSPOT_TOKEN ::= "${v}"`,
    (v: string) => `HUBSPOT_TOKEN :::= "${v}"`,
    (v: string) => `HUBSPOT_TOKEN ?= "${v}"`,
    (v: string) => `HUBSPOT_TOKEN += "${v}"`,
    (v: string) => `  "hubspotToken" => "${v}"`,
  ];
  for (const form of forms) {
    const line = form(uuid());
    assert.ok(scanLineForTest(line).some((f) => f.rule.id === 'secret.hubspot-api-key'), line.replace(/[0-9a-f-]{36}/, '<uuid>'));
  }
  // The name must stand on its own: `okta` inside `lookTable` is no Okta name.
  assert.ok(!scanLineForTest(`lookTable = ${join('00', fake.base64url(40))}`).some((f) => f.rule.id === 'secret.okta-token'));
});

test('Telegram bot tokens are found anywhere, also inside an api.telegram.org/bot<token>/ URL', () => {
  const token = () => join(fake.digits(10), ':A', 'A', fake.base64url(33));
  for (const line of [`send("https://api.telegram.org/bot${token()}/sendMessage")`, `telegram bot: ${token()}`, `- ${token()}`]) {
    assert.ok(scanLineForTest(line).some((f) => f.rule.id === 'secret.telegram-bot-token'), line.replace(/\d+:A[\w-]+/, '<token>'));
  }
});
