// The ranking precomputed at build time (ranking-index.ts) must answer exactly as the tsv read at
// run time does. A built run with the package's own data reads only that file (a missing or
// damaged one is an error, also a part found damaged only where the search reads it); with another data file (GITWARD_DATA_DIR) or from the sources it is
// used only when it was made from the very tsv the run reads: stale, damaged, missing or another
// format means the tsv is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lookAlikeOf, parseTopPackages, type TopPackages } from '../src/rules/requirements/look-alike.ts';
import { bundledRanking, loadTopPackages, rankingFileBeside, rankingFileBytes } from '../src/rules/requirements/ranking-index.ts';
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

function writeIndex(bytes: Buffer): string {
  const file = join(tempDir(), 'gitward-test.ranking.bin');
  writeFileSync(file, bytes);
  return file;
}

/** A precomputed file's parts: its header (the first line, JSON) and what follows it from the next multiple of 4. */
interface RankingParts {
  header: { format: number; source: string; protectedNames: string[]; sections: Record<string, [number, number]> } & Record<string, unknown>;
  payload: Buffer;
}
function partsOf(bytes: Buffer): RankingParts {
  const newline = bytes.indexOf(10);
  return { header: JSON.parse(bytes.toString('latin1', 0, newline)), payload: bytes.subarray((newline + 4) & ~3) };
}
function fileOf({ header, payload }: RankingParts): Buffer {
  const line = Buffer.from(`${JSON.stringify(header)}\n`, 'latin1');
  const head = Buffer.alloc((line.length + 3) & ~3, 0x20);
  line.copy(head);
  return Buffer.concat([head, payload]);
}
/** A copy of the file with int32 section `name` (e.g. `names.values`) changed by `change`. */
function withInts(bytes: Buffer, name: string, change: (values: Int32Array) => void): Buffer {
  const parts = partsOf(bytes);
  const payload = Buffer.from(parts.payload);
  const [at, length] = parts.header.sections[name]!;
  const values = new Int32Array(length >> 2);
  new Uint8Array(values.buffer).set(payload.subarray(at, at + length));
  change(values);
  Buffer.from(values.buffer).copy(payload, at);
  return fileOf({ header: parts.header, payload });
}
/** A copy of the file with its header changed by `change`. */
function withHeader(bytes: Buffer, change: (header: RankingParts['header']) => void): Buffer {
  const parts = partsOf(bytes);
  change(parts.header);
  return fileOf(parts);
}

test('the precomputed ranking holds what the tsv gives, and every look-alike answer is the same', () => {
  const fromIndex = loadTopPackages(TSV_FILE, writeIndex(rankingFileBytes(tsv)));
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
  const good = rankingFileBytes(tsv);
  // A file made from another ranking (one name moved to the top), so its answers differ from the tsv's.
  const otherTsv = Buffer.from(tsv.toString('utf8').replace('\n1\tboto3\n', '\n1\treqeusts\n'));
  assert.notDeepEqual(otherTsv, tsv);
  const other = rankingFileBytes(otherTsv);
  // Used when it says it was made from this tsv: its answers then are its own (which is why the check matters).
  const forged = withHeader(other, (header) => (header.source = partsOf(good).header.source));
  assert.equal(lookAlikeOf('reqeusts', loadTopPackages(TSV_FILE, writeIndex(forged))), null);
  assert.equal(lookAlikeOf('reqeusts', fromTsv), 'requests');
  const cases: Record<string, Buffer> = {
    stale: other,
    'damaged (cut short)': good.subarray(0, good.length >> 1),
    'damaged (no header)': good.subarray(0, 40),
    'another format': withHeader(good, (header) => (header.format = 999)),
    'other protected names': withHeader(good, (header) => (header.protectedNames = ['pythonx', ...header.protectedNames.slice(1)])),
    'a missing list': withHeader(good, (header) => (header.sections.letters![1] = 0)),
    'a missing section': withHeader(good, (header) => delete header.sections['skeletons.slots']),
    'a list not of int32': withHeader(good, (header) => (header.sections.popularity![1] -= 1)),
    'a table of the wrong size': withHeader(good, (header) => (header.sections['names.slots']![1] >>= 1)),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    assert.notDeepEqual(bytes, good, name);
    const top = loadTopPackages(TSV_FILE, writeIndex(bytes));
    assert.equal(lookAlikeOf('reqeusts', top), 'requests', name);
    assert.deepEqual(stateOf(top), stateOf(fromTsv), name);
  }
  assert.deepEqual(stateOf(loadTopPackages(TSV_FILE, join(tempDir(), 'none.ranking.bin'))), stateOf(fromTsv));
  assert.deepEqual(stateOf(loadTopPackages(TSV_FILE, null)), stateOf(fromTsv));
});

test('the precomputed file is the bundle\'s own: beside a .cjs module under its name, none for the sources', () => {
  assert.equal(rankingFileBeside('/x/dist/chunks/gitward-0123.cjs'), '/x/dist/chunks/gitward-0123.ranking.bin');
  assert.equal(rankingFileBeside('/x/src/rules/requirements/ranking-index.ts'), null);
  assert.equal(rankingFileBeside(), null);
});

