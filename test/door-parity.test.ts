// Every door that reads history must see the same thing: one set of generated histories, run
// through `scan --range`, `scan --history`, pre-push (a real `git push`), the pre-commit
// framework's push hook (its environment, and the real framework when installed), pre-receive (a
// real `git push` into a bare repository with the hook) and, commit by commit, the staged scan
// (also with a commit of one new text file read from its blob, src/git/new-file-blob.ts).
// Each door must report exactly the planted findings of the commits (and tags) it covers.
// A door added later joins DOORS below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, Repo, tempDir, type JsonReport, type Run } from './helpers/git.ts';
import { hasPreCommit, hookRepo } from './helpers/hook-repo.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

const PAT = 'secret.github-pat';

interface Found {
  rule: string;
  path: string;
  line: number | null;
  /** Full id (JSON) or its first 12 characters (text); null for a tag on a blob or a tree. */
  commit: string | null;
}

/** A history and what was planted in it. */
interface History {
  repo: Repo;
  objectFormat: 'sha1' | 'sha256';
  planted: Found[];
}

const key = (f: Found) => `${f.rule} ${f.commit?.slice(0, 12) ?? 'no-commit'} ${f.path}:${f.line ?? '-'}`;

// ---- the histories ------------------------------------------------------------------------

type Build = (repo: Repo) => Found[];

function make(build: Build, objectFormat: 'sha1' | 'sha256' = 'sha1'): History {
  const repo = Repo.init({ objectFormat });
  return { repo, objectFormat, planted: build(repo) };
}

const pat = (path: string, line: number, commit: string | null): Found => ({ rule: PAT, path, line, commit });
const head = (repo: Repo) => repo.git(['rev-parse', 'HEAD']).stdout.trim();

const linear: Build = (r) => {
  r.commitUnchecked({ 'app.py': 'print(1)\n' }, 'root');
  const secret = r.commitUnchecked({ 'app.py': `print(1)\nT = "${fakeGithubPat()}"\n` }, 'secret');
  const more = r.commitUnchecked({ 'cfg/k.py': `import os\nK = "${fakeGithubPat()}"\n`, '.env': 'DEBUG=1\n' }, 'more');
  r.commitUnchecked({ 'app.py': 'print(2)\n' }, 'edit');
  return [pat('app.py', 2, secret), pat('cfg/k.py', 2, more), { rule: 'env-file.committed', path: '.env', line: null, commit: more }];
};

/**
 * The side branch holds a secret of its own: a merge scanned against its first parent only would
 * report it again, on the merge. The merge itself adds one line no parent has (an "evil merge").
 */
const evilMerge: Build = (r) => {
  r.commitUnchecked({ 'g.py': 'x = 0\n' }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  const side = r.commitUnchecked({ 'side.py': `S = "${fakeGithubPat()}"\n`, 'g.py': 'x = 0\nside = 1\n' }, 'side');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'g.py': 'main = 1\nx = 0\n' }, 'main');
  const merge = r.mergeUnchecked(['side'], { 'g.py': `main = 1\nx = 0\nside = 1\nT = "${fakeGithubPat()}"\n` }, 'evil merge');
  return [pat('side.py', 1, side), pat('g.py', 4, merge)];
};

const octopus: Build = (r) => {
  r.commitUnchecked({ 'base.py': 'b = 0\n' }, 'root');
  const planted: Found[] = [];
  for (const n of [1, 2, 3]) {
    r.git(['checkout', '-q', '-b', `b${n}`, 'main']);
    planted.push(pat(`b${n}.py`, 1, r.commitUnchecked({ [`b${n}.py`]: `B${n} = "${fakeGithubPat()}"\n` }, `b${n}`)));
  }
  r.git(['checkout', '-q', 'main']);
  const merge = r.mergeUnchecked(['b1', 'b2', 'b3'], { 'base.py': `b = 0\nE = "${fakeGithubPat()}"\n` }, 'octopus');
  assert.equal(r.git(['rev-list', '--parents', '-n1', 'HEAD']).stdout.trim().split(' ').slice(1).length, 4, 'an octopus merge: four parents');
  return [...planted, pat('base.py', 2, merge)];
};

