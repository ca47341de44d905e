import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { Repo, tempDir } from './helpers/git.ts';
import { fake, fakeMore, join } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

// What is not a secret must pass a real commit: names that only look like credentials,
// placeholders and templates, credentials that providers publish in their documentation, public
// material, and examples in documentation (a warning there, not a block). Random values are
// generated; published examples are assembled from pieces so that no file holds them whole.

const random = () => join(fake.alnum(12), fake.base64url(18), fake.digits(2));
const pem = (label: string, lines: number) => [join('-----BEGIN ', label, '-----'), ...Array.from({ length: lines }, () => fake.base64(64)), `${fake.base64(20)}==`, join('-----END ', label, '-----')].join('\n');

/** Each group is one commit that must pass; `quiet` files must not even warn. */
const NOT_SECRETS: Record<string, { files: Record<string, string>; quiet: boolean }> = {
  'names that are not secrets': {
    quiet: true,
    files: {
      'names/keys.py': [
        `public_key = "${random()}"`,
        `publishable_key = "${random()}"`,
        `primaryKey = "${random()}"`,
        `foreignKey = "${random()}"`,
        `schemaKey = '${random()}'`,
        `csrf_token = "${random()}"`,
        `token_type = "${random()}"`,
        'max_tokens = 4096',
        `key_vault_name = "${fake.lower(16)}"`,
        `LLM_SECRET_NAME = "NEXUS-GPT4-API-KEY"`,
        `secret_name = "${random()}"`,
        `next_page_token = "${random()}"`,
        `authenticity_token = "${random()}"`,
        '',
      ].join('\n'),
      'names/form.html': `<form><input type="hidden" name="csrf_token" value="${random()}"></form>\n`,
      // An anchor named like a credential, then the next attribute: no typed declaration (mkdocs navigation, httpx's docs).
      // A boto parameter name (CapWords after an acronym) as the value of an S3 header's name (scrapy).
      'names/pipelines.py': 'MAP = {\n    "X-Amz-Server-Side-Encryption-Customer-Key": "SSECustomerKey",\n    "X-Amz-Meta-Api-Token": "APITokenHeader",\n}\n',
      'names/nav.html': '<a href="#httpx-auth" class="md-nav__link">\n<a href="#api-token" title="md-nav__link--active">\n',
      'names/vault.yaml': `keyVaultToStoreSecrets: cmp2-qat-${fake.digits(10)}\nsecretName: ${random()}\n`,
    },
  },
  'placeholders and templates': {
    quiet: true,
    files: {
      'tpl/app.yaml': ['password: "{token}"', 'api_token: ${API_TOKEN}', 'db_password: <password>', 'admin_password: changeme', 'client_secret: xxxxxxxxxxxxxxxxxxxx', 'password: "{{ vault_db_password }}"', ''].join('\n'),
      'tpl/app.py': ['password = "%(pw)s"', 'token = f"{prefix}{self.token_value}"', 'api_key = f"{user}-{suffix}-x9Q"', ''].join('\n'),
      'tpl/settings.j2': 'api_key = {{ api_key }}\nsecret: "{% if x %}{{ k }}{% endif %}"\n',
      'tpl/clone.sh': 'git clone https://{token}:x-oauth-basic@github.com/org/repo.git\ngit clone "https://${GITHUB_TOKEN}:x-oauth-basic@github.com/org/repo.git"\n',
      'tpl/NuGet.config': '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />\n',
      'tpl/settings.xml': '<server><password>${env.MAVEN_PASSWORD}</password></server>\n',
      'tpl/call.sh': 'curl -u "$USER:$PASS" https://api.internal/x\ncurl -H "Authorization: Bearer $TOKEN" https://api.internal/x\n',
      'tpl/Jwt.java': 'class Jwt {\n  @Value("${jwt.secret}")\n  String secret;\n  String password = System.getenv("DB_PASSWORD");\n}\n',
      'tpl/secret.yaml': `apiVersion: v1\nkind: Secret\ndata:\n  password: ${Buffer.from('changeme').toString('base64')}\n`,
    },
  },
  'published example credentials': {
    quiet: true,
    files: {
      'examples/aws.ini': `aws_access_key_id = ${join('AKIA', 'IOSFODNN7', 'EXAMPLE')}\naws_secret_access_key = ${join('wJalrXUtnFEMI/K7MDENG', '/bPxRfiCY', 'EXAMPLEKEY')}\n`,
      'examples/test_s3.py': `AWS_ACCESS_KEY_ID = '0PN5J17HBGZHT7JJ3X82'\nAWS_SECRET_ACCESS_KEY = '${join('uV3F3YluFJax1c', 'knvbcGwgjvx4Qp', 'vB+leU8dUj2o')}'\n`,
      'examples/stripe.js': `const stripe = require("stripe")("${join('sk_', 'test_', '4eC39HqLyjWDarjtT1zdp7dc')}");\nconst pk = "${join('pk_', 'test_', 'TYooMQauvdEDq54NiTphI7jx')}";\n`,
      'examples/firebase.js': `const firebaseConfig = {\n  apiKey: "${join('AIza', 'SyDOCAbC123dEf456GhI789jKl012', '-MnO')}",\n  authDomain: "demo.firebaseapp.com",\n};\n`,
      'examples/jwt.txt': `token = "${join('eyJhbGciOiJIUzI1NiIsInR5cCI6', 'IkpXVCJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkw', 'IiwibmFtZSI6IkpvaG4gRG9lIiwi', 'aWF0IjoxNTE2MjM5MDIyfQ', '.', 'SflKxwRJSMeKKF2QT4fwpMeJf3', '6POk6yJV_adQssw5c')}"\n`,
      'examples/FirebaseTest.kt': `FirebaseOptions.Builder().setApiKey("${join('AIza', 'SyCkEhVjf3pduRD', 't6d1yKOMitrUEke8agEM')}").build()\n`,
      'examples/NuGet.Config': `<packageSourceCredentials>\n  <Contoso>\n    <add key="ClearTextPassword" value="${join('33f!!', 'lloppa')}" />\n  </Contoso>\n</packageSourceCredentials>\n`,
      'examples/oauth.py': `# RFC 6749 section 5.1\nresponse = {"access_token": "${join('2YotnFZFEjr1', 'zCsicMWpAA')}", "refresh_token": "${join('tGzv3JOkF0XG', '5Qx2TlKWIA')}"}\n`,
    },
  },
  // Test data of URL, HTTP and PBKDF2 libraries (werkzeug's history): a placeholder password
  // written with escapes, a test of how `:` is escaped, a password on an address reserved for
  // documentation, a Basic header of a Cyrillic login, RFC 3962's PBKDF2 salt beside its password.
  'library test data': {
    quiet: true,
    files: {
      'tests/test_urls.py': [
        `a = u'http://\\xfcser:p\\xe4ss${'word'}@\\u2603.net/p\\xe5th'`,
        `b = urls.url_parse('http://foo%3a:${'bar'}%3a@[::1]:80/123?x=y#frag')`,
        `c = urls.url_parse('http://anon:${join('hunt', 'er2')}@[2001:db8:0:1]:80/a/b/c')`,
        `d = 'ftp://anon:${join('hunt', 'er2')}@203.0.113.7/pub'`,
        '',
      ].join('\n'),
      'tests/test_wrappers.py': `headers = {"Authorization": "Basic ${Buffer.from(join('русский', ':Буквы')).toString('base64')}"}\n`,
      'tests/test_security.py': `check('password', '${join('ATHENA', '.MIT.EDU', 'raeburn')}', 1, 16, '${fake.hex(32)}')\n`,
      // WHATWG's URL test vectors (every special character, escaped where a URL must, a stray `%`
      // among them) and a digest challenge's opaque value (httpx's tests).
      'tests/models/whatwg.json': `{"password": "%20!%22$%&'()*+,-.%3A%3B%3C%3D%3E%40%5B%5C%5D%5E_%60%7B%7C%7D~"}\n`,
      'tests/test_auth.py': `challenge = 'Digest realm="httpx@example.org", qop="auth", opaque="${fake.base64(44)}"'\n`,
      // Celery's: Azure's storage emulator account (its one documented key), a MongoDB option
      // naming a mechanism, a test broker whose password is its user's name in digits.
      'tox.ini': `[testenv]\nsetenv = TEST_BACKEND=azureblockblob://DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${join('Eby8vdM02xNOcqFlqUwJPL', 'lmEtlCDXJ1OUzFT50uSRZ6', 'IFsuFq2UVErCz4I6tq/K1S', 'ZFPTOtr/KBHBeksoGMGw==')};BlobEndpoint=http://azurite:10000/devstoreaccount1;\n`,
      't/unit/backends/test_mongodb.py': `uri = ('mongodb://localhost/'\n       'celerydatabase?authMechanism=SCRAM-SHA-256')\n`,
      'funtests/stress/templates.py': `broker_url = 'pyamqp://testing:${'t3s'}71ng@192.168.33.123//testing'\n`,
      // Poetry's metasyntactic credentials, uvicorn's WebSocket handshake nonce (RFC 6455's example).
      'tests/installation/test_authenticator.py': `authenticator.request("get", "https://foo001:${'bar'}002@foo.bar/files/foo-0.1.0.tar.gz")\n`,
      'tests/protocols/test_websocket.py': `headers = {"Sec-WebSocket-Key": "${fake.base64(22)}=="}\n`,
      // Templates and masks written in escapes, and batch files' substring and suffix forms.
      'tests/test_masks.py': ['%24%7BDB_PASSWORD%7D', '%7B%7B.Values.password%7D%7D', '%3Cdb_password%3E', '%5BREDACTED%5D', '%2A%2A%2A%2A', '%DB_PASS:~0,8%', '%DB_PASSWORD%-ro'].map((p, i) => `u${i} = "postgres://app:${p}@db.prod.corp/app"\n`).join(''),
    },
  },
  // FastAPI's history: its tutorial's example key in the code its docs include, a navigation
  // entry naming a page, an identifier under a secret's name, a placeholder bearer, stored password
  // hashes and an image in base64 without a word that says so, a field list in another language.
  'documentation code and test data of a web framework': {
    quiet: true,
    files: {
      'docs_src/security/tutorial004.py': `SECRET_KEY = "${join('09d25e094faa6ca2556c818166b7a9563b', '93f7099f6f0f4caa6cf63b88e8d3e7')}"\n`,
      'mkdocs.yml': `nav:\n  - HTTP Basic Auth: 'tutorial/security/http-basic-auth.md'\n`,
      'tests/test_models.py': `expected = {"secret": "hidden_v1_to_v2"}\nchallenge_token = "challenge-123"\n`,
      'app/security/http.py': `"""\n    Authorization: Bearer ${'dead'}beef12346\n"""\n`,
      'docs/zh/oauth2-jwt.md': `你会看到: \`"$2b$12$${fake.alnum(53)}"\`\n哈希: \`"$argon2id$v=19$m=65536,t=3,p=4$${fake.base64(22)}$${fake.base64(43)}"\`\n`,
      'docs_src/stream.py': `image_data = "iVBORw0KGgo${fake.base64(120)}"\n`,
      'docs/ru/index.md': '* `bearer`: HTTP-заголовок `Authorization` со значением `Bearer ` плюс токен.\n',
    },
  },
  'public material': {
    quiet: true,
    files: {
      'certs/cacert.pem': `# Issuer: CN=Example Root\n${pem('CERTIFICATE', 12)}\n\n${pem('CERTIFICATE', 9)}\n`,
      'certs/server.crt': `${pem('CERTIFICATE', 6)}\n`,
      'certs/signing.pub.pem': `${pem('PUBLIC KEY', 4)}\n`,
      'ssh/known_hosts': `github.com ssh-ed25519 ${join('AAAAC3NzaC1lZDI1NTE5', 'AAAAI', fake.base64(43))}\n`,
      'ssh/id_ed25519.pub': `ssh-ed25519 ${join('AAAAC3NzaC1lZDI1NTE5', 'AAAAI', fake.base64(43))} me@host\n`,
      'web/index.html': `<script src="x.js" integrity="sha384-${fake.base64(64)}" crossorigin="anonymous"></script>\n`,
      'web/package-lock.json': `{"packages": {"node_modules/x": {"integrity": "sha512-${fake.base64(86)}=="}}}\n`,
      'web/style.css': `.logo { background: url(data:image/png;base64,${fake.base64(200)}); }\n`,
      'art/logo.ai': `%!PS-Adobe-3.0\n<xmpGImg:image>${fakeMore.b64bytes(57)}&#xA;${fakeMore.b64bytes(57)}</xmpGImg:image>\n`,
      'art/logo.eps': `%!PS-Adobe-3.0 EPSF-3.0\n${fake.base64(76)}\n${fake.base64(76)}\n`,
      '.travis.yml': `deploy:\n  password:\n    secure: "${fake.base64(340)}="\n`,
      'appveyor.yml': `environment:\n  COVERALLS_REPO_TOKEN:\n    secure: ${fake.base64(48)}\n`,
      'art/icon.svg': `<svg><path d="M${fake.alnum(40)}${fake.base64(60)}"/></svg>\n`,
      // An OmniGraffle diagram (celery's docs): a plist whose <data> is archived objects in base64.
      'docs/graffles/worker.graffle': `<key>Notes</key>\n<data>\n${fake.alnum(44)}\n${fake.alnum(41)}\n</data>\n`,
      // An image in source, wrapped at 78 (werkzeug's test app), and a response's ETag (a digest).
      'app/testapp.py': `logo = Response('''R0lGODlh${fake.alnum(40)}/////////\n${Array.from({ length: 6 }, () => fake.base64(78)).join('\n')}\n${fake.base64(30)}='''.decode('base64'))\n`,
      'app/test_wrappers.py': `assert response.get_etag() == ("${fake.base64url(43)}", False)\n`,
    },
  },
};

