import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange, RawFinding } from '../src/engine/types.ts';
import { deserializationDetector } from '../src/rules/deserialization/detector.ts';
import { findUnsafeCalls } from '../src/rules/deserialization/scan-python.ts';
import { tokenize } from '../src/rules/python/tokens.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { fileChangeOf } from './helpers/change.ts';

const changeOf = fileChangeOf;

const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };

async function scan(change: FileChange): Promise<RawFinding[]> {
  if (!deserializationDetector.appliesTo(change, ctx)) return [];
  return await deserializationDetector.scan(change, ctx);
}

const blocks = (f: RawFinding) => (f.severity ?? f.rule.severity) === 'block';
const summary = (findings: readonly RawFinding[]) => findings.map((f) => `${f.line}: ${f.message}`).join('\n');

// --- generators -------------------------------------------------------------------------------

/** Imports that bind the names the unsafe and safe calls below use (never rebinding them to something else). */
const IMPORTS = [
  'import pickle',
  'import marshal',
  'import yaml',
  'import torch',
  'import numpy as np',
  'import joblib',
  'import pandas as pd',
  'import jsonpickle',
  'import json',
  'from pickle import loads as unpickle',
];

/** Each is judged unsafe (blocks) as code, given IMPORTS. No quotes or backslashes: they go inside strings too. */
const UNSAFE_CALLS = [
  'pickle.loads(data)',
  'pickle.load(f)',
  'pickle.Unpickler(f).load()',
  'marshal.loads(blob)',
  'yaml.load(text)',
  'yaml.load(text, Loader=yaml.Loader)',
  'yaml.unsafe_load(text)',
  'torch.load(path)',
  'torch.load(path, weights_only=False)',
  'np.load(f, allow_pickle=True)',
  'joblib.load(path)',
  'pd.read_pickle(path)',
  'jsonpickle.decode(text)',
  'unpickle(data)',
];

/** Never block, given IMPORTS. */
const SAFE_CALLS = [
  'yaml.safe_load(text)',
  'yaml.load(text, Loader=yaml.SafeLoader)',
  'yaml.load(text, yaml.CSafeLoader)',
  'pickle.dumps(obj)',
  'pickle.dump(obj, f)',
  'marshal.dumps(code)',
  'torch.load(path, weights_only=True)',
  'torch.load(path, map_location=cpu, weights_only=True)',
  'torch.save(model, path)',
  'np.load(f)',
  'np.load(f, allow_pickle=False)',
  'json.loads(text)',
  'yaml.safe_dump(obj)',
  'joblib.dump(obj, path)',
];

const PREFIXES = ['', 'r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 'rb', 'Rb', 'bR', 'BR', 'rf', 'fR', 'Fr', 'RF'];
const QUOTES = ["'", '"', "'''", '"""'];

/** A complete string literal of any prefix and quote kind holding `body` (which has no quotes, backslashes or braces). */
const stringLiteral = (body: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...QUOTES), body, fc.boolean()).map(([prefix, quote, text, multiline]) => {
    // Triple-quoted strings may span lines; an escaped quote inside (not in raw strings: there `\'` stays two characters, still no end).
    const inner = quote.length === 3 && multiline ? `\n${text}\n  ` : text;
    const escaped = quote.length === 1 && !prefix.toLowerCase().includes('f') ? `\\${quote}` : '';
    return `${prefix}${quote}${escaped}${inner}${quote}`;
  });

