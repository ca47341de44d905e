// Held-out style measurement of the secret rules (issue 13), not shipped.
//
// Generates, from a seed, a corpus of small realistic changes (a file path and its content) in two
// sets: "leaks" (a credential of a real kind, placed in real-looking code or config) and "clean"
// (look-alikes a good scanner must let through). The corpus was written blind, from how Python
// teams and their Docker/CI/infra/JS/Go/Java neighbours write code, without reading the rules.
// Every value is generated at run time: no token-shaped literal stands in this file.
//
// Each case goes into its own folder of a temporary repository with `gitward install`; cases are
// staged in batches, `gitward scan --format json` attributes findings by path, then a real
// `git commit` runs the hook (it must refuse exactly the batches that hold a blocking finding).
// Every output (JSON, hook stdout and stderr) is searched for each generated secret.
//
// Usage: npm run build && node --import tsx scripts/measure/realistic-commits.ts
//          [--seed N] [--batch N] [--verbose] [--list] [--dump N]   (--batch 1: one commit per case)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join as joinPath } from 'node:path';

const args = process.argv.slice(2);
const argValue = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const seed = argValue('--seed', 13);
const batchSize = argValue('--batch', 20);
const verbose = args.includes('--verbose');
const listOnly = args.includes('--list');

// fake.ts draws from its own seeded generator: give it this run's seed before it loads.
process.env.GITWARD_FAKE_SEED = String(seed * 7919 + 1);
const { join } = await import('../../src/rules/secrets/fake.ts');
const { fakeMore } = await import('../../src/rules/secrets/fake.ts');
const { withBase62Checksum } = await import('../../src/rules/secrets/validity.ts');

// ---------------------------------------------------------------------------------------------
// Randomness (mulberry32) for every choice and every value of this corpus.
let state = (seed * 2654435761) >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
function str(charset: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += charset[Math.floor(rand() * charset.length)];
  return out;
}
const alnum = (n: number) => str(ALNUM, n);
const hex = (n: number) => str(HEX, n);
const upperHex = (n: number) => str('0123456789ABCDEF', n);
const digits = (n: number) => str(DIGITS, n);
const lower = (n: number) => str(LOWER, n);
const lowerDigits = (n: number) => str(LOWER + DIGITS, n);
const upperDigits = (n: number) => str(UPPER + DIGITS, n);
const b64url = (n: number) => str(B64URL, n);
const b64 = (n: number) => str(B64, n);
const bytesB64 = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255))).toString('base64');
const uuid = () => [hex(8), hex(4), '4' + hex(3), pick(['8', '9', 'a', 'b']) + hex(3), hex(12)].join('-');

