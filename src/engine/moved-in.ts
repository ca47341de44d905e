import { splitLines } from './binary-text.ts';
import type { FileChange } from './types.ts';

/**
 * What a change adds to a rule that judges files by their path (a Python file, a requirements
 * file, a Python version file: Detector.judgesPath) is not always what its diff adds. A rename
 * from outside those paths into them (`notes.txt` → `notes.py`, `deps.txt` → `requirements.txt`)
 * adds no line, yet every line is new to the rule: `pickle.loads(data)` in a text file is no
 * call, in a `.py` file it runs. Such a file is given to that rule whole, every line as added,
 * by every door alike (each reads renames with git's `-M`); not in a merge (see movedFrom).
 */

/** The old path of a rename or copy of a regular text file to another path; null for any other change. */
export function movedFrom(change: FileChange): string | null {
  if (change.status !== 'R' && change.status !== 'C') return null;
  if (change.oldPath === null || change.oldPath === change.path || change.binary || change.location !== undefined) return null;
  // A merge's lines come from several parents; and the history doors' combined diffs name no old
  // path, so the staged door (which does) must not judge it otherwise.
  if (change.merge === true) return null;
  // A regular file: a symlink's content is a path, a submodule's none.
  if (change.newMode !== '100644' && change.newMode !== '100755') return null;
  // A later part of a large file: its first part was given the whole file.
  if (change.part !== undefined && change.part.index > 0) return null;
  return change.oldPath;
}

/**
 * The change with every line of its new content as an added line (numbered from 1, a CR before
 * the newline kept off as the diff parser keeps it), and that content as `newText`. Of a file
 * larger than limits.max-file-bytes, the lines of the part read, the last one cut (`complete`
 * false: the rules read that part too); null when the content cannot be read.
 */
export async function wholeFileChange(change: FileChange): Promise<{ change: FileChange; complete: boolean } | null> {
  const content = await change.loadContent();
  if (content === null) return null;
  const text = content.head.toString('utf8');
  // The cut line of a part is kept too (as `complete`): the rules read it from the blob as well.
  const lines = splitLines(text, true);
  const { part: _part, newText: _text, ...rest } = change;
  const whole: FileChange = { ...rest, addedLines: lines, ...(content.complete ? { newText: text } : {}), loadContent: change.loadContent, loadOldContent: change.loadOldContent };
  return { change: whole, complete: content.complete };
}
