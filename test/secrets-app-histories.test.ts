import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';

// False blocks found in six application histories (httpie, paramiko, netbox, redash, wagtail,
// saleor; docs/secrets-coverage.md, round 26), each in the shape it was found, and beside them the
// look-alikes that must still block. Every value that could be a credential is generated.

const password = () => join('Zq8', fake.alnum(10), '#7k');

test('migration names, lists of field names, bindings, URLs after -u, check-digit references and test passwords pass', () => {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({
    // Django's migration dependencies: an app's name, then a migration's.
    'app/migrations/0002_auto.py': 'dependencies = [\n    ("auth", "0012_alter_user_first_name_max_length"),\n]\nreplaces = [(\'secrets\', \'0001_initial\'), (\'secrets\', \'0002_userkey_add_session_key\')]\n',
    // Lists of field or package names: no pair in them is a name and its value.
    'app/query_runner/pg.py': 'schema = {\n    "secret": ["password", "sslrootcertFile", "sslcertFile", "sslkeyFile"],\n    "order": ["url", "org", "token", "cert_File", "cert_key_File", "cert_key_password", "ssl_ca_cert_File"],\n}\n',
    'pyproject.toml': '[project]\nname = "x"\nversion = "1.0"\n\n[project.optional-dependencies]\nremote-auth = ["django-auth-ldap", "python3-saml"]\n',
    // pyxb's generated bindings: a private name of several parts.
    'vendor/anet/apicontractsv1.py': "    __token = pyxb.binding.content.ElementDeclaration(pyxb.namespace.ExpandedName(Namespace, 'token'), 'token', '__AnetApixmlv1schemaAnetApiSchema_xsd_webCheckOutDataType_AnetApixmlv1schemaAnetApiSchema_xsdtoken', False)\n",
    // A tool's `-u URL`, not curl's `-u user:password`.
    'schemas/genbindings.sh': "pyxbgen \\\n   -u 'http://schemas.opengis.net/kml/2.2.0/atom-author-link.xsd' \\\n   -m atom\n",
    // A payment provider's reference: digits and a check letter.
    'tests/test_notifications.py': `handle(token="${fake.digits(15)}E", payment_token="${fake.digits(15)}H")\n`,
    // A form's CSRF token is sent to every visitor.
    'templates/styleguide.html': `<input type="hidden" name="csrfmiddlewaretoken" value="${fake.alnum(64)}">\n`,
    // A colour, a file format's magic, a model's path, an LDAP attribute, an f-string's field.
    'tests/test_json.py': "TEST_PREFIX_TOKEN_COLOR = '\\x1b[04m\\x1b[91m'\nOPENSSH_AUTH_MAGIC = b\"openssh-key-v1\\x00\"\nAUTH_USER_MODEL = 'tests.CustomUser'\nLDAP_UID_KEY = os.environ.get('REDASH_LDAP_UID_KEY', \"sAMAccountName\")\nwarehouse_key = f\"warehouse_{stock_data['warehouse__id']}\"\nexpected_key = \"'X-Greeting'\"\nalert = {\"aggregation_key\": \"redash:https://localhost:5000/alerts/1\"}\n",
    // Minified JavaScript: `{name:a.b.c}` is an object literal, not a template's `${name:default}`.
    'static/js/draftail.js': '!function(){p.propTypes={entityKey:i.default.string.isRequired,contentState:i.default.object.isRequired}}();\n',
    // Test passwords made of metasyntactic words or `test` and a count.
    'tests/test_api.py': "users = [User(username='User1', password='FooBarFooBar1')]\ndata['password'] = 'fooBarFoo123'\npassword = \"Test1234!\"\nraw_token2 = \"test2_token1234\"\n",
  });
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /secret\./, run.output);
});

