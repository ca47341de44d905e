import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, Repo } from './helpers/git.ts';

test('nothing staged: one line says so and points at --all-files and --history', () => {
  const repo = Repo.init();
  const empty = repo.gitward(['scan']);
  assert.equal(empty.code, 0, empty.output);
  assert.equal(empty.stdout, '');
  const lines = empty.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, empty.stderr);
  assert.match(lines[0]!, /^gitward: nothing is staged; .*--all-files.*--history/);
  // Something staged, even if nothing is scanned (an excluded file), or a JSON report: no hint.
  repo.write({ '.gitward.toml': 'exclude = ["skip/**"]\n', 'skip/a.txt': 'x\n' });
  repo.git(['add', 'skip/a.txt']);
  assert.equal(repo.gitward(['scan']).output, '');
  repo.git(['rm', '-q', '--cached', 'skip/a.txt']);
  assert.equal(repo.gitward(['scan', '--format', 'json']).stderr, '');
  // In a commit's hook (an amend of the message, an empty commit) it stays quiet.
  repo.installPreCommitHook();
  const commit = repo.git(['commit', '--allow-empty', '-m', 'empty'], { allowFail: true });
  assert.equal(commit.code, 0, commit.output);
  assert.doesNotMatch(commit.output, /nothing is staged/);
});

/** Words of the help texts as written in src/cli.ts, and the few that yargs adds. */
function knownWords(): Set<string> {
  const source = readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8').replace(/\\n/g, ' ');
  const words = new Set(source.match(/[A-Za-z0-9_]+/g));
  for (const w of ['Options', 'Commands', 'Positionals', 'boolean', 'string', 'number', 'array', 'default', 'choices', 'Show', 'help', 'version']) words.add(w);
  return words;
}

test('help is wrapped at word boundaries within 80 columns when not on a terminal', () => {
  const repo = Repo.init();
  const words = knownWords();
  for (const command of [[], ['scan'], ['install'], ['baseline'], ['rules'], ['pre-receive'], ['pre-push']]) {
    const run = repo.gitward([...command, '--help']);
    assert.equal(run.code, 0, run.output);
    for (const line of run.stdout.split('\n')) {
      assert.ok(line.length <= 80, `${command.join(' ') || 'gitward'} --help: a line of ${line.length} columns: ${line}`);
    }
    // A word cut at the column edge leaves pieces that are no word of the help texts.
    for (const piece of run.stdout.match(/[A-Za-z0-9_]+/g) ?? []) {
      assert.ok(words.has(piece), `${command.join(' ') || 'gitward'} --help: "${piece}" is not a word of the help (cut inside a word?)`);
    }
  }
});

test('gitward rules stays within 80 columns when piped, and still names every rule', () => {
  const repo = Repo.init();
  const list = repo.gitward(['rules']);
  for (const line of list.stdout.split('\n')) assert.ok(line.length <= 80, `${line.length}: ${line}`);
  const ids = (JSON.parse(repo.gitward(['rules', '--format', 'json']).stdout) as { id: string }[]).map((r) => r.id);
  const listed = new Set(list.stdout.split('\n').map((l) => l.split(/\s+/)[0]));
  for (const id of ids) assert.ok(listed.has(id), id);
});

test('counts read well: plurals, one header for the doors that read commits, "in the tree" for whole files', () => {
  const repo = Repo.init();
  const a = repo.commitUnchecked({ 'a.py': 'x = 1\n' });
  const b = repo.commitUnchecked({ '.env': 'A=1\n' }, 'env');
  const history = repo.gitward(['scan', '--history']);
  assert.equal(history.code, 1);
  assert.match(history.stdout, /in 2 commits \(whole history\)/);
  assert.match(history.stderr, /^gitward: scanned 2 commits, 2 file changes, 2 added lines /m);
  assert.doesNotMatch(history.output, /\(s\)|(?<![\d.])0 commits\/s/);
  const range = repo.gitward(['scan', '--range', `${a}..${b}`]);
  assert.match(range.stdout, /in 1 commit \(range [0-9a-f]+\.\.[0-9a-f]+\)/);
  assert.match(range.stdout, /A \.env file is being committed/);
  const tree = repo.gitward(['scan', '--all-files']);
  assert.match(tree.stdout, /in all 2 tracked files \(in the tree\)/);
  assert.match(tree.stdout, /A \.env file is in the tree/);
  assert.doesNotMatch(tree.stdout, /being committed/);
  const json = JSON.parse(repo.gitward(['scan', '--history', '--format', 'json']).stdout);
  assert.equal(json.stats.commits, 2, 'JSON counts the same commits');
  // The server door words its header the same way.
  const server = Repo.init({ bare: true }).installPreReceiveHook();
  repo.git(['push', '-q', server.dir, 'main'], { allowFail: true });
  const push = repo.git(['push', server.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0);
  assert.match(push.output, /in 2 commits \(pushed\)/);
  assert.doesNotMatch(push.output, /\(s\)/);
});

test('gitward --version prints the version of package.json', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(Repo.init().gitward(['--version']).stdout.trim(), manifest.version);
});
