// Generates a realistic evaluation corpus: files holding a planted fake credential, and
// look-alikes that hold none. Everything random is made at run time; nothing here is a real key.
import { randomInt } from 'node:crypto';
import { fake, fakeMore, join, randomFrom } from '../../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../../src/rules/secrets/validity.ts';

export interface CorpusFile {
  path: string;
  content: string;
  /** The planted value, or null for a look-alike. */
  secret: string | null;
  kind: string;
}

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;
const D = '-----';

/** Independent token builders (not the rule table's own examples), one per provider family. */
const TOKENS: Record<string, () => string> = {
  aws: () => join('AKI', 'A', fakeMore.base32(16)),
  github: () => withBase62Checksum(join('gh', pick(['p', 'o', 's', 'u']), '_'), fake.alnum(30)),
  githubFine: () => join('github_', 'pat_', fake.alnum(22), '_', fake.alnum(59)),
  gitlab: () => join('gl', 'pat-', fake.base64url(20)),
  slack: () => join('xo', 'xb-', fake.digits(11), '-', fake.digits(13), '-', fake.alnum(24)),
  stripe: () => join('sk', '_live_', fake.alnum(99)),
  google: () => join('AI', 'za', fake.base64url(35)),
  openai: () => join('sk-', 'proj-', fake.base64url(48), 'T3Blbk', 'FJ', fake.base64url(48)),
  anthropic: () => join('sk-', 'ant-api03-', fake.base64url(93), 'AA'),
  hf: () => join('h', 'f_', fakeMore.alpha(34)),
  npm: () => withBase62Checksum(join('np', 'm_'), fake.alnum(30)),
  sendgrid: () => join('S', 'G.', fake.base64url(22), '.', fake.base64url(43)),
  twilio: () => join('S', 'K', fake.hex(32)),
  databricks: () => join('dap', 'i', fake.hex(32)),
  do: () => join('dop_', 'v1_', fake.hex(64)),
  telegram: () => join(fake.digits(10), ':A', 'A', fake.base64url(33)),
  shopify: () => join('shp', 'at_', fake.hex(32)),
  groq: () => join('gs', 'k_', fake.alnum(52)),
  vault: () => join('hv', 's.', fake.base64url(90)),
  pypi: () => fakeMore.pypiToken('pypi.org'),
  dockerhub: () => join('dckr', '_pat_', fake.base64url(27)),
  linear: () => join('lin', '_api_', fake.alnum(40)),
  postman: () => join('PM', 'AK-', fake.hex(24), '-', fake.hex(34)),
  sentry: () => join('sntr', 'yu_', fake.hex(64)),
  newrelic: () => join('NR', 'AK-', fake.upper(27)),
};

const password = () =>
  pick([
    () => join(pick(['Summer', 'Winter', 'Falcon', 'Orange', 'Tiger']), pick(['!', '#', '@', '$']), fake.digits(4), fakeMore.lowerAlpha(3)),
    () => join(fake.alnum(6), pick(['%', '&', '!', '^']), fake.alnum(7)),
    () => randomFrom('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#%^&*', 16),
    () => join('P', '@ss', 'w0rd!', fake.digits(4), fakeMore.lowerAlpha(3)),
  ])();
const randomSecret = () => pick([() => fake.base64url(40), () => fake.hex(64), () => join(fake.alnum(20), fake.alnum(20)), () => fake.base64(44)])();

type Planter = (token: string) => { path: string; content: string; secret: string };

