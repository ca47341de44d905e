import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, Repo, tempDir, type Run } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// Point 3 and 4 of issue 12: a mistake is exit 2 with one clear line, never a pass that scanned
// nothing; a user's error is said as such, never as an internal error.


/** Exit 2, the expected one-line error, and no "internal error" or stack. */
function usageError(run: Run, message: RegExp, what: string): void {
  assert.equal(run.code, 2, `${what}: ${run.output}`);
  assert.match(run.stderr, message, what);
  assert.match(run.stderr.split('\n')[0]!, /^gitward: error: /, `${what}: the first line is the error`);
  assert.doesNotMatch(run.output, /internal error|\n\s+at /, what);
}

test('an unknown command is exit 2 with the nearest command, on every route', () => {
  const repo = Repo.init();
  usageError(repo.gitward(['scna']), /unknown command "scna" \(did you mean "scan"\?\)/, 'scna');
  usageError(repo.gitward(['pre-recieve'], { input: '' }), /unknown command "pre-recieve" \(did you mean "pre-receive"\?\)/, 'pre-recieve');
  usageError(repo.gitward(['pre-pussh']), /did you mean "pre-push"/, 'pre-pussh');
  usageError(repo.gitward(['frobnicate']), /unknown command "frobnicate", and no file or folder of that name/, 'frobnicate');
  // The same in a hook that runs it as its first word, with the fast path off.
  usageError(repo.gitward(['scna'], { env: { ...repo.env, GITWARD_NO_FAST_PATH: '1' } }), /did you mean "scan"/, 'scna without fast path');
  // A word that is a file is still the default command's path.
  repo.write({ 'notes.txt': 'hello\n' });
  assert.equal(repo.gitward(['notes.txt']).code, 0);
});

test('a path that does not exist is exit 2; one that exists untracked is scanned from the work tree and says so', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.py': 'x = 1\n' });
  usageError(repo.gitward(['scan', 'nonexistent.py']), /"nonexistent\.py": no such file or folder/, 'scan nonexistent.py');
  usageError(repo.gitward(['scan', 'a.py', 'typo/']), /"typo\/": no such file or folder/, 'one of two paths missing');
  // The pre-commit framework's argument list (fast path) and the same through yargs fail alike.
  for (const env of [repo.env, { ...repo.env, GITWARD_NO_FAST_PATH: '1' }]) {
    usageError(repo.gitward(['scan', '--pre-commit=commit', '--', 'nonexistent.py'], { env }), /"nonexistent\.py": no such file or folder/, 'framework');
  }
  const token = fakeGithubPat();
  repo.write({ 'loose.py': `T = "${token}"\n`, 'new/inner.py': `T = "${token}"\n`, 'new/clean.py': 'x = 2\n' });
  const file = repo.gitward(['scan', 'loose.py']);
  assert.equal(file.code, 1, file.output);
  assert.match(file.output, /loose\.py: not tracked by git, scanned from the work tree/);
  assert.match(file.output, /secret\.github-pat {2}loose\.py:1/);
  assert.ok(!file.output.includes(token), 'the value is never printed');
  const folder = repo.gitward(['scan', 'new', '--format', 'json']);
  assert.equal(folder.code, 1, folder.output);
  const json = JSON.parse(folder.stdout) as { findings: { path: string }[]; stats: { notices: string[] } };
  assert.deepEqual(json.findings.map((f) => f.path), ['new/inner.py']);
  assert.ok(json.stats.notices.some((n) => /new: not tracked by git, scanned from the work tree/.test(n)));
  // From a subfolder, paths are relative to it.
  const sub = repo.gitward(['scan', 'inner.py'], { cwd: join(repo.dir, 'new') });
  assert.equal(sub.code, 1, sub.output);
  // A tracked path is read from the index as before, with no notice.
  const tracked = repo.gitward(['scan', 'a.py']);
  assert.equal(tracked.code, 0, tracked.output);
  assert.doesNotMatch(tracked.output, /not tracked/);
});

test('[rules]: an unknown rule id or category is exit 2 with the nearest names; id prefixes name their categories', () => {
  const repo = Repo.init();
  repo.write({ 'requirements.txt': 'flask\n' });
  repo.git(['add', '-A']);
  assert.equal(repo.gitward(['scan']).code, 1, 'an unpinned requirement blocks');
  const typo = (key: string) => {
    repo.write({ '.gitward.toml': `[rules]\n"${key}" = "off"\n` });
    return repo.gitward(['scan']);
  };
  usageError(typo('secret.aws-acess-key-id'), /\[rules\]: unknown rule or category "secret\.aws-acess-key-id" \(did you mean "secret\.aws-access-key-id"\?\)/, 'rule id typo');
  usageError(typo('requirment'), /unknown rule or category "requirment" \(did you mean "requirement"\?\)/, 'category typo');
  usageError(typo('nothing-like-it'), /unknown rule or category "nothing-like-it"/, 'unknown name');
  // The prefix of the category's ids names it, as the category's own name does.
  for (const name of ['requirement', 'unpinned-requirement', 'requirement.unpinned']) {
    const run = typo(name);
    assert.equal(run.code, 0, `${name} = "off": ${run.output}`);
  }
  repo.write({ '.gitward.toml': '[rules]\n"requirement" = "off"\n"unpinned-requirement" = "warn"\n' });
  usageError(repo.gitward(['scan']), /"unpinned-requirement" and "requirement" name the same category/, 'two spellings');
  // `gitward rules` speaks the same names.
  const byPrefix = repo.gitward(['rules', 'pickle']);
  assert.equal(byPrefix.code, 0, byPrefix.output);
  assert.match(byPrefix.stdout, /category: pickle-file/);
  assert.match(repo.gitward(['rules']).stdout, /pickle = pickle-file/);
  usageError(repo.gitward(['rules', 'pickel']), /unknown rule "pickel" \(did you mean "pickle"\?\)/, 'rules typo');
});