test('their look-alikes still block: a pair a call or tuple ends after, curl -u, a random reference, a CSRF secret key, a real password', () => {
  const lines = [
    `props.put("password", "${password()}")`,
    `cfg.set("database", "password", "${password()}")`,
    `pair = ("auth", "${fake.alnum(28)}")`,
    `os.system("curl -u admin:${password()} https://ci.internal/api")`,
    `handle(token="${fake.digits(6)}${join('Q', fake.alnum(14))}")`,
    `WTF_CSRF_SECRET_KEY = "${fake.alnum(40)}"`,
    `users = [User(username='User1', password='${join('Football', fake.digits(2), '!', fake.alnum(4))}')]`,
    `API_KEY = "_${fake.alnum(12)}_${fake.alnum(12)}_${fake.alnum(12)}"`,
    `@Value("\${jwt.secret:${fake.alnum(32)}}")`,
    `expected_token = "'${fake.alnum(32)}'"`,
    // A review's, built to find leaks these changes let through: two strings in their own brackets
    // are a pair, a string after a random value does not make a list of names, a value is a URL only
    // as a word and a colon before one, and the narrow forms of the other exceptions.
    `session.auth = ("admin", "${password()}")`,
    `form = new Dictionary<string, string> { { "client_secret", "${fake.alnum(32)}" }, { "grant_type", "client_credentials" } };`,
    `const m = new Map([["apiKey", "${fake.alnum(32)}"], ["region", "us-east-1"]]);`,
    `redis.set("session_token", "${fake.alnum(32)}", "EX", 3600)`,
    `body = "grant_type=authorization_code&client_secret=${fake.alnum(40)}&redirect_uri=https://app.corp.example/cb"`,
    `DB_PASSWORD = "${join('1989', '_monkey_', fake.digits(2), fake.alnum(3))}"`,
    `SECRET_KEY = "__${fake.alnum(10)}_${fake.alnum(15)}_${fake.alnum(14)}"`,
    `DB_PASSWORD = "${join('Test', '1983!')}"`,
    `uid_password = "${password()}"`,
    `PASSWORD_MAGIC = "${fake.alnum(32)}"`,
    `nocsrf_token = "${fake.alnum(32)}"`,
    '',
  ];
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'app/lookalikes.py': lines.join('\n') });
  assert.equal(run.code, 1, run.output);
  const blocked = new Set([...run.output.matchAll(/✖ secret\.[\w-]+ {2}app\/lookalikes\.py:(\d+)/g)].map((m) => Number(m[1])));
  for (let i = 1; i < lines.length; i++) assert.ok(blocked.has(i), `line ${i} must block: ${lines[i - 1]}\n${run.output}`);
});

test('a Kubernetes Secret of thousands of nested quotes is scanned, not a stack overflow', () => {
  const quotes = Buffer.from(`${"'".repeat(6000)}x${"'".repeat(6000)}`).toString('base64');
  const repo = Repo.init();
  const { run } = repo.stageAndScan({ 'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: q\ndata:\n  token: ${quotes}\n` });
  assert.notEqual(run.code, 2, run.output);
});

test('an SSH public key wrapped over continued lines is public; a random line after another continued line still warns', () => {
  const key = join('AAAAB3NzaC1yc2EAAAABIwAAAIEA', fake.base64(50));
  const repo = Repo.init();
  const { json } = repo.stageAndScan({
    'tests/test_hostkeys.py': `test_hosts_file = """\\\nsecure.example.com ssh-rsa ${key}\\\n${fake.base64(77)}\\\n${fake.base64(70)}=\n"""\n`,
    'tests/test_cmd.py': `cmd = "deploy --flag \\\n${join('Qx7', fake.alnum(57))}"\n`,
  });
  assert.deepEqual(json.findings.filter((f) => f.path === 'tests/test_hostkeys.py'), []);
  assert.ok(json.findings.some((f) => f.path === 'tests/test_cmd.py' && f.rule === 'secret.high-entropy-string' && f.line === 2), JSON.stringify(json.findings));
});
