import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OBJECT_ID } from './diff-parser.ts';

/**
 * The other parents of the merge being concluded (`git commit` after `git merge` stopped), from
 * the git dir's MERGE_HEAD; none on an ordinary commit (one file lookup, no git process).
 */
export function mergeHeads(gitDir: string): string[] {
  try {
    return readFileSync(join(gitDir, 'MERGE_HEAD'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => OBJECT_ID.test(l));
  } catch {
    return [];
  }
}
