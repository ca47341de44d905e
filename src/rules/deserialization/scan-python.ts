// Loaded lazily: tokenizes a Python file or a notebook's code cells and lists unsafe
// deserialization calls, with their line numbers in the committed file.
import { tokenize, type Reading, type Token } from '../python/tokens.ts';
import { closingParen, collectAliases, findUses, mayRebind, namesOnTheirOwn, resolve } from '../python/calls.ts';
import { codeCells } from '../notebook/cells.ts';
import { INTERESTING_LAST_PARTS, interesting, judge, type Verdict } from './judge.ts';

export interface Hit extends Verdict {
  /** First and last line in the committed file that the call spans (first is where it starts). */
  firstLine: number;
  lastLine: number;
}

export function findUnsafeCalls(text: string, notebook: boolean): Hit[] | null {
  const reading: Reading = { specBraceText: false, divergent: false };
  const hits = callsRead(text, notebook, reading);
  // Where Python versions read an f-string differently (tokens.ts, Reading), a call either reading
  // finds may run: the text is read the other way too, and the hits of both are kept.
  if (hits === null || !reading.divergent) return hits;
  const other = callsRead(text, notebook, { specBraceText: true, divergent: false }) ?? [];
  // As many of each call as the reading that finds more of it.
  const unmatched = new Map<string, number>();
  for (const hit of hits) unmatched.set(hitKey(hit), (unmatched.get(hitKey(hit)) ?? 0) + 1);
  const more = other.filter((hit) => {
    const left = unmatched.get(hitKey(hit)) ?? 0;
    unmatched.set(hitKey(hit), left - 1);
    return left <= 0;
  });
  return [...hits, ...more].sort((a, b) => a.firstLine - b.firstLine);
}

const hitKey = (hit: Hit) => `${hit.firstLine}:${hit.lastLine}:${hit.kind}:${hit.severity}:${hit.what}`;

/** The unsafe calls of the text tokenized with `reading`; null for a notebook that cannot be read. */
function callsRead(text: string, notebook: boolean, reading: Reading): Hit[] | null {
  const streams: Token[][] = [];
  const maps: ((line: number) => number)[] = [];
  const importedByCall = new Set<string>();
  // Only a file that spells an import call has one to inline: the others skip a pass over their tokens.
  const inline = text.includes('__import__') || text.includes('import_module') ? (t: Token[]) => inlineImportCalls(t, importedByCall) : (t: Token[]) => t;
  if (notebook) {
    const cells = codeCells(text);
    if (!cells) return null;
    for (const cell of cells) {
      streams.push(inline(tokenize(cell.map((l) => l.text).join('\n'), 0, reading)));
      maps.push((line) => cell[Math.min(line, cell.length - 1)]?.fileLine ?? 0);
    }
  } else {
    streams.push(inline(tokenize(text, 1, reading)));
    maps.push((line) => line);
  }
  const conflicts = new Set<string>();
  const aliases = collectAliases(streams, conflicts);
  const stars = [...aliases.keys()].filter((k) => k.startsWith('*')).map((k) => k.slice(1));
  const loaderClasses = classBases(streams);
  const hits: Hit[] = [];
  let onTheirOwn: Set<string> | null = null;
  // A call through a name the file binds nowhere (no import, no star import, no other use: a
  // formatter's test data, a snippet) fails with NameError as written: a warning, not a block,
  // since something outside (exec with globals, an IPython profile) could still provide the module.
  // A file that binds names it does not spell (`globals()[m] = …`, `builtins.pickle = …`, exec) may bind it.
  // A notebook runs in IPython's namespace (`%run`, `%pylab`, a profile's imports): never "bound nowhere".
  let binds: boolean | null = notebook ? true : null;
  const dynamic = () => (binds ??= runsCode(streams, true));
  const unbound = (root: string) => !aliases.has(root) && !importedByCall.has(root) && stars.length === 0 && !(onTheirOwn ??= namesOnTheirOwn(streams)).has(root) && !dynamic();
  // A round trip's dumps may be another function where the file rebinds it, or runs code it builds.
  let runsBuilt: boolean | null = null;
  const rebinds = new Map<string, boolean>();
  const rebound = (callee: string) => {
    let answer = rebinds.get(callee);
    if (answer === undefined) rebinds.set(callee, (answer = (runsBuilt ??= runsCode(streams)) || mayRebind(streams, writtenForms(callee, aliases), conflicts)));
    return answer;
  };
  streams.forEach((tokens, s) => {
    for (const use of findUses(tokens, aliases, interesting, stars, INTERESTING_LAST_PARTS)) {
      let verdict = judge(use, loaderClasses, (name) => resolve(name, aliases), rebound);
      if (!verdict) continue;
      if (verdict.severity === 'block' && unbound(use.root)) verdict = { ...verdict, severity: 'warn', note: `a warning: \`${use.root}\` is bound nowhere in this file (no import, no assignment, no exec or globals()), so as written the call raises NameError` };
      // A range, not a list of lines: an unclosed call spans to the end of the file, and listing
      // every line of every such call would be quadratic. Cell lines map to file lines in order.
      hits.push({ ...verdict, firstLine: maps[s](use.line), lastLine: maps[s](use.endLine) });
    }
  });
  return hits;
}

/**
 * Calls that return the module their first argument names (`__import__("pickle")`,
 * `importlib.import_module("pickle")`): inlined when that is a literal, and otherwise, used at
 * once (`__import__(name).dumps = …`), code the file builds (runsCode).
 */