/** Two merges that cross (each branch merges the other), then a merge of the two with two merge bases. */
const crissCross: Build = (r) => {
  r.commitUnchecked({ 'f.py': 'a = 1\n' }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  const b1 = r.commitUnchecked({ 's.py': `S = "${fakeGithubPat()}"\n` }, 'b1');
  r.git(['checkout', '-q', 'main']);
  const a1 = r.commitUnchecked({ 'm.py': 'm = 1\n' }, 'a1');
  r.git(['merge', '-q', '--no-ff', '-m', 'M1', b1]);
  r.git(['checkout', '-q', 'side']);
  r.git(['merge', '-q', '--no-ff', '-m', 'M2', a1]);
  r.commitUnchecked({ 's2.py': 't = 1\n' }, 'b2');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'm.py': 'm = 2\n' }, 'a2');
  const m3 = r.mergeUnchecked(['side'], { 'f.py': `a = 1\nE = "${fakeGithubPat()}"\n` }, 'M3');
  assert.equal(r.git(['merge-base', '--all', 'HEAD^1', 'HEAD^2']).stdout.trim().split('\n').length, 2, 'two merge bases');
  return [pat('s.py', 1, b1), pat('f.py', 2, m3)];
};

const renameEdit: Build = (r) => {
  const body = Array.from({ length: 12 }, (_, i) => `value_${i} = compute(${i})\n`).join('');
  const old = `${body}T = "${fakeGithubPat()}"\n`;
  const root = r.commitUnchecked({ 'old.py': old }, 'root');
  r.git(['mv', 'old.py', 'new.py']);
  const renamed = r.commitUnchecked({ 'new.py': `${old}U = "${fakeGithubPat()}"\n` }, 'rename and edit');
  assert.match(r.git(['show', '-M', '--name-status', '--format=', renamed]).stdout, /^R\d+\told\.py\tnew\.py/m);
  return [pat('old.py', 13, root), pat('new.py', 14, renamed)];
};

/**
 * Renames into the paths a rule judges by name: a text file holding a pickle call becomes a .py
 * file and a list of names a requirements file (every line is new to the rule); a .py file renamed
 * to another .py name brings nothing new (its call was found where it was added).
 */
const renameIntoScope: Build = (r) => {
  r.commitUnchecked({ 'notes.txt': 'import pickle\n\ndef load(b):\n    return pickle.loads(b)\n' }, 'root');
  const added = r.commitUnchecked({ 'deps.txt': 'flask\n', 'old.py': 'import pickle\nx = pickle.loads(b"")\n' }, 'more');
  for (const [from, to] of [['notes.txt', 'notes.py'], ['deps.txt', 'requirements.txt'], ['old.py', 'moved.py']] as const) r.git(['mv', from, to]);
  const renamed = r.commitUnchecked({}, 'renames');
  assert.equal(r.git(['show', '-M', '--name-status', '--format=', renamed]).stdout.match(/^R100\t/gm)?.length, 3, 'three renames');
  return [
    { rule: 'deserialization.pickle', path: 'old.py', line: 2, commit: added },
    { rule: 'deserialization.pickle', path: 'notes.py', line: 4, commit: renamed },
    { rule: 'requirement.unpinned', path: 'requirements.txt', line: 1, commit: renamed },
  ];
};

/**
 * Edits that make an unchanged line an unsafe call: an import that rebinds `json`, and a commit that
 * only deletes the quotes of a string around a call (rules/deserialization/detector.ts).
 */
