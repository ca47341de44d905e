import assert from 'node:assert/strict';
import { Repo } from '../helpers/git.ts';

/**
 * Commits `files` through the pre-commit hook in a new repository and checks it was refused: exit 1,
 * a finding of `rule` whose text matches `pattern`, nothing committed. Returns the hook's output.
 */
export function refused(files: Record<string, Buffer | string>, pattern: RegExp, rule = /pickle\./): string {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit(files);
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, rule);
  assert.match(run.output, pattern);
  assert.equal(repo.git(['rev-list', '--all']).stdout.trim(), '', 'nothing was committed');
  return run.output;
}
