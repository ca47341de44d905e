/**
 * Reads the per-rule example lists of a gitleaks checkout (cmd/generate/config/rules/*.go) by
 * interpreting the small subset of Go those files are written in: string literals and `+`,
 * local variables, `append`, slice and map literals, `for ... range`, fmt.Sprintf, base64, and
 * the example helpers (sample-secret templates, a random string matching a regex), which are
 * re-implemented here. Measuring aid only: not shipped; it holds no gitleaks content, it reads
 * the checkout it is given at run time.
 */
import { sampleRegex, type Random } from './regex-sample.ts';

export interface Example {
  text: string;
  /** A file name the example suggests (its template's syntax, or the path gitleaks gives it). */
  path: string | null;
}

export interface RuleExamples {
  rule: string;
  source: string;
  truePositives: Example[];
  falsePositives: Example[];
}

// ---------------------------------------------------------------- lexer

type Tok = { k: 'id' | 'str' | 'num' | 'op' | ';'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  const needsSemi = () => {
    const last = out[out.length - 1];
    if (!last) return false;
    if (last.k === 'id') return true;
    if (last.k === 'str' || last.k === 'num') return true;
    return last.k === 'op' && [')', ']', '}', '++', '--'].includes(last.v);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      if (needsSemi()) out.push({ k: ';', v: ';' });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (src.slice(i, end).includes('\n') && needsSemi()) out.push({ k: ';', v: ';' });
      i = end + 2;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      out.push({ k: 'str', v: src.slice(i + 1, end).replace(/\r/g, '') });
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (src[j] !== c) {
        if (src[j] === '\\') {
          const e = src[j + 1]!;
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (simple[e] !== undefined) {
            v += simple[e];
            j += 2;
          } else if (e === 'x') {
            v += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16));
            j += 4;
          } else if (e === 'u') {
            v += String.fromCodePoint(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
          } else if (e === 'U') {
            v += String.fromCodePoint(parseInt(src.slice(j + 2, j + 10), 16));
            j += 10;
          } else if (/[0-7]/.test(e)) {
            v += String.fromCharCode(parseInt(src.slice(j + 1, j + 4), 8));
            j += 4;
          } else throw new Error(`escape \\${e}`);
        } else v += src[j++];
      }
      out.push({ k: c === '"' ? 'str' : 'num', v: c === '"' ? v : String(v.codePointAt(0)) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200))!;
      out.push({ k: 'id', v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-fA-FxX._]*/.exec(src.slice(i, i + 100))!;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else {
      const three = src.slice(i, i + 3);
      const two = src.slice(i, i + 2);
      const v = ['...', '<<=', '>>=', '&^='].includes(three)
        ? three
        : [':=', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '<-', '<<', '>>'].includes(two)
          ? two
          : c;
      out.push({ k: 'op', v });
      i += v.length;
    }
  }
  if (needsSemi()) out.push({ k: ';', v: ';' });
  return out;
}

// ---------------------------------------------------------------- parser

type TypeNode = { t: 'type'; kind: 'slice' | 'map' | 'named' | 'ptr'; name?: string; elem?: TypeNode; key?: TypeNode };
type Expr =
  | { t: 'str'; v: string }
  | { t: 'num'; v: string }
  | { t: 'id'; name: string }
  | { t: 'sel'; x: Expr; name: string }
  | { t: 'call'; fn: Expr | TypeNode; args: Expr[]; spread: boolean }
  | { t: 'index'; x: Expr; i: Expr }
  | { t: 'bin'; op: string; l: Expr; r: Expr }
  | { t: 'unary'; op: string; x: Expr }
  | { t: 'comp'; type: TypeNode | null; elems: { key: Expr | null; value: Expr }[] }
  | TypeNode;

type Stmt =
  | { t: 'assign'; names: Expr[]; op: string; values: Expr[] }
  | { t: 'var'; names: string[]; values: Expr[] }
  | { t: 'range'; key: string | null; value: string | null; over: Expr; body: Stmt[] }
  | { t: 'return'; values: Expr[] }
  | { t: 'expr'; x: Expr }
  | { t: 'skip' };

interface FuncDecl {
  name: string;
  params: string[];
  body: Stmt[];
}

