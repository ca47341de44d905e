import type { Argv } from 'yargs';
import { GitwardError } from './engine/errors.ts';
import { fastRoute } from './fast-path.ts';
import { VERSION } from './version.ts';

const FORMATS = ['text', 'json', 'sarif'] as const;

function common<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as const, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to a file instead of stdout' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: .gitward.toml, or [tool.gitward] in pyproject.toml)' })
    .option('color', { type: 'boolean', describe: 'Colour the text report (default: only on a terminal; NO_COLOR turns it off)' });
}

async function main(argv: string[]): Promise<number> {
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
    .usage('$0 <command> [options]\n\nKeeps secrets, .env files, unpinned requirements and pickle out of git, reading only what changed.')
    .command(
      ['scan', '$0'],
      'Scan the staged changes (what `git commit` would record)',
      (y) => common(y).option('staged', { type: 'boolean', default: true, describe: 'Scan the staged changes (the default)' }),
      async (a) => run(async () => (await import('./commands/scan.ts')).runScan(a))(),
    )
    .strict()
    .help()
    .alias('help', 'h')
    .version(VERSION)
    .alias('version', 'V')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new GitwardError(message, 'Run `gitward --help` for usage.');
    })
    .parseAsync();
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
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
  },
);
