import { existsSync, statSync } from 'node:fs';
import { GitwardError } from './engine/errors.ts';
import { didYouMean } from './engine/did-you-mean.ts';

/** Every command src/cli.ts defines (kept beside it: a test checks each one against --help). */
export const COMMANDS = ['scan', 'install', 'uninstall', 'baseline', 'rules', 'demo', 'pre-receive', 'pre-push', 'commit-msg'] as const;

/**
 * `scan` is the default command, so `gitward <word>` scans the path <word>. A word that names no
 * file or folder is an unknown command (with the nearest command names), not a scan of nothing:
 * one typo in a hand-written hook must not switch the check off.
 */
export function checkCommandWord(word: string | undefined): void {
  if (word === undefined || word.startsWith('-') || (COMMANDS as readonly string[]).includes(word)) return;
  if (existsSync(word)) return;
  const hint = didYouMean(word, COMMANDS);
  throw new GitwardError(
    hint ? `unknown command "${word}"${hint}` : `unknown command "${word}", and no file or folder of that name to scan`,
    `Commands: ${COMMANDS.join(', ')}. Run \`gitward --help\` for usage.`,
  );
}

/**
 * Takes the leading `-C <path>` options (as git does: each relative to the one before, an empty
 * path is no change) and moves into that folder; returns the rest of the arguments.
 */
export function takeDirectoryOptions(argv: readonly string[]): string[] {
  let i = 0;
  while (argv[i] === '-C') {
    const path = argv[i + 1];
    if (path === undefined) throw new GitwardError('-C needs a folder: gitward -C <path> <command>');
    if (path !== '') {
      let folder = false;
      try {
        folder = statSync(path).isDirectory();
      } catch {
        folder = false;
      }
      if (!folder) throw new GitwardError(`-C ${path}: no such folder`);
      process.chdir(path);
    }
    i += 2;
  }
  return argv.slice(i);
}