class GoParser {
  i = 0;
  noComposite = false;
  constructor(readonly toks: Tok[]) {}

  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && (t.k === 'op' || t.k === ';' || t.k === 'id') && t.v === v;
  }
  expect(v: string): void {
    if (!this.is(v)) throw new Error(`expected ${v}, got ${this.peek()?.v}`);
    this.i++;
  }
  skipBalanced(): void {
    // Skips one token, or a whole bracketed group when it opens one.
    const open = this.peek()!.v;
    const close = ({ '(': ')', '[': ']', '{': '}' } as Record<string, string>)[open];
    this.i++;
    if (!close || this.peek(-1)!.k !== 'op') return;
    let depth = 1;
    while (depth > 0 && this.i < this.toks.length) {
      const t = this.toks[this.i++]!;
      if (t.k !== 'op') continue;
      if (t.v === open) depth++;
      else if (t.v === close) depth--;
    }
  }
  skipStatement(): void {
    while (this.i < this.toks.length && !this.is(';') && !this.is('}')) this.skipBalanced();
  }

  file(): { funcs: Map<string, FuncDecl>; globals: Stmt[] } {
    const funcs = new Map<string, FuncDecl>();
    const globals: Stmt[] = [];
    while (this.i < this.toks.length) {
      if (this.is('func') && this.peek(1)?.k === 'id' && this.is('(', 2)) {
        this.i += 1;
        const name = this.peek()!.v;
        this.i += 2;
        const params: string[] = [];
        while (!this.is(')')) {
          if (this.peek()!.k === 'id' && (this.is(',', 1) || this.peek(1)?.k === 'id' || this.is('[', 1) || this.is('*', 1))) params.push(this.peek()!.v);
          while (!this.is(',') && !this.is(')')) this.skipBalanced();
          if (this.is(',')) this.i++;
        }
        this.i++;
        while (!this.is('{')) this.skipBalanced();
        funcs.set(name, { name, params, body: this.block() });
      } else if (this.is('var') || this.is('const')) {
        globals.push(...this.varDecl());
      } else this.skipStatement(), this.i++;
    }
    return { funcs, globals };
  }

  block(): Stmt[] {
    this.expect('{');
    const out: Stmt[] = [];
    while (!this.is('}')) {
      if (this.is(';')) {
        this.i++;
        continue;
      }
      out.push(...this.statement());
    }
    this.i++;
    return out;
  }

  varDecl(): Stmt[] {
    this.i++;
    const specs: Stmt[] = [];
    const spec = () => {
      const names = [this.peek()!.v];
      this.i++;
      while (this.is(',')) {
        names.push(this.peek(1)!.v);
        this.i += 2;
      }
      if (!this.is('=') && !this.is(';') && !this.is(')')) this.type();
      let values: Expr[] = [];
      if (this.is('=')) {
        this.i++;
        values = this.exprList();
      }
      specs.push({ t: 'var', names, values });
    };
    if (this.is('(')) {
      this.i++;
      while (!this.is(')')) {
        if (this.is(';')) this.i++;
        else spec();
      }
      this.i++;
    } else spec();
    return specs;
  }

  statement(): Stmt[] {
    const start = this.i;
    try {
      if (this.is('var') || this.is('const')) return this.varDecl();
      if (this.is('return')) {
        this.i++;
        return [{ t: 'return', values: this.is(';') || this.is('}') ? [] : this.exprList() }];
      }
      if (this.is('for')) return [this.forStatement()];
      if (this.is('if') || this.is('switch') || this.is('go') || this.is('defer')) {
        this.skipStatement();
        return [{ t: 'skip' }];
      }
      const lhs = this.exprList();
      if (this.peek()?.k === 'op' && [':=', '=', '+='].includes(this.peek()!.v)) {
        const op = this.peek()!.v;
        this.i++;
        return [{ t: 'assign', names: lhs, op, values: this.exprList() }];
      }
      return [{ t: 'expr', x: lhs[0]! }];
    } catch {
      this.i = start;
      this.skipStatement();
      return [{ t: 'skip' }];
    }
  }

  forStatement(): Stmt {
    this.i++;
    // for k, v := range x { ... }
    const save = this.i;
    const names: (string | null)[] = [];
    while (this.peek()?.k === 'id' && !this.is('range')) {
      names.push(this.peek()!.v === '_' ? null : this.peek()!.v);
      this.i++;
      if (this.is(',')) this.i++;
      else break;
    }
    if ((this.is(':=') || this.is('=')) && this.is('range', 1)) {
      this.i += 2;
      this.noComposite = true;
      const over = this.expr();
      this.noComposite = false;
      return { t: 'range', key: names[0] ?? null, value: names[1] ?? null, over, body: this.block() };
    }
    this.i = save;
    while (!this.is('{')) this.skipBalanced();
    this.skipBalanced();
    return { t: 'skip' };
  }

  exprList(): Expr[] {
    const out = [this.expr()];
    while (this.is(',')) {
      this.i++;
      out.push(this.expr());
    }
    return out;
  }

  expr(): Expr {
    let l = this.unary();
    while (this.peek()?.k === 'op' && ['+', '==', '!=', '||', '&&', '|'].includes(this.peek()!.v)) {
      const op = this.peek()!.v;
      this.i++;
      l = { t: 'bin', op, l, r: this.unary() };
    }
    return l;
  }

  unary(): Expr {
    if (this.is('&') || this.is('-') || this.is('!') || this.is('*')) {
      const op = this.peek()!.v;
      this.i++;
      return { t: 'unary', op, x: this.unary() };
    }
    return this.postfix(this.primary());
  }

  type(): TypeNode {
    if (this.is('[')) {
      this.i++;
      while (!this.is(']')) this.i++;
      this.i++;
      return { t: 'type', kind: 'slice', elem: this.type() };
    }
    if (this.is('*')) {
      this.i++;
      return { t: 'type', kind: 'ptr', elem: this.type() };
    }
    if (this.is('map')) {
      this.i += 2;
      const key = this.type();
      this.expect(']');
      return { t: 'type', kind: 'map', key, elem: this.type() };
    }
    let name = this.peek()!.v;
    this.i++;
    if (this.is('.')) {
      name += `.${this.peek(1)!.v}`;
      this.i += 2;
    }
    return { t: 'type', kind: 'named', name };
  }

  primary(): Expr {
    const tok = this.peek()!;
    if (tok.k === 'str') {
      this.i++;
      return { t: 'str', v: tok.v };
    }
    if (tok.k === 'num') {
      this.i++;
      return { t: 'num', v: tok.v };
    }
    if (this.is('(')) {
      this.i++;
      const save = this.noComposite;
      this.noComposite = false;
      const x = this.expr();
      this.noComposite = save;
      this.expect(')');
      return x;
    }
    if (this.is('[') || this.is('map')) {
      const type = this.type();
      if (this.is('{')) return this.composite(type);
      return type;
    }
    if (this.is('func')) throw new Error('function literal');
    if (tok.k === 'id') {
      this.i++;
      // A named composite literal: Name{...} or pkg.Name{...}
      if (!this.noComposite && this.is('.') && this.peek(1)?.k === 'id' && this.is('{', 2) && /^[A-Z]/.test(this.peek(1)!.v)) {
        const name = `${tok.v}.${this.peek(1)!.v}`;
        this.i += 2;
        return this.composite({ t: 'type', kind: 'named', name });
      }
      return { t: 'id', name: tok.v };
    }
    throw new Error(`unexpected ${tok.v}`);
  }

  composite(type: TypeNode | null): Expr {
    this.expect('{');
    const elems: { key: Expr | null; value: Expr }[] = [];
    const element = (): Expr => (this.is('{') ? this.composite(null) : this.expr());
    while (!this.is('}')) {
      if (this.is(';') || this.is(',')) {
        this.i++;
        continue;
      }
      const first = element();
      if (this.is(':')) {
        this.i++;
        elems.push({ key: first, value: element() });
      } else elems.push({ key: null, value: first });
    }
    this.i++;
    return { t: 'comp', type, elems };
  }

  postfix(x: Expr): Expr {
    for (;;) {
      if (this.is('.')) {
        const next = this.peek(1)!;
        if (next.k === 'op' && next.v === '(') throw new Error('type assertion');
        this.i += 2;
        x = { t: 'sel', x, name: next.v };
      } else if (this.is('(')) {
        this.i++;
        const args: Expr[] = [];
        let spread = false;
        const save = this.noComposite;
        this.noComposite = false;
        while (!this.is(')')) {
          if (this.is(';') || this.is(',')) {
            this.i++;
            continue;
          }
          args.push(this.is('{') ? this.composite(null) : this.expr());
          if (this.is('...')) {
            spread = true;
            this.i++;
          }
        }
        this.noComposite = save;
        this.i++;
        x = { t: 'call', fn: x, args, spread };
      } else if (this.is('[')) {
        this.i++;
        const index = this.expr();
        if (this.is(':')) throw new Error('slice expression');
        this.expect(']');
        x = { t: 'index', x, i: index };
      } else if (this.is('{') && !this.noComposite && x.t === 'id' && /^[A-Z]/.test(x.name)) {
        x = this.composite({ t: 'type', kind: 'named', name: x.name });
      } else return x;
    }
  }
}

