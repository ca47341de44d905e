// Finds calls (and bare references) of dotted names in tokenized Python, resolving the first name
// through the file's imports: `import pickle as pkl`, `from pickle import loads as l`, `x = pickle.loads`.
import type { Token } from './tokens.ts';

export interface Argument {
  /** Keyword name, or null for a positional argument (`*`/`**` unpacking gives `*`/`**`). */
  keyword: string | null;
  /** The argument's tokens joined without spaces (`yaml.SafeLoader`, `True`). */
  value: string;
  /** When the argument is one call and nothing else (`pickle.dumps(obj)`): the dotted name called, as written. */
  callee?: string;
}

export interface NameUse {
  /** Fully resolved dotted name: `pickle.loads`. */
  name: string;
  /** The first part of the name as written (`pkl` of `pkl.loads`), which the file must bind for the call to run. */
  root: string;
  line: number;
  /** Last line of the call's argument list (same as `line` for a reference). */
  endLine: number;
  /** null when the name is referenced but not called. */
  args: Argument[] | null;
}

export type Aliases = Map<string, string>;

/**
 * Pass 1: every import binding of the file (all token lists share one scope, e.g. notebook cells).
 * `conflicts`, when given, takes the names bound to more than one target (`if c: from mylib import
 * dumps` / `else: from pickle import dumps`): the last one read is not the only one that may run.
 */
export function collectAliases(streams: readonly Token[][], conflicts?: Set<string>): Aliases {
  const bindings: Aliases = new Map();
  const aliases = {
    set(name: string, target: string): void {
      const before = bindings.get(name);
      if (before !== undefined && before !== target) conflicts?.add(name);
      bindings.set(name, target);
    },
  };
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
          aliases.set(t[i].text, resolve(dotted, bindings));
        }
      }
    }
  }
  return bindings;
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

/** Index just past the dotted name whose first part is the name token at `i` (as readDotted reads it). */
function dottedEnd(t: readonly Token[], i: number): number {
  let j = i + 1;
  while (t[j]?.text === '.' && t[j + 1]?.kind === 'name') j += 2;
  return j;
}

export function resolve(dotted: string, aliases: Aliases): string {
  const dot = dotted.indexOf('.');
  const first = dot === -1 ? dotted : dotted.slice(0, dot);
  const bound = aliases.get(first);
  return bound === undefined ? dotted : bound + (dot === -1 ? '' : dotted.slice(dot));
}

const KEYWORDS = new Set(['def', 'class', 'import', 'from', 'as']);
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);
/** An argument's value is kept only this long: enough for any name or literal a verdict compares, and it keeps the work per call bounded. */
const MAX_VALUE_CHARS = 200;

/**
 * Pass 2: uses of dotted names that `interesting` accepts (after resolution). Linear in the tokens.
 * `lastParts`, when given, holds the last part of every name `interesting` accepts (`loads` for
 * `pickle.loads`): resolution only rewrites a name's first part, so a dotted name ending otherwise,
 * or a bare name neither imported nor a possible star import, is passed over without building it.
 */
export function findUses(
  t: readonly Token[],
  aliases: Aliases,
  interesting: (name: string) => boolean,
  starModules: readonly string[],
  lastParts?: ReadonlySet<string>,
): NameUse[] {
  const uses: NameUse[] = [];
  let match: Int32Array | null = null;
  // A bare name may come from a star import; the answer depends only on the name, so look it up once.
  const fromStar = new Map<string, string | undefined>();
  let inImport = false;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (tok.kind === 'newline' || (tok.kind === 'op' && tok.text === ';')) inImport = false;
    if (tok.kind !== 'name') continue;
    if (tok.text === 'import' || tok.text === 'from') inImport = true;
    if (inImport) continue;
    const prev = t[i - 1];
    if (prev && (prev.text === '.' || (prev.kind === 'name' && KEYWORDS.has(prev.text)))) continue;
    if (lastParts) {
      const end = dottedEnd(t, i);
      const last = t[end - 1].text;
      if (end > i + 1 ? !lastParts.has(last) : !aliases.has(last) && (starModules.length === 0 || !lastParts.has(last))) {
        i = end - 1;
        continue;
      }
    }
    const [dotted, next] = readDotted(t, i);
    if (!dotted) continue;
    let name = resolve(dotted, aliases);
    if (name === dotted && !dotted.includes('.') && !aliases.has(dotted) && starModules.length > 0) {
      if (!fromStar.has(dotted)) fromStar.set(dotted, starModules.find((m) => interesting(`${m}.${dotted}`)));
      const star = fromStar.get(dotted);
      if (star) name = `${star}.${dotted}`;
    }
    const isAssignTarget = t[next]?.text === '=' && (prev === undefined || prev.kind === 'newline');
    i = next - 1;
    if (isAssignTarget || !interesting(name)) continue;
    if (t[next]?.text === '(' && t[next].kind === 'op') {
      match ??= matchBrackets(t);
      const [args, endLine] = readArgs(t, next, match);
      uses.push({ name, root: tok.text, line: tok.line, endLine, args });
    } else {
      uses.push({ name, root: tok.text, line: tok.line, endLine: tok.line, args: null });
    }
  }
  return uses;
}

