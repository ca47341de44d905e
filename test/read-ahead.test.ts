import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from './helpers/git.ts';
import { defaultConfig } from '../src/config/types.ts';
import { Scanner, type ScanResult } from '../src/engine/scan.ts';
import { allowPrefetch, readAhead, type ReadAheadLimits } from '../src/engine/read-ahead.ts';
import type { BlobReadOptions, FileChange } from '../src/engine/types.ts';
import { BlobReader } from '../src/git/blob-reader.ts';
import { commitChanges } from '../src/git/log-source.ts';
import { DETECTORS } from '../src/rules/index.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';


/** A raw protocol-2 pickle that calls os.system (bytes only: written, never loaded); its length field holds NULs, so git calls it binary. */
function pickleBytes(arg: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(arg.length);
  return Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cos\nsystem\nX', 'latin1'), length, Buffer.from(arg, 'latin1'), Buffer.from([0x85]), Buffer.from('R.', 'latin1')]);
}

const MODULES = 12;

interface History {
  base: string;
  commits: string[];
  /** Where each finding must be: "<kind> <commit> <path>:<line>". */
  expected: string[];
}

/**
 * Forty commits, each changing three of twelve Python modules (so every change is a modified
 * .py whose whole blob the deserialization detector reads). Half the modules bind `pk` to pickle
 * in their first line, half to json; commit 30 adds the same `pk.loads(...)` to one of each, so
 * only whole-file content decides which one is unsafe. Commit 12 adds a token that commit 13
 * removes again; commits 20 and 25 add and change a binary pickle; commit 22 adds a token to a
 * file that .gitattributes calls binary (its text is recovered from the blobs).
 */
function buildHistory(repo: Repo): History {
  const extra: string[][] = Array.from({ length: MODULES }, () => []);
  const module = (i: number) => {
    const head = i % 2 === 0 ? 'import pickle as pk' : 'import json as pk';
    const body = Array.from({ length: 30 }, (_, n) => `value_${i}_${n} = compute(${n})  # module ${i}`);
    return [head, 'import os', '', ...body, ...extra[i]!].join('\n') + '\n';
  };
  const files = (indexes: number[]) => Object.fromEntries(indexes.map((i) => [`pkg/mod_${i}.py`, module(i)]));
  const lineOf = (i: number) => 3 + 30 + extra[i]!.length;
  const base = repo.commitUnchecked(
    {
      ...files(Array.from({ length: MODULES }, (_, i) => i)),
      'config/settings.yaml': 'name: app\nretries: 3\n',
      '.gitattributes': '*.cfg binary\n',
      'conf/app.cfg': 'name = app\n',
    },
    'base',
  );
  const commits: string[] = [];
  const expected: string[] = [];
  for (let k = 1; k <= 40; k++) {
    const touched = [...new Set([k % MODULES, (k * 5) % MODULES, (k * 7 + 3) % MODULES])];
    for (const i of touched) extra[i]!.push(`value_${i}_k${k} = compute(${k})`);
    const change: Record<string, string | Buffer> = {};
    let marks: string[] = [];
    if (k === 30) {
      for (const i of [0, 1]) {
        extra[i]!.push(`data_${k} = pk.loads(blob)`);
        touched.push(i);
        if (i === 0) marks.push(`deserialization.pickle pkg/mod_0.py:${lineOf(0)}`);
      }
    }
    if (k === 12) {
      change['config/settings.yaml'] = `name: app\ntoken: ${fakeGithubPat()}\nretries: 3\n`;
      marks.push('secret config/settings.yaml:2');
    }
    if (k === 13) change['config/settings.yaml'] = 'name: app\nretries: 3\n';
    if (k === 20 || k === 25) {
      change['models/m.pkl'] = pickleBytes(`echo ${k}`);
      marks.push('pickle.file models/m.pkl');
    }
    if (k === 22) {
      change['conf/app.cfg'] = `name = app\ntoken = ${fakeGithubPat()}\n`;
      marks.push('secret conf/app.cfg:2');
    }
    Object.assign(change, files(touched));
    const id = repo.commitUnchecked(change, `commit ${k}`);
    commits.push(id);
    expected.push(...marks.map((m) => m.replace(' ', ` ${id} `)));
  }
  return { base, commits, expected: expected.sort() };
}