test('TOML errors keep the line and column; a config that is a dangling link or a folder is an error', () => {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': 'exclude = ["a"]\n\nx = = 2\n' });
  usageError(repo.gitward(['scan']), /\.gitward\.toml: not valid TOML: line 3, column 5: /, 'TOML');
  const dir = tempDir();
  symlinkSync(join(dir, 'gone.toml'), join(repo.dir, 'dangling.toml'));
  usageError(repo.gitward(['scan', '--config', 'dangling.toml']), /dangling\.toml: is a symbolic link to nothing/, 'dangling --config');
  mkdirSync(join(repo.dir, 'folder.toml'));
  usageError(repo.gitward(['scan', '--config', 'folder.toml']), /folder\.toml: is a folder, not a file/, 'folder --config');
  // The default .gitward.toml as a dangling link is not "no config".
  const other = Repo.init();
  symlinkSync(join(dir, 'gone.toml'), join(other.dir, '.gitward.toml'));
  usageError(other.gitward(['scan']), /\.gitward\.toml: is a symbolic link to nothing/, 'dangling .gitward.toml');
});

test('bad option values and conflicting options are exit 2, alike on every command', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.py': 'x = 1\n' });
  const cases: [string[], RegExp][] = [
    [['pre-receive', '--timeout', 'abc'], /--timeout needs a number of seconds/],
    [['pre-receive', '--timeout=-1'], /--timeout needs a number of seconds/],
    [['scan', '--range', 'HEAD~1..HEAD', '--history'], /choose one of --range, --history/],
    [['scan', '--all-files', 'a.py'], /choose one of --all-files, PATH…/],
    [['scan', '--pre-commit=commit', '--history'], /choose one of --pre-commit, --history/],
    [['scan', '--range', ''], /--range needs a revision range/],
    [['scan', '--range', 'nope..HEAD'], /"nope" is not a commit/],
    [['scan', '--format', 'xml'], /^gitward: error: --format must be one of "text", "json", "sarif", not "xml"\n/],
    [['pre-receive', '--format', 'json'], /Unknown argument: format/],
    [['scan', '--format', 'xml', '--pre-commit', 'bad'], /^gitward: error: --format must be one of "text", "json", "sarif", not "xml"; --pre-commit must be one of "commit", "push", not "bad"\n/],
    [['scan', '-o', 'a.json', '--output', 'b.json'], /--output was given more than once/],
    [['scan', '--range', 'HEAD', '--range', 'HEAD'], /--range was given more than once/],
    [['scan', '--config', ''], /--config needs a file name/],
    [['pre-receive', '--config', ''], /--config needs a file name/],
    [['scan', '--no-such-option'], /Unknown argument/],
  ];
  for (const [args, message] of cases) usageError(repo.gitward(args, { input: '' }), message, args.join(' '));
});

test('--output into a missing folder is a usage error before the scan, not an internal error', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.py': 'x = 1\n' });
  usageError(repo.gitward(['scan', '--all-files', '--output', 'no/such/folder/report.json']), /--output no\/such\/folder\/report\.json: the folder .* does not exist/, 'missing folder');
  mkdirSync(join(repo.dir, 'out.json'));
  usageError(repo.gitward(['scan', '--all-files', '--output', 'out.json']), /--output out\.json: cannot write the report \(it is a folder\)/, 'a folder');
  const ok = repo.gitward(['scan', '--all-files', '--output', 'report.txt']);
  assert.equal(ok.code, 0, ok.output);
});

/** Runs the CLI with its stdout a pipe whose reader is already gone. */
function withClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('a closed pipe (gitward rules | head -1) ends quietly with the command\'s own exit code', async () => {
  const repo = Repo.init();
  for (const args of [['rules'], ['rules', '--format', 'json'], ['rules', 'secret']]) {
    const run = await withClosedStdout(args, repo.dir);
    assert.equal(run.stderr, '', `${args.join(' ')}: no error text`);
    assert.equal(run.code, 0, args.join(' '));
  }
  repo.commitUnchecked({ 'b.py': `T = "${fakeGithubPat()}"\n` });
  const findings = await withClosedStdout(['scan', '--all-files'], repo.dir);
  assert.equal(findings.stderr, '');
  assert.equal(findings.code, 1, 'the findings still decide the exit code');
});

test('-C <path> runs as if started there (as git does); without a repository the hint names -C', () => {
  const repo = Repo.init();
  repo.write({ 'b.py': `T = "${fakeGithubPat()}"\n` });
  repo.git(['add', '-A']);
  const elsewhere = tempDir();
  const run = repo.gitward(['-C', repo.dir, 'scan'], { cwd: elsewhere });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /secret\.github-pat {2}b\.py:1/);
  // Relative to the folder before, and repeated, as git's.
  const nested = repo.gitward(['-C', repo.dir, '-C', '.', 'scan', 'b.py'], { cwd: elsewhere });
  assert.equal(nested.code, 1, nested.output);
  usageError(repo.gitward(['-C', join(elsewhere, 'missing'), 'scan']), /-C .*missing: no such folder/, '-C missing');
  usageError(repo.gitward(['-C']), /-C needs a folder/, '-C alone');
  const outside = repo.gitward(['scan'], { cwd: elsewhere });
  usageError(outside, /not inside a git repository/, 'no repository');
  assert.match(outside.stderr, /gitward -C <path>/);
  assert.doesNotMatch(outside.stderr, /--repo/);
});
