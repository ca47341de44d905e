// A staged change of one large new file is read from its blob instead of git's diff when git's
// patch of it is certain (src/git/new-file-blob.ts). Here, on real repositories through the real
// CLI: the read from the blob (GITWARD_STAGED_READ=blob) reports exactly what the read from the
// diff (=diff) reports, for files whose lines look like patch syntax, lack a last newline, end in
// CR, hold bytes that are not UTF-8 or run past a part; every case where git's own verdict could
// differ (a NUL in the first 8,000 bytes, a diff attribute, a size limit in the config, a merge,
// two files, a changed file, a symlink) is read from the diff; the automatic choice on a large
// file reports what the commit's --range scan and the hook report. A module-level property test
// holds the parsed lines of both reads equal on random contents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiffParser, type DiffEvent } from '../src/git/diff-parser.ts';
import { PATCH_FLAGS } from '../src/git/git-process.ts';
import { startNewFileRead } from '../src/git/new-file-blob.ts';
import { PatchRun, StartedDiff, type LargeOutput } from '../src/git/patch-stream.ts';
import { loadRepoInfo } from '../src/git/repo.ts';
import { CLI, Repo, testEnv, type Run } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const CHOSEN = 'read from its blob';

interface Read {
  run: Run;
  /** The JSON report without its duration. */
  report: string;
  fromBlob: boolean;
}

function scan(repo: Repo, mode: 'blob' | 'diff' | null, cwd?: string): Read {
  const env = { ...repo.env, GITWARD_DEBUG: '1' } as NodeJS.ProcessEnv;
  if (mode) env.GITWARD_STAGED_READ = mode;
  else delete env.GITWARD_STAGED_READ;
  const run = repo.gitward(['scan', '--format', 'json'], { env, ...(cwd ? { cwd } : {}) });
  assert.notEqual(run.code, 2, run.output);
  const json = JSON.parse(run.stdout) as { stats: Record<string, unknown> };
  delete json.stats.durationMs;
  return { run, report: JSON.stringify(json), fromBlob: run.stderr.includes(CHOSEN) };
}

/** Both reads of what is staged: the same report, and whether the blob was read. */
function bothReads(repo: Repo, cwd?: string): { blob: Read; diff: Read } {
  const blob = scan(repo, 'blob', cwd);
  const diff = scan(repo, 'diff', cwd);
  assert.equal(diff.fromBlob, false);
  assert.equal(blob.report, diff.report);
  assert.equal(blob.run.code, diff.run.code);
  return { blob, diff };
}

const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
const secretLine = () => `token = "${fakeGithubPat()}"`;

test('one new text file read from its blob reports what its diff reports, line for line', () => {
  const cases: Record<string, Buffer | string> = {
    'final newline': [secretLine(), ...lines(50, (i) => `x${i} = ${i}`), secretLine()].join('\n') + '\n',
    'no final newline, a secret on the last line': [...lines(20, (i) => `y${i} = 1`), secretLine()].join('\n'),
    'CRLF lines': [secretLine(), 'a = 1', secretLine()].join('\r\n') + '\r\n',
    'lines shaped like patch syntax': ['-removed', ' context', '\\ No newline at end of file', '@@ -1 +1 @@', 'diff --git a/x b/x', '\x01commit', ':100644 100644', '', '+plus', secretLine(), '--- /dev/null'].join('\n') + '\n',
    'a NUL after the first 8,000 bytes': Buffer.concat([Buffer.from(lines(2000, (i) => `z${i} = ${i}`).join('\n') + '\n'), Buffer.from([0]), Buffer.from(`\n${secretLine()}\n`)]),
    'bytes that are not UTF-8': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x0a, 0xff, 0xfe]), Buffer.from(`\n${secretLine()}\n`)]),
    'a long line and parts': [secretLine(), 'k'.repeat(300_000) + ` ${secretLine()}`, ...lines(30_000, (i) => `row_${i} = "${i}"`), secretLine()].join('\n') + '\n',
    'an empty file': '',
    'only a newline': '\n',
  };
  for (const [name, content] of Object.entries(cases)) {
    const repo = Repo.init();
    repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
    repo.write({ 'data/file.txt': content });
    repo.git(['add', '-A']);
    const { blob } = bothReads(repo);
    assert.equal(blob.fromBlob, true, `${name}: read from the blob`);
  }
});