test('names, placeholders, published examples and public material pass a real commit without a warning', () => {
  for (const [group, { files, quiet }] of Object.entries(NOT_SECRETS)) {
    const repo = Repo.init().installPreCommitHook();
    const run = repo.commit(files);
    assert.equal(run.code, 0, `${group}:\n${run.output}`);
    if (quiet) assert.doesNotMatch(run.output, /secret\./, `${group}: no secret finding, not even a warning`);
  }
});

test('published examples are allowed exactly: one character changed and the value is a secret again', () => {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'examples/oauth.py': `response = {"access_token": "${join('2YotnFZFEjr1', 'zCsicMWpAB')}"}\n` });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /secret\.generic-assignment {2}examples\/oauth\.py:1/);
});

test('the look-alikes of library test data block: a real password on those hosts, escaped, or in a Basic header in any script', () => {
  const pass = () => join('Zq8', fake.alnum(10), '7k');
  const hunter = join('hunt', 'er2');
  const lines = [
    `a = 'http://anon:${pass()}@[2001:db8::1]/'`,
    `b = 'http://anon:${hunter}@[2001:db9::1]/'`,
    `c = 'http://anon:${hunter}@db.prod.internal/'`,
    `d = 'http://anon:${hunter}@192.0.20.10/'`,
    `e = u'http://u:p\\xe4ssw\\xf6${join('rd20', '24!')}@db.prod.net/'`,
    `f = 'http://foo:bar%3a${pass()}@db.internal.corp/'`,
    `g = check('password', '${join('ATHENA', '.MIT.EDU', 'raeburm')}', 1, 16)`,
    `h = {"Authorization": "Basic ${Buffer.from(join('пользователь:', pass(), '#!')).toString('base64')}"}`,
    `i = {"Authorization": "Basic ${fake.base64(40)}"}`,
    `SECRET_KEY = "${join('09d25e094faa6ca2556c818166b7a9563b', '93f7099f6f0f4caa6cf63b88e8d3e8')}"`,
    `expected = {"secret": "hidden_${join('x9k', fake.alnum(4))}_v2"}`,
    `headers = {"Authorization": "Bearer ${fake.hex(32)}"}`,
    `creds = {"password": "${join('Xk9', fake.alnum(6))}%&${fake.alnum(4)}%3A"}`,
    `challenge_token = "challenge-${join('8k', fake.digits(3), 'xq')}"`,
    `password = "${join('foot', 'ball')}-123"`,
    `TEST_BACKEND = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${join('Eby8vdM02xNOcqFlqUwJPL', 'lmEtlCDXJ1OUzFT50uSRZ6', 'IFsuFq2UVErCz4I6tq/K1S', 'ZFPTOtr/KBHBeksoGMAw==')}"`,
    `broker_url = 'pyamqp://admin:${'t3s'}71ng@192.168.33.123//testing'`,
    // A review's: a strong password whose escapes decode to `{` and `<`, an account's own name in
    // digits on a real host, a person's snake_case password, a Latin key with one accent in it, a
    // key holding deadbeef.
    `DATABASE_URL = "postgres://app:${fake.alnum(5)}%7B${fake.alnum(4)}9%3C${fake.alnum(5)}@db.internal.corp:5432/app"`,
    `DATABASE_URL = "postgres://postgres:${join('p0st', 'gr3s')}@prod-db.internal/app"`,
    `DB_PASSWORD = "${join('sun', 'shine')}_42"`,
    `SECRET_KEY = "${join('tiger_q7', '_z9_k2_m4')}"`,
    `DB_PASSWORD = "${join('SUWNOHtjhfun', 'é', 'XMSZ')}"`,
    `API_SECRET = "${fake.alnum(10)}${'dead'}beef${fake.alnum(14)}"`,
    // A person's password in another script: its letters have cases as Latin ones do.
    `DB_PASSWORD = "${join('Пар', 'оль')}2024!"`,
    `url = "https://foo001:${'bar'}002${fake.alnum(6)}@foo.bar/files/"`,
    `websocket_secret = "${fake.base64(22)}=="`,
    // A second review's: a credential's name that starts like a WebSocket key's, a short password in
    // a script with combining marks, an accented password that was as varied as a symbol makes it.
    `WEBSOCKET_KEYSTORE_PASSWORD = "${fake.alnum(30)}"`,
    `url = "postgres://app:${join('क्षि', 'ति')}@db.prod.corp/app"`,
    `DB_PASSWORD = "${join('jür', 'gen1985')}"`,
    '',
  ];
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'tests/test_lookalikes.py': lines.join('\n') });
  assert.equal(run.code, 1, run.output);
  const blocked = [...run.output.matchAll(/✖ (secret\.[\w-]+) {2}tests\/test_lookalikes\.py:(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(blocked, ['secret.url-credentials:1', 'secret.url-credentials:2', 'secret.url-credentials:3', 'secret.url-credentials:4', 'secret.url-credentials:5', 'secret.url-credentials:6', 'secret.generic-assignment:7', 'secret.generic-assignment:8', 'secret.generic-assignment:9', 'secret.generic-assignment:10', 'secret.generic-assignment:11', 'secret.generic-assignment:12', 'secret.generic-assignment:13', 'secret.generic-assignment:14', 'secret.generic-assignment:15', 'secret.azure-storage-account-key:16', 'secret.url-credentials:17', 'secret.url-credentials:18', 'secret.url-credentials:19', 'secret.generic-assignment:20', 'secret.generic-assignment:21', 'secret.generic-assignment:22', 'secret.generic-assignment:23', 'secret.generic-assignment:24', 'secret.url-credentials:25', 'secret.generic-assignment:26', 'secret.generic-assignment:27', 'secret.url-credentials:28', 'secret.generic-assignment:29']);
});

test('a random line alone, or beside a line of another length, in no password hash or image, warns', () => {
  const repo = Repo.init().installPreCommitHook();
  // (Letters and digits: two `/` in a random base64 line read as a path, which is no token either.)
  // A token after a `$` that starts no password hash, and a long run beside no image's first bytes.
  // Three keys of one length, one a line, are no wrapped block; `targetAge` is no ETag.
  // (Lengths where a random line's measured entropy is well above the rule's 85 %.)
  const keys = `${fake.alnum(100)}\n\n${fake.alnum(90)}\n${fake.alnum(100)}\nx = "$${fake.alnum(40)}"\nimage_data = "${fake.alnum(120)}"\n${fake.alnum(100)}\n${fake.alnum(100)}\n${fake.alnum(100)}\nt = targetAge(x, "${fake.alnum(40)}")\n`;
  const run = repo.commit({ 'app/keys.txt': keys });
  assert.equal(run.code, 0, run.output);
  for (const line of [1, 3, 4, 5, 6, 7, 8, 9, 10]) assert.match(run.output, new RegExp(`▲ secret\\.high-entropy-string {2}app/keys\\.txt:${line}\\b`), `line ${line}`);
});

test('documentation: a generic assignment warns and passes; a provider-format token still blocks', () => {
  const repo = Repo.init().installPreCommitHook();
  const docs = {
    'docs/config.rst': `Set it like this::\n\n    SECRET_KEY = '${fake.hex(64)}'\n`,
    'README.md': `\`\`\`sh\nexport API_TOKEN=${random()}\n\`\`\`\n`,
    'guide/setup.md': `curl -u admin:${join('Kx9', '#mQ2v!', fake.alnum(6))} https://api.internal\n`,
    // A built site's search index (MkDocs, on a gh-pages branch): the pages' text, escapes and all.
    'search/search_index.json': `{"docs":[{"text":"<pre><code>DEBUG=True\\nSECRET_KEY=${random()}\\nALLOWED_HOSTS=localhost</code></pre>"}]}\n`,
  };
  const passed = repo.commit(docs);
  assert.equal(passed.code, 0, passed.output);
  assert.match(passed.output, /Literal secret assigned to `SECRET_KEY`/, 'the escape before the name is not read as part of it');
  for (const at of ['docs/config.rst:3', 'README.md:2', 'guide/setup.md:1', 'search/search_index.json:1']) assert.match(passed.output, new RegExp(`▲ secret\\.generic-assignment {2}${at.replace(/\./g, '\\.')}`), at);
  const token = withBase62Checksum(join('gh', 'p_'), fake.alnum(30));
  const refused = repo.commit({ 'docs/ci.md': `Use \`GITHUB_TOKEN=${token}\`\n` });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /✖ secret\.github-pat {2}docs\/ci\.md:1/);
  assert.ok(!refused.output.includes(token));
});

