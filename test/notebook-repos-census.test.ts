import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';

// False alarms found in five notebook-heavy repositories (Google's generative-ai, SageMaker's and
// Azure ML's examples, Hugging Face's notebooks, a data-science book; docs/secrets-coverage.md,
// round 27), each in the shape it was found, beside the look-alikes that must still be reported.
// Every value that could be a credential is generated.

/** A PNG of one pixel with a tEXt chunk holding `text` (draw.io keeps its diagram there, compressed and URL-encoded). */
function pngWithText(keyword: string, text: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // the CRC is not checked here
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')])),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A diagram as draw.io embeds it: deflated, base64, URL-encoded (`%2B`, `%2F`). */
const drawioDiagram = () => `%3Cmxfile%3E%3Cdiagram%3E${Array.from({ length: 60 }, () => join(fake.alnum(40), '%2B', fake.alnum(30), '%2F')).join('')}%3C%2Fdiagram%3E%3C%2Fmxfile%3E`;

test('text found in a binary file: a diagram\'s encoded data warns of nothing; a token or a named password in it still blocks', () => {
  const repo = Repo.init();
  repo.write({ 'images/architecture.png': pngWithText('mxfile', drawioDiagram()) });
  repo.git(['add', '-A']);
  const quiet = repo.gitward(['scan']);
  assert.equal(quiet.code, 0, quiet.output);
  assert.doesNotMatch(quiet.output, /high-entropy/, quiet.output);

  repo.write({ 'images/leak.png': pngWithText('Comment', `deployed with ${fakeGithubPat()}`), 'images/config.png': pngWithText('Comment', `db_password = "${join('Zq8', fake.alnum(12), '#7k')}"`) });
  repo.git(['add', '-A']);
  const blocked = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(blocked.stdout) as { findings: { rule: string; path: string }[] }).findings.map((f) => `${f.path} ${f.rule}`).sort();
  assert.deepEqual(findings, ['images/config.png secret.generic-assignment', 'images/leak.png secret.github-pat'], blocked.stdout);
});

test('"pass x=\'…\'" in prose is no Go declaration of `pass`; Go\'s and Java\'s typed declarations still block', () => {
  const value = () => join('Zq8', fake.alnum(12), '7k');
  const repo = Repo.init();
  repo.write({
    'docs/inference.txt': `To perform inference on these models, you need to pass custom_attributes='${value()}' as part of the header.\n`,
    'deploy.py': `# pass token_file='${value()}' to the loader\n`,
  });
  repo.git(['add', '-A']);
  const prose = repo.gitward(['scan']);
  assert.equal(prose.code, 0, prose.output);
  assert.doesNotMatch(prose.output, /generic-assignment/, prose.output);

  repo.write({
    'main.go': `package main\n\nvar password string = "${value()}"\nvar token config.Secret = "${value()}"\n`,
    'App.java': `class App {\n  String password = "${value()}";\n}\n`,
  });
  repo.git(['add', '-A']);
  const code = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(code.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings.map((f) => `${f.path}:${f.line}`).sort();
  assert.deepEqual(findings, ['App.java:2', 'main.go:3', 'main.go:4'], code.stdout);
});

test('a .env of placeholders and dev defaults warns; one with a credential, a URL with a password or plain values blocks', () => {
  const repo = Repo.init();
  repo.write({
    'backend/local.env': 'ENVIRONMENT=development\nFRONTEND_URL=http://localhost:4200\nBIG_QUERY_DATASET=<name>\n',
    'extraction/.env': 'GEMINI_PROJECT_ID="your-gemini-project-id"\nexport REGION=us-central1 # the default\n',
    'sdk/.env': 'SUBSCRIPTION_ID=<SUBSCRIPTION_ID>\n# AZURE_CLIENT_SECRET=<client secret>\nAZURE_CLIENT_SECRET=\n',
    'keyed/.env': `PROJECT_ID=<project>\nAPI_KEY=${join('Zq8', fake.alnum(14))}\n`,
    'database/.env': `PROJECT_ID=<project>\nDATABASE_URL=postgres://app:${join('Zq8', fake.alnum(10))}@db/app\n`,
    'machine/.env': 'DEBUG=1\nPORT=8000\n',
    'odd/.env': 'PROJECT_ID=<project>\n{"not": "an entry"}\n',
  });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const envFindings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; severity: string }[] }).findings.filter((f) => f.rule === 'env-file.committed');
  assert.deepEqual(envFindings.map((f) => `${f.path} ${f.severity}`).sort(), [
    'backend/local.env warn',
    'database/.env block',
    'extraction/.env warn',
    'keyed/.env block',
    'machine/.env block',
    'odd/.env block',
    'sdk/.env warn',
  ], run.stdout);
});