test('an everyday commit starts no listing: its diff, already on the pipe when the wait ends, is seen first', () => {
  // The wait for the diff's first bytes is a timer that falls due while node loads the scan; the
  // bytes were then on the pipe but not yet read (timers run before I/O), and a second git process
  // was started for every small commit. Any run of five must see the diff first; a loaded machine
  // may make one late.
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write({ 'app.py': `import os\n${secretLine()}\n`, 'README.md': 'x\ny\n', 'tests/test_app.py': 'def test_x():\n    assert True\n' });
  repo.git(['add', '-A']);
  const reasons: string[] = [];
  for (let run = 0; run < 5; run++) {
    // The hook's own argument list (src/fast-path.ts), as a pre-commit hook runs it.
    const env = { ...repo.env, GITWARD_DEBUG: '1' } as NodeJS.ProcessEnv;
    delete env.GITWARD_STAGED_READ;
    const run = repo.gitward(['scan'], { env });
    assert.equal(run.code, 1, run.output);
    reasons.push(/staged: the diff is read \(([^)]*)\)/.exec(run.stderr)?.[1] ?? 'no reason given');
  }
  assert.ok(reasons.includes('it printed first, no listing asked'), reasons.join('; '));
});

test('the first commit of a repository (no HEAD yet) is read from its blob too', () => {
  const repo = Repo.init();
  repo.write({ 'first.txt': `${secretLine()}\nx = 1\n` });
  repo.git(['add', '-A']);
  const { blob } = bothReads(repo);
  assert.equal(blob.fromBlob, true);
  assert.equal(blob.run.code, 1);
});

test('an executable new file is read from its blob too; the findings block the same', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write({ 'run.sh': `#!/bin/sh\n${secretLine()}\n` });
  repo.git(['add', '-A']);
  repo.git(['update-index', '--chmod=+x', 'run.sh']);
  const { blob } = bothReads(repo);
  assert.equal(blob.fromBlob, true);
  assert.equal(blob.run.code, 1);
  assert.match(blob.report, /secret\.github-pat/);
});

