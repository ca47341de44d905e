import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';

// Every syntax the generic assignment rule reads, end to end: a generated secret written the way
// people write it in that syntax, committed through a real pre-commit hook. The commit must be
// refused by `secret.generic-assignment` on the value's line, and the value never printed.

/** A random token (no provider's format) and a password that mixes character classes. */
const token = () => join(fake.alnum(10), fake.base64url(14), fake.digits(2));
const password = () => join('Kx9', '#mQ2v!', fake.alnum(6));
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Case {
  syntax: string;
  path: string;
  /** The file's content around the secret `s`; the secret's line is found by search. */
  content: (s: string) => string;
  secret: () => string;
  /** The rule that must refuse it, where a provider's own rule claims the value (default: the generic rule). */
  rule?: string;
  /** What appears in the file when it is not the secret itself (base64 of it, a header). */
  written?: (s: string) => string;
}

const CASES: Case[] = [
  { syntax: 'XML element', path: 'conf/web.xml', content: (s) => `<config>\n  <password>${s}</password>\n</config>\n`, secret: password },
  { syntax: 'XML element split over lines', path: 'conf/app.xml', content: (s) => `<config>\n  <apiToken>\n    ${s}\n  </apiToken>\n</config>\n`, secret: token },
  { syntax: 'XML attribute', path: 'conf/db.xml', content: (s) => `<db host="db" password="${s}" />\n`, secret: password },
  // NuGet's own key: the provider rule secret.nuget-config-password claims it (below).
  { syntax: 'NuGet.config key/value attributes', path: 'NuGet.config', content: (s) => `<packageSourceCredentials>\n  <feed>\n    <add key="Username" value="ci" />\n    <add key="ClearTextPassword" value="${s}" />\n  </feed>\n</packageSourceCredentials>\n`, secret: password, rule: 'secret.nuget-config-password' },
  { syntax: 'Maven settings.xml server password', path: '.m2/settings.xml', content: (s) => `<settings><servers>\n  <server><id>repo</id><username>ci</username><password>${s}</password></server>\n</servers></settings>\n`, secret: password },
  { syntax: 'Go typed var', path: 'main.go', content: (s) => `package main\n\nvar apiToken string = "${s}"\n`, secret: token },
  { syntax: 'Go const', path: 'main.go', content: (s) => `package main\n\nconst apiToken = "${s}"\n`, secret: token },
  { syntax: 'Go short declaration', path: 'main.go', content: (s) => `package main\n\nfunc f() {\n\tapiToken := \`${s}\`\n}\n`, secret: token },
  { syntax: 'Go struct literal', path: 'client.go', content: (s) => `package main\n\nvar c = Config{\n\tHost:  "api",\n\tToken: "${s}",\n}\n`, secret: token },
  { syntax: 'PHP define', path: 'wp-config.php', content: (s) => `<?php\ndefine('DB_PASSWORD', '${s}');\n`, secret: password },
  { syntax: 'PHP concatenating assignment', path: 'config.php', content: (s) => `<?php\n$apiToken .= "${s}";\n`, secret: token },
  { syntax: 'PHP array arrow', path: 'config/database.php', content: (s) => `<?php\nreturn [\n  'password' => '${s}',\n];\n`, secret: password },
  { syntax: 'make =', path: 'Makefile', content: (s) => `API_TOKEN = ${s}\n`, secret: token },
  { syntax: 'make :=', path: 'Makefile', content: (s) => `API_TOKEN := ${s}\n`, secret: token },
  { syntax: 'make ::=', path: 'Makefile', content: (s) => `API_TOKEN ::= "${s}"\n`, secret: token },
  { syntax: 'make :::=', path: 'Makefile', content: (s) => `API_TOKEN :::= "${s}"\n`, secret: token },
  { syntax: 'make ?=', path: 'Makefile', content: (s) => `API_TOKEN ?= ${s}\n`, secret: token },
  { syntax: 'make +=', path: 'Makefile', content: (s) => `API_TOKEN += ${s}\n`, secret: token },
  { syntax: 'Java System.setProperty', path: 'src/App.java', content: (s) => `class App {\n  static { System.setProperty("X_TOKEN", "${s}"); }\n}\n`, secret: token },
  { syntax: 'Java props.put', path: 'src/Db.java', content: (s) => `class Db {\n  void f() { props.put("password","${s}"); }\n}\n`, secret: password },
  { syntax: 'Java field', path: 'src/Keys.java', content: (s) => `class Keys {\n  private static final String API_TOKEN = "${s}";\n}\n`, secret: token },
  { syntax: 'Java typed local', path: 'src/Local.java', content: (s) => `class Local {\n  void f() { String apiToken = "${s}"; }\n}\n`, secret: token },
  { syntax: 'Spring @Value default', path: 'src/Jwt.java', content: (s) => `class Jwt {\n  @Value("\${jwt.secret:${s}}")\n  String secret;\n}\n`, secret: token },
  { syntax: 'Kotlin typed val', path: 'src/App.kt', content: (s) => `val apiToken: String = "${s}"\n`, secret: token },
  { syntax: '.NET connection string in code', path: 'src/Db.cs', content: (s) => `var conn = "Server=db;Database=app;User Id=sa;Password=${s};";\n`, secret: password },
  { syntax: '.NET connection string Pwd', path: 'appsettings.json', content: (s) => `{\n  "ConnectionStrings": { "Default": "Server=db;Uid=sa;Pwd=${s};" }\n}\n`, secret: password },
  { syntax: 'JDBC URL query', path: 'src/Jdbc.java', content: (s) => `class Jdbc {\n  String url = "jdbc:mysql://db:3306/app?user=app&password=${s}&useSSL=true";\n}\n`, secret: password },
  { syntax: 'Ruby attribute', path: 'config/initializers/app.rb', content: (s) => `Rails.application.config.api_token = '${s}'\n`, secret: token },
  { syntax: 'Ruby hash rocket', path: 'config/db.rb', content: (s) => `DB = { :password => '${s}' }\n`, secret: password },
  { syntax: 'YAML', path: 'config/app.yml', content: (s) => `service:\n  api_token: ${s}\n`, secret: token },
  { syntax: 'TOML', path: 'config.toml', content: (s) => `[service]\napi_token = "${s}"\n`, secret: token },
  { syntax: 'INI', path: 'app.ini', content: (s) => `[db]\npassword = ${s}\n`, secret: password },
  { syntax: 'Java properties', path: 'application.properties', content: (s) => `spring.datasource.password=${s}\n`, secret: password },
  { syntax: 'HCL', path: 'main.tf', content: (s) => `resource "db" "main" {\n  password = "${s}"\n}\n`, secret: password },
  { syntax: 'Terraform variable default', path: 'variables.tf', content: (s) => `variable "db_password" {\n  type    = string\n  default = "${s}"\n}\n`, secret: password },
  { syntax: 'shell export', path: 'deploy.sh', content: (s) => `#!/bin/sh\nexport API_TOKEN=${s}\n`, secret: token },
  { syntax: 'Dockerfile ENV', path: 'Dockerfile', content: (s) => `FROM python:3.12\nENV API_TOKEN ${s}\n`, secret: token },
  { syntax: 'Dockerfile ARG', path: 'Dockerfile', content: (s) => `FROM python:3.12\nARG API_TOKEN=${s}\n`, secret: token },
  { syntax: 'docker --build-arg', path: 'build.sh', content: (s) => `docker build --build-arg API_TOKEN=${s} .\n`, secret: token },
  { syntax: 'compose environment list', path: 'docker-compose.yml', content: (s) => `services:\n  app:\n    environment:\n      - API_TOKEN=${s}\n`, secret: token },
  { syntax: 'compose environment map', path: 'compose.yaml', content: (s) => `services:\n  app:\n    environment:\n      API_TOKEN: ${s}\n`, secret: token },
  { syntax: 'Kubernetes env name/value', path: 'k8s/deploy.yaml', content: (s) => `containers:\n  - env:\n      - name: API_TOKEN\n        value: "${s}"\n`, secret: token },
  {
    syntax: 'Kubernetes Secret data (base64)',
    path: 'k8s/secret.yaml',
    content: (s) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: ${b64('app')}\n  db-pass: ${b64(s)}\n`,
    secret: password,
    written: b64,
  },
  { syntax: 'curl -u', path: 'call.sh', content: (s) => `curl -u admin:${s} https://api.internal/v1\n`, secret: password },
  { syntax: 'curl Basic header', path: 'call.sh', content: (s) => `curl -H "Authorization: Basic ${b64(`admin:${s}`)}" https://api.internal/v1\n`, secret: password, written: (s) => b64(`admin:${s}`) },
  { syntax: 'curl Bearer header', path: 'call.sh', content: (s) => `curl -H "Authorization: Bearer ${s}" https://api.internal/v1\n`, secret: token },
  { syntax: 'Django SECRET_KEY', path: 'mysite/settings.py', content: (s) => `SECRET_KEY = '${s}'\n`, secret: () => join('django-insecure-', 'k(8m)x!@', '#$%^&*', fake.lower(30)) },
  { syntax: 'Rails secret_key_base', path: 'config/secrets.yml', content: (s) => `production:\n  secret_key_base: ${s}\n`, secret: () => fake.hex(128) },
  { syntax: 'Flask bytes SECRET_KEY', path: 'app.py', content: (s) => `app.secret_key = b'${s}'\n`, secret: () => join('\\x8f', 'q#L', '\\xe1', fake.alnum(12)) },
  { syntax: 'Laravel APP_KEY', path: '.env.production', content: (s) => `APP_KEY=base64:${s}\n`, secret: () => Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + fake.digits(2).charCodeAt(0)) % 256)).toString('base64') },
];