/**
 * Names that appear on their own anywhere in the streams (not as `x.` or `.x`): every binding that
 * is not an import (`yaml = …`, a parameter, `as yaml`, a loop target) is one of them, and so is
 * any other use of the name as a value. A name the file neither imports nor uses so is bound
 * nowhere in it: `yaml.load(…)` there raises NameError unless something outside provides `yaml`.
 */
export function namesOnTheirOwn(streams: readonly Token[][]): Set<string> {
  const out = new Set<string>();
  for (const t of streams) {
    for (let i = 0; i < t.length; i++) {
      if (t[i].kind === 'name' && t[i - 1]?.text !== '.' && t[i + 1]?.text !== '.') out.add(t[i].text);
    }
  }
  return out;
}

/**
 * Whether the file may make a called name something else than what its import says. `forms` are
 * the ways the file may write it (`dumps`, `pickle.dumps`, `p.dumps` under `import pickle as p`):
 * any use of one outside an import that is not a call of it, or of its module that is not a read of
 * another attribute or a test (`dumps = bytes`, `dumps, x = …`, a parameter `dumps=bytes`,
 * `def dumps`, `setattr(pickle, …)`, `pickle.dumps = …`, `pickle.__dict__[…]`), or a name two imports
 * bind to different targets (collectAliases' `conflicts`). Binding the module by an import call of
 * its own name (`dill = pytest.importorskip("dill")`) or to None is an import.
 */
export function mayRebind(streams: readonly Token[][], forms: readonly string[], conflicts: ReadonlySet<string>): boolean {
  if (forms.some((form) => conflicts.has(form.split('.')[0]!))) return true;
  const roots = new Set(forms.map((form) => form.split('.')[0]!));
  for (const t of streams) {
    for (let i = 0; i < t.length; i++) {
      const tok = t[i];
      if (tok.kind !== 'name') continue;
      const start = i === 0 || t[i - 1].kind === 'newline' || t[i - 1].text === ';' || t[i - 1].text === ':';
      if (start && (tok.text === 'import' || tok.text === 'from')) {
        // Bindings by import are collectAliases' (and its conflicts'): skipped here.
        while (i + 1 < t.length && t[i + 1].kind !== 'newline' && t[i + 1].text !== ';') i++;
        continue;
      }
      if (!roots.has(tok.text) || t[i - 1]?.text === '.') continue;
      if (forms.some((form) => usedOtherwise(t, i, start, form.split('.')))) return true;
    }
  }
  return false;
}

/** Whether the name at `i` (the first part of `parts`) is used but as a call of the whole name, a read of another attribute, or a test. */
function usedOtherwise(t: readonly Token[], i: number, start: boolean, parts: readonly string[]): boolean {
  if (t[i].text !== parts[0]) return false;
  let j = i + 1;
  let k = 1;
  while (k < parts.length && t[j]?.text === '.' && t[j + 1]?.text === parts[k]) [j, k] = [j + 2, k + 1];
  if (k === parts.length) return t[j]?.text !== '(' || DEFINES.has(t[i - 1]?.text ?? ''); // assigned, passed, defined
  // Another attribute is only read, unless it reaches the module's namespace.
  if (t[i + 1]?.text === '.') return NAMESPACE.has(t[i + 2]?.text ?? '');
  if (start && t[i + 1]?.text === '=' && (importCallStatement(t, i + 2, parts[0]!) || noneStatement(t, i + 2))) return false;
  return !onlyTested(t, i);
}

const DEFINES = new Set(['def', 'class']);
const NAMESPACE = new Set(['__dict__', '__setattr__', '__class__', '__getattr__']);

// A test's operand yields a bool, not the module: `if dill:`, `not dill`, `dill is None`.
const TESTS_BEFORE = new Set(['if', 'elif', 'while', 'not', 'assert']);

/** A name only tested (`if cloudpickle:`, `not dill`, `dill is None`): no call can change what it is. */
function onlyTested(t: readonly Token[], i: number): boolean {
  return TESTS_BEFORE.has(t[i - 1]?.text ?? '') || t[i + 1]?.text === 'is';
}