/** "<kind> <commit> <path>[:<line>]" for a finding, with the secret rules (one per provider) folded into one kind. */
function where(f: { rule: string; commit: string | null; path: string | null; line: number | null }): string {
  const kind = f.rule.startsWith('secret.') ? 'secret' : f.rule;
  return `${kind} ${f.commit} ${f.path}${f.line === null ? '' : `:${f.line}`}`;
}

test('a push of many modified .py files is judged the same with reads ahead: the alias from line 1, the token added then removed', () => {
  const bare = Repo.init({ bare: true });
  bare.installPreReceiveHook();
  const client = Repo.init({ env: bare.env });
  const history = buildHistory(client);
  const run = client.git(['push', '--porcelain', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /deserialization\.pickle/);
  const audit = readFileSync(join(bare.dir, 'gitward-audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(audit.length, 1);
  const found = (audit[0].findings as { rule: string; commit: string; path: string; line: number | null }[]).map(where).sort();
  assert.deepEqual([...new Set(found)], history.expected);
  // The json-bound `pk.loads` is not a finding; nothing is found twice.
  assert.equal(found.length, new Set(found).size);
  assert.ok(!found.some((f) => f.includes('pkg/mod_1.py')));
  // A range scan (the CLI's other loop) finds the same.
  const json = JSON.parse(client.gitward(['scan', '--range', `${history.base}..main`, '--format', 'json']).stdout);
  assert.deepEqual((json.findings as Parameters<typeof where>[0][]).map(where).sort(), found);
});

/** Runs the scan loop over the history; `mode` picks the loop: one change at a time (no read-ahead), or read-ahead with given limits. */
async function scanHistory(repo: Repo, base: string, mode: 'serial' | ReadAheadLimits, spy?: { prefetched: number; read: number }): Promise<ScanResult> {
  const config = defaultConfig();
  const blobs = new BlobReader(repo.dir, config.limits.maxFileBytes);
  if (spy) {
    const prefetch = blobs.prefetch.bind(blobs);
    const read = blobs.read.bind(blobs);
    blobs.prefetch = (...args) => (spy.prefetched++, prefetch(...args));
    blobs.read = (...args) => (spy.read++, read(...args));
  }
  const scanner = new Scanner({ config, detectors: DETECTORS });
  const saved = process.env;
  process.env = repo.env;
  try {
    const changes = commitChanges({ revisions: [`${base}..main`] }, repo.dir, blobs);
    const loop = mode === 'serial' ? changes : scanner.ahead(changes, mode);
    for await (const change of loop) await scanner.scanChange(change);
  } finally {
    process.env = saved;
    blobs.close();
  }
  return scanner.result();
}

function comparable(result: ScanResult) {
  return { findings: result.findings, suppressed: result.suppressed, notices: result.notices, files: result.stats.files, lines: result.stats.addedLines };
}

test('reading ahead changes nothing: the same findings, order and notices as one change at a time, also when the byte bound turns reads down', async () => {
  const repo = Repo.init();
  const history = buildHistory(repo);
  const serialSpy = { prefetched: 0, read: 0 };
  const serial = await scanHistory(repo, history.base, 'serial', serialSpy);
  assert.deepEqual([...new Set(serial.findings.map(where))].sort(), history.expected);
  const spy = { prefetched: 0, read: 0 };
  const ahead = await scanHistory(repo, history.base, { changes: 32, bytes: 16 << 20 }, spy);
  assert.deepEqual(comparable(ahead), comparable(serial));
  // Every blob the rules needed was read ahead and served from there: the rules read (nearly)
  // nothing themselves. (Old versions known clean let the rules skip many reads in both loops.)
  assert.ok(serialSpy.read >= 40, `the one-at-a-time loop read ${serialSpy.read} blobs`);
  assert.ok(spy.prefetched >= serialSpy.read, `prefetched ${spy.prefetched}`);
  assert.ok(spy.read * 10 <= serialSpy.read, `rules read ${spy.read} blobs themselves (one at a time: ${serialSpy.read})`);
  const tiny = { prefetched: 0, read: 0 };
  // 3 KB: a module with its added lines is ~1.5 KB, so most reads are refused or never started.
  const bounded = await scanHistory(repo, history.base, { changes: 4, bytes: 3 * 1024 }, tiny);
  assert.deepEqual(comparable(bounded), comparable(serial));
  assert.ok(tiny.read > spy.read, `a refused read is read again by the rule (${tiny.read} > ${spy.read})`);
});

/** A source of hand-made changes that records how far it has been pulled. */
function source(count: number, lineBytes: number, log: { pulled: number; failAt?: number; returned?: boolean }): AsyncGenerator<FileChange> {
  return (async function* () {
    try {
      for (let i = 0; i < count; i++) {
        if (i === log.failAt) throw new Error(`source failed at ${i}`);
        log.pulled = i + 1;
        yield {
          path: `f${i}.py`,
          oldPath: null,
          status: 'M',
          oldMode: '100644',
          newMode: '100644',
          oldBlob: null,
          newBlob: null,
          binary: false,
          addedLines: [{ number: 1, text: 'x'.repeat(lineBytes) }],
          commit: null,
          loadContent: async () => null,
        } satisfies FileChange;
      }
    } finally {
      log.returned = true;
    }
  })();
}

const noPlan = (): BlobReadOptions | null => null;

test('read-ahead keeps the order, stays within its change and byte bounds, and surfaces a source error after the changes before it', async () => {
  const log = { pulled: 0 };
  const seen: string[] = [];
  let mostAhead = 0;
  for await (const change of readAhead(source(100, 10, log), noPlan, { changes: 8, bytes: 1 << 20 })) {
    seen.push(change.path);
    mostAhead = Math.max(mostAhead, log.pulled - seen.length);
    // Give the pump every chance to run ahead.
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(seen, Array.from({ length: 100 }, (_, i) => `f${i}.py`));
  assert.ok(mostAhead <= 8 && mostAhead >= 4, `ran ${mostAhead} ahead`);

  // Each change holds ~1 KB of added text: a 4 KB bound takes at most ~4 at a time, the one being scanned included.
  const byBytes = { pulled: 0 };
  let consumed = 0;
  let held = 0;
  for await (const _ of readAhead(source(50, 1023, byBytes), noPlan, { changes: 32, bytes: 4 * 1024 })) {
    consumed++;
    await new Promise((resolve) => setImmediate(resolve));
    held = Math.max(held, byBytes.pulled - consumed + 1);
  }
  assert.equal(consumed, 50);
  assert.ok(held <= 5, `held ${held} changes of 1 KB under a 4 KB bound`);

  const failing = { pulled: 0, failAt: 7 };
  const before: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const change of readAhead(source(20, 10, failing), noPlan)) before.push(change.path);
    })(),
    /source failed at 7/,
  );
  assert.deepEqual(before, ['f0.py', 'f1.py', 'f2.py', 'f3.py', 'f4.py', 'f5.py', 'f6.py']);

  const stopped: { pulled: number; returned?: boolean } = { pulled: 0 };
  for await (const change of readAhead(source(1000, 10, stopped), noPlan)) if (change.path === 'f3.py') break;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped.returned, true, 'stopping early closes the source (which stops git)');
  assert.ok(stopped.pulled < 1000);
});

