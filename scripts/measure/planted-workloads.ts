// Differential check of the per-byte path (issue 15, point 2), not shipped.
//
// Builds the bench's two large workloads (a 10 MB single-line minified JSON array, a 20 MB NDJSON
// log) with the bench's own generator, plants fake secrets in them (built at run time: in the
// middle of the long line, across the 1 MiB windows' edges and overlaps, at the very end, in
// `"password": "…"` and other credential pairs, `"name":"API_TOKEN","value":"…"` pairs, as provider tokens; in NDJSON lines, also across
// the diff parser's 256 KiB parts), stages each in a repository and runs `gitward scan --format
// json` with two builds, comparing their findings (everything but the timing).
//
// Usage: node --import tsx scripts/measure/planted-workloads.ts --a /work/main/dist/gitward.cjs
//          --b dist/gitward.cjs [--dir /tmp/planted] [--keep] [--cpu]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join as joinPath, resolve } from 'node:path';
import { Text, git, initRepo, rng } from '../../bench/generate.ts';
import { Source } from '../../bench/source.ts';
import { fake, fakeMore, join } from '../../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../../src/rules/secrets/validity.ts';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const a = resolve(arg('--a') ?? '/work/main/dist/gitward.cjs');
const b = resolve(arg('--b') ?? 'dist/gitward.cjs');
const dir = resolve(arg('--dir') ?? '/tmp/gitward-planted');

const WINDOW = 1 << 20;
const STEP = WINDOW - 4096;

/** Secrets and credential pairs, each a JSON fragment that fits where a record's field would. */
function plants(): string[] {
  const pw = () => join('Kx9', '#mQ2v!', fake.alnum(6));
  return [
    `"password":"${pw()}"`,
    `"db_password": "${pw()}"`,
    `"apiKey":"${join(fake.alnum(12), fake.base64url(20))}"`,
    `"client_secret":"${fake.alnum(40)}"`,
    `"auth_token":"${join(fake.alnum(16), fake.base64url(16))}"`,
    `"note":"${withBase62Checksum(join('gh', 'p_'), fake.alnum(30))}"`,
    `"aws":"${join('AK', 'IA')}${fakeMore.base32(16)}"`,
    `"aws_secret_access_key":"${fake.base64(40).replace(/[+/]/g, 'x')}"`,
    `"hook":"${join('xox', 'b-')}${fake.digits(12)}-${fake.digits(13)}-${fake.alnum(24)}"`,
    `"stripe":"${join('sk', '_live_')}${fake.alnum(24)}"`,
    `"url":"postgres://app:${pw()}@db.internal:5432/app"`,
    `"blob":"${fake.alnum(48)}"`,
    `"config":"TOKEN=${fake.alnum(32)}"`,
    `"public_key":"${fake.alnum(44)}"`,
    // Key/value pairs (the PAIR shape): the name in one field, the secret in the next.
    `"name":"API_TOKEN","value":"${pw()}"`,
    `"key": "db.password", "defaultValue": "${pw()}"`,
  ];
}

/** The minified line with plants at fixed offsets: record boundaries near each chosen offset. */
function minified(src: Source): string {
  const records: string[] = [];
  let size = 1;
  for (let i = 0; size < 10e6; i++) {
    const r = src.apiRecord(i);
    records.push(r);
    size += r.length + 1;
  }
  let text = `[${records.join(',')}]`;
  const offsets: number[] = [];
  for (let w = 1; w * STEP < text.length; w++) offsets.push(w * STEP - 30, w * STEP + 10, w * STEP + 2000, w * STEP + 4090, Math.min(text.length - 100, w * STEP + 4096 - 20));
  offsets.push(text.length >> 1, 17);
  // Inserted from the end so earlier offsets stay where they were chosen; each value is new.
  offsets.sort((x, y) => y - x);
  offsets.forEach((at, n) => {
    const fresh = plants();
    const plant = fresh[n % fresh.length]!;
    // Inside a record's object: just after a `{`, so the fragment is one more field.
    const brace = text.lastIndexOf('{', at);
    text = `${text.slice(0, brace + 1)}${plant},${text.slice(brace + 1)}`;
  });
  // The very end: a last record holding a secret as its last characters.
  return `${text.slice(0, -1)},{"id":1,${plants()[0]!.replace('"password"', '"passwd"')}}]`;
}

function ndjson(src: Source): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 20e6; i++) {
    let line = src.logRecord(i);
    // Every 997th line, and the lines around each 256 KiB part edge, carry a plant.
    const edge = size % (256 * 1024) > 256 * 1024 - 700;
    if (i % 997 === 0 || edge) {
      const fresh = plants();
      line = `{${fresh[i % fresh.length]!},${line.slice(1)}`;
    }
    lines.push(line);
    size += line.length;
  }
  return `${lines.join('')}{"end":true,${plants()[2]!}}\n`;
}

function stage(name: string, path: string, content: string): string {
  const repo = joinPath(dir, name);
  rmSync(repo, { recursive: true, force: true });
  initRepo(repo);
  mkdirSync(joinPath(repo, path, '..'), { recursive: true });
  writeFileSync(joinPath(repo, path), content);
  git(repo, ['add', '-A']);
  return repo;
}

function findings(cli: string, repo: string): { text: string; count: number; cpu: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, cli, 'scan', '--format', 'json'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = JSON.parse(r.stdout) as { findings: unknown[]; stats: Record<string, unknown> };
  delete out.stats.durationMs;
  return { text: JSON.stringify(out, null, 1), count: out.findings.length, cpu: r.stderr.trim().split('\n').pop() ?? '' };
}

const src = new Source(new Text(rng(20261123)));
const repos = [stage('minified', 'static/orders.min.json', minified(src)), stage('ndjson', 'logs/events.ndjson', ndjson(src))];
let same = true;
for (const repo of repos) {
  const [x, y] = [findings(a, repo), findings(b, repo)];
  const equal = x.text === y.text;
  same &&= equal;
  console.log(`${repo}: ${x.count} findings (A) vs ${y.count} (B): ${equal ? 'identical' : 'DIFFERENT'}; CPU user+sys A ${x.cpu}, B ${y.cpu}`);
  if (!equal) {
    writeFileSync(`${repo}.a.json`, x.text);
    writeFileSync(`${repo}.b.json`, y.text);
    console.log(`  see diff ${repo}.a.json ${repo}.b.json`);
  }
}
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
process.exit(same ? 0 : 1);