// ---------------------------------------------------------------------------------------------
// Names, hosts and words used to dress the cases.
const services = ['billing', 'orders', 'ingest', 'reports', 'auth', 'search', 'notifier', 'etl', 'ml-serving', 'webapp'];
const corp = ['acme', 'northwind', 'contoso', 'initech', 'globex', 'umbrella', 'hooli', 'vandelay'];
const dbNames = ['app', 'orders', 'analytics', 'warehouse', 'core', 'billing_prod', 'events'];
const users = ['app_user', 'svc_etl', 'admin', 'reporting', 'django', 'airflow', 'deploy', 'readonly'];
const host = () => pick([
  `db-${pick(['prod', 'primary', 'main', 'replica'])}.${pick(corp)}.internal`,
  `${pick(corp)}-prod.c${lowerDigits(10)}.eu-west-1.rds.amazonaws.com`,
  `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
  `${pick(['pg', 'mysql', 'db'])}.${pick(corp)}.io`,
]);
const words = ['Summer', 'Falcon', 'Orange', 'Winter', 'Dragon', 'Harbor', 'Maple', 'Rocket', 'Tiger', 'Coffee', 'Purple', 'Sunset', 'Bravo', 'Kestrel'];

/** A password as people and generators write them: human-made ones and pwgen/1Password ones. */
function password(): string {
  switch (int(0, 3)) {
    case 0: return `${pick(words)}${pick(words).toLowerCase()}${digits(int(2, 4))}${pick(['!', '#', '$', '@', '*'])}`;
    case 1: return `${pick(words)}${digits(4)}${pick(['!', '?', '%'])}${alnum(3)}`;
    case 2: return str(ALNUM + '!#%*-_', int(16, 24));
    default: return `${alnum(6)}-${alnum(6)}-${alnum(6)}`;
  }
}
/** A password that is safe in a URL, .pgpass, etc. */
function urlPassword(): string {
  return int(0, 1) ? alnum(int(14, 24)) : `${pick(words)}${digits(4)}${alnum(4)}`;
}

function pemBody(prefix: string, bytes: number): string {
  const body = prefix + bytesB64(bytes).replace(/=+$/, '');
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return lines.join('\n');
}
const pemLine = (kind: string, side: 'BEGIN' | 'END') => join('-----', side, ' ', kind, '-----');
function privateKey(kind: 'RSA' | 'PKCS8' | 'EC' | 'OPENSSH'): string {
  const label = { RSA: join('RSA PRIVATE', ' KEY'), PKCS8: join('PRIVATE', ' KEY'), EC: join('EC PRIVATE', ' KEY'), OPENSSH: join('OPENSSH PRIVATE', ' KEY') }[kind];
  const prefix = { RSA: 'MIIEpAIBAAKCAQEA', PKCS8: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', EC: 'MHcCAQEEI', OPENSSH: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB' }[kind];
  const size = { RSA: 1180, PKCS8: 1180, EC: 90, OPENSSH: 300 }[kind];
  return `${pemLine(label, 'BEGIN')}\n${pemBody(prefix, size)}\n${pemLine(label, 'END')}`;
}

// ---------------------------------------------------------------------------------------------
// Credentials in their documented shapes.
const tok = {
  awsId: () => join('AK', 'IA') + str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16),
  awsStsId: () => join('AS', 'IA') + str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16),
  awsSecret: () => b64(40),
  awsSession: () => join('IQoJb3JpZ2lu', 'X2VjE') + b64(int(300, 420)) + '=',
  ghp: () => withBase62Checksum(join('gh', 'p_'), alnum(30)),
  gho: () => withBase62Checksum(join('gh', 'o_'), alnum(30)),
  ghs: () => withBase62Checksum(join('gh', 's_'), alnum(30)),
  githubPat: () => join('github', '_pat_') + upperDigits(22) + '_' + alnum(59),
  glpat: () => join('gl', 'pat-') + str(ALNUM + '-_', 20),
  slackBot: () => join('xox', 'b-') + digits(12) + '-' + digits(13) + '-' + alnum(24),
  slackUser: () => join('xox', 'p-') + digits(12) + '-' + digits(12) + '-' + digits(13) + '-' + hex(32),
  slackHook: () => join('https://hooks.', 'slack.com/services/') + 'T' + upperDigits(8) + '/B' + upperDigits(10) + '/' + alnum(24),
  stripeLive: () => join('sk', '_live_') + (int(0, 1) ? '51' + alnum(97) : alnum(24)),
  stripeRestricted: () => join('rk', '_live_') + '51' + alnum(97),
  stripeTest: () => join('sk', '_test_') + '51' + alnum(97),
  stripeWebhook: () => join('wh', 'sec_') + alnum(32),
  openaiProject: () => join('sk', '-proj-') + b64url(74) + join('T3Blbk', 'FJ') + b64url(74),
  openaiLegacy: () => join('s', 'k-') + alnum(20) + join('T3Blbk', 'FJ') + alnum(20),
  openaiSvc: () => join('sk-', 'svcacct-') + b64url(74) + join('T3Blbk', 'FJ') + b64url(74),
  anthropic: () => join('sk-ant', '-api03-') + b64url(93) + 'AA',
  hf: () => join('h', 'f_') + str(UPPER + LOWER, 34),
  google: () => join('AI', 'za') + str(ALNUM + '-_', 35),
  azureStorageKey: () => bytesB64(64),
  azureClientSecret: () => alnum(3) + join('8', 'Q~') + str(ALNUM + '_~.-', 34),
  twilioToken: () => hex(32),
  twilioApiKey: () => join('S', 'K') + hex(32),
  sendgrid: () => join('S', 'G.') + b64url(22) + '.' + b64url(43),
  mailgun: () => join('key', '-') + hex(32),
  npm: () => withBase62Checksum(join('np', 'm_'), alnum(30)),
  pypi: () => fakeMore.pypiToken(join('pypi', '.org')),
  shopify: () => join('shp', 'at_') + hex(32),
  discordHook: () => join('https://discord.com/api/', 'webhooks/') + digits(19) + '/' + b64url(68),
  telegram: () => digits(10) + ':' + join('A', 'A') + str(ALNUM + '-_', 33),
  datadog: () => hex(32),
  sentryUser: () => join('sntry', 'u_') + hex(64),
  databricks: () => join('dap', 'i') + hex(32),
  digitalocean: () => join('dop', '_v1_') + hex(64),
  linear: () => join('lin', '_api_') + alnum(40),
  notion: () => join('secret', '_') + alnum(43),
  groq: () => join('gs', 'k_') + alnum(52),
  replicate: () => join('r', '8_') + alnum(37),
  postman: () => join('PM', 'AK-') + hex(24) + '-' + hex(34),
  newrelic: () => join('NR', 'AK-') + upperDigits(27),
  grafana: () => join('gl', 'sa_') + alnum(32) + '_' + hex(8),
  langsmith: () => join('lsv2', '_pt_') + hex(32) + '_' + hex(10),
  mapboxSecret: () => join('s', 'k.') + fakeMore.b64urlJson({ u: pick(corp), a: lowerDigits(25) }) + '.' + b64url(22),
  supabaseService: () => fakeMore.jwt({ iss: 'supabase', ref: lower(20), role: 'service_role', iat: 1700000000 + int(0, 9999999), exp: 2000000000 + int(0, 99999999) }),
  age: () => fakeMore.ageKey(),
  djangoInsecure: () => join('django-', 'insecure-') + str(LOWER + DIGITS + '!@#$%^&*(-_=+)', 50),
  djangoKey: () => str(LOWER + DIGITS + '!@#$%^&*(-_=+)', 50),
  flaskKey: () => (int(0, 1) ? hex(64) : b64url(43)),
  uuidKey: () => uuid(),
  gmailAppPassword: () => [lower(4), lower(4), lower(4), lower(4)].join(' '),
  azureDevops: () => str('abcdefghijklmnopqrstuvwxyz234567', 52),
  cohere: () => alnum(40),
  mistral: () => alnum(32),
  cloudflare: () => str(ALNUM + '-_', 40),
  heroku: () => uuid(),
  jwtUser: () => fakeMore.jwt({ sub: String(int(1000, 99999)), email: `ops@${pick(corp)}.com`, role: 'admin', iat: 1712000000 + int(0, 999999) }),
};
type TokenKind = keyof typeof tok;

interface Case {
  set: 'leak' | 'clean';
  template: string;
  path: string;
  content: string;
  secrets: string[];
}

// Each provider token with a variable name people give it and a Python-ish client line.
const providers: { kind: TokenKind; env: string; py: (v: string) => string }[] = [
  { kind: 'openaiProject', env: 'OPENAI_API_KEY', py: (v) => `client = OpenAI(api_key="${v}")` },
  { kind: 'openaiLegacy', env: 'OPENAI_API_KEY', py: (v) => `openai.api_key = "${v}"` },
  { kind: 'openaiSvc', env: 'OPENAI_API_KEY', py: (v) => `llm = ChatOpenAI(model="gpt-4o-mini", openai_api_key="${v}")` },
  { kind: 'anthropic', env: 'ANTHROPIC_API_KEY', py: (v) => `client = anthropic.Anthropic(api_key="${v}")` },
  { kind: 'hf', env: 'HF_TOKEN', py: (v) => `login(token="${v}")` },
  { kind: 'google', env: 'GOOGLE_API_KEY', py: (v) => `gmaps = googlemaps.Client(key="${v}")` },
  { kind: 'ghp', env: 'GITHUB_TOKEN', py: (v) => `gh = Github("${v}")` },
  { kind: 'githubPat', env: 'GH_TOKEN', py: (v) => `headers = {"Authorization": "token ${v}"}` },
  { kind: 'glpat', env: 'GITLAB_TOKEN', py: (v) => `gl = gitlab.Gitlab("https://gitlab.${pick(corp)}.com", private_token="${v}")` },
  { kind: 'slackBot', env: 'SLACK_BOT_TOKEN', py: (v) => `client = WebClient(token="${v}")` },
  { kind: 'slackUser', env: 'SLACK_USER_TOKEN', py: (v) => `slack = WebClient(token='${v}')` },
  { kind: 'stripeLive', env: 'STRIPE_SECRET_KEY', py: (v) => `stripe.api_key = "${v}"` },
  { kind: 'stripeRestricted', env: 'STRIPE_API_KEY', py: (v) => `stripe.api_key = '${v}'` },
  { kind: 'stripeWebhook', env: 'STRIPE_WEBHOOK_SECRET', py: (v) => `event = stripe.Webhook.construct_event(payload, sig_header, "${v}")` },
  { kind: 'sendgrid', env: 'SENDGRID_API_KEY', py: (v) => `sg = SendGridAPIClient("${v}")` },
  { kind: 'mailgun', env: 'MAILGUN_API_KEY', py: (v) => `auth=("api", "${v}")` },
  { kind: 'twilioApiKey', env: 'TWILIO_API_KEY', py: (v) => `client = Client("${v}", "${hex(32)}", "AC${hex(32)}")` },
  { kind: 'shopify', env: 'SHOPIFY_ACCESS_TOKEN', py: (v) => `session = shopify.Session(shop_url, "2024-01", "${v}")` },
  { kind: 'telegram', env: 'TELEGRAM_BOT_TOKEN', py: (v) => `bot = telebot.TeleBot("${v}")` },
  { kind: 'sentryUser', env: 'SENTRY_AUTH_TOKEN', py: (v) => `headers = {"Authorization": f"Bearer ${v}"}` },
  { kind: 'databricks', env: 'DATABRICKS_TOKEN', py: (v) => `w = WorkspaceClient(host="https://adb-${digits(16)}.7.azuredatabricks.net", token="${v}")` },
  { kind: 'digitalocean', env: 'DIGITALOCEAN_TOKEN', py: (v) => `manager = digitalocean.Manager(token="${v}")` },
  { kind: 'linear', env: 'LINEAR_API_KEY', py: (v) => `headers = {"Authorization": "${v}"}` },
  { kind: 'notion', env: 'NOTION_TOKEN', py: (v) => `notion = Client(auth="${v}")` },
  { kind: 'groq', env: 'GROQ_API_KEY', py: (v) => `client = Groq(api_key="${v}")` },
  { kind: 'replicate', env: 'REPLICATE_API_TOKEN', py: (v) => `os.environ["REPLICATE_API_TOKEN"] = "${v}"` },
  { kind: 'postman', env: 'POSTMAN_API_KEY', py: (v) => `headers = {"X-Api-Key": "${v}"}` },
  { kind: 'newrelic', env: 'NEW_RELIC_API_KEY', py: (v) => `headers = {"Api-Key": "${v}"}` },
  { kind: 'grafana', env: 'GRAFANA_TOKEN', py: (v) => `headers = {"Authorization": "Bearer ${v}"}` },
  { kind: 'langsmith', env: 'LANGCHAIN_API_KEY', py: (v) => `os.environ["LANGCHAIN_API_KEY"] = "${v}"` },
  { kind: 'npm', env: 'NPM_TOKEN', py: (v) => `NPM_TOKEN = "${v}"` },
  { kind: 'pypi', env: 'TWINE_PASSWORD', py: (v) => `subprocess.run(["twine", "upload", "dist/*", "-u", "__token__", "-p", "${v}"])` },
  { kind: 'datadog', env: 'DD_API_KEY', py: (v) => `initialize(api_key="${v}", app_key="${hex(40)}")` },
  { kind: 'azureClientSecret', env: 'AZURE_CLIENT_SECRET', py: (v) => `cred = ClientSecretCredential(tenant_id="${uuid()}", client_id="${uuid()}", client_secret="${v}")` },
  { kind: 'mapboxSecret', env: 'MAPBOX_SECRET_TOKEN', py: (v) => `MAPBOX_TOKEN = "${v}"` },
  { kind: 'supabaseService', env: 'SUPABASE_SERVICE_ROLE_KEY', py: (v) => `supabase = create_client("https://${lower(20)}.supabase.co", "${v}")` },
  { kind: 'cohere', env: 'COHERE_API_KEY', py: (v) => `co = cohere.Client("${v}")` },
  { kind: 'mistral', env: 'MISTRAL_API_KEY', py: (v) => `client = Mistral(api_key="${v}")` },
  { kind: 'cloudflare', env: 'CLOUDFLARE_API_TOKEN', py: (v) => `cf = CloudFlare.CloudFlare(token="${v}")` },
  { kind: 'heroku', env: 'HEROKU_API_KEY', py: (v) => `heroku_conn = heroku3.from_key("${v}")` },
  { kind: 'uuidKey', env: 'PINECONE_API_KEY', py: (v) => `pc = Pinecone(api_key="${v}")` },
  { kind: 'stripeTest', env: 'STRIPE_SECRET_KEY', py: (v) => `stripe.api_key = "${v}"` },
];

// ---------------------------------------------------------------------------------------------
// Leaks: a template returns [path, content, secrets].
type Made = [string, string, string[]];
const svc = () => pick(services);
const leakTemplates: Record<string, () => Made> = {
  'py-client-literal': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const file = pick([`${svc()}/clients.py`, `app/integrations/${p.env.split('_')[0]!.toLowerCase()}.py`, 'scripts/backfill.py', 'src/tasks.py']);
    return [file, `import os\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n${p.py(v)}\n\n\ndef run():\n    logger.info("starting")\n`, [v]];
  },
  'settings-py-constant': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [pick(['config/settings/production.py', 'settings.py', `${svc()}/settings.py`]),
      `from .base import *  # noqa\n\nDEBUG = False\nALLOWED_HOSTS = ["${svc()}.${pick(corp)}.com"]\n\n${p.env} = "${v}"\n`, [v]];
  },
  'dotenv': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const q = pick(['', '"']);
    return [pick(['.env', '.env.production', 'deploy/.env.prod', `${svc()}/.env.local`]),
      `DEBUG=false\nLOG_LEVEL=info\n${p.env}=${q}${v}${q}\nREDIS_URL=redis://localhost:6379/0\n`, [v]];
  },
  'yaml-config': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const key = p.env.toLowerCase().replace(/^[a-z]+_/, '');
    const q = pick(['', '"', "'"]);
    return [pick(['config.yaml', 'config/prod.yml', `${svc()}/settings.yaml`]),
      `service:\n  name: ${svc()}\n  port: 8080\n${p.env.split('_')[0]!.toLowerCase()}:\n  ${key}: ${q}${v}${q}\n  timeout: 30\n`, [v]];
  },
  'compose-environment': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const style = int(0, 1);
    const envLine = style ? `      - ${p.env}=${v}` : `      ${p.env}: ${v}`;
    return ['docker-compose.yml', `services:\n  ${svc()}:\n    build: .\n    ports:\n      - "8000:8000"\n    environment:\n${envLine}\n      ${style ? '- ' : ''}LOG_LEVEL${style ? '=' : ': '}debug\n`, [v]];
  },
  'compose-db-password': () => {
    const v = password();
    return ['docker-compose.prod.yml', `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: ${pick(users)}\n      POSTGRES_PASSWORD: "${v}"\n      POSTGRES_DB: ${pick(dbNames)}\n`, [v]];
  },
  'k8s-secret-stringdata': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`k8s/${svc()}-secret.yaml`, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${svc()}-secrets\ntype: Opaque\nstringData:\n  ${p.env}: "${v}"\n`, [v]];
  },
  'k8s-secret-data-b64': () => {
    const v = urlPassword();
    const encoded = Buffer.from(v).toString('base64');
    return [`deploy/k8s/db-secret.yaml`, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: ${svc()}\ntype: Opaque\ndata:\n  username: ${Buffer.from(pick(users)).toString('base64')}\n  password: ${encoded}\n`, [v, encoded]];
  },
  'k8s-deployment-env-value': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`deploy/${svc()}/deployment.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${svc()}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/${pick(corp)}/${svc()}:1.4.2\n          env:\n            - name: ${p.env}\n              value: "${v}"\n`, [v]];
  },
  'dockerfile-env': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return ['Dockerfile', `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n${pick(['ENV', 'ARG'])} ${p.env}=${v}\nCOPY . .\nCMD ["gunicorn", "app:app"]\n`, [v]];
  },
  'dockerfile-aws': () => {
    const id = tok.awsId(), s = tok.awsSecret();
    return ['docker/worker.Dockerfile', `FROM python:3.11\nENV AWS_ACCESS_KEY_ID=${id} \\\n    AWS_SECRET_ACCESS_KEY=${s} \\\n    AWS_DEFAULT_REGION=us-east-1\nRUN pip install boto3\n`, [id, s]];
  },
  'gha-env-literal': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return ['.github/workflows/ci.yml', `name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      ${p.env}: ${v}\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -r requirements.txt && pytest\n`, [v]];
  },
  'gha-curl-token': () => {
    const v = pick([tok.ghp, tok.githubPat])();
    return ['.github/workflows/release.yml', `name: release\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -sSf -X POST -H "Authorization: token ${v}" \\\n            https://api.github.com/repos/${pick(corp)}/${svc()}/releases -d @release.json\n`, [v]];
  },
  'gitlab-ci-variables': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return ['.gitlab-ci.yml', `stages: [test, deploy]\nvariables:\n  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"\n  ${p.env}: "${v}"\ntest:\n  stage: test\n  script:\n    - pytest -q\n`, [v]];
  },
  'terraform-aws-provider': () => {
    const id = tok.awsId(), s = tok.awsSecret();
    return ['infra/main.tf', `provider "aws" {\n  region     = "eu-west-1"\n  access_key = "${id}"\n  secret_key = "${s}"\n}\n\nresource "aws_s3_bucket" "data" {\n  bucket = "${pick(corp)}-${svc()}-data"\n}\n`, [id, s]];
  },
  'tfvars-password': () => {
    const v = password();
    return [pick(['infra/prod.tfvars', 'terraform/environments/prod/terraform.tfvars']), `environment       = "prod"\ninstance_class    = "db.t3.medium"\ndb_username       = "${pick(users)}"\ndb_password       = "${v}"\n`, [v]];
  },
  'terraform-variable-default': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return ['infra/variables.tf', `variable "${p.env.toLowerCase()}" {\n  description = "API key for the ${svc()} integration"\n  type        = string\n  default     = "${v}"\n}\n`, [v]];
  },
  'notebook-env-assign': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const nb = {
      cells: [
        { cell_type: 'code', execution_count: 1, id: alnum(8), metadata: {}, outputs: [], source: ['import os\n', `os.environ["${p.env}"] = "${v}"`] },
        { cell_type: 'code', execution_count: 2, id: alnum(8), metadata: {}, outputs: [], source: ['df = load_data()\n', 'df.head()'] },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4, nbformat_minor: 5,
    };
    return [`notebooks/${pick(['exploration', 'eval', 'prototype', 'rag-demo'])}.ipynb`, JSON.stringify(nb, null, 1) + '\n', [v]];
  },
  'notebook-client-literal': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const nb = {
      cells: [
        { cell_type: 'markdown', id: alnum(8), metadata: {}, source: ['# Quick test of the API'] },
        { cell_type: 'code', execution_count: 3, id: alnum(8), metadata: {}, outputs: [{ name: 'stdout', output_type: 'stream', text: ['ok\n'] }], source: [p.py(v) + '\n', 'print("ok")'] },
      ],
      metadata: {}, nbformat: 4, nbformat_minor: 5,
    };
    return [`analysis/${pick(['llm_eval', 'scratch', 'demo'])}.ipynb`, JSON.stringify(nb, null, 1) + '\n', [v]];
  },
  'boto3-client-keys': () => {
    const id = tok.awsId(), s = tok.awsSecret();
    return [`${svc()}/storage.py`, `import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id="${id}",\n    aws_secret_access_key="${s}",\n    region_name="us-east-1",\n)\n`, [id, s]];
  },
  'aws-credentials-file': () => {
    const id = tok.awsStsId(), s = tok.awsSecret(), t = tok.awsSession();
    return ['ops/aws/credentials', `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${s}\naws_session_token = ${t}\n`, [id, s, t]];
  },
  'aws-settings-secret-only': () => {
    const s = tok.awsSecret();
    return ['config/settings/prod.py', `AWS_STORAGE_BUCKET_NAME = "${pick(corp)}-media"\nAWS_S3_REGION_NAME = "eu-central-1"\nAWS_SECRET_ACCESS_KEY = "${s}"\n`, [s]];
  },
  'gcp-service-account': () => {
    const key = privateKey('PKCS8');
    const body = key.split('\n').slice(1, -1);
    const project = `${pick(corp)}-${svc()}-${digits(6)}`;
    const sa = {
      type: 'service_account', project_id: project, private_key_id: hex(40), private_key: key + '\n',
      client_email: `${svc()}@${project}.iam.gserviceaccount.com`, client_id: digits(21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: 'https://oauth2.googleapis.com/token',
    };
    return [pick(['credentials/service-account.json', 'gcp-key.json', `${svc()}/sa.json`]), JSON.stringify(sa, null, 2) + '\n', [body[1]!, body[body.length - 2]!]];
  },
  'private-key-file': () => {
    const kind = pick(['RSA', 'OPENSSH', 'EC', 'PKCS8'] as const);
    const key = privateKey(kind);
    const body = key.split('\n').slice(1, -1);
    return [pick(['deploy/id_rsa', 'keys/server.key', 'ansible/files/deploy_key', 'certs/tls.key']), key + '\n', [body[1]!]];
  },
  'private-key-in-python': () => {
    const key = privateKey(pick(['RSA', 'PKCS8'] as const));
    const body = key.split('\n').slice(1, -1);
    return [`${svc()}/jwt_keys.py`, `JWT_ALGORITHM = "RS256"\nJWT_PRIVATE_KEY = """${key}\n"""\n`, [body[1]!]];
  },
  'django-secret-key': () => {
    const v = pick([tok.djangoInsecure, tok.djangoKey])();
    return [pick(['mysite/settings.py', 'config/settings/base.py']), `from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = '${v}'\n\nDEBUG = False\n`, [v]];
  },
  'flask-secret-key': () => {
    const v = tok.flaskKey();
    return [pick(['app/__init__.py', 'app.py', `${svc()}/factory.py`]), `from flask import Flask\n\napp = Flask(__name__)\n${pick([`app.secret_key = "${v}"`, `app.config["SECRET_KEY"] = "${v}"`, `app.config.update(SECRET_KEY="${v}")`])}\n`, [v]];
  },
  'sqlalchemy-url': () => {
    const pw = urlPassword();
    const url = `${pick(['postgresql+psycopg2', 'postgresql', 'mysql+pymysql', 'postgresql+asyncpg'])}://${pick(users)}:${pw}@${host()}:${pick(['5432', '3306'])}/${pick(dbNames)}`;
    return [pick(['app/db.py', `${svc()}/database.py`, 'alembic/env.py']), `from sqlalchemy import create_engine\n\n${pick(['engine = create_engine(', 'SQLALCHEMY_DATABASE_URI = ('])}"${url}")\n`, [pw]];
  },
  'database-url-env': () => {
    const pw = urlPassword();
    return [pick(['.env', '.env.staging', 'deploy/prod.env']), `DATABASE_URL=postgres://${pick(users)}:${pw}@${host()}:5432/${pick(dbNames)}\nDJANGO_SETTINGS_MODULE=config.settings.production\n`, [pw]];
  },
  'mongodb-srv': () => {
    const pw = urlPassword();
    return [pick(['src/mongo.py', 'config/default.json', 'api/db.js']), `const uri = "mongodb+srv://${pick(users)}:${pw}@cluster0.${lowerDigits(5)}.mongodb.net/${pick(dbNames)}?retryWrites=true&w=majority";\n`, [pw]];
  },
  'redis-url': () => {
    const pw = urlPassword();
    return [pick(['celeryconfig.py', `${svc()}/cache.py`]), `broker_url = "redis://:${pw}@${pick(['redis', 'cache'])}.${pick(corp)}.internal:6379/0"\nresult_backend = broker_url\n`, [pw]];
  },
  'amqp-url': () => {
    const pw = urlPassword();
    return ['worker/config.py', `CELERY_BROKER_URL = "amqp://${pick(users)}:${pw}@rabbitmq.${pick(corp)}.internal:5672/${svc()}"\n`, [pw]];
  },
  'jdbc-url': () => {
    const pw = urlPassword();
    return ['src/main/resources/application.properties', `spring.application.name=${svc()}\nspring.datasource.url=jdbc:postgresql://${host()}:5432/${pick(dbNames)}?user=${pick(users)}&password=${pw}\nspring.jpa.hibernate.ddl-auto=validate\n`, [pw]];
  },
  'spring-properties-password': () => {
    const pw = password();
    return ['src/main/resources/application-prod.properties', `spring.datasource.url=jdbc:mysql://${host()}:3306/${pick(dbNames)}\nspring.datasource.username=${pick(users)}\nspring.datasource.password=${pw}\n`, [pw]];
  },
  'spring-yaml-password': () => {
    const pw = password();
    return ['src/main/resources/application.yml', `spring:\n  datasource:\n    url: jdbc:postgresql://${host()}:5432/${pick(dbNames)}\n    username: ${pick(users)}\n    password: ${pw}\n`, [pw]];
  },
  'dotnet-connection-string': () => {
    const pw = password().replace(/;/g, '');
    const cs = `Server=tcp:${pick(corp)}-sql.database.windows.net,1433;Initial Catalog=${pick(dbNames)};User ID=${pick(users)};Password=${pw};Encrypt=True;`;
    return ['src/Api/appsettings.Production.json', JSON.stringify({ ConnectionStrings: { Default: cs }, Logging: { LogLevel: { Default: 'Information' } } }, null, 2) + '\n', [pw]];
  },
  'azure-storage-connection-string': () => {
    const k = tok.azureStorageKey();
    return [pick(['local.settings.json', `${svc()}/blob.py`]), `AZURE_STORAGE_CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=${pick(corp)}${lower(4)};AccountKey=${k};EndpointSuffix=core.windows.net"\n`, [k]];
  },
  'psycopg-connect-password': () => {
    const pw = password().replace(/"/g, '');
    return [pick(['etl/load.py', 'scripts/migrate_data.py']), `import psycopg2\n\nconn = psycopg2.connect(\n    host="${host()}",\n    dbname="${pick(dbNames)}",\n    user="${pick(users)}",\n    password="${pw}",\n)\n`, [pw]];
  },
  'snowflake-connect': () => {
    const pw = password().replace(/'/g, '');
    return ['pipelines/snowflake_io.py', `import snowflake.connector\n\nctx = snowflake.connector.connect(\n    user='${pick(users).toUpperCase()}',\n    password='${pw}',\n    account='${lower(7)}-${lower(7)}',\n    warehouse='COMPUTE_WH',\n)\n`, [pw]];
  },
  'redis-client-password': () => {
    const pw = urlPassword();
    return [`${svc()}/cache.py`, `import redis\n\nr = redis.Redis(host="cache.${pick(corp)}.internal", port=6379, password="${pw}", db=0)\n`, [pw]];
  },
  'smtp-login': () => {
    const pw = pick([tok.gmailAppPassword, password])();
    return ['notify/mailer.py', `import smtplib\n\nwith smtplib.SMTP("smtp.gmail.com", 587) as server:\n    server.starttls()\n    server.login("alerts@${pick(corp)}.com", "${pw}")\n    server.send_message(msg)\n`, [pw]];
  },
  'django-email-password': () => {
    const pw = password();
    return ['config/settings/production.py', `EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = "smtp.sendgrid.net"\nEMAIL_HOST_USER = "apikey"\nEMAIL_HOST_PASSWORD = "${pw}"\n`, [pw]];
  },
  'django-databases-password': () => {
    const pw = password();
    return ['config/settings/production.py', `DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "${pick(dbNames)}",\n        "USER": "${pick(users)}",\n        "PASSWORD": "${pw}",\n        "HOST": "${host()}",\n        "PORT": "5432",\n    }\n}\n`, [pw]];
  },
  'requests-bearer-header': () => {
    const v = pick([tok.jwtUser, tok.sentryUser, tok.grafana, () => b64url(48)])();
    return [pick(['scripts/sync_users.py', `${svc()}/api_client.py`]), `import requests\n\nresp = requests.get(\n    "https://api.${pick(corp)}.com/v2/users",\n    headers={"Authorization": "Bearer ${v}"},\n    timeout=10,\n)\n`, [v]];
  },
  'httpx-api-key-header': () => {
    const v = pick([() => hex(32), () => alnum(40), tok.uuidKey])();
    return [`${svc()}/vendor.py`, `import httpx\n\nclient = httpx.Client(\n    base_url="https://api.${pick(corp)}.io",\n    headers={"X-API-Key": "${v}"},\n)\n`, [v]];
  },
  'requests-basic-auth': () => {
    const pw = password().replace(/"/g, '');
    return ['scripts/jira_export.py', `import requests\n\nr = requests.get(f"{BASE}/rest/api/2/search", auth=("${pick(users)}@${pick(corp)}.com", "${pw}"))\n`, [pw]];
  },
  'curl-bearer-shell': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [pick(['scripts/deploy.sh', 'bin/smoke-test.sh']), `#!/usr/bin/env bash\nset -euo pipefail\n\ncurl -s https://api.${pick(corp)}.com/v1/health \\\n  -H "Authorization: Bearer ${v}" \\\n  -H "Content-Type: application/json"\n`, [v]];
  },
  'curl-user-pass': () => {
    const pw = urlPassword();
    return ['scripts/upload_artifact.sh', `#!/bin/sh\ncurl -u deploy:${pw} -T dist/app.tar.gz https://nexus.${pick(corp)}.internal/repository/raw/app.tar.gz\n`, [pw]];
  },
  'shell-export': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [pick(['scripts/env.sh', 'setup_env.sh', '.envrc']), `#!/usr/bin/env bash\nexport PYTHONPATH=src\nexport ${p.env}="${v}"\nexport ENVIRONMENT=staging\n`, [v]];
  },
  'js-config-object': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [pick(['web/src/config.ts', 'frontend/config.js', 'server/config.js']), `export const config = {\n  apiUrl: "https://api.${pick(corp)}.com",\n  ${p.env.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}: "${v}",\n  retries: 3,\n};\n`, [v]];
  },
  'node-stripe-require': () => {
    const v = tok.stripeLive();
    return ['server/payments.js', `const stripe = require('stripe')('${v}');\n\nmodule.exports = { stripe };\n`, [v]];
  },
  'go-const': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    const name = p.env.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    return [`cmd/${svc()}/main.go`, `package main\n\nimport "fmt"\n\n${pick([`const ${name} = "${v}"`, `var ${name} = "${v}"`])}\n\nfunc main() {\n\tfmt.Println("starting")\n}\n`, [v]];
  },
  'go-struct-literal': () => {
    const pw = password().replace(/"/g, '');
    return ['internal/db/config.go', `package db\n\nvar defaultConfig = Config{\n\tHost:     "${host()}",\n\tUser:     "${pick(users)}",\n\tPassword: "${pw}",\n\tDBName:   "${pick(dbNames)}",\n}\n`, [pw]];
  },
  'go-dsn': () => {
    const pw = urlPassword();
    return ['internal/store/postgres.go', `package store\n\nfunc Open() (*sql.DB, error) {\n\treturn sql.Open("postgres", "host=${host()} port=5432 user=${pick(users)} password=${pw} dbname=${pick(dbNames)} sslmode=require")\n}\n`, [pw]];
  },
  'java-constant': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`src/main/java/com/${pick(corp)}/Client.java`, `package com.${pick(corp)};\n\npublic class Client {\n    private static final String ${p.env} = "${v}";\n}\n`, [v]];
  },
  'slack-webhook-py': () => {
    const v = tok.slackHook();
    return [pick(['alerts/slack.py', 'scripts/notify.py']), `import requests\n\nWEBHOOK_URL = "${v}"\n\nrequests.post(WEBHOOK_URL, json={"text": "deploy finished"})\n`, [v.split('/').pop()!]];
  },
  'discord-webhook': () => {
    const v = tok.discordHook();
    return ['bot/notify.py', `DISCORD_WEBHOOK = "${v}"\n`, [v.split('/').pop()!]];
  },
  'telegram-url': () => {
    const v = tok.telegram();
    return ['monitoring/alert.sh', `#!/bin/sh\ncurl -s "https://api.telegram.org/bot${v}/sendMessage" -d chat_id=-100${digits(10)} -d text="$1"\n`, [v]];
  },
  'npmrc-token': () => {
    const v = tok.npm();
    return ['.npmrc', `@${pick(corp)}:registry=https://npm.${pick(corp)}.io/\n//npm.${pick(corp)}.io/:_authToken=${v}\n`, [v]];
  },
  'pypirc-token': () => {
    const v = tok.pypi();
    return ['.pypirc', `[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = ${v}\n`, [v]];
  },
  'requirements-index-token': () => {
    const v = pick([tok.glpat, () => alnum(32)])();
    return ['requirements.txt', `--extra-index-url https://__token__:${v}@gitlab.${pick(corp)}.com/api/v4/projects/${int(10, 999)}/packages/pypi/simple\nrequests==2.32.3\n${pick(corp)}-common==1.8.0\n`, [v]];
  },
  'pip-conf-creds': () => {
    const pw = urlPassword();
    return ['pip.conf', `[global]\nindex-url = https://${pick(users)}:${pw}@artifactory.${pick(corp)}.com/artifactory/api/pypi/pypi-virtual/simple\n`, [pw]];
  },
  'netrc': () => {
    const v = tok.ghp();
    return ['ci/.netrc', `machine github.com\n  login ${pick(users)}\n  password ${v}\n`, [v]];
  },
  'pgpass': () => {
    const pw = urlPassword();
    return ['ops/.pgpass', `${host()}:5432:${pick(dbNames)}:${pick(users)}:${pw}\n`, [pw]];
  },
  'docker-config-auth': () => {
    const pw = urlPassword();
    const auth = Buffer.from(`${pick(users)}:${pw}`).toString('base64');
    return ['ci/docker-config.json', JSON.stringify({ auths: { [`registry.${pick(corp)}.com`]: { auth } } }, null, 2) + '\n', [auth, pw]];
  },
  'ini-config-password': () => {
    const pw = password();
    return [pick(['config.ini', 'db.ini', 'app.cfg']), `[database]\nhost = ${host()}\nport = 5432\nuser = ${pick(users)}\npassword = ${pw}\n\n[logging]\nlevel = INFO\n`, [pw]];
  },
  'toml-config-token': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [pick(['config.toml', `${svc()}/settings.toml`]), `[app]\nname = "${svc()}"\n\n[${p.env.split('_')[0]!.toLowerCase()}]\napi_key = "${v}"\n`, [v]];
  },
  'ansible-vars-password': () => {
    const pw = password();
    return ['ansible/group_vars/prod.yml', `ansible_user: deploy\nansible_become_password: "${pw}"\npostgres_version: 16\n`, [pw]];
  },
  'helm-values-password': () => {
    const pw = password();
    return ['charts/app/values-prod.yaml', `replicaCount: 3\npostgresql:\n  auth:\n    username: ${pick(users)}\n    password: "${pw}"\n    database: ${pick(dbNames)}\n`, [pw]];
  },
  'airflow-conn-env': () => {
    const pw = urlPassword();
    return ['airflow/docker-compose.override.yml', `services:\n  scheduler:\n    environment:\n      AIRFLOW_CONN_WAREHOUSE: "postgresql://${pick(users)}:${pw}@${host()}:5432/${pick(dbNames)}"\n`, [pw]];
  },
  'test-hardcoded-key': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`tests/test_${p.env.split('_')[0]!.toLowerCase()}_integration.py`, `import pytest\n\n${p.env} = "${v}"\n\n\n@pytest.mark.integration\ndef test_roundtrip():\n    client = make_client(${p.env})\n    assert client.ping()\n`, [v]];
  },
  'pytest-conftest-password': () => {
    const pw = password();
    return ['tests/conftest.py', `import pytest\n\n\n@pytest.fixture\ndef prod_db():\n    return connect(host="${host()}", user="${pick(users)}", password="${pw}")\n`, [pw]];
  },
  'pydantic-default': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`${svc()}/config.py`, `from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    ${p.env.toLowerCase()}: str = "${v}"\n    debug: bool = False\n`, [v]];
  },
  'dict-config-key': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return [`${svc()}/constants.py`, `DEFAULTS = {\n    "timeout": 30,\n    "${p.env.toLowerCase()}": "${v}",\n}\n`, [v]];
  },
  'age-key': () => {
    const v = tok.age();
    return ['secrets/keys.txt', `# created: 2024-03-11T10:22:31+01:00\n# public key: age1${lowerDigits(58)}\n${v}\n`, [v]];
  },
  'azure-devops-pat': () => {
    const v = tok.azureDevops();
    return ['azure-pipelines.yml', `variables:\n  AZURE_DEVOPS_PAT: ${v}\nsteps:\n  - script: pip install -r requirements.txt\n`, [v]];
  },
  'twilio-auth-token': () => {
    const v = tok.twilioToken();
    return ['sms/twilio_client.py', `from twilio.rest import Client\n\naccount_sid = "AC${hex(32)}"\nauth_token = "${v}"\nclient = Client(account_sid, auth_token)\n`, [v]];
  },
  'jwt-secret-literal': () => {
    const v = pick([() => hex(64), () => b64url(43), password])();
    return [`${svc()}/auth.py`, `import jwt\n\nJWT_SECRET = "${v}"\n\n\ndef encode(payload):\n    return jwt.encode(payload, JWT_SECRET, algorithm="HS256")\n`, [v]];
  },
  'markdown-runbook': () => {
    const p = pick(providers);
    const v = tok[p.kind]();
    return ['docs/runbook.md', `# Runbook\n\nTo call the API from your laptop:\n\n\`\`\`bash\nexport ${p.env}=${v}\npython -m ${svc().replace('-', '_')}.cli sync\n\`\`\`\n`, [v]];
  },
};