const editedElsewhere: Build = (r) => {
  r.commitUnchecked({ 'app.py': 'import json\n\n\ndef load(b):\n    return json.loads(b)\n' }, 'root');
  const alias = r.commitUnchecked({ 'app.py': 'import pickle as json\n\n\ndef load(b):\n    return json.loads(b)\n' }, 'alias');
  r.commitUnchecked({ 'd.py': 'NOTES = """\nimport pickle\npickle.loads(b)\n"""\n' }, 'a string');
  const deleted = r.commitUnchecked({ 'd.py': 'import pickle\npickle.loads(b)\n' }, 'the quotes deleted');
  assert.match(r.git(['show', '--numstat', '--format=', deleted]).stdout, /^0\t2\td\.py$/m, 'a commit that only deletes lines');
  return [
    { rule: 'deserialization.pickle', path: 'app.py', line: 5, commit: alias },
    { rule: 'deserialization.pickle', path: 'd.py', line: 2, commit: deleted },
  ];
};

/**
 * Deserialization look-alikes every door judges alike: a round trip (no finding), a call beside
 * bandit's marker (allowed), a call through a name the file binds nowhere (a warning), the
 * import that later makes that unchanged call a block, and an edit below line 1 of a Python script
 * without .py (its shebang read from the blob).
 */
const deserializationLookAlikes: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'import pickle\ncopy = pickle.loads(pickle.dumps(obj))\nx = pickle.loads(b)  # nosec B301\n' }, 'a round trip, a reviewed call');
  const data = r.commitUnchecked({ 'tests/data/case.py': 'd = yaml.load(s)\n' }, 'test data');
  const imported = r.commitUnchecked({ 'tests/data/case.py': 'import yaml\nd = yaml.load(s)\n' }, 'imported');
  r.commitUnchecked({ tool: '#!/usr/bin/env python3\nimport pickle\nprint(1)\n' }, 'a script');
  const edited = r.commitUnchecked({ tool: '#!/usr/bin/env python3\nimport pickle\nprint(1)\nx = pickle.loads(d)\n' }, 'an edit below its line 1');
  return [
    { rule: 'deserialization.yaml', path: 'tests/data/case.py', line: 1, commit: data },
    { rule: 'deserialization.yaml', path: 'tests/data/case.py', line: 2, commit: imported },
    { rule: 'deserialization.pickle', path: 'tool', line: 4, commit: edited },
  ];
};

/**
 * A rename inside a merge: the history doors' combined diff names no old path, and the staged door
 * (which sees one while the merge is concluded) judges it as they do: what the merge adds, nothing.
 */
const renameInMerge: Build = (r) => {
  r.commitUnchecked({ 'n.txt': 'import pickle\nx = pickle.loads(b)\n' }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  r.commitUnchecked({ 'side.txt': 'side\n' }, 'side');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'main.txt': 'main\n' }, 'main');
  r.git(['merge', '-q', '--no-ff', '--no-commit', 'side']);
  r.git(['mv', 'n.txt', 'n.py']);
  r.git(['commit', '-q', '--no-verify', '-m', 'merge, and a rename']);
  return [];
};

const addedThenRemoved: Build = (r) => {
  r.commitUnchecked({ 'k.py': 'K = None\n' }, 'root');
  const added = r.commitUnchecked({ 'k.py': `K = "${fakeGithubPat()}"\n` }, 'add');
  r.commitUnchecked({ 'k.py': 'K = None\n' }, 'remove');
  return [pat('k.py', 1, added)];
};

const orphanBranch: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'a = 1\n' }, 'root');
  r.git(['checkout', '-q', '--orphan', 'other']);
  r.git(['rm', '-rfq', '.']);
  const orphan = r.commitUnchecked({ 'o.py': `O = "${fakeGithubPat()}"\n` }, 'orphan root');
  r.commitUnchecked({ 'o.py': `O = "${fakeGithubPat()}"\n` }, 'orphan edit');
  const edit = head(r);
  r.git(['checkout', '-q', 'main']);
  return [pat('o.py', 1, orphan), pat('o.py', 1, edit)];
};