// ---------------------------------------------------------------- evaluator

type Value = string | number | boolean | Value[] | GoMap | GoStruct | Opaque;
class GoMap {
  constructor(readonly entries: [Value, Value][]) {}
}
class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: Map<string, () => Value>,
  ) {}
}
class Opaque {
  constructor(readonly what: string) {}
}

/** The names the templates of the "sample secrets" helper stand for, to name each example's file. */
const TEMPLATE_FILES: [RegExp, string][] = [
  [/^ini/, 'config.ini'], [/^json/, 'config.json'], [/^xml/, 'config.xml'], [/^yaml/, 'config.yaml'], [/^C#/, 'Config.cs'], [/^go/, 'config.go'],
  [/^java/, 'Config.java'], [/^kotlin/, 'Config.kt'], [/^php/, 'config.php'], [/^python/, 'config.py'], [/^misc - comma/, 'Config.java'],
  [/^logstash/, 'logstash.conf'], [/^make/, 'Makefile'],
];

/**
 * The syntaxes gitleaks' sample-secret helper writes an identifier and a secret in: our own
 * statement of each syntax (name + operator + value), one per file kind listed above.
 */
function sampleTemplates(id: string, secret: string): Example[] {
  const I = id.toUpperCase();
  const forms: [string, string][] = [
    ['ini - quoted1', `${id}Token="${secret}"`],
    ['ini - quoted2', `${id}Token = "${secret}"`],
    ['ini - unquoted1', `${id}Token=${secret}`],
    ['ini - unquoted2', `${id}Token = ${secret}`],
    ['json - string', `{\n    "${id}_token": "${secret}"\n}`],
    ['json - escaped newline in string', `{"config.ini": "${I}_TOKEN=${secret}\\nBACKUP_ENABLED=true"}`],
    ['xml - element multiline', `<${id}Token>\n    ${secret}\n</${id}Token>`],
    ['yaml - singleline - unquoted', `${id}_token: ${secret}`],
    ['yaml - singleline - single quote', `${id}_token: '${secret}'`],
    ['yaml - singleline - double quote', `${id}_token: "${secret}"`],
    ['C#', `string ${id}Token = "${secret}";`],
    ['go - normal', `var ${id}Token string = "${secret}"`],
    ['go - short', `${id}Token := "${secret}"`],
    ['go - backticks', `${id}Token := \`${secret}\``],
    ['java', `String ${id}Token = "${secret}";`],
    ['kotlin - notype', `var ${id}Token = "${secret}"`],
    ['php - string concat', `$${id}Token .= "${secret}"`],
    ['python - single quote', `${id}Token = '${secret}'`],
    ['python - double quote', `${id}Token = "${secret}"`],
    ['misc - comma operator', `System.setProperty("${I}_TOKEN", "${secret}")`],
    ['logstash', `  "${id}Token" => "${secret}"`],
    ['make - recursive assignment', `${I}_TOKEN = "${secret}"`],
    ['make - simple assignment', `${I}_TOKEN := "${secret}"`],
    ['make - shell assignment', `${I}_TOKEN ::= "${secret}"`],
    ['make - evaluated shell assignment', `${I}_TOKEN :::= "${secret}"`],
    ['make - conditional assignment', `${I}_TOKEN ?= "${secret}"`],
  ];
  return forms.map(([name, text]) => ({ text, path: TEMPLATE_FILES.find(([re]) => re.test(name))?.[1] ?? null }));
}

const REGEX_HELPERS: Record<string, (size: string) => string> = {
  Numeric: (n) => `[0-9]{${n}}`,
  Hex: (n) => `[a-f0-9]{${n}}`,
  AlphaNumeric: (n) => `[a-z0-9]{${n}}`,
  AlphaNumericExtendedShort: (n) => `[a-z0-9_-]{${n}}`,
  AlphaNumericExtended: (n) => `[a-z0-9=_\\-]{${n}}`,
  AlphaNumericExtendedLong: (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
};

function sprintf(format: string, args: Value[]): string {
  let k = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([svdqx%])/g, (_, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const v = args[k++];
    if (verb === 'q') return JSON.stringify(String(v));
    return String(v);
  });
}

class Returned {
  constructor(readonly values: Value[]) {}
}

export class GoExamples {
  private readonly funcs = new Map<string, FuncDecl>();
  private readonly globals = new Map<string, Value | (() => Value)>();
  /** Examples a sample-template call made: text → the file name its template suggests. */
  private readonly pathOf = new Map<string, string>();
  readonly rules: RuleExamples[] = [];
  readonly failures: string[] = [];
  private current = '';

  constructor(private readonly random: Random) {}

  load(files: { name: string; text: string }[]): void {
    for (const f of files) {
      const parsed = new GoParser(lex(f.text)).file();
      for (const [name, fn] of parsed.funcs) this.funcs.set(name, fn);
      for (const g of parsed.globals) {
        if (g.t !== 'var') continue;
        g.names.forEach((name, k) => {
          const x = g.values[k];
          if (x) this.globals.set(name, () => this.eval(x, new Map()));
        });
      }
    }
  }

  /** Runs every exported rule function (those whose body calls a Validate helper). */
  runAll(names: string[]): void {
    for (const name of names) {
      const fn = this.funcs.get(name);
      if (!fn) {
        this.failures.push(`${name}: no such function`);
        continue;
      }
      this.current = name;
      try {
        this.call(fn, []);
      } catch (e) {
        this.failures.push(`${name}: ${(e as Error).message}`);
      }
    }
  }

  private call(fn: FuncDecl, args: Value[]): Value[] {
    const env = new Map<string, Value>();
    fn.params.forEach((p, k) => env.set(p, args[k]!));
    try {
      this.exec(fn.body, env);
    } catch (e) {
      if (e instanceof Returned) return e.values;
      throw e;
    }
    return [];
  }

  private exec(body: Stmt[], env: Map<string, Value>): void {
    for (const s of body) {
      switch (s.t) {
        case 'skip':
          break;
        case 'var':
          s.names.forEach((n, k) => env.set(n, s.values[k] ? this.eval(s.values[k]!, env) : []));
          break;
        case 'assign': {
          if (s.names.length !== s.values.length) break;
          s.names.forEach((target, k) => {
            let value: Value;
            try {
              value = this.eval(s.values[k]!, env);
            } catch (e) {
              // A rule's own config (regexes, allow-lists) may use what this reader does not know.
              if (target.t === 'id' && (target.name === 'tps' || target.name === 'fps')) throw e;
              value = new Opaque(`unevaluated: ${(e as Error).message}`);
            }
            if (target.t === 'id') {
              if (s.op === '+=') env.set(target.name, `${String(env.get(target.name))}${String(value)}`);
              else env.set(target.name, value);
            } else if (target.t === 'sel' && target.x.t === 'id') {
              const obj = env.get(target.x.name);
              if (obj instanceof GoStruct) obj.fields.set(target.name, () => value);
            } else if (target.t === 'index' && target.x.t === 'id') {
              const obj = env.get(target.x.name);
              if (obj instanceof GoMap) obj.entries.push([this.eval(target.i, env), value]);
            }
          });
          break;
        }
        case 'range': {
          const over = this.eval(s.over, env);
          const pairs: [Value, Value][] = over instanceof GoMap ? over.entries : Array.isArray(over) ? over.map((v, k) => [k, v]) : [];
          for (const [k, v] of pairs) {
            if (s.key) env.set(s.key, k);
            if (s.value) env.set(s.value, v);
            this.exec(s.body, env);
          }
          break;
        }
        case 'return':
          throw new Returned(s.values.map((x) => this.eval(x, env)));
        case 'expr':
          this.eval(s.x, env);
          break;
      }
    }
  }

  private lookup(name: string, env: Map<string, Value>): Value {
    if (env.has(name)) return env.get(name)!;
    const g = this.globals.get(name);
    if (g !== undefined) {
      const v = typeof g === 'function' ? g() : g;
      this.globals.set(name, v);
      return v;
    }
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === 'nil') return [];
    throw new Error(`unknown name ${name}`);
  }

  private strings(v: Value): string[] {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.flatMap((x) => this.strings(x));
    throw new Error('not a list of strings');
  }

  private examples(v: Value): Example[] {
    if (v instanceof GoMap) return v.entries.map(([path, text]) => ({ text: String(text), path: String(path) }));
    return this.strings(v).map((text) => ({ text, path: this.pathOf.get(text) ?? null }));
  }

  private record(ruleValue: Value, tps: Value, fps: Value): Value {
    let rule = this.current;
    if (ruleValue instanceof GoStruct) {
      const id = ruleValue.fields.get('RuleID');
      if (id) rule = String(id());
    }
    this.rules.push({ rule, source: this.current, truePositives: this.examples(tps), falsePositives: this.examples(fps) });
    return ruleValue;
  }

  private native(name: string, args: Value[]): Value {
    const s = (k: number) => String(args[k]);
    switch (name) {
      case 'utils.Validate':
      case 'utils.ValidateWithPaths':
        return this.record(args[0]!, args[1] ?? [], args[2] ?? []);
      case 'utils.GenerateSampleSecrets': {
        const out = sampleTemplates(s(0), s(1));
        for (const e of out) if (e.path) this.pathOf.set(e.text, e.path);
        return out.map((e) => e.text);
      }
      case 'utils.GenerateSampleSecret':
        return `${s(0)}_api_token = "${s(1)}"`;
      case 'secrets.NewSecret':
        return sampleRegex(s(0), this.random);
      case 'newPlausibleSecret': {
        for (let k = 0; k < 1000; k++) {
          const v = sampleRegex(s(0), this.random);
          if (/[1-9]/.test(v)) return v;
        }
        throw new Error('no plausible secret');
      }
      case 'utils.Hex8_4_4_4_12':
        return '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
      case 'fmt.Sprintf':
        return sprintf(s(0), args.slice(1));
      case 'strings.Repeat':
        return s(0).repeat(Number(args[1]));
      case 'strings.ToUpper':
        return s(0).toUpperCase();
      case 'strings.ToLower':
        return s(0).toLowerCase();
      case 'strings.Join':
        return this.strings(args[0]!).join(s(1));
      case 'b64.StdEncoding.EncodeToString':
      case 'base64.StdEncoding.EncodeToString':
        return Buffer.from(s(0), 'latin1').toString('base64');
      case 'b64.RawStdEncoding.EncodeToString':
      case 'base64.RawStdEncoding.EncodeToString':
        return Buffer.from(s(0), 'latin1').toString('base64').replace(/=+$/, '');
      case 'b64.URLEncoding.EncodeToString':
      case 'base64.URLEncoding.EncodeToString':
        return Buffer.from(s(0), 'latin1').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
      case 'b64.RawURLEncoding.EncodeToString':
      case 'base64.RawURLEncoding.EncodeToString':
        return Buffer.from(s(0), 'latin1').toString('base64url');
      case 'utils.GetEnvOrDefault':
        return s(1);
    }
    const helper = /^utils\.(\w+)$/.exec(name);
    if (helper && REGEX_HELPERS[helper[1]!]) return REGEX_HELPERS[helper[1]!]!(s(0));
    if (/^(?:regexp\.MustCompile|utils\.GenerateSemiGenericRegex|utils\.GenerateUniqueTokenRegex|utils\.MergeRegexps)$/.test(name)) return new Opaque(name);
    throw new Error(`unknown function ${name}`);
  }

  private qualified(x: Expr): string | null {
    if (x.t === 'id') return x.name;
    if (x.t === 'sel') {
      const left = this.qualified(x.x);
      return left === null ? null : `${left}.${x.name}`;
    }
    return null;
  }

  eval(x: Expr, env: Map<string, Value>): Value {
    switch (x.t) {
      case 'str':
        return x.v;
      case 'num':
        return Number(x.v);
      case 'id':
        return this.lookup(x.name, env);
      case 'sel': {
        const q = this.qualified(x);
        if (q && x.x.t === 'id' && env.has(x.x.name)) {
          const obj = env.get(x.x.name);
          if (obj instanceof GoStruct) return obj.fields.get(x.name)?.() ?? new Opaque('zero');
        }
        return new Opaque(q ?? 'selector');
      }
      case 'bin': {
        const l = this.eval(x.l, env);
        const r = this.eval(x.r, env);
        if (x.op === '+') return typeof l === 'number' && typeof r === 'number' ? l + r : `${String(l)}${String(r)}`;
        if (x.op === '==') return l === r;
        if (x.op === '!=') return l !== r;
        return new Opaque(x.op);
      }
      case 'unary':
        return this.eval(x.x, env);
      case 'index': {
        const obj = this.eval(x.x, env);
        const i = this.eval(x.i, env);
        if (Array.isArray(obj)) return obj[Number(i)]!;
        if (obj instanceof GoMap) return obj.entries.find(([k]) => k === i)?.[1] ?? '';
        throw new Error('index of a non-collection');
      }
      case 'comp':
        return this.composite(x.type, x.elems, env);
      case 'type':
        return new Opaque('type');
      case 'call': {
        if (x.fn.t === 'type') {
          // A conversion: []byte(s), string(b).
          return this.eval(x.args[0]!, env);
        }
        const name = this.qualified(x.fn);
        if (name === 'append') {
          const base = this.eval(x.args[0]!, env);
          const list = Array.isArray(base) ? [...base] : [];
          const rest = x.args.slice(1).map((a) => this.eval(a, env));
          if (x.spread) for (const r of rest) list.push(...(Array.isArray(r) ? r : [r]));
          else list.push(...rest);
          return list;
        }
        if (name === 'string' || name === 'len') {
          const v = this.eval(x.args[0]!, env);
          return name === 'len' ? (Array.isArray(v) || typeof v === 'string' ? v.length : 0) : v;
        }
        if (name === 'make') return [];
        const args = x.args.map((a) => this.eval(a, env));
        if (name && name !== 'newPlausibleSecret' && this.funcs.has(name) && !name.includes('.')) {
          return this.call(this.funcs.get(name)!, args)[0] ?? new Opaque('void');
        }
        if (!name) throw new Error('call of an expression');
        return this.native(name, args);
      }
    }
  }

  private composite(type: TypeNode | null, elems: { key: Expr | null; value: Expr }[], env: Map<string, Value>): Value {
    const valueOf = (e: Expr, elemType: TypeNode | undefined): Value =>
      e.t === 'comp' && e.type === null ? this.composite(elemType ?? null, e.elems, env) : this.eval(e, env);
    if (type?.kind === 'named' && type.name !== 'string') {
      const fields = new Map<string, () => Value>();
      for (const e of elems) {
        if (e.key?.t === 'id') {
          const value = e.value;
          fields.set(e.key.name, () => valueOf(value, undefined));
        }
      }
      return new GoStruct(type.name ?? '', fields);
    }
    if (type?.kind === 'ptr') return this.composite(type.elem ?? null, elems, env);
    if (type?.kind === 'map' || (type === null && elems.length > 0 && elems.every((e) => e.key !== null && e.key.t !== 'id'))) {
      return new GoMap(elems.map((e) => [this.eval(e.key!, env), valueOf(e.value, type?.elem)]));
    }
    return elems.map((e) => valueOf(e.value, type?.elem));
  }
}