test('where git could call the file binary or show other lines, the diff is read', () => {
  const text = `${secretLine()}\nvalue = 1\n`;
  const cases: Record<string, (repo: Repo) => void> = {
    'a NUL in the first 8,000 bytes': (r) => r.write({ 'f.txt': Buffer.concat([Buffer.from(text), Buffer.from([0]), Buffer.from(text)]) }),
    'a -diff attribute': (r) => {
      r.commitUnchecked({ '.gitattributes': '*.txt -diff\n' }, 'attrs');
      r.write({ 'f.txt': text });
    },
    'a diff attribute forcing text on a NUL': (r) => {
      r.commitUnchecked({ '.gitattributes': '*.txt diff\n' }, 'attrs');
      r.write({ 'f.txt': Buffer.concat([Buffer.from(text), Buffer.from([0])]) });
    },
    'a diff driver said binary in the config': (r) => {
      r.commitUnchecked({ '.gitattributes': '*.txt diff=blobby\n' }, 'attrs');
      r.git(['config', 'diff.blobby.binary', 'true']);
      r.write({ 'f.txt': text });
    },
    'an attribute in a subfolder, scanned from there': (r) => {
      r.commitUnchecked({ 'sub/.gitattributes': 'f.txt binary\n' }, 'attrs');
      r.write({ 'sub/f.txt': text });
    },
    'core.bigFileThreshold': (r) => {
      r.git(['config', 'core.bigFileThreshold', '16']);
      r.write({ 'f.txt': text });
    },
    'diff.default.binary': (r) => {
      r.git(['config', 'diff.default.binary', 'true']);
      r.write({ 'f.txt': text });
    },
    'two new files': (r) => r.write({ 'f.txt': text, 'g.txt': text }),
    'a changed file': (r) => {
      r.commitUnchecked({ 'f.txt': 'old = 1\n' }, 'old');
      r.write({ 'f.txt': `old = 1\n${text}` });
    },
    'a new file renamed from a deleted one': (r) => {
      r.commitUnchecked({ 'old.txt': lines(40, (i) => `v${i} = ${i}`).join('\n') + '\n' }, 'old');
      r.git(['mv', 'old.txt', 'f.txt']);
      r.write({ 'f.txt': lines(40, (i) => `v${i} = ${i}`).join('\n') + `\n${text}` });
    },
    'a symlink': (r) => symlinkSync(secretLine(), join(r.dir, 'link')),
  };
  for (const [name, arrange] of Object.entries(cases)) {
    const repo = Repo.init();
    repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
    arrange(repo);
    repo.git(['add', '-A']);
    const cwd = name.includes('subfolder') ? join(repo.dir, 'sub') : undefined;
    const { blob } = bothReads(repo, cwd);
    assert.equal(blob.fromBlob, false, `${name}: read from the diff`);
  }
});

test('a replace ref hides nothing: the staged blob and the commit (--range) are read as stored', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write({ 'f.txt': `${secretLine()}\n${lines(50, (i) => `v${i} = ${i}`).join('\n')}\n` });
  repo.git(['add', '-A']);
  const stored = repo.git(['rev-parse', ':f.txt']).stdout.trim();
  const clean = repo.git(['hash-object', '-w', '--stdin'], { input: 'clean = 1\n' }).stdout.trim();
  repo.git(['replace', stored, clean]);
  const { blob } = bothReads(repo);
  assert.equal(blob.fromBlob, true);
  assert.equal(blob.run.code, 1, blob.run.output);
  assert.match(blob.report, /secret\.github-pat/);
  // Committed, then the work tree changed (git's diff no longer reads it): the history doors too.
  repo.git(['commit', '-q', '--no-verify', '-m', 'f']);
  repo.write({ 'f.txt': 'changed = 1\n' });
  const range = repo.gitward(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']);
  assert.equal(range.code, 1, range.output);
  assert.match(range.stdout, /secret\.github-pat/);
});

test('a FIFO where the work tree had the new file: no wait for a writer, the same report', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write({ 'big.txt': `${secretLine()}\n${'row = 1\n'.repeat(200_000)}` });
  repo.git(['add', '-A']);
  rmSync(join(repo.dir, 'big.txt'));
  const fifo = spawnSync('mkfifo', [join(repo.dir, 'big.txt')]);
  if (fifo.status !== 0) return;
  for (const mode of ['blob', 'diff', undefined]) {
    const env = { ...repo.env, ...(mode ? { GITWARD_STAGED_READ: mode } : {}) } as NodeJS.ProcessEnv;
    // A hang is a failure here (killed), not a stuck test run.
    const run = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: repo.dir, env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    assert.equal(run.status, 1, `${mode ?? 'automatic'}: ${run.stderr}`);
    assert.match(run.stdout, /secret\.github-pat/);
  }
});