// ---------------------------------------------------------------------------------------------
// Clean look-alikes: nothing here is a credential.
const envNames = providers.map((p) => p.env);
const minifiedJs = () => {
  const id = () => lower(1) + alnum(int(0, 2));
  const parts: string[] = [];
  for (let i = 0; i < 40; i++) parts.push(`${id()}=${pick([`"${alnum(int(6, 24))}"`, String(int(0, 9999)), `function(${id()}){return ${id()}.${id()}}`, `${id()}(${id()},${id()})`])}`);
  return `!function(e,t){"use strict";var ${parts.join(',')};t.exports={${id()}:${id()}}}(window,module);\n`;
};
const cleanTemplates: Record<string, () => Made> = {
  'environ-lookup': () => [`${svc()}/settings.py`, `import os\n\n${pick(envNames)} = os.environ["${pick(envNames)}"]\n${pick(envNames)} = os.getenv("${pick(envNames)}")\nDATABASE_PASSWORD = os.environ.get("DATABASE_PASSWORD", "")\n`, []],
  'env-lookup-with-default-none': () => [`${svc()}/config.py`, `api_key = None\nsecret_key: str | None = None\ntoken = os.environ.get("API_TOKEN") or None\npassword = getpass.getpass("Password: ")\n`, []],
  'django-random-secret': () => ['config/settings/local.py', `from django.core.management.utils import get_random_secret_key\n\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", get_random_secret_key())\nSECRET_KEY_FALLBACKS = []\n`, []],
  'django-auth-settings': () => ['config/settings/base.py', `AUTH_PASSWORD_VALIDATORS = [\n    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},\n    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},\n]\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]\nCSRF_COOKIE_NAME = "csrftoken"\nSESSION_COOKIE_NAME = "sessionid"\n`, []],
  'django-form-fields': () => [`accounts/forms.py`, `from django import forms\n\n\nclass LoginForm(forms.Form):\n    username = forms.CharField(max_length=150)\n    password = forms.CharField(widget=forms.PasswordInput)\n    password_confirm = forms.CharField(widget=forms.PasswordInput, label="Confirm password")\n`, []],
  'vault-lookup': () => [`${svc()}/secrets.py`, `import hvac\n\nclient = hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"])\nsecret = client.secrets.kv.v2.read_secret_version(path="${svc()}/db")\ndb_password = secret["data"]["data"]["password"]\n`, []],
  'aws-secrets-manager-name': () => [`${svc()}/aws.py`, `SECRET_NAME = "prod/${svc()}/db-credentials"\nsecret_arn = "arn:aws:secretsmanager:eu-west-1:${digits(12)}:secret:prod/${svc()}/api-key-${alnum(6)}"\nresp = boto3.client("secretsmanager").get_secret_value(SecretId=SECRET_NAME)\n`, []],
  'placeholders-env-example': () => [pick(['.env.example', '.env.sample', '.env.template']), `# Copy to .env and fill in\n${pick(envNames)}=\n${pick(envNames)}=<your-api-key>\n${pick(envNames)}=your-token-here\nDATABASE_URL=postgres://user:password@localhost:5432/app\nSECRET_KEY=changeme\n`, []],
  'placeholders-yaml': () => ['config.example.yaml', `openai:\n  api_key: "YOUR_OPENAI_API_KEY"\nslack:\n  bot_token: "xxxx-xxxx-xxxx"\ndatabase:\n  password: "<password>"\n  url: "postgresql://\${DB_USER}:\${DB_PASSWORD}@db:5432/app"\n`, []],
  'gha-secrets-refs': () => ['.github/workflows/deploy.yml', `name: deploy\non: workflow_dispatch\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}\n      AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET_ACCESS_KEY }}\n      GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\n    steps:\n      - uses: actions/checkout@${hex(40)} # v4.1.1\n      - uses: actions/setup-python@${hex(40)}\n      - run: curl -H "Authorization: Bearer \${{ secrets.DEPLOY_TOKEN }}" https://deploy.${pick(corp)}.com/hook\n`, []],
  'gha-service-postgres-dev-creds': () => ['.github/workflows/tests.yml', `jobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_USER: postgres\n          POSTGRES_PASSWORD: postgres\n        ports: ["5432:5432"]\n    env:\n      DATABASE_URL: postgres://postgres:postgres@localhost:5432/test\n`, []],
  'compose-dev-defaults': () => ['docker-compose.yml', `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-postgres}\n      POSTGRES_USER: app\n  redis:\n    image: redis:7@sha256:${hex(64)}\n  web:\n    environment:\n      - DATABASE_URL=postgres://app:\${POSTGRES_PASSWORD}@db:5432/app\n      - SECRET_KEY=\${SECRET_KEY}\n`, []],
  'k8s-secret-key-ref': () => [`k8s/${svc()}.yaml`, `env:\n  - name: DATABASE_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-credentials\n        key: password\n  - name: OPENAI_API_KEY\n    valueFrom:\n      secretKeyRef: {name: openai, key: api-key}\n`, []],
  'terraform-refs': () => ['infra/rds.tf', `resource "random_password" "db" {\n  length  = 32\n  special = true\n}\n\nresource "aws_db_instance" "main" {\n  username = var.db_username\n  password = random_password.db.result\n  kms_key_id = aws_kms_key.rds.arn\n}\n\nvariable "api_token" {\n  type      = string\n  sensitive = true\n}\n`, []],
  'terraform-public-key': () => ['infra/bastion.tf', `resource "aws_key_pair" "deployer" {\n  key_name   = "deployer-key"\n  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43)} deploy@${pick(corp)}"\n}\n`, []],
  'authorized-keys': () => ['ansible/files/authorized_keys', `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ${bytesB64(370).replace(/=+$/, '')} alice@laptop\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43)} bob@${pick(corp)}\n`, []],
  'known-hosts': () => ['ci/known_hosts', `gitlab.${pick(corp)}.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43)}\n|1|${b64(27)}=|${b64(27)}= ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB${b64(100)}=\n`, []],
  'certificate-pem': () => [pick(['certs/ca.pem', 'docker/certs/internal-ca.crt', 'app/certs/rds-bundle.pem']), `${pemLine('CERTIFICATE', 'BEGIN')}\n${pemBody('MIIDdzCCAl+gAwIBAgIE', 900)}\n${pemLine('CERTIFICATE', 'END')}\n`, []],
  'public-key-pem': () => [`${svc()}/keys/jwt_public.pem`, `${pemLine('PUBLIC KEY', 'BEGIN')}\n${pemBody('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 270)}\n${pemLine('PUBLIC KEY', 'END')}\n`, []],
  'public-key-in-python': () => [`${svc()}/verify.py`, `JWT_PUBLIC_KEY = """${pemLine('PUBLIC KEY', 'BEGIN')}\n${pemBody('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 270)}\n${pemLine('PUBLIC KEY', 'END')}\n"""\n`, []],
  'requirements-hashes': () => ['requirements.txt', `requests==2.32.3 \\\n    --hash=sha256:${hex(64)} \\\n    --hash=sha256:${hex(64)}\nurllib3==2.2.2 \\\n    --hash=sha256:${hex(64)}\n`, []],
  'poetry-lock': () => ['poetry.lock', `[[package]]\nname = "httpx"\nversion = "0.27.0"\nfiles = [\n    {file = "httpx-0.27.0-py3-none-any.whl", hash = "sha256:${hex(64)}"},\n    {file = "httpx-0.27.0.tar.gz", hash = "sha256:${hex(64)}"},\n]\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "${hex(64)}"\n`, []],
  'pipfile-lock': () => ['Pipfile.lock', JSON.stringify({ _meta: { hash: { sha256: hex(64) } }, default: { django: { hashes: [`sha256:${hex(64)}`, `sha256:${hex(64)}`], version: '==5.0.6' } } }, null, 4) + '\n', []],
  'package-lock-integrity': () => ['web/package-lock.json', JSON.stringify({ name: 'web', lockfileVersion: 3, packages: { 'node_modules/react': { version: '18.3.1', resolved: 'https://example.invalid/react/-/react-18.3.1.tgz', integrity: `sha512-${bytesB64(64)}` }, 'node_modules/zod': { version: '3.23.8', integrity: `sha512-${bytesB64(64)}` } } }, null, 2) + '\n', []],
  'yarn-lock': () => ['yarn.lock', `"@babel/core@^7.24.0":\n  version "7.24.5"\n  resolved "https://example.invalid/@babel/core/-/core-7.24.5.tgz#${hex(40)}"\n  integrity sha512-${bytesB64(64)}\n`, []],
  'go-sum': () => ['go.sum', `github.com/google/uuid v1.6.0 h1:${bytesB64(32)}\ngithub.com/google/uuid v1.6.0/go.mod h1:${bytesB64(32)}\ngolang.org/x/crypto v0.23.0 h1:${bytesB64(32)}\n`, []],
  'sri-script': () => ['templates/base.html', `<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css" integrity="sha384-${bytesB64(48)}" crossorigin="anonymous">\n<script src="https://cdn.jsdelivr.net/npm/htmx.org@1.9.12" integrity="sha384-${bytesB64(48)}" crossorigin="anonymous"></script>\n{% csrf_token %}\n`, []],
  'docker-digest-and-checksum': () => ['Dockerfile', `FROM python:3.12-slim@sha256:${hex(64)}\nARG TINI_VERSION=v0.19.0\nENV TINI_SHA256=${hex(64)}\nRUN curl -fsSL -o /tini https://github.com/krallin/tini/releases/download/\${TINI_VERSION}/tini \\\n && echo "\${TINI_SHA256}  /tini" | sha256sum -c -\n`, []],
  'precommit-config-revs': () => ['.pre-commit-config.yaml', `repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: ${hex(40)}  # frozen: v0.4.4\n    hooks:\n      - id: ruff\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    rev: ${hex(40)}\n    hooks:\n      - id: mypy\n`, []],
  'alembic-migration': () => [`alembic/versions/${hex(12)}_add_api_tokens_table.py`, `"""add api tokens table\n\nRevision ID: ${hex(12)}\nRevises: ${hex(12)}\n"""\nrevision = "${hex(12)}"\ndown_revision = "${hex(12)}"\n\n\ndef upgrade():\n    op.create_table("api_tokens", sa.Column("token_hash", sa.String(64), nullable=False), sa.Column("token_prefix", sa.String(8)))\n`, []],
  'django-migration': () => [`accounts/migrations/00${int(10, 99)}_user_password_changed_at.py`, `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("accounts", "00${int(10, 99)}_auto_2024${digits(4)}_${digits(4)}")]\n    operations = [\n        migrations.AddField(model_name="user", name="password_changed_at", field=models.DateTimeField(null=True)),\n        migrations.AddField(model_name="apikey", name="key_hash", field=models.CharField(max_length=128)),\n    ]\n`, []],
  'uuid-fixtures': () => [`tests/fixtures/${pick(['orders', 'users', 'events'])}.json`, JSON.stringify(Array.from({ length: 3 }, () => ({ id: uuid(), request_id: hex(32), trace_id: hex(32), span_id: hex(16), idempotency_key: uuid(), etag: `"${hex(32)}"` })), null, 2) + '\n', []],
  'stripe-object-ids': () => ['tests/fixtures/stripe_events.py', `EVENT = {\n    "id": "evt_${alnum(24)}",\n    "type": "payment_intent.succeeded",\n    "data": {"object": {"id": "pi_${alnum(24)}", "customer": "cus_${alnum(14)}", "latest_charge": "ch_${alnum(24)}"}},\n}\n`, []],
  'stripe-publishable-key': () => ['web/src/stripe.ts', `import { loadStripe } from "@stripe/stripe-js";\n\n// publishable key: safe in the browser\nexport const stripePromise = loadStripe("${join('pk', '_live_')}${alnum(99)}");\n`, []],
  'mapbox-public-token': () => ['web/src/map.ts', `mapboxgl.accessToken = "${join('p', 'k.')}${fakeMore.b64urlJson({ u: pick(corp), a: lowerDigits(25) })}.${b64url(22)}";\n`, []],
  'test-fixture-fake-creds': () => ['tests/test_auth.py', `FAKE_TOKEN = "test-token"\nTEST_PASSWORD = "testpass123"\n\n\ndef test_login(client):\n    user = UserFactory(password="secret")\n    resp = client.post("/login", data={"username": user.username, "password": "secret"})\n    assert resp.status_code == 302\n`, []],
  'moto-testing-creds': () => ['tests/conftest.py', `import os\nimport pytest\n\n\n@pytest.fixture(autouse=True)\ndef aws_credentials():\n    os.environ["AWS_ACCESS_KEY_ID"] = "testing"\n    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"\n    os.environ["AWS_SESSION_TOKEN"] = "testing"\n`, []],
  'mock-token-names': () => ['tests/test_client.py', `from unittest import mock\n\n\n@mock.patch.dict(os.environ, {"OPENAI_API_KEY": "sk-test", "GITHUB_TOKEN": "dummy-token"})\ndef test_client_reads_env():\n    assert Client().api_key == "sk-test"\n`, []],
  'token-words-in-code': () => [`${svc()}/llm.py`, `response = client.chat.completions.create(\n    model="gpt-4o",\n    messages=messages,\n    max_tokens=1024,\n)\nusage = response.usage.total_tokens\ntoken_type = "bearer"\ntokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")\n`, []],
  'oauth-response-names': () => [`${svc()}/oauth.py`, `def parse(resp):\n    data = resp.json()\n    return Token(\n        access_token=data["access_token"],\n        refresh_token=data.get("refresh_token"),\n        token_type=data["token_type"],\n        expires_in=int(data["expires_in"]),\n    )\n`, []],
  'password-reset-code': () => ['accounts/views.py', `from django.contrib.auth.tokens import PasswordResetTokenGenerator\n\npassword_reset_token = PasswordResetTokenGenerator()\nPASSWORD_RESET_TIMEOUT = 3600\n\n\ndef reset(request, uidb64, token):\n    if not password_reset_token.check_token(user, token):\n        raise PermissionDenied("Invalid password reset token")\n`, []],
  'i18n-keys': () => ['locales/en.json', JSON.stringify({ 'auth.password.label': 'Password', 'auth.password.forgot': 'Forgot your password?', 'settings.api_key.title': 'API key', 'settings.api_key.help': 'Generate a new API key in the dashboard', 'settings.token.revoke': 'Revoke token' }, null, 2) + '\n', []],
  'po-file': () => ['locale/fr/LC_MESSAGES/django.po', `msgid "Password"\nmsgstr "Mot de passe"\n\nmsgid "Your API key"\nmsgstr "Votre clé API"\n\nmsgid "Secret key"\nmsgstr "Clé secrète"\n`, []],
  'notebook-outputs': () => {
    const nb = {
      cells: [
        { cell_type: 'code', execution_count: 4, id: alnum(8), metadata: { colab: { base_uri: 'https://localhost:8080/' }, id: alnum(12), outputId: uuid() },
          outputs: [{ data: { 'image/png': bytesB64(600), 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {}, output_type: 'display_data' }],
          source: ['import matplotlib.pyplot as plt\n', 'plt.plot(losses)'] },
        { cell_type: 'code', execution_count: 5, id: alnum(8), metadata: {}, outputs: [{ output_type: 'stream', name: 'stdout', text: [`run id: ${hex(32)}\n`, `artifact: sha256:${hex(64)}\n`] }], source: ['api_key = os.environ["OPENAI_API_KEY"]\n', 'print(run.info.run_id)'] },
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, widgets: { 'application/vnd.jupyter.widget-state+json': { [hex(32)]: { model_name: 'HBoxModel' } } } },
      nbformat: 4, nbformat_minor: 5,
    };
    return [`notebooks/${pick(['training', 'eda', 'plots'])}.ipynb`, JSON.stringify(nb, null, 1) + '\n', []];
  },
  'base64-image-data-uri': () => ['web/src/logo.ts', `export const LOGO = "data:image/png;base64,${bytesB64(450)}";\n`, []],
  'svg-path-data': () => ['web/public/icon.svg', `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M${Array.from({ length: 40 }, () => `${int(0, 24)}.${digits(2)} ${int(0, 24)}.${digits(2)}`).join('L')}Z"/></svg>\n`, []],
  'minified-js': () => [`web/static/js/vendor.${hex(8)}.min.js`, minifiedJs(), []],
  'docs-how-to-set-key': () => ['README.md', `## Configuration\n\nSet your key in the environment:\n\n\`\`\`bash\nexport OPENAI_API_KEY="sk-..."\nexport ANTHROPIC_API_KEY=<your key>\n\`\`\`\n\nOr in Python:\n\n\`\`\`python\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n\`\`\`\n`, []],
  'docs-example-com-creds': () => ['docs/deployment.md', `Point the app at your database:\n\n    DATABASE_URL=postgresql://user:password@db.example.com:5432/mydb\n\nand configure SMTP with \`EMAIL_HOST_USER=you@example.com\` and \`EMAIL_HOST_PASSWORD=your-app-password\`.\n`, []],
  'docs-token-shaped-fillers': () => ['docs/auth.md', `Tokens look like \`${join('gh', 'p_')}${'x'.repeat(36)}\`; AWS key ids like \`${join('AK', 'IA')}${'X'.repeat(16)}\`.\nStripe secret keys start with \`${join('sk', '_live_')}\` followed by random characters (\`${join('sk', '_live_')}...\`).\n`, []],
  'url-with-var-password': () => [`${svc()}/db.py`, `DATABASE_URL = f"postgresql://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:5432/{DB_NAME}"\nREDIS_URL = "redis://:%(password)s@redis:6379/0" % {"password": redis_password}\nBROKER = "amqp://guest:guest@localhost:5672//"\nSHELL_URL="postgres://app:\${PGPASSWORD}@db/app"\n`, []],
  'sqlalchemy-url-object': () => ['app/db.py', `from sqlalchemy.engine import URL\n\nurl = URL.create(\n    "postgresql+psycopg2",\n    username=settings.db_user,\n    password=settings.db_password,\n    host=settings.db_host,\n)\n`, []],
  'jinja-templates': () => ['ansible/templates/app.env.j2', `DATABASE_URL=postgres://{{ db_user }}:{{ db_password }}@{{ db_host }}/{{ db_name }}\nSECRET_KEY={{ vault_django_secret_key }}\nOPENAI_API_KEY={{ lookup('env', 'OPENAI_API_KEY') }}\n`, []],
  'helm-template': () => ['charts/app/templates/secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "app.fullname" . }}\ndata:\n  password: {{ .Values.postgresql.auth.password | b64enc | quote }}\n  api-key: {{ required "apiKey is required" .Values.apiKey | b64enc }}\n`, []],
  'ansible-vault-encrypted': () => ['ansible/group_vars/prod/vault.yml', `$ANSIBLE_VAULT;1.1;AES256\n${Array.from({ length: 8 }, () => hex(80)).join('\n')}\n`, []],
  'sops-encrypted': () => ['secrets/prod.enc.yaml', `db_password: ENC[AES256_GCM,data:${bytesB64(18)},iv:${bytesB64(32)},tag:${bytesB64(16)},type:str]\napi_key: ENC[AES256_GCM,data:${bytesB64(30)},iv:${bytesB64(32)},tag:${bytesB64(16)},type:str]\nsops:\n  kms:\n    - arn: arn:aws:kms:eu-west-1:${digits(12)}:key/${uuid()}\n  mac: ENC[AES256_GCM,data:${bytesB64(48)},iv:${bytesB64(32)},tag:${bytesB64(16)},type:str]\n`, []],
  'sealed-secret': () => ['k8s/sealed-db.yaml', `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db-credentials\nspec:\n  encryptedData:\n    password: Ag${bytesB64(360)}\n`, []],
  'password-hash-fixture': () => ['accounts/fixtures/users.json', JSON.stringify([{ model: 'auth.user', pk: 1, fields: { username: 'admin', password: `pbkdf2_sha256$600000$${alnum(22)}$${bytesB64(32)}`, is_superuser: true } }], null, 2) + '\n', []],
  'hash-constants': () => [`${svc()}/integrity.py`, `EXPECTED_SHA256 = "${hex(64)}"\nMODEL_CHECKSUM = "${hex(32)}"\nGIT_COMMIT = "${hex(40)}"\nBUILD_ID = "${uuid()}"\n`, []],
  'hf-model-revisions': () => [`${svc()}/models.py`, `model = AutoModel.from_pretrained(\n    "sentence-transformers/all-MiniLM-L6-v2",\n    revision="${hex(40)}",\n)\nDATASET_REVISION = "${hex(40)}"\n`, []],
  'twilio-sid-only': () => ['sms/config.py', `TWILIO_ACCOUNT_SID = "AC${hex(32)}"\nTWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]\nTWILIO_FROM = "+1${digits(10)}"\n`, []],
  'pydantic-secretstr': () => [`${svc()}/config.py`, `from pydantic import SecretStr\nfrom pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    openai_api_key: SecretStr\n    database_password: SecretStr = SecretStr("")\n    api_key_header: str = "X-API-Key"\n`, []],
  'header-name-constants': () => [`${svc()}/http.py`, `API_KEY_HEADER = "X-API-Key"\nAUTH_HEADER = "Authorization"\nWEBHOOK_SIGNATURE_HEADER = "Stripe-Signature"\nheaders = {"Authorization": f"Bearer {token}", "X-Request-Id": str(uuid.uuid4())}\n`, []],
  'go-names': () => ['internal/auth/token.go', `package auth\n\nconst (\n\tTokenHeader    = "X-Auth-Token"\n\tpasswordEnvVar = "DB_PASSWORD"\n)\n\nvar ErrInvalidToken = errors.New("invalid token")\n\nfunc Password() string { return os.Getenv(passwordEnvVar) }\n`, []],
  'java-names': () => ['src/main/java/com/acme/DbConfig.java', `public class DbConfig {\n    private static final String PASSWORD_PARAM = "password";\n    @Value("\${spring.datasource.password}")\n    private String password;\n    @Value("\${api.key:}")\n    private String apiKey;\n}\n`, []],
  'spring-properties-placeholders': () => ['src/main/resources/application.properties', `spring.datasource.url=jdbc:postgresql://\${DB_HOST:localhost}:5432/app\nspring.datasource.username=\${DB_USER}\nspring.datasource.password=\${DB_PASSWORD}\njwt.secret=\${JWT_SECRET}\n`, []],
  'js-env-lookups': () => ['server/config.js', `module.exports = {\n  stripeKey: process.env.STRIPE_SECRET_KEY,\n  openaiKey: process.env.OPENAI_API_KEY ?? "",\n  password: process.env.DB_PASSWORD || undefined,\n  apiToken: import.meta.env.VITE_API_TOKEN,\n};\n`, []],
  'ts-types': () => ['web/src/types.ts', `export interface Credentials {\n  apiKey: string;\n  password?: string;\n  accessToken: string | null;\n}\nexport type TokenType = "bearer" | "basic";\nconst primaryKey = "id";\nconst foreignKey = "user_id";\n`, []],
  'validation-messages': () => [`accounts/validators.py`, `def validate_password(password: str) -> None:\n    if len(password) < 12:\n        raise ValidationError("password must be at least 12 characters")\n    if password.lower() == "password":\n        raise ValidationError("password is too common")\n`, []],
  'cache-key-templates': () => [`${svc()}/cache.py`, `TOKEN_CACHE_KEY = "auth:token:{user_id}"\nAPI_KEY_PREFIX_LEN = 8\nSECRET_ROTATION_DAYS = 90\napi_key_prefix = api_key[:API_KEY_PREFIX_LEN]\n`, []],
  'curl-with-env': () => ['scripts/smoke.sh', `#!/usr/bin/env bash\nset -euo pipefail\ncurl -fsS -H "Authorization: Bearer \${API_TOKEN}" https://api.${pick(corp)}.com/health\ncurl -u "\${NEXUS_USER}:\${NEXUS_PASSWORD}" -T dist/app.tgz https://nexus.${pick(corp)}.internal/\ncurl -H "X-API-Key: $API_KEY" https://api.${pick(corp)}.com/v1/ping\n`, []],
  'makefile-vars': () => ['Makefile', `IMAGE ?= ghcr.io/${pick(corp)}/${svc()}\nTAG := $(shell git rev-parse --short HEAD)\n\ndeploy:\n\tdocker login -u $(REGISTRY_USER) -p $(REGISTRY_PASSWORD) ghcr.io\n\tdocker push $(IMAGE):$(TAG)\n`, []],
  'dockerfile-secret-mount': () => ['Dockerfile', `# syntax=docker/dockerfile:1.7\nFROM python:3.12-slim\nARG PIP_INDEX_URL\nRUN --mount=type=secret,id=pip_token \\\n    PIP_PASSWORD=$(cat /run/secrets/pip_token) pip install -r requirements.txt\nENV PYTHONUNBUFFERED=1\n`, []],
  'webpack-hashed-assets': () => ['web/build/asset-manifest.json', JSON.stringify({ files: { 'main.js': `/static/js/main.${hex(8)}.js`, 'main.css': `/static/css/main.${hex(8)}.css` }, entrypoints: [`static/js/runtime.${hex(8)}.js`], buildHash: hex(20) }, null, 2) + '\n', []],
  'openapi-security-schemes': () => ['openapi.yaml', `components:\n  securitySchemes:\n    ApiKeyAuth:\n      type: apiKey\n      in: header\n      name: X-API-Key\n    BearerAuth:\n      type: http\n      scheme: bearer\n      bearerFormat: JWT\n`, []],
  'random-ids-in-tests': () => ['tests/test_ids.py', `def test_short_ids_are_unique():\n    ids = {"${alnum(12)}", "${alnum(12)}", "${alnum(12)}"}\n    assert len(ids) == 3\n\n\nSAMPLE_HEX = "${hex(32)}"\nSESSION_ID = "${lowerDigits(32)}"\n`, []],
  'secret-generation-code': () => [`${svc()}/keys.py`, `import secrets\n\n\ndef new_api_key() -> str:\n    return "ak_" + secrets.token_urlsafe(32)\n\n\nSECRET_KEY = secrets.token_hex(32)\napi_key_hash = hashlib.sha256(api_key.encode()).hexdigest()\n`, []],
  'mlflow-wandb-ids': () => ['train/config.yaml', `wandb:\n  project: ${svc()}\n  run_id: ${lowerDigits(8)}\nmlflow:\n  experiment_id: "${digits(18)}"\n  run_id: ${hex(32)}\n  artifact_uri: s3://${pick(corp)}-mlflow/${digits(3)}/${hex(32)}/artifacts\n`, []],
  'sentry-dsn-env': () => [`${svc()}/observability.py`, `sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), traces_sample_rate=0.1, release="${svc()}@${hex(40)}")\n`, []],
  'ipynb-kernel-metadata': () => ['notebooks/setup.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', execution_count: null, id: alnum(8), metadata: { tags: ['parameters'] }, outputs: [], source: ['API_KEY = None  # set via papermill\n', 'PASSWORD = ""'] }], metadata: { kernelspec: { name: 'python3' }, vscode: { interpreter: { hash: hex(64) } } }, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n', []],
  'csrf-template-and-meta': () => ['templates/form.html', `<form method="post">\n  <input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n  <input type="password" name="password" autocomplete="current-password">\n  <meta name="csrf-token" content="{{ csrf_token() }}">\n</form>\n`, []],
  'gitlab-ci-refs': () => ['.gitlab-ci.yml', `variables:\n  DOCKER_AUTH_CONFIG: $DOCKER_AUTH_CONFIG\n  POSTGRES_PASSWORD: postgres\ndeploy:\n  script:\n    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin $CI_REGISTRY\n    - pip install --index-url https://gitlab-ci-token:\${CI_JOB_TOKEN}@gitlab.${pick(corp)}.com/api/v4/projects/${int(10, 999)}/packages/pypi/simple pkg\n`, []],
  'tfvars-non-secret': () => ['infra/prod.tfvars', `environment    = "prod"\nvpc_id         = "vpc-${hex(17)}"\nsubnet_ids     = ["subnet-${hex(17)}", "subnet-${hex(17)}"]\nami_id         = "ami-${hex(17)}"\nkms_key_id     = "${uuid()}"\ncertificate_arn = "arn:aws:acm:eu-west-1:${digits(12)}:certificate/${uuid()}"\n`, []],
  'aws-account-and-role': () => ['infra/iam.py', `ROLE_ARN = "arn:aws:iam::${digits(12)}:role/${svc()}-deploy"\nAWS_ACCOUNT_ID = "${digits(12)}"\nsession = boto3.Session(profile_name="prod")\n`, []],
  'jwt-docs-truncated': () => ['docs/api.md', `Send the token in the header:\n\n    Authorization: Bearer eyJhbGciOiJIUzI1NiIs...\n\nThe response contains \`access_token\`, \`token_type\` ("Bearer") and \`expires_in\`.\n`, []],
  'settings-from-file': () => [`${svc()}/settings.py`, `with open("/run/secrets/db_password") as fh:\n    DB_PASSWORD = fh.read().strip()\nSECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()\nAPI_KEY = keyring.get_password("${svc()}", "api")\n`, []],
  'gcp-sa-reference': () => ['deploy/gke.yaml', `serviceAccountName: ${svc()}\nannotations:\n  iam.gke.io/gcp-service-account: ${svc()}@${pick(corp)}-prod.iam.gserviceaccount.com\nenv:\n  - name: GOOGLE_APPLICATION_CREDENTIALS\n    value: /var/secrets/google/key.json\n`, []],
  'sample-config-defaults': () => ['config/defaults.toml', `[server]\nhost = "0.0.0.0"\nport = 8000\nworkers = 4\n\n[auth]\ntoken_ttl_seconds = 3600\npassword_min_length = 12\nsecret_key = ""\napi_key = "REPLACE_ME"\n`, []],
  'recaptcha-site-key': () => ['templates/signup.html', `<div class="g-recaptcha" data-sitekey="6L${b64url(38)}"></div>\n<script async src="https://www.googletagmanager.com/gtag/js?id=G-${upperDigits(10)}"></script>\n`, []],
  'hex-colors-and-css': () => ['web/src/theme.css', `:root {\n  --brand: #${hex(6)};\n  --accent: #${hex(6)};\n}\n.icon{background:url("data:image/svg+xml;base64,${bytesB64(200)}")}\n`, []],
  'protobuf-descriptor': () => [`${svc()}/proto/api_pb2.py`, `DESCRIPTOR = _descriptor_pool.Default().AddSerializedFile(b'\\n\\x0b${svc()}.proto\\x12\\x03api\\"${b64(60)}\\x62\\x06proto3')\n`, []],
  'example-in-docstring': () => [`${svc()}/client.py`, `class Client:\n    """API client.\n\n    Example::\n\n        client = Client(api_key="your-api-key")\n        client = Client(api_key=os.environ["API_KEY"])\n    """\n\n    def __init__(self, api_key: str | None = None, password: str = "") -> None:\n        self.api_key = api_key or os.environ["API_KEY"]\n`, []],
};

// ---------------------------------------------------------------------------------------------
function buildCorpus(): Case[] {
  const cases: Case[] = [];
  const add = (set: 'leak' | 'clean', templates: Record<string, () => Made>, total: number) => {
    const names = Object.keys(templates);
    for (let i = 0; i < total; i++) {
      const name = names[i % names.length]!;
      const [path, content, secrets] = templates[name]!();
      cases.push({ set, template: name, path, content, secrets });
    }
  };
  add('leak', leakTemplates, 260);
  add('clean', cleanTemplates, 300);
  return cases;
}

const redact = (text: string, secrets: string[]) => {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join(`${s.slice(0, 4)}…(${s.length})`);
  return out;
};
/** The line(s) that hold the case's secret (or the first lines), redacted, for the miss list. */
function snippet(c: Case): string {
  const lines = c.content.split('\n');
  const hit = lines.filter((l) => c.secrets.some((s) => l.includes(s.slice(0, Math.min(s.length, 30)))));
  // Beyond the case's own secrets, any long random-looking run (a key's body, a second token).
  const shown = (hit.length ? hit : lines.slice(0, 3)).slice(0, 3)
    .map((l) => redact(l, c.secrets).replace(/[A-Za-z0-9+/=_-]{20,}/g, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? `${run.slice(0, 4)}…(${run.length})` : run)));
  return shown.map((l) => (l.length > 160 ? l.slice(0, 160) + '…' : l)).join(' ⏎ ');
}

