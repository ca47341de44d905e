// The ranking precomputed at build time (ranking-index.ts) must answer exactly as the tsv read at
// run time does. A built run with the package's own data reads only that file (a missing or
// damaged one is an error); with another data file (GITWARD_DATA_DIR) or from the sources it is
// used only when it was made from the very tsv the run reads: stale, damaged, missing or another
// format means the tsv is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lookAlikeOf, parseTopPackages, type TopPackages } from '../src/rules/requirements/look-alike.ts';
import { bundledRanking, loadTopPackages, rankingFileBeside, rankingFileText } from '../src/rules/requirements/ranking-index.ts';
import { CLI, copyOfBuild, Repo, ROOT, tempDir, testEnv } from './helpers/git.ts';

const TSV_FILE = join(ROOT, 'data', 'pypi-top-packages.tsv');
const tsv = readFileSync(TSV_FILE);
const fromTsv = parseTopPackages(tsv.toString('utf8'));

/** Everything a TopPackages answers with, as data. */
function stateOf(top: TopPackages) {
  return {
    rank: [...top.rank],
    protectedNames: [...top.protectedNames],
    targets: [...top.targets],
    longest: top.longestTarget,
    popularity: [...top.popularities()],
    letters: [...top.allLetters()],
    namespaces: [...top.namespaces()].sort(),
    details: top.targets.map((_, i) => top.detail(i)),
    near: Array.from({ length: top.longestTarget + 4 }, (_, length) => [...Array.from(top.nearLengths(length))]),
  };
}

/** Names near the ranking: every single edit of the top 400, prefixes, joins, and the names themselves. */
function probeNames(top: TopPackages): string[] {
  const names = new Set<string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789-';
  for (const name of top.targets.slice(0, 400)) {
    names.add(name);
    names.add(`python-${name}`).add(`py${name}`).add(`${name}2`).add(`${name}-${top.targets[7]!}`);
    for (let i = 0; i <= name.length; i++) {
      if (i < name.length) names.add(name.slice(0, i) + name.slice(i + 1));
      if (i + 1 < name.length) names.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
      for (const c of letters.slice(i % 6, i % 6 + 6)) {
        names.add(name.slice(0, i) + c + name.slice(i));
        if (i < name.length) names.add(name.slice(0, i) + c + name.slice(i + 1));
      }
    }
  }
  return [...names];
}

function writeIndex(text: string): string {
  const file = join(tempDir(), 'gitward-test.ranking.json');
  writeFileSync(file, text);
  return file;
}

test('the precomputed ranking holds what the tsv gives, and every look-alike answer is the same', () => {
  const fromIndex = loadTopPackages(TSV_FILE, writeIndex(rankingFileText(tsv)));
  assert.deepEqual(stateOf(fromIndex), stateOf(fromTsv));
  let flagged = 0;
  for (const name of probeNames(fromTsv)) {
    const expected = lookAlikeOf(name, fromTsv);
    assert.equal(lookAlikeOf(name, fromIndex), expected, name);
    if (expected !== null) flagged++;
  }
  assert.ok(flagged > 1000, `only ${flagged} probes flagged: the comparison would prove little`);
});

test('a precomputed ranking is used only when made from this tsv, in this format; otherwise the tsv is read', () => {
  const good = rankingFileText(tsv);
  // A file made from another ranking (one name moved to the top), so its answers differ from the tsv's.
  const otherTsv = Buffer.from(tsv.toString('utf8').replace('\n1\tboto3\n', '\n1\treqeusts\n'));
  assert.notDeepEqual(otherTsv, tsv);
  const other = rankingFileText(otherTsv);
  const sourceOf = (text: string) => (JSON.parse(text) as { source: string }).source;
  // Used when it says it was made from this tsv: its answers then are its own (which is why the check matters).
  const forged = other.replace(sourceOf(other), sourceOf(good));
  assert.equal(lookAlikeOf('reqeusts', loadTopPackages(TSV_FILE, writeIndex(forged))), null);
  assert.equal(lookAlikeOf('reqeusts', fromTsv), 'requests');
  const cases: Record<string, string> = {
    stale: other,
    damaged: good.slice(0, good.length >> 1),
    'another format': good.replace('"format":1', '"format":999'),
    'other protected names': good.replace('"protectedNames":["python"', '"protectedNames":["pythonx"'),
    'a missing list': good.replace(/"letters":"[^"]*"/, '"letters":""'),
  };
  for (const [name, text] of Object.entries(cases)) {
    assert.notEqual(text, good, name);
    const top = loadTopPackages(TSV_FILE, writeIndex(text));
    assert.equal(lookAlikeOf('reqeusts', top), 'requests', name);
    assert.deepEqual(stateOf(top), stateOf(fromTsv), name);
  }
  assert.deepEqual(stateOf(loadTopPackages(TSV_FILE, join(tempDir(), 'none.ranking.json'))), stateOf(fromTsv));
  assert.deepEqual(stateOf(loadTopPackages(TSV_FILE, null)), stateOf(fromTsv));
});