test('a relative GIT_DIR and GIT_WORK_TREE from a subfolder: the attribute is looked up in that repository', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n', 'd/keep.txt': 'k\n' }, 'root');
  writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), 'd/f.txt -diff\n');
  repo.write({ 'd/f.txt': `${secretLine()}\n` });
  repo.git(['add', '-A']);
  const env = { ...repo.env, GIT_DIR: '../.git', GIT_WORK_TREE: '..', GITWARD_DEBUG: '1' } as NodeJS.ProcessEnv;
  const cwd = join(repo.dir, 'd');
  const read = (mode: string) => repo.gitward(['scan', '--format', 'json'], { env: { ...env, GITWARD_STAGED_READ: mode }, cwd });
  const blob = read('blob');
  const diff = read('diff');
  assert.equal(blob.stderr.includes(CHOSEN), false, blob.stderr);
  assert.match(blob.stderr, /the diff is read \(a diff attribute\)/);
  assert.equal(blob.stdout.replace(/"durationMs": \d+/, ''), diff.stdout.replace(/"durationMs": \d+/, ''));
});

test('a new file read whole (requirements) or added by a merge being concluded is read from the diff, with the same report', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write({ 'requirements.txt': 'flask\nrequests>=2\n' });
  repo.git(['add', '-A']);
  const requirements = bothReads(repo);
  assert.match(requirements.blob.report, /requirements\./);

  const merge = Repo.init();
  merge.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  merge.git(['checkout', '-q', '-b', 'side']);
  // An empty side commit: the merge's staged change is the one new file alone.
  merge.commitUnchecked({}, 'side');
  merge.git(['checkout', '-q', 'main']);
  merge.commitUnchecked({}, 'main');
  merge.git(['merge', '-q', '--no-ff', '--no-commit', 'side'], { allowFail: true });
  merge.write({ 'new.txt': `${secretLine()}\n` });
  merge.git(['add', 'new.txt']);
  const { blob } = bothReads(merge);
  assert.equal(blob.fromBlob, false);
  assert.match(blob.report, /secret\.github-pat/);
});

test('the automatic choice on a large new file: the hook blocks it, and the same findings as the commit\'s --range scan', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  const big = [secretLine(), ...lines(80_000, (i) => `{"id": ${i}, "name": "row ${i}"}`), secretLine()].join('\n') + '\n';
  assert.ok(big.length > 2 * 1024 * 1024);
  repo.write({ 'logs/big.ndjson': big });
  repo.git(['add', '-A']);
  const auto = scan(repo, null);
  const diff = scan(repo, 'diff');
  assert.equal(auto.report, diff.report);
  const found = (JSON.parse(auto.run.stdout) as { findings: { rule: string; line: number }[] }).findings.map((f) => `${f.rule}:${f.line}`);
  assert.deepEqual(found, ['secret.github-pat:1', 'secret.github-pat:80002']);

  repo.installPreCommitHook();
  const blocked = repo.git(['commit', '-q', '-m', 'big'], { allowFail: true });
  assert.equal(blocked.code, 1, blocked.output);
  assert.match(blocked.output, /logs\/big\.ndjson:80002/);
  repo.git(['commit', '-q', '--no-verify', '-m', 'big']);
  const range = repo.gitward(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']);
  const ranged = (JSON.parse(range.stdout) as { findings: { rule: string; line: number }[] }).findings.map((f) => `${f.rule}:${f.line}`);
  assert.deepEqual(ranged, found);
});

