import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GitwardError } from '../engine/errors.ts';
import type { FileChange } from '../engine/types.ts';
import { aboveScissors, messageChange } from '../git/message-source.ts';
import { openSession, report, scanWith, type CommonArgs } from './common.ts';

export interface CommitMsgArgs extends CommonArgs {
  /** The message file git gives the commit-msg hook (.git/COMMIT_EDITMSG). */
  file?: string;
}

const FOOTER = [
  'Nothing was committed: a token in a commit message is in history as surely as one in a file.',
  'Take it out of the message and commit again (git keeps what you wrote in .git/COMMIT_EDITMSG: `git commit -e -F .git/COMMIT_EDITMSG`).',
];

/** The commit-msg hook: the secret rules on the message about to be recorded (what is above a `git commit -v` scissors line). */
export async function runCommitMsg(args: CommitMsgArgs): Promise<number> {
  if (!args.file) throw new GitwardError('commit-msg needs the message file that git passes to the hook', 'Run it as `gitward commit-msg "$1"` from .git/hooks/commit-msg (or `gitward install --commit-msg`).');
  const file = resolve(args.cwd ?? process.cwd(), args.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GitwardError(`cannot read the commit message ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const session = openSession(args);
  return report(await scanWith(session, one(messageChange('commit-message', aboveScissors(text), null))), args, 'the commit message', FOOTER);
}

async function* one(change: FileChange): AsyncGenerator<FileChange> {
  yield change;
}
