import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, fakeMore, join } from '../src/rules/secrets/fake.ts';

// Shapes found missing or wrongly blocked by a blind corpus of realistic commits
// (scripts/measure/realistic-commits.ts), each as a real `git commit` through the hook: the leaks
// must be refused, the look-alikes must pass without even a warning. Every value is generated.

const password = () => join(fakeMore.alpha(4), fake.digits(2), '#', fake.alnum(10));
const mixedLetters = () => join('GB', fakeMore.alpha(15).replace(/^./, 'q'), 'Xz');

const LEAKS: Record<string, string> = {
  // terraform fmt and gofmt line up the `=` signs far from the name
  'infra/prod.tfvars': `region            = "eu-west-1"\ndb_password       = "${password()}"\n`,
  'infra/variables.tf': `variable "db_password" {\n  type        = string\n  default     = "${password()}"\n}\n`,
  // a libpq connection string: space-separated pairs inside one literal
  'internal/store/postgres.go': `package store\n\nfunc open() (*sql.DB, error) {\n\treturn sql.Open("postgres", "host=db.internal port=5432 user=app password=${password()} dbname=core sslmode=require")\n}\n`,
  // the password as a login's second argument
  'jobs/report.py': `import requests\nr = requests.get(url, auth=("svc@corp.example", "${password()}"))\n`,
  'jobs/digest.py': `s = HTTPBasicAuth(user, '${password()}')\n`,
  'jobs/mail.py': `server = smtplib.SMTP_SSL("smtp.gmail.com", 465)\nserver.login("alerts@corp.example", "${[fakeMore.lowerAlpha(4), fakeMore.lowerAlpha(4), fakeMore.lowerAlpha(4), fakeMore.lowerAlpha(4)].join(' ')}")\n`,
  // a person's password (words, digits and a symbol) under a secret's name
  'app/auth.py': `JWT_SECRET = "Orangemaple${fake.digits(2)}$"\n`,
  // UUID-shaped API keys, named as keys or sent as one
  'config/pinecone.yaml': `pinecone:\n  environment: us-east1-gcp\n  api_key: "${fakeMore.uuid()}"\n`,
  'clients/search.py': `resp = httpx.get(url, headers={"X-API-Key": "${fakeMore.uuid()}"})\n`,
  // a random password of letters only, in mixed case
  'dags/conn.py': `MONGO_URI = "mongodb+srv://airflow:${mixedLetters()}@cluster0.abcde.mongodb.net/prod"\n`,
  'ci/docker-config.json': `{"auths": {"registry.corp.example": {"auth": "${Buffer.from(`deploy:${mixedLetters()}`).toString('base64')}"}}}\n`,
};

/** A Sealed Secrets value: two bytes giving the encrypted session key's length (512), then random bytes. */
const sealed = () => Buffer.concat([Buffer.from([2, 0]), Buffer.from(fakeMore.b64bytes(600), 'base64')]).toString('base64');

const CLEAN: Record<string, string> = {
  'web/src/map.ts': `mapboxgl.accessToken = "${join('pk', '.eyJ', fake.base64url(60), '.', fake.base64url(22))}";\n`,
  'web/src/stripe.ts': `const stripe = await loadStripe("${join('pk_', 'live_', fake.alnum(99))}");\n`,
  'templates/signup.html': `<div class="g-recaptcha" data-sitekey="${join('6L', fake.base64url(38))}"></div>\n`,
  'k8s/sealed-db.yaml': `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: ${join('Ag', fake.base64(298))}\n    api_token: ${sealed()}\n  template:\n    metadata:\n      name: db\n`,
  'secrets/prod.enc.yaml': `db_password: ENC[AES256_GCM,data:${fake.base64(24)},iv:${fake.base64(43)}=,tag:${fake.base64(22)}==,type:str]\n`,
  'fixtures/users.json': `[{"model": "auth.user", "fields": {"username": "admin", "password": "pbkdf2_sha256$600000$${fake.alnum(22)}$${fake.base64(43)}="}}]\n`,
  'fixtures/htpasswd_users.py': `HASHED = {"alice": "$2b$12$${fake.base64(53).replace(/[+]/g, '.')}"}\n`,
  // aligned names now reach their values: a module path under a credential-like name is code, not a token
  'py/__init__.py': `exports = {\n    'SvnAuth'        : '._path.svnwc:SvnAuth',\n    'path.SvnAuth'   : ('./path/svn/svncommon.py', 'SvnAuth'),\n}\n`,
  'auth/proto/api_pb2.py': `DESCRIPTOR = _descriptor_pool.Default().AddSerializedFile(b'\\n\\tapi.proto${fake.base64(80)}')\n`,
};

test('realistic leaks in aligned, connection-string, login-call, UUID and letters-only shapes are refused', () => {
  for (const [path, content] of Object.entries(LEAKS)) {
    const repo = Repo.init().installPreCommitHook();
    const run = repo.commit({ [path]: content });
    assert.equal(run.code, 1, `${path} must be refused:\n${run.output}`);
    assert.match(run.output, new RegExp(`✖ secret\\.[\\w-]+ {2}${path.replace(/\./g, '\\.')}:`), path);
  }
});

test('public tokens, ciphertext made to be committed, password hashes and generated descriptors pass without a warning', () => {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit(CLEAN);
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /secret\./, run.output);
});