test('a large new file declined after the diff was stopped (a diff attribute) is read from a diff started again', () => {
  // The automatic choice stops the diff once the listing and the work tree show one large text
  // file; a check that declines after that must start the diff again, or the scan would see nothing.
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n', '.gitattributes': '*.ndjson diff\n' }, 'root');
  repo.write({ 'logs/big.ndjson': [secretLine(), ...lines(80_000, (i) => `{"id": ${i}, "name": "row ${i}"}`), secretLine()].join('\n') + '\n' });
  repo.git(['add', '-A']);
  const diff = scan(repo, 'diff');
  const found = (JSON.parse(diff.run.stdout) as { findings: { rule: string; line: number }[] }).findings.map((f) => `${f.rule}:${f.line}`);
  assert.deepEqual(found, ['secret.github-pat:1', 'secret.github-pat:80002']);
  // On a loaded machine git's diff may print before the checks begin; it is read then, and this
  // path is not taken (1 run in 30 with four busy loops on two cores). Every run must report what
  // the diff reports; some run must take the path.
  const paths: string[] = [];
  for (let run = 0; run < 8 && !paths.includes('restarted'); run++) {
    const auto = scan(repo, null);
    assert.equal(auto.fromBlob, false);
    assert.equal(auto.report, diff.report);
    assert.equal(auto.run.code, 1, auto.run.output);
    if (/staged: the diff is read \(a diff attribute\)/.test(auto.run.stderr)) paths.push('restarted');
    else {
      assert.match(auto.run.stderr, /staged: the diff is read \(it printed first, /);
      paths.push('printed first');
    }
  }
  assert.ok(paths.includes('restarted'), `a diff attribute declined the blob after the diff was stopped: ${paths.join(', ')}`);
});

// ---- module level: the parsed lines of both reads, on random contents ------------------------

const NO_LARGE: LargeOutput = { bytes: Number.MAX_SAFE_INTEGER, act: async () => undefined };

/** The file events' lines and parts, without the new-file hunk's count (unknown to the blob's read). */
function linesOf(events: DiffEvent[]): string {
  return JSON.stringify(
    events.flatMap((e) => (e.kind === 'file' ? [{ raw: e.file.raw, binary: e.file.binary, added: e.file.added, part: e.file.part ?? null, patch: e.file.hasPatch }] : [])),
  );
}

async function all(batches: AsyncIterable<DiffEvent[]>): Promise<DiffEvent[]> {
  const out: DiffEvent[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

function randomContent(seed: number): Buffer {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = ['a', 'b', ' ', '+', '-', '\\', '@', '\r', '\n', '\n', '\n', '\x01', ':', 'é', '\u2028', 'x'.repeat(5000), 'y'.repeat(70_000)];
  const out: Buffer[] = [];
  const length = Math.floor(next() * 400);
  for (let i = 0; i < length; i++) {
    const piece = pieces[Math.floor(next() * pieces.length)]!;
    out.push(next() < 0.02 ? Buffer.from([0xc3]) : Buffer.from(piece));
  }
  return Buffer.concat(out);
}

test('property: on random contents the blob read parses to exactly the diff\'s lines and parts', async () => {
  const saved = process.env.GITWARD_STAGED_READ;
  process.env.GITWARD_STAGED_READ = 'blob';
  try {
    const repo = Repo.init({ env: testEnv() });
    repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
    for (let seed = 1; seed <= 25; seed++) {
      const content = randomContent(seed);
      repo.write({ 'r.txt': content });
      repo.git(['add', '-A']);
      const fromDiff = await all(new PatchRun(['diff', '--cached', ...PATCH_FLAGS, '-M', '--diff-filter=ACMRTUXB'], repo.dir).batches());
      const started = new StartedDiff(new PatchRun(['diff', '--cached', ...PATCH_FLAGS, '-M', '--diff-filter=ACMRTUXB'], repo.dir));
      const read = await startNewFileRead(repo.dir, started, loadRepoInfo(repo.dir), ['-M', '--diff-filter=ACMRTUXB']);
      assert.ok(read, `seed ${seed}: read from the blob`);
      const fromBlob = await all(read.batches(NO_LARGE));
      assert.equal(linesOf(fromBlob), linesOf(fromDiff), `seed ${seed}: ${JSON.stringify(content.toString('latin1').slice(0, 80))}`);
      assert.ok(fromDiff.length > 0);
    }
  } finally {
    if (saved === undefined) delete process.env.GITWARD_STAGED_READ;
    else process.env.GITWARD_STAGED_READ = saved;
  }
});

test('DiffParser.addEveryLine: only inside a hunk', () => {
  const parser = new DiffParser();
  assert.equal(parser.addEveryLine(), false);
});