test('every syntax of a credential assignment is refused at commit by the generic rule, on its line, unprinted', () => {
  // One commit holds every case, each in a folder of its own (one hook run instead of fifty).
  const files: Record<string, string> = {};
  const expected = CASES.map((c, i) => {
    const secret = c.secret();
    const content = c.content(secret);
    const written = c.written ? c.written(secret) : secret;
    const line = content.split('\n').findIndex((l) => l.includes(written)) + 1;
    assert.ok(line > 0, `${c.syntax}: the fixture holds its secret`);
    const path = `case${i}/${c.path}`;
    files[path] = content;
    return { syntax: c.syntax, at: `${path}:${line}`, secret, written, rule: c.rule ?? 'secret.generic-assignment' };
  });
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit(files);
  assert.equal(run.code, 1, run.output);
  assert.equal(repo.git(['rev-list', '--all']).stdout.trim(), '', 'nothing was committed');
  const reported = new Set(run.output.split('\n').flatMap((l) => {
    const m = /^✖ (\S+)\s+(\S+)$/.exec(l.trim());
    return m ? [`${m[1]} ${m[2]}`] : [];
  }));
  const missed = expected.filter((e) => !reported.has(`${e.rule} ${e.at}`)).map((e) => `${e.syntax} (${e.at})`);
  assert.deepEqual(missed, [], 'syntaxes not refused by secret.generic-assignment (or their own provider rule) on their line');
  const printed = expected.filter((e) => run.output.includes(e.secret) || run.output.includes(e.written)).map((e) => e.syntax);
  assert.deepEqual(printed, [], 'secrets printed');
});
