import type { Argv } from 'yargs';
import { GitwardError } from './engine/errors.ts';
import { fastRoute } from './fast-path.ts';
import { checkCommandWord, takeDirectoryOptions } from './command-word.ts';
import { killGitChildren } from './git/children.ts';
import { VERSION } from './version.ts';

const FORMATS = ['text', 'json', 'sarif'] as const;

function common<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as const, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to a file instead of stdout' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: .gitward.toml, or [tool.gitward] in pyproject.toml)' })
    .option('color', { type: 'boolean', describe: 'Colour the text report (default: only on a terminal; NO_COLOR turns it off)' })
    .option('sarif-all-rules', { type: 'boolean', describe: 'SARIF: list every rule in the report, not only the rules that fired' });
}

async function main(args: string[]): Promise<number> {
  // `-C <path>` before the command, as git has it: run as if started in <path>.
  const argv = takeDirectoryOptions(args);
  // A mistyped command (`gitward scna`) would otherwise be taken as a path for the default scan.
  checkCommandWord(argv[0]);
  // Start-up is part of every commit: hooks' plain argument lists skip yargs (src/fast-path.ts),
  // and yargs itself is loaded only when it is needed.
  const fast = await fastRoute(argv);
  if (fast) return fast();
  const { default: yargs } = await import('yargs');
  let code = 0;
  const run = (work: () => Promise<number>) => async () => {
    code = await work();
  };
  await yargs(argv)
    .scriptName('gitward')
    .usage('$0 [-C <path>] <command> [options]\n\nKeeps secrets, .env files, unpinned requirements and pickle out of git, reading only what changed.')
    .command(
      ['scan [paths..]', '$0'],
      'Scan the staged changes (what `git commit` would record), a commit range, whole files, or the whole history',
      (y) =>
        common(y)
          .positional('paths', { type: 'string', array: true, describe: 'Tracked files or folders to scan whole' })
          .option('staged', { type: 'boolean', default: true, describe: 'Scan the staged changes (the default)' })
          .option('range', { type: 'string', describe: 'Scan every commit of a range, each on its own patch (CI: origin/main..HEAD)' })
          .option('all-files', { type: 'boolean', describe: 'Scan every tracked file whole (adoption, or the pre-commit framework\'s --all-files)' })
          .option('history', { type: 'boolean', describe: 'Scan every commit reachable from any ref, with progress on a terminal' })
          .option('baseline', { type: 'boolean', default: true, describe: 'Skip findings recorded in .gitward-baseline.json (--no-baseline shows them)' })
          .option('pre-commit', { choices: ['commit', 'push'] as const, describe: 'Set by .pre-commit-hooks.yaml: read what the pre-commit framework passes' }),
      // Names after `--` (the pre-commit framework passes them there) land in `_`, after the command.
      async (a) => run(async () => (await import('./commands/scan.ts')).runScan({ ...a, paths: [...(a.paths ?? []), ...a._.slice(1).map(String)] }))(),
    )
    .command(
      'install',
      'Write .git/hooks/pre-commit (honours core.hooksPath) that runs this gitward',
      (y) =>
        y
          .option('pre-push', { type: 'boolean', describe: 'Also write a pre-push hook' })
          .option('commit-msg', { type: 'boolean', describe: 'Also write a commit-msg hook (secrets in the commit message)' })
          .option('force', { type: 'boolean', describe: 'Replace a hook gitward did not write (kept as <hook>.gitward-backup)' }),
      async (a) => run(async () => (await import('./commands/install.ts')).runInstall(a))(),
    )
    .command(
      'uninstall',
      'Remove the hooks `gitward install` wrote (and nothing else)',
      (y) => y,
      async (a) => run(async () => (await import('./commands/install.ts')).runUninstall({}))(),
    )
    .command(
      'baseline',
      'Record the findings of a scan of every tracked file in .gitward-baseline.json; later scans skip them',
      (y) =>
        y
          .option('prune', { type: 'boolean', describe: 'Only remove entries that no longer match a finding' })
          .option('file', { type: 'string', describe: 'Baseline file (default: .gitward-baseline.json at the top of the work tree)' })
          .option('config', { alias: 'c', type: 'string', describe: 'Config file' }),
      async (a) => run(async () => (await import('./commands/baseline.ts')).runBaseline({ ...a, format: 'text' }))(),
    )
    .command(
      'rules [id]',
      'List every rule, or print one rule\'s (or one category\'s) documentation',
      (y) =>
        y
          .positional('id', { type: 'string', describe: 'A rule id (secret.github-pat) or a category (secret)' })
          .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
          .option('check', { type: 'boolean', describe: 'Run every [[custom-rules]] example (must match) and negative (must not); exit 1 on a mismatch' })
          .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: .gitward.toml, or [tool.gitward] in pyproject.toml)' }),
      async (a) => run(async () => (await import('./commands/rules.ts')).runRules(a))(),
    )
    .command(
      'demo',
      'Show gitward at work in a temporary repository: two commits refused, one let through',
      (y) => y,
      async () => run(async () => (await import('./commands/demo.ts')).runDemo())(),
    )
    .command(
      'pre-receive',
      'Server hook: reject a push whose new commits bring a blocking finding (reads git\'s pre-receive stdin)',
      (y) =>
        y
          .option('config', { alias: 'c', type: 'string', describe: 'Server config (default: git config gitward.config, or gitward.toml in the git dir)' })
          .option('timeout', { type: 'number', describe: 'Seconds to scan before rejecting as too large (default 4, for a 5-second platform limit; 0 = none)' }),
      async (a) => run(async () => (await import('./commands/pre-receive.ts')).runPreReceive(a))(),
    )
    .command(
      'commit-msg <file>',
      'Client hook: scan the commit message git is about to record (the file git passes to the commit-msg hook)',
      (y) => common(y).positional('file', { type: 'string', describe: 'The message file (.git/COMMIT_EDITMSG)' }),
      async (a) => run(async () => (await import('./commands/commit-msg.ts')).runCommitMsg(a))(),
    )
    .command(
      'pre-push [remote] [url]',
      'Client hook: scan the commits the remote does not have yet (reads git\'s pre-push stdin)',
      (y) => common(y).positional('remote', { type: 'string' }).positional('url', { type: 'string' }),
      async (a) => run(async () => (await import('./commands/pre-push.ts')).runPrePush(a))(),
    )
    .strict()
    .middleware(checkSingleValues)
    .help()
    .alias('help', 'h')
    .version(VERSION)
    .alias('version', 'V')
    // At word boundaries, to the terminal's width (80 columns when the output is not a terminal).
    .wrap(process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80)
    .fail((message, error) => {
      if (error) throw error;
      throw new GitwardError(oneLine(message), 'Run `gitward --help` for usage.');
    })
    .parseAsync();
  return code;
}