/** Text that is harmless as string content: no quotes, backslashes, braces or newlines. */
const plainText = fc.string({ maxLength: 15 }).map((s) => s.replace(/['"\\{}\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]/g, ' '));

/** Python-ish statements that never bind IMPORTS' names and never leave a string or a bracket open. */
const soupLine = fc.oneof(
  fc.constantFrom(
    'x = 1', 'def f(a, b=2, *args, **kw):', '    return a', 'class Loader(object):', '    pass', 'if x: y = [1, 2, (3, 4)]', 'z = {"k": [x for x in range(3)]}',
    'import os.path as osp', 'from collections import OrderedDict as OD', 'import sys, re as regex', 'lambda q: q', '@decorator', 'async def g(): await h()',
    'print(f"{x!r:>10}")', 'a = b if c else d', 'x = 0x1f + 1e-3 + 1_000j', '', '   ', '\t', 'with open(p) as fh: data = fh.read()', 'w = (1,\n 2)', 'v = [\n 3]',
  ),
  plainText.map((t) => `# ${t}`),
  fc.tuple(stringLiteral(plainText), fc.constantFrom('', '  # tail')).map(([s, c]) => `s = ${s}${c}`),
  fc.tuple(stringLiteral(fc.constantFrom(...UNSAFE_CALLS)), plainText).map(([s, t]) => `doc = ${s}  # ${t}`),
  plainText.map((t) => `# ${t} ${UNSAFE_CALLS[t.length % UNSAFE_CALLS.length]}`),
);
const soup = fc.array(soupLine, { maxLength: 8 });

/** Pieces that matter to a Python tokenizer, mixed with anything at all. */
const hostilePiece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '\n', '\r\n', '\\\n', '\\', '#', "'", '"', "'''", '"""', 'r', 'b', 'f', 'rb', 'u', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '=', '**', '*',
      'import ', 'from ', ' as ', 'pickle', 'pickle.loads(', 'loads', 'yaml.load(', 'Loader=', 'torch.load(', 'weights_only=', 'True', 'False', 'np.load(',
      'allow_pickle=', 'class ', 'ｐｉｃｋｌｅ', '\u00e9', '😀', '\0', ' ', '\t', 'x', 'import pickle as p\n', 'from pickle import *\n', 'p.loads(', '\uFEFF',
    ),
  },
);
const hostileText = fc.array(hostilePiece, { maxLength: 50 }).map((p) => p.join(''));

// --- properties ---------------------------------------------------------------------------------

test('property: any text (any path kind, any added lines) scans without throwing; findings are on added lines', async () => {
  await fc.assert(
    fc.asyncProperty(hostileText, fc.constantFrom('app.py', 'tool.pyi', 'nb.ipynb'), fc.option(fc.array(fc.nat(30), { maxLength: 8 }), { nil: null }), async (text, path, addedList) => {
      const added = addedList === null ? undefined : new Set(addedList.map((n) => n + 1));
      const change = changeOf(path, text, added);
      const numbers = new Set(change.addedLines.map((l) => l.number));
      for (const f of await scan(change)) assert.ok(f.line !== null && numbers.has(f.line), `${f.rule.id} at line ${f.line}, not an added line`);
      // The tokenizer keeps line numbers in range and in order.
      const tokens = tokenize(text, 1);
      const lastLine = text.split('\n').length;
      tokens.forEach((t, i) => assert.ok(t.line >= 1 && t.line <= lastLine && (i === 0 || t.line >= tokens[i - 1].line), `token ${i} at line ${t.line}`));
    }),
    fuzzParams(500),
  );
});

test('property: notebooks with any cell source scan without throwing; findings are on added lines', async () => {
  const cell = fc.record({ cell_type: fc.constantFrom('code', 'markdown', 'raw'), source: fc.oneof(hostileText, fc.array(hostileText, { maxLength: 4 })) });
  await fc.assert(
    fc.asyncProperty(fc.array(cell, { maxLength: 4 }), fc.nat(3), async (cells, indent) => {
      const text = JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, indent);
      const change = changeOf('nb.ipynb', text);
      const numbers = new Set(change.addedLines.map((l) => l.number));
      for (const f of await scan(change)) assert.ok(f.line !== null && numbers.has(f.line), `${f.rule.id} at line ${f.line}`);
    }),
    fuzzParams(200),
  );
});

test('property (differential): an unsafe call is found as code, and never inside a comment or a string literal', async () => {
  const placement = fc.oneof(
    fc.constant((call: string) => `result = ${call}`),
    fc.constant((call: string) => call),
    fc.constant((call: string) => `    value = [${call}, 1]`),
    fc.constant((call: string) => `x = 1; y = ${call}`),
    fc.constant((call: string) => `s = '# not a comment'; y = ${call}`),
    fc.constant((call: string) => `s = "\\\\"; y = ${call}`),
  );
  const hidden = fc.oneof(
    fc.constant((call: string) => `# ${call}`),
    fc.constant((call: string) => `x = 1  # ${call}`),
    fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom("'", '"')).map(([p, q]) => (call: string) => `s = ${p}${q}${call}${q}`),
    fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom("'", '"')).map(([p, q]) => (call: string) => `f(${p}${q}\\${q}${call}${q}, 2)`),
    fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom("'''", '"""')).map(([p, q]) => (call: string) => `s = ${p}${q}\n${call}\n${q}`),
  );
  await fc.assert(
    fc.asyncProperty(soup, fc.constantFrom(...UNSAFE_CALLS), placement, hidden, soup, async (before, call, asCode, asHidden, after) => {
      const file = (line: string) => [...IMPORTS, ...before, line, ...after].join('\n') + '\n';
      const at = [...IMPORTS, ...before].join('\n').split('\n').length + 1;
      const code = file(asCode(call));
      const found = await scan(changeOf('app.py', code));
      assert.ok(found.some((f) => f.line === at && blocks(f)), `not found as code at line ${at}:\n${code}\n${summary(found)}`);
      assert.ok(found.every((f) => f.line === at), `a finding off the call's line:\n${code}\n${summary(found)}`);
      const text = file(asHidden(call));
      const quiet = await scan(changeOf('app.py', text));
      assert.deepEqual(summary(quiet), '', `found inside a comment or string:\n${text}`);
    }),
    fuzzParams(400),
  );
});