const corpus = buildCorpus();
if (args.includes('--dump')) {
  // One case's full content (fake values), to study a miss: --dump <case number>.
  process.stdout.write(corpus[argValue('--dump', 0)]!.content);
  process.exit(0);
}
if (listOnly) {
  for (const c of corpus) console.log(`${c.set}\t${c.template}\t${c.path}\t${snippet(c)}`);
  process.exit(0);
}

const ROOT = joinPath(import.meta.dirname, '..', '..');
const CLI = joinPath(ROOT, 'dist', 'gitward.cjs');
const repo = mkdtempSync(joinPath(tmpdir(), 'gitward-realistic-'));
const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'dev@example.invalid');
git('config', 'user.name', 'Dev');
git('config', 'commit.gpgsign', 'false');
execFileSync(process.execPath, [CLI, 'install'], { cwd: repo, stdio: 'ignore' });
writeFileSync(joinPath(repo, 'README.md'), '# app\n');
git('add', 'README.md');
git('commit', '-q', '-m', 'init');

interface Finding { rule: string; severity: string; path: string; line: number; message: string }
interface Outcome { c: Case; file: string; blocks: Finding[]; warns: Finding[] }
const outcomes: Outcome[] = [];
const leakedInOutput: string[] = [];
let commitMismatches = 0;
const started = Date.now();

