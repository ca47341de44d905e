import { windowedLineText, windowTexts } from '../../engine/limits.ts';
import type { AddedLine } from '../../engine/types.ts';

/**
 * A notebook saved as one line of JSON (Kaggle's downloads, nbformat with no indent, scripts that
 * rewrite notebooks) holds all its cells on that line, each line of code an escaped string in it.
 * The secret rule reads a notebook a line at a time, each line one JSON string to unescape (the
 * layout Jupyter writes), so on such a line `password = \"…\"` was never seen as an assignment,
 * and past max-line-length its windows read a plot's base64 as high-entropy strings. A line that
 * is a whole notebook is read as Jupyter would have laid it out (indent 1): the same strings, one to
 * a line, each keeping the line's number, and one longer than `maxLength` (a plot) cut into
 * windows as any long line is. Other lines, and their windows, are left as they are.
 */
export function notebookLines(lines: readonly AddedLine[], maxLength: number): readonly AddedLine[] {
  let out: AddedLine[] | null = null;
  for (let i = 0; i < lines.length; ) {
    const number = lines[i]!.number;
    // A line past max-line-length comes as its windows, one after another (engine/limits.ts).
    const whole = windowedLineText(lines, number);
    let end = i + 1;
    if (whole !== undefined) while (end < lines.length && lines[end]!.number === number) end++;
    const laidOut = laidOutNotebook(whole ?? lines[i]!.text, number, maxLength);
    if (laidOut !== null && out === null) out = lines.slice(0, i);
    if (out !== null) {
      // Loops, not push(...): a large notebook has more lines than a call takes arguments.
      if (laidOut === null) for (let k = i; k < end; k++) out.push(lines[k]!);
      else for (const line of laidOut) out.push(line);
    }
    i = end;
  }
  return out ?? lines;
}

/** The shortest line that can hold a notebook with a cell: `{"cells":[{"source":""}]}`. */
const SHORTEST_NOTEBOOK = 24;

/** Past this a line is read as it is (parsing and laying out a 36 MB line took 22 s and 2 GB). */
const LONGEST_LAID_OUT = 8 * 1024 * 1024;

function laidOutNotebook(text: string, number: number, maxLength: number): AddedLine[] | null {
  if (text.length < SHORTEST_NOTEBOOK || text.length > LONGEST_LAID_OUT || !text.includes('"cells"')) return null;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { cells?: unknown }).cells)) return null;
  // Each cell's type first, as Jupyter writes it (its keys sorted): Kaggle's puts the source first,
  // and a cell's type is read from its "cell_type" line on (detector.ts, notebookState).
  const notebook = doc as { cells: unknown[] };
  notebook.cells = notebook.cells.map((cell) => (cell !== null && typeof cell === 'object' && 'cell_type' in cell ? typeFirst(cell as Record<string, unknown>) : cell));
  let laidOut: string;
  try {
    laidOut = JSON.stringify(notebook, null, 1);
  } catch {
    // Nested past the stack (a hostile `[[[[…`: JSON.parse reads it, stringify recurses): the line is read as it is.
    return null;
  }
  const lines: AddedLine[] = [];
  // Where each laid-out line is, for a finding's details: every one is reported at the same line.
  let cell = 0;
  let inSource = false;
  let sourceLine = 0;
  for (const laid of laidOut.split('\n')) {
    let where: string | undefined;
    if (CELL_TYPE_KEY.test(laid)) cell++;
    if (inSource && SOURCE_END.test(laid)) inSource = false;
    else if (inSource) where = `cell ${cell}, its line ${++sourceLine}`;
    else if (SOURCE_LIST.test(laid)) [inSource, sourceLine] = [true, 0];
    else if (cell > 0 && SOURCE_STRING.test(laid)) where = `cell ${cell}`;
    const texts = laid.length <= maxLength ? [laid] : windowTexts(laid, maxLength);
    for (const text of texts) {
      const line = { number, text };
      if (where !== undefined) placeInNotebook.set(line, where);
      lines.push(line);
    }
  }
  return lines;
}

/** A cell's key at Jupyter's indent (the cell's own, not a key of the same name in its metadata). */
const CELL_TYPE_KEY = /^ {3}"cell_type": /;
const SOURCE_LIST = /^ {3}"source": \[$/;
const SOURCE_STRING = /^ {3}"source": "/;
const SOURCE_END = /^ {3}\],?$/;

const placeInNotebook = new WeakMap<AddedLine, string>();

/** For a line notebookLines laid out of a one-line notebook: the cell and the cell's line it holds (`cell 3, its line 2`). */
export function placeInOneLineNotebook(line: AddedLine): string | undefined {
  return placeInNotebook.get(line);
}

/** The cell with its "cell_type" key first (a key set again keeps its place in a new object: it is made first). */
function typeFirst(cell: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { cell_type: cell.cell_type };
  for (const [key, value] of Object.entries(cell)) out[key] = value;
  return out;
}