/** A lightweight tag, an annotated tag, and a tag of that tag, all ending at one blob. */
const tagOnBlob: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'a = 1\n' }, 'root');
  const blob = r.git(['hash-object', '-w', '--stdin'], { input: `# notes\nK = "${fakeGithubPat()}"\n` }).stdout.trim();
  r.git(['tag', 'blob-light', blob]);
  r.git(['tag', '-a', '-m', 'annotated', 'blob-annotated', blob]);
  r.git(['tag', '-a', '-m', 'nested', 'blob-nested', 'blob-annotated']);
  return [pat('blob-light', 2, null), pat('blob-annotated', 2, null), pat('blob-nested', 2, null)];
};

/** A tag on a tree no commit holds (written from the index, then unstaged). */
const tagOnTree: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'a = 1\n' }, 'root');
  r.write({ 'dir/x.py': `X = "${fakeGithubPat()}"\n`, 'top.py': 'print(1)\n' });
  r.git(['add', '-A']);
  const tree = r.git(['write-tree']).stdout.trim();
  r.git(['reset', '-q', '--hard']);
  r.git(['clean', '-qfd']);
  r.git(['tag', '-a', '-m', 'a tree', 'tree-tag', tree]);
  return [pat('tree-tag/dir/x.py', 1, null)];
};

/**
 * A text file git calls binary (a NUL in its first bytes): its printable text is what it adds,
 * and a new version adds only the runs the old one lacks.
 */
const nulText: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'a = 1\n' }, 'root');
  const first = `\0\x01\nT = "${fakeGithubPat()}"\n`;
  const added = r.commitUnchecked({ 'notes.dat': Buffer.from(first) }, 'binary');
  const edited = r.commitUnchecked({ 'notes.dat': Buffer.from(`${first}x = 1\nU = "${fakeGithubPat()}"\n`) }, 'binary edit');
  assert.match(r.git(['show', '--format=', edited]).stdout, /^Binary files/m, 'git calls it binary');
  return [pat('notes.dat', 2, added), pat('notes.dat', 4, edited)];
};

/** A text file's first 8000 bytes and more, all ASCII: git sniffs only those for a NUL. */
const ascii = '# exported settings\n'.repeat(420);

/**
 * UTF-16 text after git's 8000-byte sniff: git prints it as text, each ASCII character beside a
 * NUL (little-endian, then big-endian in an edit). Its lines are read without their NULs.
 */
const lateUtf16: Build = (r) => {
  r.commitUnchecked({ 'a.py': 'a = 1\n' }, 'root');
  const le = Buffer.from(`T = "${fakeGithubPat()}"\r\n`, 'utf16le');
  const added = r.commitUnchecked({ 'settings.reg': Buffer.concat([Buffer.from(ascii), le]) }, 'utf-16 after ascii');
  const be = Buffer.from(`U = "${fakeGithubPat()}"\r\n`, 'utf16le').swap16();
  const edited = r.commitUnchecked({ 'settings.reg': Buffer.concat([Buffer.from(ascii), le, Buffer.from('\nx = 1\n'), be]) }, 'utf-16 edit');
  assert.doesNotMatch(r.git(['show', '--format=', edited]).stdout, /^Binary files/m, 'git calls it text');
  return [pat('settings.reg', 421, added), pat('settings.reg', 424, edited)];
};

/**
 * The same in a merge: git's combined diff prints a line only up to its first NUL (`++T`), so the
 * merge's lines are taken from its new blob. A file both sides change, and one the merge adds.
 */