test('an image\'s address, an ARN and a YouTube playlist warn of nothing; the same run as an API key in a link still warns', () => {
  const run32 = () => join('Jm', fake.alnum(14), 'Q7', fake.alnum(14), 'x9');
  const repo = Repo.init();
  repo.write({
    'README.md': [
      `<img width="32px" src="https://lh3.googleusercontent.com/${run32()}-${run32()}" alt="Colab Enterprise logo">`,
      `![diagram](https://drive.google.com/uc?id=${run32()})`,
      `- [AI Guide for Cloud Developers](https://www.youtube.com/playlist?list=PL${run32()})`,
      '',
    ].join('\n'),
    'lambda_src/label_arn.py': `ARNS = {"us-east-1": "arn:aws:lambda:us-east-1:432418664414:function:PRE-${run32()}"}\n`,
    'peft.py': 'peft_model_id = "your-name/t5-large_PREFIX_TUNING_SEQ2SEQ_V2"\n',
  });
  repo.git(['add', '-A']);
  const quiet = repo.gitward(['scan']);
  assert.equal(quiet.code, 0, quiet.output);
  assert.doesNotMatch(quiet.output, /high-entropy/, quiet.output);

  repo.write({ 'docs/api.md': `Call <a href="https://api.example.net/v1/data?key=${run32()}">the API</a>.\n` });
  repo.git(['add', '-A']);
  const linked = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(linked.stdout) as { findings: { rule: string; path: string }[] }).findings.map((f) => `${f.path} ${f.rule}`);
  assert.deepEqual(findings, ['docs/api.md secret.high-entropy-string'], linked.stdout);
});