test('property: safe forms never block, wherever they sit among other code', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(soupLine, fc.constantFrom(...SAFE_CALLS).map((c) => `r = ${c}`)), { maxLength: 20 }), fc.boolean(), async (lines, crlf) => {
      const text = [...IMPORTS, ...lines].join(crlf ? '\r\n' : '\n') + '\n';
      const blocking = (await scan(changeOf('app.py', text))).filter(blocks);
      assert.deepEqual(summary(blocking), '', text);
    }),
    fuzzParams(300),
  );
});

test('findUnsafeCalls never reports a line outside the file on hostile shapes', () => {
  for (const text of ['f"' + '{x:'.repeat(5000) + '\npickle.loads(x)', 'f"{'.repeat(20_000) + '\npickle.loads(x)', 'pickle.loads(' + '('.repeat(100_000), '"""' + 'pickle.loads(x)\n'.repeat(10_000), `import pickle\n${'\\\n'.repeat(50_000)}pickle.loads(x)`, `import pickle as p\n${"'".repeat(99_999)}\np.loads(x)\n`]) {
    const hits = findUnsafeCalls(text, false) ?? [];
    const last = text.split('\n').length;
    for (const h of hits) assert.ok(h.firstLine >= 1 && h.firstLine <= h.lastLine && h.lastLine <= last, JSON.stringify(h));
  }
});

// --- f-strings: a replacement field is code, the text around it is not ------------------------

/** Each blocks at its `.load`: a call in a field of an f-string (or a t-string) runs when the string is made. */
const IN_FIELDS = [
  'print(f"{pickle.loads(data)}")',
  "msg = F'value: {pickle.loads(data)!r:>20}'",
  'msg = rf"{pickle.loads(data)}\\d"',
  'msg = f"""{\n    pickle.loads(data)\n}"""',
  // Python 3.12: a field may span lines in a single-quoted f-string, reuse its quote, and nest.
  'msg = f"{\n    pickle.loads(data)\n}"',
  'msg = f"{pickle.loads(b"raw")}"',
  `msg = f"{f'{pickle.loads(data)}'}"`,
  'msg = f"{width:{pickle.loads(data)}}"',
  'msg = f"\\N{BULLET} {pickle.loads(data)}"',
  'msg = f"\\{pickle.loads(data)}"',
  'msg = t"{pickle.loads(data)}"',
  'msg = rf"\\N{pickle.loads(data)}"',
  // `\}` ends a spec (the backslash is text), so `{{` after it is text and `#\` a comment (3.8-3.13).
  'path = f"{datetime.date.today():%Y\\}{{"#\\\nprint(pickle.loads(data))',
  // Python 3.12: a single-quoted f-string's spec may go on to the next line.
  'stamp = f"{datetime.date.today():%Y\n}"#\\\nprint(pickle.loads(data))',
  'show(f"{x}", f"{yaml.load(text)}")',
  // A spec's `{{` after a field opens a field in Python 3.8-3.12 (a set) and is text in 3.13. Each
  // of these runs the call in one of them (checked with CPython's ast): both readings are kept.
  'msg = f"{q:{zz}{{pickle.loads(data)}}}"',
  `x = f"{q:{zz}{{"'''"}}}"\npickle.loads(data)\ny = "'''"`,
  'def show(q, zz):\n    return f"""{q:{zz}{{}"""\nprint(pickle.loads(data))',
  "x = rf'{x:{y}{zz}}{(v:=(lambda v: '''}''')(1)):{zz}{{}{((v:=y) # c }\n)}{(v:='''\\N{BULLET}''')!r}'\npickle.loads(data)",
  // A backslash before CRLF continues a string's line: the string ends on the next line, before the call.
  'x = "a\\\r\n" ; pickle.loads(data) ; y = ""',
  // 149 nested f-strings (Python refuses 150): around the call, and before a call on the next line.
  `msg = ${'f"{'.repeat(149)}pickle.loads(data)${'}"'.repeat(149)}`,
  `msg = ${'f"{'.repeat(149)}'''"'''${'}"'.repeat(149)}\npickle.loads(data)`,
];