const utf16Merge: Build = (r) => {
  r.commitUnchecked({ 'settings.reg': ascii }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  r.commitUnchecked({ 'settings.reg': `${ascii}side = 1\n` }, 'side');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'settings.reg': `main = 1\n${ascii}` }, 'main');
  const le = Buffer.from(`T = "${fakeGithubPat()}"\r\n`, 'utf16le');
  const be = Buffer.from(`U = "${fakeGithubPat()}"\r\n`, 'utf16le').swap16();
  const merge = r.mergeUnchecked(['side'], { 'settings.reg': Buffer.concat([Buffer.from(`main = 1\n${ascii}side = 1\n`), le]), 'more.reg': Buffer.concat([Buffer.from(ascii), be]) }, 'utf-16 in a merge');
  assert.match(r.git(['show', '--format=', '-c', merge]).stdout, /^\+\+T$/m, 'git cuts the line at its NUL');
  return [pat('settings.reg', 423, merge), pat('more.reg', 421, merge)];
};

/**
 * And where the merge removed lines before it: git then leaves out a line every parent holds (here
 * an empty one) yet counts it, and prints the UTF-16 line, cut at its first NUL, as empty too.
 */
const utf16MergeSlack: Build = (r) => {
  r.commitUnchecked({ 'f.txt': `${ascii}a = 1\nl = 2\n\n` }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  r.commitUnchecked({ 'f.txt': `${ascii}a = 1\n\n` }, 'side drops a line');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'f.txt': `${ascii}a = 1\nl = 2\n\nm = 4\n` }, 'main adds one');
  const be = Buffer.from(`key = "${fakeGithubPat()}"\r\n`, 'utf16le').swap16();
  const merge = r.mergeUnchecked(['side'], { 'f.txt': Buffer.concat([Buffer.from(`${ascii}a = 1\n\n`), be]) }, 'utf-16 after removed lines');
  return [pat('f.txt', 423, merge)];
};

/** SHA-256: an evil merge and a tag on a blob. */
const sha256: Build = (r) => [...evilMerge(r), ...tagOnBlob(r)];

const HISTORIES: [string, () => History][] = [
  ['linear', () => make(linear)],
  ['evil merge (side branch with its own secret)', () => make(evilMerge)],
  ['octopus merge', () => make(octopus)],
  ['criss-cross merge', () => make(crissCross)],
  ['rename plus edit', () => make(renameEdit)],
  ['renames into the paths a rule judges', () => make(renameIntoScope)],
  ['edits that make an unchanged line a call', () => make(editedElsewhere)],
  ['a rename inside a merge', () => make(renameInMerge)],
  ['deserialization look-alikes: a round trip, a linter\'s marker, a name bound nowhere', () => make(deserializationLookAlikes)],
  ['a secret added then removed', () => make(addedThenRemoved)],
  ['orphan branch', () => make(orphanBranch)],
  ['tags on a blob', () => make(tagOnBlob)],
  ['tag on a tree', () => make(tagOnTree)],
  ['a text file git calls binary (a NUL)', () => make(nulText)],
  ['UTF-16 after the first 8000 bytes of a text file', () => make(lateUtf16)],
  ['UTF-16 in a merge (the combined diff cuts it at a NUL)', () => make(utf16Merge)],
  ['UTF-16 in a merge after lines it removed', () => make(utf16MergeSlack)],
  ['SHA-256', () => make(sha256, 'sha256')],
];

// ---- reading the doors' reports ------------------------------------------------------------

function fromJson(run: Run | string, what: string): Found[] {
  const text = typeof run === 'string' ? run : run.stdout;
  if (typeof run !== 'string') assert.notEqual(run.code, 2, `${what}: ${run.output}`);
  return (JSON.parse(text) as JsonReport).findings.map(({ rule, path, line, commit }) => ({ rule, path, line, commit }));
}

/** The text report's finding lines: `✖ <rule>  [<commit:12>] <path>[:<line>]` (behind "remote: " from a server). */
function fromText(output: string): Found[] {
  const found: Found[] = [];
  for (const raw of output.split('\n')) {
    const m = /^(?:remote: )?[✖▲] (\S+) {2}(?:([0-9a-f]{12}) )?(.+?)(?::(\d+))?\s*$/.exec(raw);
    if (m) found.push({ rule: m[1]!, commit: m[2] ?? null, path: m[3]!, line: m[4] ? Number(m[4]) : null });
  }
  return found;
}