/** `= None` to the end of the statement (`except ImportError: dill = None`): calling through it fails, it makes nothing. */
function noneStatement(t: readonly Token[], i: number): boolean {
  return t[i]?.text === 'None' && (t[i + 1] === undefined || t[i + 1].kind === 'newline' || t[i + 1].text === ';');
}

const IMPORT_CALLS = new Set(['importorskip', 'import_module', '__import__']);

/**
 * Whether the tokens from `i` to the end of the statement are one call that imports the module
 * `name` itself (`dill = pytest.importorskip("dill")`), its first argument that name as a string.
 */
function importCallStatement(t: readonly Token[], i: number, name: string): boolean {
  if (t[i]?.kind !== 'name') return false;
  const end = dottedEnd(t, i);
  if (!IMPORT_CALLS.has(t[end - 1]!.text) || t[end]?.text !== '(') return false;
  const first = t[end + 1]?.text ?? '';
  if (first !== `"${name}"` && first !== `'${name}'`) return false;
  const close = closingParen(t, end);
  return close !== -1 && (t[close + 1] === undefined || t[close + 1].kind === 'newline' || t[close + 1].text === ';');
}

/** The index of the `)` that closes the `(` at `open`, or -1 when the file ends first. */
export function closingParen(t: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < t.length; j++) {
    if (t[j].text === '(') depth++;
    else if (t[j].text === ')' && --depth === 0) return j;
  }
  return -1;
}

/**
 * One stack pass: for each opening bracket, the index of its closing one (any kind closes, as a
 * depth count would), or `t.length` when it is never closed. Reading a call's arguments then jumps
 * over nested brackets instead of scanning to find where the call ends.
 */
export function matchBrackets(t: readonly Token[]): Int32Array {
  const match = new Int32Array(t.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i].kind !== 'op') continue;
    if (OPEN.has(t[i].text)) stack.push(i);
    else if (CLOSE.has(t[i].text) && stack.length > 0) match[stack.pop()!] = i;
  }
  for (const open of stack) match[open] = t.length;
  return match;
}

/**
 * The depth-1 arguments of the call whose `(` is at `open`, and the line of its `)`. Each token is at
 * depth 1 of exactly one bracket, and a value stops at MAX_VALUE_CHARS, so all calls together cost
 * O(tokens): no call re-reads the ones nested in it.
 */
function readArgs(t: readonly Token[], open: number, match: Int32Array): [Argument[], number] {
  const close = match[open];
  const args: Argument[] = [];
  let start = open + 1;
  let i = open + 1;
  while (i < close) {
    const x = t[i];
    if (x.kind === 'op' && x.text === ',') {
      pushArgument(t, start, i, args, match);
      start = ++i;
    } else if (x.kind === 'op' && OPEN.has(x.text)) i = match[i] + 1;
    else i++;
  }
  pushArgument(t, start, close, args, match);
  const endLine = close < t.length ? t[close].line : (t[t.length - 1]?.line ?? 0);
  return [args, endLine];
}

/** Tokens [from, to) as one argument; nothing for an empty slot (a trailing comma). */
function pushArgument(t: readonly Token[], from: number, to: number, args: Argument[], match: Int32Array): void {
  const callee = calleeOf(t, from, to, match);
  let i = from;
  const next = () => {
    while (i < to && t[i].kind === 'newline') i++;
    return i < to ? t[i++] : undefined;
  };
  const first = next();
  if (!first) return;
  let keyword: string | null = null;
  let value = '';
  if (first.kind === 'op' && (first.text === '*' || first.text === '**')) keyword = first.text;
  else {
    const second = next();
    if (first.kind === 'name' && second?.text === '=') keyword = first.text;
    else value = (first.text + (second?.text ?? '')).slice(0, MAX_VALUE_CHARS + 1);
  }
  for (let x = next(); x && value.length <= MAX_VALUE_CHARS; x = next()) value += x.text.slice(0, MAX_VALUE_CHARS + 1 - value.length);
  if (value.length > MAX_VALUE_CHARS) value = `${value.slice(0, MAX_VALUE_CHARS)}…`;
  args.push(callee !== null && keyword === null ? { keyword, value, callee } : { keyword, value });
}

/** The dotted name of a positional argument that is a single call (`a.b(…)`, its `)` the argument's last token), or null. */
function calleeOf(t: readonly Token[], from: number, to: number, match: Int32Array): string | null {
  let first = from;
  while (first < to && t[first].kind === 'newline') first++;
  let last = to - 1;
  while (last > first && t[last].kind === 'newline') last--;
  const [dotted, next] = readDotted(t, first);
  if (!dotted || t[next]?.kind !== 'op' || t[next].text !== '(' || match[next] !== last) return null;
  return dotted;
}