/**
 * yargs' message as one line that says what is wrong by itself: a value outside an option's
 * choices is "Invalid values:" and, on lines of their own, the argument, the value and the choices.
 */
function oneLine(message: string): string {
  if (message.startsWith('Invalid values:')) {
    const wrong = [...message.matchAll(/^\s*Argument: ([\w-]+), Given: (.*?), Choices: (.*?)\s*$/gm)].map((m) => `--${m[1]} must be one of ${m[3]}, not ${m[2]}`);
    if (wrong.length > 0) return wrong.join('; ');
  }
  return message.trim().split(/\s*\n\s*/).join(' ');
}

/** An option given twice (`-o a -o b`) is a mistake, not a list: yargs would pass an array on. */
function checkSingleValues(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (key === '_' || key === 'paths' || key.length === 1 || key.includes('-') || !Array.isArray(value)) continue;
    throw new GitwardError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} was given more than once`, 'Give each option once. Run `gitward --help` for usage.');
  }
}

// Fail closed: whatever goes wrong (a thrown error, a rejected promise nobody awaited, a scan that
// stopped without an answer) ends in exit 2 with a message, never in exit 0 and never in silence.
let settled = false;
function failWith(error: unknown): void {
  settled = true;
  killGitChildren();
  if (error instanceof GitwardError) {
    process.stderr.write(`gitward: error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`gitward: ${error.hint}\n`);
  } else {
    const e = error as Error;
    process.stderr.write(`gitward: internal error: ${e?.message ?? String(error)}\n`);
    if (process.env.GITWARD_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    else process.stderr.write('gitward: set GITWARD_DEBUG=1 for details, and report it with that output.\n');
  }
  process.exitCode = 2;
}
// A reader that went away (`gitward rules | head -1`) is not a fault: the rest of the output is
// dropped without a word, and the exit code stays the command's own.
const quietOnClosedPipe = (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  failWith(error);
};
/**
 * The guard above, on process.stdout when it is first used: node makes the stream on first use (a
 * terminal's or a pipe's costs ~1-2 ms), and a clean commit prints nothing.
 */
function guardStdoutWhenMade(): void {
  const made = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!made?.get || !made.configurable) {
    process.stdout.on('error', quietOnClosedPipe);
    return;
  }
  let guarded = false;
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: made.enumerable,
    get() {
      const stream = made.get!.call(process) as NodeJS.WriteStream;
      if (!guarded) {
        guarded = true;
        stream.on('error', quietOnClosedPipe);
      }
      return stream;
    },
  });
}
// A worker thread of a history scan starts the same bundle (src/parallel/pool.ts): it serves scans, not the CLI.
if (process.argv[2] === '--gitward-scan-worker') void import('./parallel/worker.ts').then((worker) => worker.serveScans());
else startCli();

function startCli(): void {
  guardStdoutWhenMade();
  // (node makes stderr anyway: closing a child's pipe looks at it.)
  process.stderr.on('error', quietOnClosedPipe);
  // Killed (a hook's time limit, Ctrl-C, a closed session): the git children die with gitward.
  for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]] as const) {
    process.on(signal, () => {
      killGitChildren();
      process.exit(128 + number);
    });
  }
  process.on('exit', killGitChildren);
  process.on('unhandledRejection', failWith);
  process.on('uncaughtException', failWith);
  process.on('beforeExit', () => {
    if (!settled) failWith(new Error('the scan stopped before it finished (nothing left to wait for)'));
  });

  main(process.argv.slice(2)).then(
    (code) => {
      settled = true;
      if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
    },
    failWith,
  );
}
