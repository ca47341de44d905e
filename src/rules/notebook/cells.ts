// Code cells of a Jupyter notebook, each source line with its line number in the .ipynb file, so
// a finding matches the added line of the diff. A small JSON reader keeps each string's line.

export interface CellLine {
  text: string;
  /** Line in the .ipynb file where the JSON string holding this line begins. */
  fileLine: number;
}

type Json = { str: string; line: number } | Json[] | { [key: string]: Json } | number | boolean | null;

class Reader {
  pos = 0;
  line = 1;
  constructor(readonly text: string) {}

  value(depth = 0): Json {
    if (depth > 200) throw new Error('nested too deeply');
    this.space();
    const c = this.text[this.pos];
    if (c === '{') {
      this.pos++;
      const out: { [key: string]: Json } = {};
      this.space();
      if (this.text[this.pos] === '}') return this.pos++, out;
      for (;;) {
        this.space();
        const key = this.value(depth + 1) as { str: string };
        this.space();
        this.expect(':');
        out[key.str] = this.value(depth + 1);
        this.space();
        if (this.text[this.pos] === ',') this.pos++;
        else return this.expect('}'), out;
      }
    }
    if (c === '[') {
      this.pos++;
      const out: Json[] = [];
      this.space();
      if (this.text[this.pos] === ']') return this.pos++, out;
      for (;;) {
        out.push(this.value(depth + 1));
        this.space();
        if (this.text[this.pos] === ',') this.pos++;
        else return this.expect(']'), out;
      }
    }
    if (c === '"') {
      const line = this.line;
      let end = this.pos + 1;
      while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
      const raw = this.text.slice(this.pos, end + 1);
      this.pos = end + 1;
      return { str: JSON.parse(raw) as string, line };
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) throw new Error(`unexpected character at line ${this.line}`);
    this.pos += m[0].length;
    return m[0] === 'null' ? null : m[0] === 'true' ? true : m[0] === 'false' ? false : Number(m[0]);
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      if (this.text[this.pos] === '\n') this.line++;
      this.pos++;
    }
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`expected ${c} at line ${this.line}`);
    this.pos++;
  }
}

/** Source lines of each code cell; IPython magics and shell escapes become blank lines. Null if not a notebook. */
export function codeCells(text: string): CellLine[][] | null {
  let doc: Json;
  try {
    doc = new Reader(text).value();
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || 'str' in doc) return null;
  const cells = (doc as { [key: string]: Json }).cells;
  if (!Array.isArray(cells)) return null;
  const out: CellLine[][] = [];
  for (const cell of cells) {
    if (!cell || typeof cell !== 'object' || Array.isArray(cell) || 'str' in cell) continue;
    const type = cell.cell_type as { str?: string } | undefined;
    if (type?.str !== 'code') continue;
    const source = cell.source;
    const pieces = Array.isArray(source) ? source : source && typeof source === 'object' && 'str' in source ? [source] : [];
    const lines: CellLine[] = [];
    for (const piece of pieces) {
      if (!piece || typeof piece !== 'object' || !('str' in piece)) continue;
      // IPython ends a line at a lone CR too: `%time x\rpickle.loads(b)` is a magic, then code.
      const parts = (piece.str as string).split(/\r\n?|\n/);
      if (parts[parts.length - 1] === '') parts.pop();
      for (const part of parts) lines.push({ text: part, fileLine: piece.line as number });
    }
    const first = lines[0]?.text.trimStart() ?? '';
    if (first.startsWith('%%') && !/^%%(time|timeit|capture|prun|debug)\b/.test(first)) continue;
    out.push(lines.map((l) => (/^\s*[%!?]/.test(l.text) ? { text: '', fileLine: l.fileLine } : l)));
  }
  return out;
}