test('computed values and elided examples do not block: a JS expression, an escaped or expanded shell variable, an f-string, a URL or key cut with "..."', () => {
  const repo = Repo.init();
  const begin = join('-----BEGIN ', 'PRIVATE KEY-----');
  const end = join('-----END ', 'PRIVATE KEY-----');
  repo.write({
    // Google Apps Script is JavaScript: a bare value in it is code.
    'app/Code.gs': "const credSecretSuffix = params.importedMcpList.length > 1 ? `-${mcpIdx}` : '';\nconst cmd = `CLIENT_SECRET=$(gcloud secrets versions access latest --secret=\"\\$CLIENT_ID_SECRET\")`;\n",
    'lambda_src/main.py': "        new_key = f\"raw_worker_metrics/{'/'.join(obj.key.split('/')[1:])}\"\n",
    'cli/deploy-moe-keyvault.sh': `${['KV', 'SECRET', 'MULTIPLIER'].join('_')}="multiplier@https://$KV_NAME.vault.azure.net"\n`,
    'hub/upload.py': '# !git clone https://julien-c:...token...@huggingface.co/julien-c/my-model\n',
    'agents/app.js': `const config = {\n  privKey: '${begin}\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ... (KMS SECURE STORAGE)\\n${end}',\n};\n`,
  });
  repo.git(['add', '-A']);
  const quiet = repo.gitward(['scan']);
  assert.equal(quiet.code, 0, quiet.output);
  assert.doesNotMatch(quiet.output, /secret\./, quiet.output);

  // Their look-alikes: a literal with a `$` in a shell script's single quotes or in Python, a plain
  // f-string, a URL's real password, a whole key.
  const value = () => join('Zq8', fake.alnum(6), '$AB', fake.alnum(6));
  const body = () => Array.from({ length: 4 }, () => fake.base64(64)).join('\\n');
  repo.write({
    'cli/deploy.sh': `KV_SECRET='${value()}'\n`,
    // A key written into an f-string or beside an expansion is still a key.
    'settings.py': `db_password = "${value()}"\napi_token = f"${join('Zq8', fake.alnum(20))}"\nsecret_key = f"{prefix}-${join('Zq8', fake.alnum(18))}"\n`,
    'cli/db.sh': `DB_PASSWORD="${join('Zq8', fake.alnum(12))}\${SUFFIX}"\n`,
    'hub/clone.sh': `git clone https://julien-c:${join('Zq8', fake.alnum(14))}@huggingface.co/x\n`,
    'agents/key.js': `const k = '${begin}\\n${body()}\\n${end}';\n`,
  });
  repo.git(['add', '-A']);
  const blocked = repo.gitward(['scan', '--format', 'json']);
  const findings = (JSON.parse(blocked.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings.map((f) => `${f.path}:${f.line} ${f.rule}`).sort();
  assert.deepEqual(findings, [
    'agents/key.js:1 secret.private-key',
    'cli/db.sh:1 secret.generic-assignment',
    'cli/deploy.sh:1 secret.generic-assignment',
    'hub/clone.sh:1 secret.url-credentials',
    'settings.py:1 secret.generic-assignment',
    'settings.py:2 secret.generic-assignment',
    'settings.py:3 secret.generic-assignment',
  ], blocked.stdout);
});

// A review of the census's changes, built to find leaks they let through: each now blocks.
test('the review\'s leaks block: a cell turned markdown before an edited code cell, a filled-in .env, $ in a shell password, \\$ in PHP, a key with "..." after its first line', () => {
  const key = () => join('TKIp6', fake.alnum(27));
  const repo = Repo.init();
  const cell = (type: string, source: string[]) => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { execution_count: null, outputs: [] } : {}) });
  const before = { cells: [cell('code', ['x = 1\n']), cell('code', ['import os\n']), cell('code', ['client = Client()\n'])] };
  repo.write({ 'nb.ipynb': `${JSON.stringify(before, null, 1)}\n` });
  repo.commitUnchecked({}, 'notebook');
  const after = { cells: [cell('markdown', ['x = 1\n']), cell('code', ['import os\n']), cell('code', [`client = Client(api_key="${key()}")\n`])] };
  const begin = join('-----BEGIN ', 'PRIVATE KEY-----');
  const end = join('-----END ', 'PRIVATE KEY-----');
  repo.write({
    'nb.ipynb': `${JSON.stringify(after, null, 1)}\n`,
    '.env': `GOOGLE_CLOUD_PROJECT=your-project-id\nJWT_SIGNING=${fake.alnum(40)}\n`,
    'db/.env': 'GOOGLE_CLOUD_PROJECT=your-project-id\nDB_PASSWORD=Password2024!\n',
    'deploy.sh': `export DB_PASSWORD="u85%$${join('ybnK', fake.alnum(8))}"\n`,
    'config.php': `<?php\n$db_password = "\\$${join('Kx9', fake.alnum(14))}";\n`,
    'key.pem.txt': `${begin}\n${fake.base64(64)}...\n${Array.from({ length: 6 }, () => fake.base64(64)).join('\n')}\n${end}\n`,
  });
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'json']);
  const blocks = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; severity: string }[] }).findings.filter((f) => f.severity === 'block').map((f) => `${f.path} ${f.rule}`).sort();
  assert.deepEqual(blocks, [
    '.env env-file.committed',
    'config.php secret.generic-assignment',
    'db/.env env-file.committed',
    'deploy.sh secret.generic-assignment',
    'key.pem.txt secret.private-key',
    'nb.ipynb secret.generic-assignment',
  ], run.stdout);
});