test('a branch name in a merge message is no high-entropy string; a random token with separators still is', () => {
  const repo = Repo.init();
  const file = joinPath(tempDir(), 'COMMIT_EDITMSG');
  // (Branch names however mixed: sympy's `user/unxfail-wester-X8-U10` and `Peter<digits>/KanesMethodComplex_1`, GitLab's form.)
  for (const first of [
    `Merge pull request #2898 from ${fake.lower(7)}42/2897-Add-Extra-Files-to-CLI`,
    `Merge pull request #2741 from ${fake.lower(10)}/unxfail-wester-X8-U10`,
    `Merge pull request #26900 from ${join('Peter', '230655')}/KanesMethodComplex_1`,
    `Merge branch '${fake.lower(6)}/Fix-U10-X8-${fake.digits(4)}' into 'main'`,
  ]) {
    writeFileSync(file, `${first}\n\nAdd the extra files option\n`);
    const merge = repo.gitward(['commit-msg', file]);
    assert.equal(merge.code, 0, merge.output);
    assert.doesNotMatch(merge.output, /secret\./, merge.output);
  }
  // (A length where a random token's measured entropy is well above the rule's thresholds.)
  writeFileSync(file, `Rotate the key\n\nold one was ${fake.alnum(19)}-${fake.alnum(19)}\n`);
  const token = repo.gitward(['commit-msg', file]);
  assert.match(token.output, /▲ secret\.high-entropy-string {2}commit message:3/, token.output);
});