const casePath = (i: number, c: Case) => `c${String(i).padStart(3, '0')}/${c.path}`;
for (let start = 0; start < corpus.length; start += batchSize) {
  const batch = corpus.slice(start, start + batchSize).map((c, k) => ({ c, file: casePath(start + k, c) }));
  for (const { c, file } of batch) {
    mkdirSync(dirname(joinPath(repo, file)), { recursive: true });
    writeFileSync(joinPath(repo, file), c.content);
  }
  git('add', '--', ...batch.map((b) => b.file));
  const scan = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: repo, encoding: 'utf8' });
  if (scan.status !== 0 && scan.status !== 1) throw new Error(`scan exit ${scan.status}: ${scan.stderr.split('\n')[0]}`);
  const report = JSON.parse(scan.stdout) as { findings: Finding[] };
  const commit = spawnSync('git', ['commit', '-q', '-m', `batch ${start}`], { cwd: repo, encoding: 'utf8' });
  const anyBlock = report.findings.some((f) => f.severity === 'block');
  if ((commit.status !== 0) !== anyBlock) commitMismatches++;
  const outputs = [scan.stdout, scan.stderr, commit.stdout, commit.stderr].join('\n');
  for (const { c, file } of batch) {
    const mine = report.findings.filter((f) => f.path === file);
    outcomes.push({ c, file, blocks: mine.filter((f) => f.severity === 'block'), warns: mine.filter((f) => f.severity !== 'block') });
    for (const s of c.secrets) {
      const probes = [s, ...(s.length >= 24 ? [s.slice(4, 24)] : [])];
      if (probes.some((p) => outputs.includes(p))) leakedInOutput.push(`${file} (${c.template})`);
    }
  }
  if (commit.status !== 0) git('reset', '-q');
  process.stderr.write(`\r${Math.min(start + batchSize, corpus.length)}/${corpus.length}`);
}
process.stderr.write('\n');
rmSync(repo, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
const leaks = outcomes.filter((o) => o.c.set === 'leak');
const clean = outcomes.filter((o) => o.c.set === 'clean');
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} % (${n}/${d})`;
const found = leaks.filter((o) => o.blocks.length > 0);
const foundBySecretRule = leaks.filter((o) => o.blocks.some((f) => f.rule.startsWith('secret.')));
const cleanBlocked = clean.filter((o) => o.blocks.length > 0);
const cleanWarned = clean.filter((o) => o.blocks.length === 0 && o.warns.length > 0);

console.log(`seed ${seed}, ${corpus.length} cases, batch ${batchSize}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`leaks found (a block on the case):      ${pct(found.length, leaks.length)}`);
console.log(`  of which by a secret.* rule:          ${pct(foundBySecretRule.length, leaks.length)}`);
console.log(`clean blocked:                          ${pct(cleanBlocked.length, clean.length)}`);
console.log(`clean warned (not blocked):             ${pct(cleanWarned.length, clean.length)}`);
console.log(`secrets printed verbatim in any output: ${leakedInOutput.length}${leakedInOutput.length ? ' → ' + leakedInOutput.join(', ') : ''}`);
console.log(`hook commit outcome ≠ scan outcome:     ${commitMismatches} batch(es)`);

