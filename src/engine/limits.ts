import { GitwardError } from './errors.ts';
import { lineFacts } from './line-facts.ts';
import type { AddedLine, FileChange, LineWindows } from './types.ts';
import { setWindowScan } from './window-prescan.ts';

/** A resource limit was reached: the scan could not see everything, so it fails closed (exit 2). */
export class LimitError extends GitwardError {
  constructor(problem: string) {
    super(problem, 'If this change is expected, raise the limit under [limits] in .gitward.toml (see the README, "Limits and hostile input").');
    this.name = 'LimitError';
  }
}

/** Bytes of added text counted against max-push-bytes (and read-ahead's bound): each line's characters and its newline. */
export function addedTextBytes(lines: readonly AddedLine[], from = 0): number {
  const facts = lineFacts(lines);
  if (facts !== undefined && (from === 0 || from === facts.carried)) return from === 0 ? facts.bytes : facts.bytes - facts.carriedBytes;
  let bytes = 0;
  for (let i = from; i < lines.length; i++) bytes += lineLength(lines[i]!) + 1;
  return bytes;
}

/** A line's length in UTF-16 code units, without making the text of a line that came in windows. */
export function lineLength(line: AddedLine): number {
  const windows = line.windows;
  return windows === undefined ? line.text.length : windows.length;
}

/** A line's first characters (at least 4096 of a line that came in windows, all of another). */
export function lineHead(line: AddedLine): string {
  const windows = line.windows;
  return windows === undefined ? line.text : windows.texts[0]!;
}

/** Characters two neighbouring windows share, so a token on a window edge is whole in one of them. */
export const WINDOW_OVERLAP = 4096;

/** How far apart windowedLines starts the windows of a line for a max-line-length of `maxLength`. */
export function windowStep(maxLength: number): number {
  return maxLength - Math.min(WINDOW_OVERLAP, Math.floor(maxLength / 4));
}

/**
 * A line whose windows are made (see LineWindows): its text is their join, made on first use (a
 * rule reading a long line's text rather than the windows, an allow comment looked for on it). The
 * text is an own enumerable property, so that a copy (`{ ...line }`) holds it too.
 */
export function windowedLine(number: number, windows: LineWindows, cr: boolean): AddedLine {
  let text: string | null = null;
  const line = { number, windows, ...(cr ? { cr } : {}) } as { number: number; windows: LineWindows; text: string; cr?: boolean };
  Object.defineProperty(line, 'text', { enumerable: true, get: () => (text ??= joinWindows(windows)) });
  return line;
}

function joinWindows(windows: Pick<LineWindows, 'size' | 'step' | 'texts'>): string {
  const overlap = windows.size - windows.step;
  return windows.texts.map((text, k) => (k === 0 ? text : text.slice(overlap))).join('');
}

/**
 * The change with every line longer than `maxLength` cut into overlapping windows that all keep
 * the line's number: rules see at most `maxLength` characters at a time, so a 10 MB minified line
 * costs each rule time in proportion to its length, and nothing of it goes unscanned. A notice
 * says which lines were cut.
 */
export function windowedLines(change: FileChange, maxLength: number, notice: (message: string) => void): FileChange {
  const facts = lineFacts(change.addedLines);
  if (facts !== undefined ? facts.longest <= maxLength : !change.addedLines.some((line) => lineLength(line) > maxLength)) return change;
  const step = windowStep(maxLength);
  const lines: AddedLine[] = [];
  const windows = new Map<number, Cut>();
  for (const line of change.addedLines) {
    const length = lineLength(line);
    if (length <= maxLength) {
      lines.push(line);
      continue;
    }
    notice(`${change.path}:${line.number}: a line of ${length} characters was scanned in windows of ${maxLength} (limits.max-line-length)`);
    // Windows the parser cut as the line came are these same windows: taken as they are.
    const made = line.windows;
    const texts: string[] = [];
    const reused = made !== undefined && made.size === maxLength && made.step === step;
    if (reused) texts.push(...made.texts);
    else texts.push(...windowTexts(line.text, maxLength));
    for (let k = 0; k < texts.length; k++) {
      const window = { number: line.number, text: texts[k]! };
      const scan = reused ? made.scans?.[k] : undefined;
      if (scan !== undefined) setWindowScan(window, scan);
      lines.push(window);
    }
    windows.set(line.number, { size: maxLength, step, texts });
  }
  windowsOfLists.set(lines, windows);
  return { ...change, addedLines: lines, loadContent: change.loadContent, loadOldContent: change.loadOldContent };
}

/** `text` cut as windowedLines cuts a line longer than `maxLength`: overlapping windows, the last one ending at its end. */
export function windowTexts(text: string, maxLength: number): string[] {
  const step = windowStep(maxLength);
  const texts: string[] = [];
  for (let start = 0; start < text.length; start += step) {
    texts.push(text.slice(start, start + maxLength));
    if (start + maxLength >= text.length) break;
  }
  return texts;
}

/** The whole text of line `number` where `lines` (a list windowedLines made) holds it as windows; undefined where it does not. */
export function windowedLineText(lines: readonly AddedLine[], number: number): string | undefined {
  const cut = windowsOfLists.get(lines)?.get(number);
  return cut === undefined ? undefined : joinWindows(cut);
}

/** The windows windowedLines cut each long line into, by the list of lines it made and the line's number. */
const windowsOfLists = new WeakMap<readonly AddedLine[], Map<number, Cut>>();
type Cut = Pick<LineWindows, 'size' | 'step' | 'texts'>;

/**
 * A finding's column in its whole line. A rule reading a long line's windows gives the column in
 * one window, and says only the line: the window is the one holding the finding's value at that
 * column (the first such; a value found in two windows' overlap is reported once). A value that
 * is not there as written (decoded, trimmed) cannot place the finding in its line: no column then,
 * rather than one in the wrong place.
 */
export function columnInLine(scanned: readonly AddedLine[], line: number | null, column: number | null, value: string | undefined): number | null {
  const cut = column === null || line === null ? undefined : windowsOfLists.get(scanned)?.get(line);
  if (cut === undefined || column === null) return column;
  if (value === undefined || value === '') return null;
  const k = cut.texts.findIndex((text) => text.startsWith(value, column - 1));
  return k < 0 ? null : k * cut.step + column;
}
