import type { FileChange } from '../../src/engine/types.ts';

/**
 * An in-memory FileChange for rule-level tests: `text` is the new file, and the lines in `added`
 * (1-based; every line when omitted) are the change's added lines.
 */
export function fileChangeOf(path: string, text: string, added?: ReadonlySet<number>): FileChange {
  const bytes = Buffer.from(text);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return {
    path, oldPath: null, status: added ? 'M' : 'A', oldMode: '100644', newMode: '100644', oldBlob: null, newBlob: 'f'.repeat(40), binary: false,
    addedLines: lines.flatMap((line, i) => (!added || added.has(i + 1) ? [{ number: i + 1, text: line.replace(/\r$/, '') }] : [])),
    commit: null,
    loadContent: async () => ({ size: bytes.length, head: bytes, tail: null, complete: true }),
    loadOldContent: async () => null,
  };
}