const rulesOf = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))].join(',');
console.log('\n## Misses (leak, no block)');
for (const o of leaks.filter((x) => x.blocks.length === 0))
  console.log(`- [${o.c.template}] ${o.file}${o.warns.length ? ` (warned: ${rulesOf(o.warns)})` : ''}\n    ${snippet(o.c)}`);
console.log('\n## False blocks (clean, blocked)');
for (const o of cleanBlocked)
  console.log(`- [${o.c.template}] ${o.file}: ${o.blocks.map((f) => `${f.rule}@${f.line}`).join(', ')}\n    ${o.blocks.map((f) => f.message).join(' | ')}`);
console.log('\n## Clean warned');
for (const o of cleanWarned) console.log(`- [${o.c.template}] ${o.file}: ${o.warns.map((f) => `${f.rule}@${f.line}`).join(', ')}`);
if (verbose) {
  console.log('\n## Leaks blocked only by a file rule (no secret.* finding)');
  for (const o of found.filter((x) => !x.blocks.some((f) => f.rule.startsWith('secret.'))))
    console.log(`- [${o.c.template}] ${o.file}: ${rulesOf(o.blocks)}\n    ${snippet(o.c)}`);
  console.log('\n## Leaks found, by rule');
  const byRule = new Map<string, number>();
  for (const o of found) for (const r of new Set(o.blocks.map((f) => f.rule))) byRule.set(r, (byRule.get(r) ?? 0) + 1);
  for (const [r, n] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${r}`);
}