/** Never block: the call is the string's text (escaped braces, a spec, a name escape, a string or a comment in a field), or the string has no fields. */
const NOT_IN_FIELDS = [
  'msg = f"{{pickle.loads(data)}}"',
  'msg = f"pickle.loads(data) {x}"',
  'msg = "{pickle.loads(data)}"',
  'msg = b"{pickle.loads(data)}"',
  'msg = r"{pickle.loads(data)}"',
  'msg = f"{x:pickle.loads(data)}"',
  'msg = f"{x!r} pickle.loads(data)"',
  `msg = f"{'pickle.loads(data)'}"`,
  'msg = f"""{x  # pickle.loads(data)\n}"""',
  'msg = f"\\N{pickle.loads(data)}"',
  'msg = f"{yaml.safe_load(text)}"',
  'msg = f"{a != b} pickle.loads(data)"',
  // A spec's field is not the field's argument list: nothing is called here.
  'msg = f"{torch.load:{width}}"',
  'msg = f"{x:>3} {{pickle.loads(data)}}"',
  // `\N{…}` in a spec is a character's name, not a field.
  'from pickle import loads as BULLET\nmsg = f"{y:\\N{BULLET}}"',
];

test("a call in an f-string replacement field is found; the string's text around its fields is not", async () => {
  for (const code of IN_FIELDS) {
    const found = await scan(changeOf('app.py', `${IMPORTS.join('\n')}\n${code}\n`));
    const line = IMPORTS.length + code.slice(0, code.indexOf('.load')).split('\n').length;
    assert.ok(found.some((f) => blocks(f) && f.line === line), `${JSON.stringify(code)} blocks on line ${line}; gave: ${summary(found) || 'nothing'}`);
  }
  for (const code of NOT_IN_FIELDS) {
    const found = (await scan(changeOf('app.py', `${IMPORTS.join('\n')}\n${code}\nz = 1\n`))).filter(blocks);
    assert.equal(summary(found), '', JSON.stringify(code));
  }
});

const FIELD_PREFIXES = ['f', 'F', 'rf', 'fR', 'Rf', 'FR', 't', 'rT', 'Tr'];

test('property: an unsafe call in any f-string field is found; in `{{ }}` or beside the fields never', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...FIELD_PREFIXES),
      fc.constantFrom(...QUOTES),
      fc.constantFrom(...UNSAFE_CALLS),
      plainText,
      fc.constantFrom('', '!r', ':>10', '!s:{width}', '='),
      async (prefix, quote, call, text, tail) => {
        const field = `x = ${prefix}${quote}${text}{${call}${tail}}${text}${quote}`;
        const found = (await scan(changeOf('app.py', `${IMPORTS.join('\n')}\n${field}\n`))).filter(blocks);
        assert.ok(found.some((f) => f.line === IMPORTS.length + 1), `${field}: ${summary(found) || 'nothing'}`);
        const escaped = `x = ${prefix}${quote}${text}{{${call}}} ${call} {y${tail}}${quote}`;
        assert.equal(summary((await scan(changeOf('app.py', `${IMPORTS.join('\n')}\n${escaped}\n`))).filter(blocks)), '', escaped);
      },
    ),
    fuzzParams(300),
  );
});

test('a text Python versions read differently is read both ways: every call either reading finds, each as often as the reading that finds more', () => {
  // CPython 3.13 runs three calls on line 2 (3.12 refuses the line): two in the fields of the
  // f-string, whose spec's `{{` after a field is text to 3.13, and one after it.
  const text = "import pickle\nx = fR'''{(lambda v: [u'''''' != pickle.loads(b)][0:1])(1):{pickle.loads(b)}{{}{\"\"\"\\N{BULLET}\"\"\"!s}''' + pickle.loads(c)\npickle.loads(d)\n";
  const lines = (findUnsafeCalls(text, false) ?? []).map((hit) => hit.firstLine);
  assert.deepEqual(lines, [2, 2, 2, 3]);
  // Without such a `{{`, one reading: the same call twice on a line is two hits, not merged.
  assert.deepEqual((findUnsafeCalls('import pickle\nx = f"{pickle.loads(b)}{pickle.loads(b)}"\n', false) ?? []).map((hit) => hit.firstLine), [2, 2]);
});