test('the precomputed file is the bundle\'s own: beside a .cjs module under its name, none for the sources', () => {
  assert.equal(rankingFileBeside('file:///x/dist/chunks/gitward-0123.cjs'), '/x/dist/chunks/gitward-0123.ranking.json');
  assert.equal(rankingFileBeside('file:///x/src/rules/requirements/ranking-index.ts'), null);
  assert.equal(rankingFileBeside(), null);
});

test('the build writes the ranking beside the bundle, the CLI reads it, and reads the tsv instead for another data file', () => {
  const files = readdirSync(dirname(CLI) + '/chunks').filter((f) => f.endsWith('.ranking.json'));
  assert.equal(files.length, 1, 'one ranking file beside the bundle');
  assert.ok(existsSync(join(dirname(CLI), 'chunks', files[0]!.replace(/\.ranking\.json$/, '.cjs'))), 'named after the bundle');
  const built = readFileSync(join(dirname(CLI), 'chunks', files[0]!), 'utf8');
  assert.equal(built, rankingFileText(tsv), 'the build wrote what the module makes from data/');
  // A private copy of the build whose ranking file, still naming this tsv, no longer ranks `requests`.
  const dist = copyOfBuild();
  const data = JSON.parse(built) as { names: string };
  writeFileSync(join(dist, 'chunks', files[0]!), JSON.stringify({ ...data, names: data.names.replace(/^requests$/m, 'requests-not') }));
  // A copy of the build cannot walk up to data/: the tsv is named.
  const dataDir = join(tempDir(), 'data');
  mkdirSync(dataDir);
  copyFileSync(TSV_FILE, join(dataDir, 'pypi-top-packages.tsv'));
  const env = testEnv({ GITWARD_DATA_DIR: dataDir });
  const repo = Repo.init({ env });
  repo.write({ 'requirements.txt': 'requests==2.32.3\nreqeusts==2.32.3\n' });
  repo.git(['add', '-A']);
  const findings = (cli: string) => {
    const run = spawnSync(process.execPath, [cli, 'scan', '--format', 'json'], { cwd: repo.dir, env, encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    return (JSON.parse(run.stdout) as { findings: { rule: string; line: number; message: string }[] }).findings.map((f) => `${f.line} ${f.rule} ${f.message}`);
  };
  const expected = findings(CLI);
  assert.ok(expected.some((f) => f.startsWith('2 requirement.look-alike')), expected.join('\n'));
  assert.notDeepEqual(findings(join(dist, 'gitward.cjs')), expected, 'the copy read its (tampered) ranking file');
  // Another data file (one more line): the ranking file is not its own, and the tsv is read.
  writeFileSync(join(dataDir, 'pypi-top-packages.tsv'), Buffer.concat([tsv, Buffer.from('99999\tzz-not-listed\n')]));
  assert.deepEqual(findings(join(dist, 'gitward.cjs')), expected);
});

test('a built run reads its own ranking file and no tsv; a missing or damaged one fails the scan (exit 2) in one line', () => {
  const name = readdirSync(dirname(CLI) + '/chunks').find((f) => f.endsWith('.ranking.json'))!;
  // A copy of the build out of the package: there is no data/ to walk up to, and none is named.
  const dist = copyOfBuild();
  const ranking = join(dist, 'chunks', name);
  const built = readFileSync(ranking, 'latin1');
  const env = testEnv();
  delete env.GITWARD_DATA_DIR;
  const repo = Repo.init({ env });
  repo.write({ 'requirements.txt': 'requests==2.32.3\nreqeusts==2.32.3\n' });
  repo.git(['add', '-A']);
  const scan = () => spawnSync(process.execPath, [join(dist, 'gitward.cjs'), 'scan', '--format', 'json'], { cwd: repo.dir, env, encoding: 'utf8' });
  const intact = scan();
  assert.ok(intact.status === 0 || intact.status === 1, intact.stderr);
  assert.match(intact.stdout, /"rule": "requirement\.look-alike"/, 'the look-alike is found with no tsv anywhere');
  for (const [damage, why] of [
    [() => writeFileSync(ranking, built.slice(0, 4000)), /is damaged \(not JSON\)/],
    [() => writeFileSync(ranking, built.replace(/"letters":"[^"]*"/, '"letters":"AAAA"')), /is damaged/],
    [() => writeFileSync(ranking, built.replace('"format":1', '"format":0')), /was made by another version/],
    [() => rmSync(ranking), /is missing/],
  ] as const) {
    damage();
    const run = scan();
    assert.equal(run.status, 2, run.stdout);
    assert.equal(run.stdout, '');
    const first = run.stderr.split('\n')[0]!;
    assert.match(first, /^gitward: error: the look-alike ranking \S+\.ranking\.json /);
    assert.match(first, why);
    writeFileSync(ranking, built, 'latin1');
  }
  // Without the look-alike check the file is not read at all.
  rmSync(ranking);
  repo.write({ '.gitward.toml': '[requirements]\nlook-alike = false\n' });
  const off = scan();
  assert.equal(off.status, 0, off.stderr);
});

test('the ranking a run uses: its own file when no data file is named, else the tsv through a file made from it', () => {
  const own = join(tempDir(), 'own.ranking.json');
  writeFileSync(own, rankingFileText(tsv));
  assert.deepEqual(stateOf(bundledRanking(own, {})!), stateOf(fromTsv));
  assert.throws(() => bundledRanking(join(tempDir(), 'none.ranking.json'), {}), /is missing/);
  // Another data file: a file not made from it is passed over (here: one more name), and the tsv's answers come.
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'pypi-top-packages.tsv'), Buffer.concat([tsv, Buffer.from('99999\tzz-not-listed\n')]));
  assert.ok(bundledRanking(own, { GITWARD_DATA_DIR: dataDir })!.rank.has('zz-not-listed'));
  assert.equal(bundledRanking(own, { GITWARD_DATA_DIR: tempDir() }), null, 'no tsv in the named folder: no ranking (the rule says so)');
});

/** The precomputed file of the bundled tsv as data, to doctor one field. */
function rankingData(): Record<string, unknown> & { ranks: string; names: string; skeletons: { keys: string; at: string } } {
  return JSON.parse(rankingFileText(tsv));
}
const int32Base64 = (values: number[]) => Buffer.from(new Int32Array(values).buffer).toString('base64');

test('a data folder holding the very tsv the file was made from: the file is read, not the tsv', () => {
  const data = rankingData();
  const first = data.names.split('\n')[0]!;
  const ranks = Array.from(new Int32Array(new Uint8Array(Buffer.from(data.ranks, 'base64')).buffer));
  ranks[0] = 424242; // a sentinel only the file holds
  data.ranks = int32Base64(ranks);
  const own = join(tempDir(), 'own.ranking.json');
  writeFileSync(own, JSON.stringify(data));
  const dataDir = tempDir();
  copyFileSync(TSV_FILE, join(dataDir, 'pypi-top-packages.tsv'));
  assert.equal(bundledRanking(own, { GITWARD_DATA_DIR: dataDir })!.rank.get(first), 424242);
  assert.notEqual(fromTsv.rank.get(first), 424242);
});

test('a precomputed file whose index points past its targets is damaged: exit 2, not a wrong answer', () => {
  const data = rankingData();
  const keys = data.skeletons.keys.split('\n');
  data.skeletons.at = int32Base64(keys.map(() => 1 << 30));
  const own = join(tempDir(), 'own.ranking.json');
  writeFileSync(own, JSON.stringify(data));
  assert.throws(() => bundledRanking(own, {}), /is damaged/);
});