function notebook(sourceLines: string[], outputs = ''): string {
  const src = sourceLines.map((l, i) => `    ${JSON.stringify(l + (i < sourceLines.length - 1 ? '\n' : ''))}`).join(',\n');
  return `{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 1,\n   "metadata": {},\n   "outputs": [${outputs}],\n   "source": [\n${src}\n   ]\n  }\n ],\n "metadata": {"kernelspec": {"name": "python3"}},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
}

const PLANTED: [string, (n: number) => { path: string; content: string; secret: string }][] = [
  ['provider-in-python', (n) => {
    const [name, make] = pick(Object.entries(TOKENS));
    const t = make();
    return { path: `svc${n}/clients/${name}_client.py`, content: `import requests\n\n${name.toUpperCase()}_TOKEN = "${t}"\n\ndef call():\n    return requests.get("https://api.example.com", timeout=5)\n`, secret: t };
  }],
  ['provider-in-env-example', (n) => {
    const [name, make] = pick(Object.entries(TOKENS));
    const t = make();
    return { path: `app${n}/.env.example`, content: `# copy to .env\nDEBUG=false\n${name.toUpperCase()}_KEY=${t}\nLOG_LEVEL=info\n`, secret: t };
  }],
  ['provider-in-notebook', (n) => {
    const [name, make] = pick(Object.entries(TOKENS));
    const t = make();
    return { path: `notebooks/explore_${n}.ipynb`, content: notebook(['import os', `os.environ["${name.toUpperCase()}_API_KEY"] = "${t}"`, 'client = make_client()']), secret: t };
  }],
  ['provider-in-workflow', (n) => {
    const [name, make] = pick(Object.entries(TOKENS));
    const t = make();
    return { path: `.github/workflows/deploy${n}.yml`, content: `name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      ${name.toUpperCase()}_TOKEN: ${t}\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./deploy.sh\n`, secret: t };
  }],
  ['django-secret-key', (n) => {
    const t = join('django-insecure-', randomFrom('abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)', 50).replace(/[()]/g, 'q'));
    return { path: `site${n}/settings.py`, content: `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = '${t}'\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n`, secret: t };
  }],
  ['django-db-password', (n) => {
    const p = password();
    return { path: `proj${n}/settings/prod.py`, content: `DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "app",\n        "USER": "app",\n        "PASSWORD": "${p}",\n        "HOST": "db",\n    }\n}\n`, secret: p };
  }],
  ['compose-password', (n) => {
    const p = password();
    return { path: `stack${n}/docker-compose.yml`, content: `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: ${p}\n    ports:\n      - "5432:5432"\n`, secret: p };
  }],
  ['k8s-stringdata', (n) => {
    const s = randomSecret();
    return { path: `k8s/app${n}/secret.yaml`, content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\nstringData:\n  api-token: "${s}"\n`, secret: s };
  }],
  ['terraform-aws', (n) => {
    const id = TOKENS.aws!();
    return { path: `infra${n}/main.tf`, content: `provider "aws" {\n  region     = "eu-west-1"\n  access_key = "${id}"\n}\n`, secret: id };
  }],
  ['shell-export', (n) => {
    const s = randomSecret();
    return { path: `scripts/run${n}.sh`, content: `#!/bin/sh\nset -eu\nexport SERVICE_API_KEY=${s}\nexec python -m app\n`, secret: s };
  }],
  ['url-creds', (n) => {
    const p = password().replace(/[@/:#?%]/g, 'z');
    const scheme = pick(['postgresql', 'mysql', 'mongodb+srv', 'redis', 'amqp']);
    return { path: `cfg${n}/database.py`, content: `DATABASE_URL = "${scheme}://svc_user:${p}@db-${n}.prod.internal:5432/app"\n`, secret: p };
  }],
  ['json-config', (n) => {
    const s = randomSecret();
    return { path: `config/service${n}.json`, content: `{\n  "name": "svc",\n  "port": 8080,\n  "clientSecret": "${s}"\n}\n`, secret: s };
  }],
  ['ini-password', (n) => {
    const p = password();
    return { path: `etc/app${n}.cfg`, content: `[database]\nhost = db.internal\nuser = app\npassword = ${p}\n`, secret: p };
  }],
  ['toml-token', (n) => {
    const s = randomSecret();
    return { path: `tools/conf${n}.toml`, content: `[service]\nurl = "https://api.internal"\nauth_token = "${s}"\n`, secret: s };
  }],
  ['dockerfile-env', (n) => {
    const p = password();
    return { path: `images/img${n}/Dockerfile`, content: `FROM python:3.12-slim\nENV APP_ENV=production\nENV DB_PASSWORD=${p}\nCMD ["python", "-m", "app"]\n`, secret: p };
  }],
  ['private-key', (n) => {
    const body = Array.from({ length: 5 }, () => fakeMore.b64bytes(48)).join('\n');
    return { path: `deploy/keys${n}/deploy_key.txt`, content: `${join(D, 'BEGIN ', pick(['RSA ', 'EC ', 'OPENSSH ', '']), 'PRIVATE KEY', D)}\n${body}\n${join(D, 'END PRIVATE KEY', D)}\n`, secret: body.slice(0, 64) };
  }],
  ['slack-webhook', (n) => {
    const t = join('https://hooks.', 'slack.com/services/T', fake.upper(10), '/B', fake.upper(10), '/', fake.alnum(24));
    return { path: `alerts/notify${n}.py`, content: `WEBHOOK = "${t}"\n`, secret: t };
  }],
];

const LOOKALIKES: [string, (n: number) => { path: string; content: string }][] = [
  ['django-env', (n) => ({ path: `site${n}/settings.py`, content: `import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = os.getenv("DEBUG", "0") == "1"\nDATABASES = {"default": {"PASSWORD": os.environ.get("DB_PASSWORD", "")}}\n` })],
  ['compose-vars', (n) => ({ path: `stack${n}/docker-compose.yml`, content: `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}\n      POSTGRES_USER: postgres\n  cache:\n    image: redis:7\n` })],
  ['compose-example', (n) => ({ path: `dev${n}/docker-compose.yml`, content: `services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: example\n      MYSQL_PASSWORD: changeme\n` })],
  ['env-example', (n) => ({ path: `app${n}/.env.example`, content: `SECRET_KEY=<your-secret-key>\nAPI_TOKEN=xxxxxxxxxxxxxxxxxxxx\nDATABASE_URL=postgres://user:password@localhost:5432/app\nSTRIPE_KEY=${pick(['sk_live_...', 'your-stripe-key', 'REPLACE_ME'])}\n` })],
  ['aws-example', (n) => ({ path: `docs${n}/aws.md`, content: `aws_access_key_id = ${join('AKIAIOSFODNN7', 'EXAMPLE')}\naws_secret_access_key = ${join('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY')}\n` })],
  ['package-lock', (n) => ({ path: `web${n}/package-lock.json`, content: `{\n  "packages": {\n    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "https://registry.example.org/left-pad/-/left-pad-1.3.0.tgz",\n      "integrity": "sha512-${fake.base64(86)}=="\n    }\n  }\n}\n` })],
  ['poetry-lock', (n) => ({ path: `py${n}/poetry.lock`, content: `[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = [\n    {file = "requests-2.32.3.tar.gz", hash = "sha256:${fake.hex(64)}"},\n]\n` })],
  ['requirements-hash', (n) => ({ path: `req${n}/requirements.txt`, content: `requests==2.32.3 \\\n    --hash=sha256:${fake.hex(64)}\n` })],
  ['uuid-config', (n) => ({ path: `cfg${n}/ids.yaml`, content: `tenant_id: ${fakeMore.uuid()}\nsubscription_id: ${fakeMore.uuid()}\nrequest_id: ${fakeMore.uuid()}\n` })],
  ['git-sha', (n) => ({ path: `ci${n}/versions.json`, content: `{\n  "commit": "${fake.hex(40)}",\n  "tree_sha": "${fake.hex(40)}"\n}\n` })],
  ['notebook-image', (n) => ({ path: `nb/plot_${n}.ipynb`, content: notebook(['import matplotlib.pyplot as plt', 'plt.plot([1, 2, 3])'], `\n    {"data": {"image/png": "${fake.base64(400)}", "text/plain": ["<Figure>"]}, "output_type": "display_data"}\n   `) })],
  ['notebook-env', (n) => ({ path: `nb/train_${n}.ipynb`, content: notebook(['import os', 'api_key = os.environ["OPENAI_API_KEY"]', 'max_tokens = 512', 'tokenizer = AutoTokenizer.from_pretrained("gpt2")']) })],
  ['terraform-var', (n) => ({ path: `infra${n}/main.tf`, content: `resource "aws_db_instance" "db" {\n  username = "app"\n  password = var.db_password\n}\n` })],
  ['workflow-secrets', (n) => ({ path: `.github/workflows/ci${n}.yml`, content: `jobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      API_TOKEN: \${{ secrets.API_TOKEN }}\n    steps:\n      - uses: actions/checkout@${fake.hex(40)}\n` })],
  ['test-fixture', (n) => ({ path: `tests/test_login${n}.py`, content: `def test_login(client):\n    password = "test-password"\n    token = "fake-token-for-tests"\n    assert client.login("alice", password)\n` })],
  ['jwt-example', (n) => ({ path: `docs/auth${n}.md`, content: `Example: \`${join(fakeMore.b64urlJson({ alg: 'HS256', typ: 'JWT' }), '.', fakeMore.b64urlJson({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }), '.', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')}\`\n` })], // gitward:allow secret.high-entropy-string (the published jwt.io example signature)
  ['url-no-creds', (n) => ({ path: `cfg${n}/urls.py`, content: `API = "https://api.github.com/repos/org/repo"\nDB = "postgresql://localhost:5432/app"\nBROKER = "amqp://guest:guest@localhost:5672//"\n` })],
  ['python-code', (n) => ({ path: `src/auth${n}.py`, content: `def connect(cfg):\n    password = cfg.get("password")\n    token = get_token(cfg)\n    secret_key = settings.SECRET_KEY\n    return Client(token=token, password=password)\n` })],
  ['file-paths', (n) => ({ path: `cfg${n}/tls.ini`, content: `[tls]\nprivate_key = /etc/ssl/private/server.key\npassword_file = /run/secrets/db_password\n` })],
  ['digests', (n) => ({ path: `deploy${n}/images.yaml`, content: `image: registry.internal/app@sha256:${fake.hex(64)}\nchecksum: ${fake.hex(64)}\ndigest: sha256:${fake.hex(64)}\n` })],
  ['templated', (n) => ({ path: `ansible${n}/vars.yml`, content: `db_password: "{{ vault_db_password }}"\napi_key: "{{ lookup('env', 'API_KEY') }}"\nlogin_format: "%(user)s:%(password)s"\n` })],
  ['pem-public', (n) => ({ path: `certs${n}/ca.pem`, content: `${join(D, 'BEGIN CERTIFICATE', D)}\n${fakeMore.b64bytes(48)}\n${join(D, 'END CERTIFICATE', D)}\n` })],
  ['pem-parser', (n) => ({ path: `src/pem${n}.py`, content: `HEADER = "${join(D, 'BEGIN RSA ', 'PRIVATE KEY', D)}"\ndef is_key(text):\n    return text.startswith(HEADER)\n` })],
];

export function buildCorpus(perKind = 6): CorpusFile[] {
  const files: CorpusFile[] = [];
  let n = 0;
  for (let round = 0; round < perKind; round++) {
    for (const [kind, make] of PLANTED) {
      const f = make(n++);
      files.push({ ...f, kind });
    }
    for (const [kind, make] of LOOKALIKES) files.push({ ...make(n++), secret: null, kind });
  }
  return files;
}
