// Finds calls (and bare references) of dotted names in tokenized Python, resolving the first name
// through the file's imports: `import pickle as pkl`, `from pickle import loads as l`, `x = pickle.loads`.
import type { Token } from './tokens.ts';

export interface Argument {
  /** Keyword name, or null for a positional argument (`*`/`**` unpacking gives `*`/`**`). */
  keyword: string | null;
  /** The argument's tokens joined without spaces (`yaml.SafeLoader`, `True`). */
  value: string;
}

export interface NameUse {
  /** Fully resolved dotted name: `pickle.loads`. */
  name: string;
  line: number;
  /** Last line of the call's argument list (same as `line` for a reference). */
  endLine: number;
  /** null when the name is referenced but not called. */
  args: Argument[] | null;
}

export type Aliases = Map<string, string>;

/** Pass 1: every import binding of the file (all token lists share one scope, e.g. notebook cells). */
export function collectAliases(streams: readonly Token[][]): Aliases {
  const aliases: Aliases = new Map();
  for (const t of streams) {
    for (let i = 0; i < t.length; i++) {
      const start = i === 0 || t[i - 1].kind === 'newline' || t[i - 1].text === ';' || t[i - 1].text === ':';
      if (!start || t[i].kind !== 'name') continue;
      if (t[i].text === 'import') {
        let j = i + 1;
        while (j < t.length && t[j].kind !== 'newline' && t[j].text !== ';') {
          const [dotted, next] = readDotted(t, j);
          if (!dotted) break;
          j = next;
          if (t[j]?.text === 'as' && t[j + 1]?.kind === 'name') {
            aliases.set(t[j + 1].text, dotted);
            j += 2;
          } else aliases.set(dotted.split('.')[0], dotted.split('.')[0]);
          if (t[j]?.text === ',') j++;
        }
      } else if (t[i].text === 'from') {
        const [module, next] = readDotted(t, i + 1);
        if (!module || t[next]?.text !== 'import') continue;
        let j = next + 1;
        while (j < t.length && t[j].kind !== 'newline' && t[j].text !== ';') {
          if (t[j].text === '(' || t[j].text === ')' || t[j].text === ',') {
            j++;
            continue;
          }
          if (t[j].text === '*') {
            aliases.set(`*${module}`, module);
            j++;
            continue;
          }
          if (t[j].kind !== 'name') break;
          const name = t[j].text;
          if (t[j + 1]?.text === 'as' && t[j + 2]?.kind === 'name') {
            aliases.set(t[j + 2].text, `${module}.${name}`);
            j += 3;
          } else {
            aliases.set(name, `${module}.${name}`);
            j++;
          }
        }
      } else if (t[i + 1]?.text === '=' && t[i + 2]?.kind === 'name') {
        // `loads = pickle.loads` (a plain rebinding to a dotted name, alone on its line)
        const [dotted, next] = readDotted(t, i + 2);
        if (dotted && dotted.includes('.') && (t[next]?.kind === 'newline' || t[next]?.text === ';')) {
          aliases.set(t[i].text, resolve(dotted, aliases));
        }
      }
    }
  }
  return aliases;
}

function readDotted(t: readonly Token[], i: number): [string | null, number] {
  if (t[i]?.kind !== 'name') return [null, i];
  let name = t[i].text;
  let j = i + 1;
  while (t[j]?.text === '.' && t[j + 1]?.kind === 'name') {
    name += `.${t[j + 1].text}`;
    j += 2;
  }
  return [name, j];
}

export function resolve(dotted: string, aliases: Aliases): string {
  const dot = dotted.indexOf('.');
  const first = dot === -1 ? dotted : dotted.slice(0, dot);
  const bound = aliases.get(first);
  return bound === undefined ? dotted : bound + (dot === -1 ? '' : dotted.slice(dot));
}

const KEYWORDS = new Set(['def', 'class', 'import', 'from', 'as']);

/** Pass 2: uses of dotted names that `interesting` accepts (after resolution). */
export function findUses(t: readonly Token[], aliases: Aliases, interesting: (name: string) => boolean, starModules: readonly string[]): NameUse[] {
  const uses: NameUse[] = [];
  let inImport = false;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (tok.kind === 'newline') inImport = false;
    if (tok.kind !== 'name') continue;
    if (tok.text === 'import' || tok.text === 'from') inImport = true;
    if (inImport) continue;
    const prev = t[i - 1];
    if (prev && (prev.text === '.' || (prev.kind === 'name' && KEYWORDS.has(prev.text)))) continue;
    const [dotted, next] = readDotted(t, i);
    if (!dotted) continue;
    let name = resolve(dotted, aliases);
    if (name === dotted && !dotted.includes('.') && !aliases.has(dotted)) {
      const star = starModules.find((m) => interesting(`${m}.${dotted}`));
      if (star) name = `${star}.${dotted}`;
    }
    const isAssignTarget = t[next]?.text === '=' && (prev === undefined || prev.kind === 'newline');
    i = next - 1;
    if (isAssignTarget || !interesting(name)) continue;
    if (t[next]?.text === '(') {
      const [args, end, endLine] = readArgs(t, next);
      uses.push({ name, line: tok.line, endLine, args });
      void end;
    } else {
      uses.push({ name, line: tok.line, endLine: tok.line, args: null });
    }
  }
  return uses;
}

function readArgs(t: readonly Token[], open: number): [Argument[], number, number] {
  const args: Argument[] = [];
  let depth = 0;
  let current: Token[] = [];
  let i = open;
  const flush = () => {
    if (current.length === 0) return;
    if (current[0].kind === 'name' && current[1]?.text === '=') {
      args.push({ keyword: current[0].text, value: current.slice(2).map((x) => x.text).join('') });
    } else if (current[0].text === '**' || current[0].text === '*') {
      args.push({ keyword: current[0].text, value: current.slice(1).map((x) => x.text).join('') });
    } else args.push({ keyword: null, value: current.map((x) => x.text).join('') });
    current = [];
  };
  for (; i < t.length; i++) {
    const x = t[i];
    if (x.text === '(' || x.text === '[' || x.text === '{') {
      depth++;
      if (depth === 1) continue;
    } else if (x.text === ')' || x.text === ']' || x.text === '}') {
      depth--;
      if (depth === 0) {
        flush();
        return [args, i, x.line];
      }
    } else if (x.text === ',' && depth === 1) {
      flush();
      continue;
    }
    if (x.kind !== 'newline') current.push(x);
  }
  flush();
  return [args, i, t[t.length - 1]?.line ?? 0];
}
