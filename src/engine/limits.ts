import { GitwardError } from './errors.ts';
import type { AddedLine, FileChange } from './types.ts';

/** A resource limit was reached: the scan could not see everything, so it fails closed (exit 2). */
export class LimitError extends GitwardError {
  constructor(problem: string) {
    super(problem, 'If this change is expected, raise the limit under [limits] in .gitward.toml (see the README, "Limits and hostile input").');
    this.name = 'LimitError';
  }
}

/** Bytes of added text counted against max-push-bytes (and read-ahead's bound): each line's characters and its newline. */
export function addedTextBytes(lines: readonly AddedLine[], from = 0): number {
  let bytes = 0;
  for (let i = from; i < lines.length; i++) bytes += lines[i]!.text.length + 1;
  return bytes;
}

/** Characters two neighbouring windows share, so a token on a window edge is whole in one of them. */
export const WINDOW_OVERLAP = 4096;

/**
 * The change with every line longer than `maxLength` cut into overlapping windows that all keep
 * the line's number: rules see at most `maxLength` characters at a time, so a 10 MB minified line
 * costs each rule time in proportion to its length, and nothing of it goes unscanned. A notice
 * says which lines were cut.
 */
export function windowedLines(change: FileChange, maxLength: number, notice: (message: string) => void): FileChange {
  if (!change.addedLines.some((line) => line.text.length > maxLength)) return change;
  const overlap = Math.min(WINDOW_OVERLAP, Math.floor(maxLength / 4));
  const step = maxLength - overlap;
  const lines: AddedLine[] = [];
  for (const line of change.addedLines) {
    if (line.text.length <= maxLength) {
      lines.push(line);
      continue;
    }
    notice(`${change.path}:${line.number}: a line of ${line.text.length} characters was scanned in windows of ${maxLength} (limits.max-line-length)`);
    for (let start = 0; start < line.text.length; start += step) {
      lines.push({ number: line.number, text: line.text.slice(start, start + maxLength) });
      if (start + maxLength >= line.text.length) break;
    }
  }
  return { ...change, addedLines: lines, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}