const IMPORTERS = new Set(['__import__', 'import_module']);
/** A module's name as a plain string literal, the first argument of an import call (IMPORTERS). */
const MODULE_LITERAL = /^(["'])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\1$/;

/**
 * The tokens with every import call whose result is used at once (`__import__("pickle").loads(b)`,
 * `importlib.import_module("yaml").load(s)`) written as the module it returns (`pickle.loads(b)`),
 * so the call through it is found as any other. The module names so used go into `used`: such a
 * call is bound, not a NameError. `__import__("a.b")` returns `a` (unless a `fromlist` follows:
 * then `a.b`, as `import_module` always does); a first argument that is not one plain string
 * literal is left as it is (runsCode counts it as code the file builds).
 */
export function inlineImportCalls(t: Token[], used: Set<string>): Token[] {
  let out: Token[] | null = null;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    const module = tok.kind === 'name' && IMPORTERS.has(tok.text) && t[i + 1]?.text === '(' ? importedModule(t, i) : null;
    if (module === null) {
      out?.push(tok);
      continue;
    }
    out ??= t.slice(0, i);
    // `importlib.import_module(…)`: the qualifier goes with the call.
    if (out.at(-1)?.text === '.' && out.at(-2)?.kind === 'name' && tok.text === 'import_module') out.length -= 2;
    const parts = module.name.split('.');
    parts.forEach((part, k) => {
      if (k > 0) out!.push({ kind: 'op', text: '.', line: tok.line });
      out!.push({ kind: 'name', text: part, line: tok.line });
    });
    used.add(parts[0]!);
    i = module.close;
  }
  return out ?? t;
}

/** For the import call at `i`: the module it returns and the index of its `)`, when an attribute of its result is used at once. */
function importedModule(t: readonly Token[], i: number): { name: string; close: number } | null {
  const literal = t[i + 2]?.kind === 'string' ? MODULE_LITERAL.exec(t[i + 2].text) : null;
  if (!literal) return null;
  const close = closingParen(t, i + 1);
  if (close === -1 || t[close + 1]?.text !== '.') return null;
  const more = close > i + 3;
  if (more && t[i + 3]?.text !== ',') return null;
  const name = literal[2]!;
  // __import__ returns the top package unless a fromlist is given, then the module itself: with more arguments, not guessed at.
  if (t[i].text === '__import__' && name.includes('.')) return more ? null : { name: name.split('.')[0]!, close };
  return { name, close };
}

/** Names that run or bind code the file builds (`exec(src)`, `builtins.x = …`), used as themselves, not as another object's attribute. */
const CODE_RUNNERS = new Set(['exec', 'execfile', 'eval', 'builtins', '__builtins__', '__main__']);
/** …and wherever they are (`sys.modules[…]`, a frame's `f_globals`). */
const CODE_REACHERS = new Set(['modules', 'f_globals', 'f_locals']);
/** The namespace itself, called without an argument (`vars()[k] = …`; `vars(obj)` only reads obj). */
const NAMESPACES = new Set(['globals', 'locals', 'vars']);

/** Any mention of which may bind a module's name (`setattr(sys.modules[…], name, m)`, `vars(mod)`): for `loose` reading. */
const MAY_BIND = new Set(['setattr', 'getattr', '__dict__', 'runpy', 'run_path', 'run_module', 'globals', 'locals', 'vars', '__import__', 'import_module']);

/**
 * Whether the file may run or bind code it builds, which could make any name anything. `loose`:
 * also on any mention of a name that may bind one (MAY_BIND): before a call through a name the file
 * does not bind is only a warning, where a miss is worse than a block.
 */
function runsCode(streams: readonly Token[][], loose = false): boolean {
  return streams.some((t) =>
    t.some((tok, i) => {
      if (tok.kind !== 'name') return false;
      if (loose && MAY_BIND.has(tok.text)) return true;
      const bare = t[i - 1]?.text !== '.';
      if (CODE_REACHERS.has(tok.text) || (bare && CODE_RUNNERS.has(tok.text))) return true;
      if (bare && NAMESPACES.has(tok.text)) return t[i + 1]?.text === '(' && t[i + 2]?.text === ')';
      if (!IMPORTERS.has(tok.text) || t[i + 1]?.text !== '(') return false;
      const close = closingParen(t, i + 1);
      return close !== -1 && (t[close + 1]?.text === '.' || t[close + 1]?.text === '[');
    }),
  );
}

/** The ways a file may write a called name: as written, and its module's attribute under every name the module is bound to. */
function writtenForms(callee: string, aliases: ReadonlyMap<string, string>): string[] {
  const resolved = resolve(callee, aliases as Map<string, string>);
  const dot = resolved.lastIndexOf('.');
  if (dot === -1) return [callee];
  const [module, attr] = [resolved.slice(0, dot), resolved.slice(dot + 1)];
  const forms = new Set([callee, resolved]);
  for (const [name, target] of aliases) if (target === module && !name.startsWith('*')) forms.add(`${name}.${attr}`);
  return [...forms];
}

/** `class Name(base.Path)`: class name → last part of its first base (for custom YAML loaders). */
function classBases(streams: readonly Token[][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of streams) {
    for (let i = 0; i + 3 < t.length; i++) {
      if (t[i].text !== 'class' || t[i + 1].kind !== 'name' || t[i + 2].text !== '(') continue;
      let j = i + 3;
      let last = '';
      while (j < t.length && (t[j].kind === 'name' || t[j].text === '.')) {
        if (t[j].kind === 'name') last = t[j].text;
        j++;
      }
      if (last) out.set(t[i + 1].text, last);
    }
  }
  return out;
}