test('many blob reads asked in one turn go out together and each gets its own blob', async () => {
  const repo = Repo.init();
  const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f/${i}.txt`, `file ${i}\n${'y'.repeat(i * 37)}\n`]));
  repo.commitUnchecked(files, 'many');
  const ids = repo
    .git(['ls-tree', '-r', 'HEAD'])
    .stdout.trim()
    .split('\n')
    .map((l) => {
      const [meta, path] = l.split('\t');
      return { id: meta!.split(' ')[2]!, path: path! };
    });
  const blobs = new BlobReader(repo.dir, 1 << 20);
  const saved = process.env;
  process.env = repo.env;
  try {
    const contents = await Promise.all(ids.map((e) => blobs.read(e.id, {}, { text: true })));
    ids.forEach((e, i) => assert.equal(contents[i]?.head.toString(), files[e.path], e.path));
  } finally {
    process.env = saved;
    blobs.close();
  }
});

test('changes of one blob in a row (the parts of one large file) share one read ahead, and each is served from it', async () => {
  const content = { size: 3, head: Buffer.from('abc'), tail: null, complete: true };
  let started = 0;
  let ruleReads = 0;
  const changes = ['b1', 'b1', 'b1', 'b2'].map((blob, i) =>
    allowPrefetch(
      {
        path: `part${i}.py`,
        oldPath: null,
        status: 'M' as const,
        oldMode: '100644',
        newMode: '100644',
        oldBlob: null,
        newBlob: blob,
        binary: false,
        addedLines: [{ number: i + 1, text: 'x' }],
        commit: null,
        loadContent: async () => (ruleReads++, content),
      },
      async (_options, admit) => (started++, admit(3) ? { serve: () => content } : undefined),
    ),
  );
  const served: (string | undefined)[] = [];
  for await (const change of readAhead((async function* () { yield* changes; })(), () => ({}))) {
    served.push((await change.loadContent())?.head.toString());
  }
  assert.deepEqual(served, ['abc', 'abc', 'abc', 'abc']);
  assert.equal(started, 2);
  assert.equal(ruleReads, 0);
});

test('a blob larger than the byte bound is still read ahead once (not piped again for the rule) when no other blob is held', async () => {
  const repo = Repo.init();
  const big = (extra: string) => `import pickle as pk\n${'value = compute(1)  # padding\n'.repeat(100_000)}${extra}`;
  const base = repo.commitUnchecked({ 'gen/big.py': big('') }, 'base');
  repo.commitUnchecked({ 'gen/big.py': big('data = pk.loads(blob)\n'), 'small.py': 'x = 1\n' }, 'one line more');
  const serial = await scanHistory(repo, base, 'serial');
  assert.equal(serial.findings.filter((f) => f.rule === 'deserialization.pickle').length, 1);
  const spy = { prefetched: 0, read: 0 };
  const ahead = await scanHistory(repo, base, { changes: 4, bytes: 64 * 1024 }, spy);
  assert.deepEqual(comparable(ahead), comparable(serial));
  assert.equal(spy.prefetched, 1);
  assert.equal(spy.read, 0, 'the rule was served from the read ahead');
});

test("a pyproject.toml that sets the Python version is read ahead: the end-of-life rule reads no blob itself, and finds the same", async () => {
  const repo = Repo.init();
  const base = repo.commitUnchecked({ 'README.md': 'app\n' }, 'base');
  // An application (no [build-system]): its lowest allowed Python is judged; each version adds a requires-python line.
  for (const version of ['3.6', '3.7', '3.8']) {
    repo.commitUnchecked({ 'pyproject.toml': `[project]\nname = "app"\nversion = "${version}.0"\nrequires-python = ">=${version}"\n` }, `python ${version}`);
  }
  // A line that sets no version: the rule settles it from the added lines, so nothing is read for it, ahead or not.
  repo.commitUnchecked({ 'pyproject.toml': '[project]\nname = "app"\nversion = "4.0"\nrequires-python = ">=3.8"\ndescription = "x"\n' }, 'description');
  const serialSpy = { prefetched: 0, read: 0 };
  const serial = await scanHistory(repo, base, 'serial', serialSpy);
  assert.deepEqual(serial.findings.map((f) => [f.rule, f.line]), [['eol-python.version', 4], ['eol-python.version', 4], ['eol-python.version', 4]]);
  assert.equal(serialSpy.read, 3, 'one at a time, the rule reads each version that sets the Python version');
  const spy = { prefetched: 0, read: 0 };
  const ahead = await scanHistory(repo, base, { changes: 16, bytes: 8 << 20 }, spy);
  assert.deepEqual(comparable(ahead), comparable(serial));
  assert.equal(spy.prefetched, 3, 'each of those read ahead');
  assert.equal(spy.read, 0, 'the rule was served from the reads ahead');
});