const branches = (r: Repo) => r.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads']).stdout.split('\n').filter(Boolean);
const revList = (r: Repo, args: string[]) => r.git(['rev-list', ...args]).stdout.split('\n').filter(Boolean);
const ALL_REFS = ['refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'];

/** What one door saw, and what it covers: commits (full ids) and whether it reads refs on blobs and trees. */
interface Seen {
  found: Found[];
  commits: string[];
  tags: boolean;
}

function bareLike(h: History): Repo {
  return Repo.init({ bare: true, objectFormat: h.objectFormat, env: h.repo.env });
}

const DOORS: Record<string, (h: History) => Seen> = {
  'scan --history': (h) => ({
    found: fromJson(h.repo.gitward(['scan', '--history', '--format', 'json']), 'history'),
    commits: revList(h.repo, ['--all']),
    tags: true,
  }),

  'scan --range <branch>': (h) => ({
    found: branches(h.repo).flatMap((b) => fromJson(h.repo.gitward(['scan', '--range', b, '--format', 'json']), `range ${b}`)),
    commits: revList(h.repo, ['--branches']),
    tags: false,
  }),

  /** The framework's environment for a new branch (no FROM/TO: the pushed ref and the remote's name). */
  'scan --pre-commit=push (new history)': (h) => ({
    found: branches(h.repo).flatMap((b) => {
      const env = { ...h.repo.env, PRE_COMMIT_LOCAL_BRANCH: `refs/heads/${b}`, PRE_COMMIT_REMOTE_NAME: 'nowhere', PRE_COMMIT_REMOTE_BRANCH: `refs/heads/${b}` };
      return fromJson(h.repo.gitward(['scan', '--pre-commit=push', '--format', 'json', '--'], { env }), `framework ${b}`);
    }),
    commits: revList(h.repo, ['--branches']),
    tags: false,
  }),

  /** The framework's environment for a branch the remote has: PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF. */
  'scan --pre-commit=push (FROM..TO)': (h) => {
    const from = revList(h.repo, ['--max-parents=0', 'main']).pop()!;
    const env = { ...h.repo.env, PRE_COMMIT_FROM_REF: from, PRE_COMMIT_TO_REF: 'main' };
    return {
      found: fromJson(h.repo.gitward(['scan', '--pre-commit=push', '--format', 'json', '--'], { env }), 'framework from..to'),
      commits: revList(h.repo, [`${from}..main`]),
      tags: false,
    };
  },

  /** A real `git push` of every branch and tag, through a pre-push hook that writes its JSON report. */
  'pre-push (git push)': (h) => {
    const bare = bareLike(h);
    const report = join(tempDir('gitward-parity-'), 'pre-push.json');
    const hook = join(h.repo.dir, '.git', 'hooks', 'pre-push');
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-push "$@" --format json --output "${report}"\n`);
    chmodSync(hook, 0o755);
    try {
      const push = h.repo.git(['push', '-q', bare.dir, ...ALL_REFS], { allowFail: true });
      assert.ok(existsSync(report), `the pre-push hook ran: ${push.output}`);
      assert.equal(push.code === 0, h.planted.length === 0, `the push is refused when it brings a finding: ${push.output}`);
      return { found: fromJson(readFileSync(report, 'utf8'), 'pre-push'), commits: revList(h.repo, ['--all']), tags: true };
    } finally {
      writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    }
  },

  /** A real `git push` of every branch and tag into a bare repository with the pre-receive hook. */
  'pre-receive (git push)': (h) => {
    const bare = bareLike(h).installPreReceiveHook();
    const push = h.repo.git(['push', '--no-verify', bare.dir, ...ALL_REFS], { allowFail: true });
    assert.equal(push.code === 0, h.planted.length === 0, `the push is refused when it brings a finding: ${push.output}`);
    assert.match(push.output, /gitward/, 'the hook ran');
    return { found: fromText(push.stderr), commits: revList(h.repo, ['--all']), tags: true };
  },

  /**
   * The staged scan, replayed commit by commit in a clone: each commit's tree is staged on top of
   * its first parent (a root commit's on an unborn branch); a merge's after a real
   * `git merge --no-commit` of its other parents (conflicts or not), as when a merge is concluded
   * with `git commit`. Its findings are that commit's.
   */
  'scan --staged (each commit replayed)': (h) => replayStaged(h, h.repo.env),
  /** The same, with a commit of one new text file read from its blob (src/git/new-file-blob.ts) at any size. */
  'scan --staged, one new file read from its blob (each commit replayed)': (h) => replayStaged(h, { ...h.repo.env, GITWARD_STAGED_READ: 'blob', GITWARD_DEBUG: '1' }),
};

function replayStaged(h: History, env: NodeJS.ProcessEnv): Seen {
  const clone = new Repo(tempDir('gitward-replay-'), h.repo.env);
  h.repo.git(['clone', '-q', '--no-checkout', h.repo.dir, clone.dir]);
  const commits = revList(h.repo, ['--branches']);
  const found: Found[] = [];
  let fromBlob = 0;
  commits.forEach((commit, i) => {
    const [first, ...others] = clone.git(['rev-list', '--parents', '-n1', commit]).stdout.trim().split(' ').slice(1);
    clone.git(['merge', '--abort'], { allowFail: true });
    if (!first) {
      clone.git(['checkout', '-q', '-f', '--orphan', `replay-${i}`, commit]);
    } else if (others.length === 0) {
      clone.git(['checkout', '-q', '-f', '--detach', commit]);
      clone.git(['reset', '-q', '--soft', first]);
    } else {
      clone.git(['checkout', '-q', '-f', '--detach', first]);
      clone.git(['merge', '-q', '--no-ff', '--no-commit', ...others], { allowFail: true });
      assert.ok(existsSync(join(clone.dir, '.git', 'MERGE_HEAD')), `a merge of ${others.length + 1} parents is being concluded`);
      clone.git(['read-tree', '-u', '--reset', commit]);
    }
    const run = clone.gitward(['scan', '--staged', '--format', 'json'], { env });
    if (run.stderr.includes('read from its blob')) fromBlob++;
    found.push(...fromJson(run, `staged ${commit}`).map((f) => ({ ...f, commit })));
  });
  if (env.GITWARD_STAGED_READ === 'blob') assert.ok(fromBlob > 0, 'some commit was one new file, read from its blob');
  return { found, commits, tags: false };
}

/** What a door should report: the planted findings of what it covers. */
function expectedFor(h: History, seen: Seen): string[] {
  const covered = new Set(seen.commits.map((c) => c.slice(0, 12)));
  return h.planted.filter((f) => (f.commit === null ? seen.tags : covered.has(f.commit.slice(0, 12)))).map(key).sort();
}

const unique = (keys: string[]) => [...new Set(keys)].sort();

for (const [name, build] of HISTORIES) {
  test(`every door reports the same findings: ${name}`, () => {
    const h = build();
    for (const [door, run] of Object.entries(DOORS)) {
      const seen = run(h);
      assert.deepEqual(unique(seen.found.map(key)), expectedFor(h, seen), `${door} on "${name}"`);
      // Each door reports each finding once (the range and framework doors run once per branch).
      if (!/<branch>|new history|replayed/.test(door)) assert.equal(seen.found.length, unique(seen.found.map(key)).length, `${door} reports each finding once`);
    }
  });
}

/**
 * The real pre-commit framework (CI installs it): its pre-push hook hands gitward either the pushed
 * range (PRE_COMMIT_FROM_REF/TO_REF, when the remote has part of the branch) or, for a new history,
 * the pushed ref. One ref per push: the framework reads only the first line of git's pre-push input.
 */
test('the real pre-commit framework push hook reports what the other doors report', { skip: hasPreCommit ? false : 'pre-commit is not installed (apt-get install pre-commit; .ci/run does it)' }, () => {
  const hooks = hookRepo();
  const home = tempDir('gitward-pc-home-');
  for (const [name, build] of HISTORIES) {
    const h = build();
    const env: NodeJS.ProcessEnv = { ...h.repo.env, PRE_COMMIT_HOME: home };
    delete env.GITWARD_DIST;
    const r = new Repo(h.repo.dir, env);
    // Untracked, so that the histories stay as built.
    r.write({ '.pre-commit-config.yaml': `repos:\n- repo: ${hooks.dir}\n  rev: ${hooks.rev}\n  hooks:\n  - id: gitward-push\n` });
    const install = spawnSync('pre-commit', ['install', '--hook-type', 'pre-push'], { cwd: r.dir, env, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    const bare = bareLike(h);
    r.git(['remote', 'add', 'fw', bare.dir]);
    // main's root is on the remote already: pushing main gives the framework a FROM..TO range.
    const root = revList(r, ['--max-parents=0', 'main']).pop()!;
    r.git(['push', '-q', '--no-verify', 'fw', `${root}:refs/heads/main`]);
    const found: Found[] = [];
    const commits = new Set<string>(revList(r, [`${root}..main`]));
    const pushes = branches(r).map((b) => [b, b === 'main' ? revList(r, [`${root}..main`]) : revList(r, [b, '--not', '--remotes=fw'])] as const);
    for (const [branch, covered] of pushes) {
      if (covered.length === 0) continue; // nothing to push: git does not run the hook
      const push = r.git(['push', 'fw', `refs/heads/${branch}:refs/heads/${branch}`], { allowFail: true });
      assert.match(push.output, /gitward/, `${name}: the framework ran the hook for ${branch}: ${push.output}`);
      found.push(...fromText(push.stdout + push.stderr));
      for (const c of covered) commits.add(c);
    }
    const seen: Seen = { found, commits: [...commits], tags: false };
    assert.deepEqual(unique(found.map(key)), expectedFor(h, seen), `pre-commit framework on "${name}"`);
  }
});

test("concluding a merge with `git commit` through the hook: the merged branch's own secret does not block it, a line the merge adds does", () => {
  const r = Repo.init();
  r.commitUnchecked({ 'g.py': 'x = 0\n' }, 'root');
  r.git(['checkout', '-q', '-b', 'side']);
  r.commitUnchecked({ 'side.py': `S = "${fakeGithubPat()}"\n`, 'g.py': 'x = 0\nside = 1\n' }, 'a secret already in history (e.g. allowed on the server)');
  r.git(['checkout', '-q', 'main']);
  r.commitUnchecked({ 'g.py': 'main = 1\nx = 0\n' }, 'main');
  r.installPreCommitHook();
  r.git(['merge', '-q', '--no-ff', '--no-commit', 'side']);
  r.write({ 'g.py': `main = 1\nx = 0\nside = 1\nT = "${fakeGithubPat()}"\n` });
  const evil = r.commit({}, 'merge with a new secret');
  assert.notEqual(evil.code, 0, evil.output);
  assert.match(evil.output, /g\.py:4/);
  assert.doesNotMatch(evil.output, /side\.py/);
  r.write({ 'g.py': 'main = 1\nx = 0\nside = 1\n' });
  const clean = r.commit({}, 'merge');
  assert.equal(clean.code, 0, clean.output);
  assert.equal(r.git(['rev-list', '--parents', '-n1', 'HEAD']).stdout.trim().split(' ').length, 3, 'the merge was committed');
});
