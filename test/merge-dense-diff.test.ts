// Merges are read as their dense combined diff (`git log --cc`), which prints no patch for a file
// whose hunks each took one parent's lines as they were, while `--raw` still lists that file: the
// parser pairs each merge patch with its file by path. One history holds the cases that pairing must
// survive, each merge adding lines no parent has ("evil" lines) in files listed after a file with no
// patch: a clean two-sided merge, a rename against the first parent, a conflict resolved by hand, a
// path with a line break, a tab, quotes, a backslash and a non-ASCII letter, a mode change, a binary
// file, an identical line added on both sides (in every parent: not the merge's), and an octopus.
// Every door that reads history must report exactly the planted findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Repo, type JsonReport, type Run } from './helpers/git.ts';
import { BlobReader } from '../src/git/blob-reader.ts';
import { commitChanges } from '../src/git/log-source.ts';
import type { FileChange } from '../src/engine/types.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const PAT = 'secret.github-pat';
const ODD = 'dir/ü "q"\tt\\x\ny.py';

interface Found {
  rule: string;
  path: string;
  line: number | null;
  commit: string | null;
}

const key = (f: Found) => `${f.rule} ${f.commit?.slice(0, 12) ?? '-'} ${JSON.stringify(f.path)}:${f.line ?? '-'}`;
const pat = (path: string, line: number, commit: string): Found => ({ rule: PAT, path, line, commit });
const lines = (n: number, name: string) => Array.from({ length: n }, (_, i) => `${name}_${i} = ${i}\n`).join('');
const head = (r: Repo) => r.git(['rev-parse', 'HEAD']).stdout.trim();

function history(): { repo: Repo; planted: Found[] } {
  const r = Repo.init();
  r.git(['config', 'core.fileMode', 'true']);
  const both = `B = "${fakeGithubPat()}"\n`;
  r.commitUnchecked({ 'a.py': lines(10, 'a'), 'old.py': lines(12, 'old'), 'run.sh': 'echo 1\n', 'data.bin': Buffer.from([0, 1, 2, 3]), [ODD]: 'o = 0\n', 'z.py': 'z = 0\n' }, 'root');

  r.git(['checkout', '-q', '-b', 'side']);
  r.git(['mv', 'old.py', 'new.py']);
  const side = r.commitUnchecked({ 'a.py': lines(10, 'a').replace('a_7 = 7', 'a_7 = "side"'), 'both.py': both, 'z.py': 'z = 0\nside = 1\n', [ODD]: 'o = 0\nside = 1\n' }, 'side');

  r.git(['checkout', '-q', 'main']);
  const main = r.commitUnchecked({ 'a.py': lines(10, 'a').replace('a_1 = 1', 'a_1 = "main"'), 'old.py': lines(12, 'old').replace('old_2 = 2', 'old_2 = "main"'), 'both.py': both, 'run.sh': 'echo 2\n', 'z.py': 'z = 0\nmain = 1\n', [ODD]: 'main = 1\no = 0\n' }, 'main');

  // a.py: both sides' edits merged as they were (no patch under --cc); new.py: renamed on the side,
  // edited on main, plus a line of the merge's own; z.py: a conflict resolved by hand; run.sh: main's
  // text made executable (a mode change with no hunk left); data.bin: new bytes; both.py: as both.
  const merged = lines(12, 'old').replace('old_2 = 2', 'old_2 = "main"');
  const m1 = r.mergeUnchecked(['side'], {
    'a.py': lines(10, 'a').replace('a_1 = 1', 'a_1 = "main"').replace('a_7 = 7', 'a_7 = "side"'),
    'new.py': `${merged}N = "${fakeGithubPat()}"\n`,
    'z.py': `z = 0\nmain = 1\nside = 1\nZ = "${fakeGithubPat()}"\n`,
    [ODD]: `main = 1\no = 0\nside = 1\nQ = "${fakeGithubPat()}"\n`,
    'run.sh': 'echo 2\n',
    'data.bin': Buffer.from([0, 9, 9, 9]),
    '.env': 'DEBUG=1\n',
  }, 'merge side');
  r.git(['update-index', '--chmod=+x', 'run.sh']);
  r.git(['commit', '-q', '--no-verify', '--amend', '--no-edit']);
  const merge1 = head(r);
  assert.notEqual(merge1, m1);
  const raw = r.git(['log', '-1', '-M', '-c', '--raw', '--format=', merge1]).stdout;
  assert.match(raw, /^::.* R[A-Z]\tnew\.py$/m, 'new.py is renamed against the first parent');
  assert.match(raw, /^::.*\ta\.py$/m, 'a.py differs from both parents');
  assert.doesNotMatch(r.git(['log', '-1', '--cc', '--format=', merge1]).stdout, /^diff --cc a\.py$/m, '--cc prints no patch for a.py');

  // An octopus: each branch adds a file of its own; the merge adds a line to a.py no parent has.
  const planted: Found[] = [pat('both.py', 1, side), pat('both.py', 1, main)];
  for (const n of [1, 2, 3]) {
    r.git(['checkout', '-q', '-b', `o${n}`, 'main']);
    r.commitUnchecked({ [`o${n}.py`]: `o${n} = 1\n` }, `o${n}`);
  }
  r.git(['checkout', '-q', 'main']);
  const octopus = r.mergeUnchecked(['o1', 'o2', 'o3'], { 'a.py': `${lines(10, 'a').replace('a_1 = 1', 'a_1 = "main"').replace('a_7 = 7', 'a_7 = "side"')}E = "${fakeGithubPat()}"\n` }, 'octopus');
  assert.equal(r.git(['rev-list', '--parents', '-n1', octopus]).stdout.trim().split(' ').length, 5, 'four parents');

  planted.push(
    pat('new.py', 13, merge1),
    pat('z.py', 4, merge1),
    pat(ODD, 4, merge1),
    { rule: 'env-file.committed', path: '.env', line: null, commit: merge1 },
    pat('a.py', 11, octopus),
  );
  return { repo: r, planted };
}