test('the build writes the ranking beside the bundle, the CLI reads it, and reads the tsv instead for another data file', () => {
  const files = readdirSync(dirname(CLI) + '/chunks').filter((f) => f.endsWith('.ranking.bin'));
  assert.equal(files.length, 1, 'one ranking file beside the bundle');
  assert.ok(existsSync(join(dirname(CLI), 'chunks', files[0]!.replace(/\.ranking\.bin$/, '.cjs'))), 'named after the bundle');
  const built = readFileSync(join(dirname(CLI), 'chunks', files[0]!));
  assert.deepEqual(built, rankingFileBytes(tsv), 'the build wrote what the module makes from data/');
  // A private copy of the build whose ranking file, still naming this tsv, no longer ranks `requests` (its name there is `requestz`).
  const dist = copyOfBuild();
  const parts = partsOf(built);
  const [at, length] = parts.header.sections['names.text']!;
  const names = parts.payload.toString('latin1', at, at + length);
  assert.equal(names.split('\nrequests\n').length, 2);
  const payload = Buffer.from(parts.payload);
  payload.write(names.replace('\nrequests\n', '\nrequestz\n'), at, 'latin1');
  writeFileSync(join(dist, 'chunks', files[0]!), fileOf({ header: parts.header, payload }));
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
  const name = readdirSync(dirname(CLI) + '/chunks').find((f) => f.endsWith('.ranking.bin'))!;
  // A copy of the build out of the package: there is no data/ to walk up to, and none is named.
  const dist = copyOfBuild();
  const ranking = join(dist, 'chunks', name);
  const built = readFileSync(ranking);
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
    [() => writeFileSync(ranking, built.subarray(0, 40)), /is damaged \(no header\)/],
    [() => writeFileSync(ranking, built.subarray(0, built.length - 4000)), /is damaged/],
    [() => writeFileSync(ranking, withHeader(built, (header) => (header.sections.letters![1] = 4))), /is damaged/],
    // Found where the search reads it: the name table's slots point past its names (the file's shape is right).
    [() => writeFileSync(ranking, withInts(built, 'names.slots', (slots) => slots.fill(1 << 30))), /is damaged, so requirements cannot be checked/],
    // Every slot taken (a table the build writes is at most half full): not "unranked", damaged.
    [() => writeFileSync(ranking, withInts(built, 'names.slots', (slots) => slots.fill(1))), /is damaged, so requirements cannot be checked/],
    [() => writeFileSync(ranking, withHeader(built, (header) => (header.format = 0))), /was made by another version/],
    [() => rmSync(ranking), /is missing/],
  ] as const) {
    damage();
    const run = scan();
    assert.equal(run.status, 2, run.stdout);
    assert.equal(run.stdout, '');
    const first = run.stderr.split('\n')[0]!;
    assert.match(first, /^gitward: error: the look-alike ranking \S+\.ranking\.bin /);
    assert.match(first, why);
    writeFileSync(ranking, built);
  }
  // Without the look-alike check the file is not read at all.
  rmSync(ranking);
  repo.write({ '.gitward.toml': '[requirements]\nlook-alike = false\n' });
  const off = scan();
  assert.equal(off.status, 0, off.stderr);
});

test('the ranking a run uses: its own file when no data file is named, else the tsv through a file made from it', () => {
  const own = join(tempDir(), 'own.ranking.bin');
  writeFileSync(own, rankingFileBytes(tsv));
  assert.deepEqual(stateOf(bundledRanking(own, {})!), stateOf(fromTsv));
  assert.throws(() => bundledRanking(join(tempDir(), 'none.ranking.bin'), {}), /is missing/);
  // Another data file: a file not made from it is passed over (here: one more name), and the tsv's answers come.
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'pypi-top-packages.tsv'), Buffer.concat([tsv, Buffer.from('99999\tzz-not-listed\n')]));
  assert.ok(bundledRanking(own, { GITWARD_DATA_DIR: dataDir })!.rank.has('zz-not-listed'));
  assert.equal(bundledRanking(own, { GITWARD_DATA_DIR: tempDir() }), null, 'no tsv in the named folder: no ranking (the rule says so)');
});

test('a data folder holding the very tsv the file was made from: the file is read, not the tsv', () => {
  const first = fromTsv.rank.keys().next().value!;
  // A sentinel rank only the file holds, for its first name.
  const own = join(tempDir(), 'own.ranking.bin');
  writeFileSync(own, withInts(rankingFileBytes(tsv), 'names.values', (ranks) => (ranks[0] = 424242)));
  const dataDir = tempDir();
  copyFileSync(TSV_FILE, join(dataDir, 'pypi-top-packages.tsv'));
  assert.equal(bundledRanking(own, { GITWARD_DATA_DIR: dataDir })!.rank.get(first), 424242);
  assert.notEqual(fromTsv.rank.get(first), 424242);
});

test('a precomputed file whose index points past its targets is damaged: exit 2 where the search reads it, not a wrong answer', () => {
  const good = rankingFileBytes(tsv);
  const damaged = (bytes: Buffer) => {
    const own = join(tempDir(), 'own.ranking.bin');
    writeFileSync(own, bytes);
    return bundledRanking(own, {})!;
  };
  // The shape is right, so the file loads; the first search that reads the index fails.
  // `etheruim`: vowels garbled in `ethereum` (a protected name), found by its skeleton alone.
  assert.equal(lookAlikeOf('etheruim', damaged(good)), 'ethereum');
  assert.throws(() => lookAlikeOf('etheruim', damaged(withInts(good, 'skeletons.values', (at) => at.fill(1 << 30)))), /ranking \S+ is damaged/);
  // A target's name index past the names, and a list by length pointing past the targets.
  assert.throws(() => damaged(withInts(good, 'targets', (names) => names.fill(1 << 30))).targets, /is damaged/);
  assert.throws(() => damaged(withInts(good, 'targets', (names) => names.fill(-1000))).target(0), /is damaged/);
  assert.throws(() => lookAlikeOf('reqeusts', damaged(withInts(good, 'byLength', (at) => at.fill(-1)))), /is damaged/);
  // A name's place in the text that does not end at a newline.
  assert.throws(() => damaged(withInts(good, 'names.starts', (starts) => (starts[1]! += 1))).targets, /is damaged/);
  assert.equal(lookAlikeOf('reqeusts', damaged(good)), 'requests');
});