function fromJson(run: Run, what: string): Found[] {
  assert.notEqual(run.code, 2, `${what}: ${run.output}`);
  return (JSON.parse(run.stdout) as JsonReport).findings.map(({ rule, path, line, commit }) => ({ rule, path, line, commit }));
}

const sorted = (found: Found[]) => found.map(key).sort();

test("a merge's patches are paired with its files by path: every door reports exactly the planted findings", () => {
  const { repo, planted } = history();
  const expected = sorted(planted);
  assert.deepEqual(sorted(fromJson(repo.gitward(['scan', '--history', '--format', 'json']), 'history')), expected, 'scan --history');
  assert.deepEqual(sorted(fromJson(repo.gitward(['scan', '--range', 'main', '--format', 'json']), 'range')), expected, 'scan --range main');
  const threads = { ...repo.env, GITWARD_WORKERS: '2', GITWARD_WORKERS_FROM: '0' };
  assert.deepEqual(sorted(fromJson(repo.gitward(['scan', '--range', 'main', '--format', 'json'], { env: threads }), 'threads')), expected, 'scan --range main on two threads');

  // A real push into a bare repository whose pre-receive hook is gitward: refused, each finding shown.
  const server = Repo.init({ bare: true, env: repo.env }).installPreReceiveHook();
  const push = repo.git(['push', '--no-verify', server.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  const shown = [...push.stderr.matchAll(/^remote: [✖▲] (\S+) {2}([0-9a-f]{12}) (.+?)(?::(\d+))?\s*$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}:${m[4] ?? '-'}`);
  // The text report writes a control character as \xNN.
  const asText = (path: string) => path.replace(/[\t\n]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  assert.deepEqual(shown.sort(), planted.map((f) => `${f.rule} ${f.commit!.slice(0, 12)} ${asText(f.path)}:${f.line ?? '-'}`).sort(), 'pre-receive (git push)');
});

test('a merge patch naming a path the list does not hold keeps its lines (paired with the next record)', async () => {
  const { DiffParser } = await import('../src/git/diff-parser.ts');
  const parser = new DiffParser();
  const id = (c: string) => c.repeat(40);
  const stream = `\x01${id('c')}\x00${id('a')} ${id('b')}\x00n\x00e\x00s\x02\n::100644 100644 100644 ${id('1')} ${id('2')} ${id('3')} MM\x00listed.py\x00\x00diff --cc other.py\nindex 1,2..3\n@@@ -1,0 -1,0 +1,1 @@@\n++x\n`;
  const files = [...parser.push(Buffer.from(stream)), ...parser.end()].flatMap((e) => (e.kind === 'file' ? [[e.file.raw.path, e.file.added.map((l) => l.text)]] : []));
  assert.deepEqual(files, [['listed.py', ['x']]]);
});

test('two names that are not UTF-8 and decode alike: the merge patch goes to the file the index line names', async () => {
  const repo = Repo.init();
  // "f\xfe.py" and "f\xff.py" both read as "f\uFFFD.py"; git lists the first first.
  const names = [Buffer.from([0x66, 0xfe, 0x2e, 0x70, 0x79]), Buffer.from([0x66, 0xff, 0x2e, 0x70, 0x79])];
  const write = (name: Buffer, text: string) => writeFileSync(Buffer.concat([Buffer.from(`${repo.dir}/`), name]), text);
  const body = lines(10, 'v');
  for (const name of names) write(name, body);
  repo.commitUnchecked({}, 'root');
  repo.git(['checkout', '-q', '-b', 'side']);
  for (const name of names) write(name, body.replace('v_7 = 7', 'v_7 = "side"'));
  repo.commitUnchecked({}, 'side');
  repo.git(['checkout', '-q', 'main']);
  for (const name of names) write(name, body.replace('v_1 = 1', 'v_1 = "main"'));
  repo.commitUnchecked({}, 'main');
  repo.git(['merge', '-q', '--no-ff', '--no-commit', 'side']);
  // The first keeps both sides' edits as they were (no patch under --cc); the second adds a line.
  write(names[1]!, `${body.replace('v_1 = 1', 'v_1 = "main"').replace('v_7 = 7', 'v_7 = "side"')}added = 1\n`);
  const merge = repo.commitUnchecked({}, 'merge');
  const tree = repo.git(['ls-tree', '-z', merge]).stdout.split('\0').filter(Boolean);
  assert.equal(tree.length, 2);
  const evilBlob = tree[1]!.split(' ')[2]!.split('\t')[0]!;
  const changes: FileChange[] = [];
  const blobs = new BlobReader(repo.dir, 1 << 20);
  const saved = process.env;
  process.env = repo.env;
  try {
    for await (const change of commitChanges({ revisions: [`${merge}^..${merge}`] }, repo.dir, blobs)) if (!change.location && change.commit === merge) changes.push(change);
  } finally {
    process.env = saved;
    blobs.close();
  }
  assert.deepEqual(changes.map((c) => [c.path, c.newBlob === evilBlob, c.addedLines.map((l) => `${l.number}:${l.text}`)]), [
    ['f\uFFFD.py', false, []],
    ['f\uFFFD.py', true, ['11:added = 1']],
  ]);
});
