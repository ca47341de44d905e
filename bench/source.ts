// Generated text shaped like what people commit: Python packages (module docstrings, imports,
// classes, typed functions with docstrings, logging, f-strings, tests), docs and config; a minified
// JSON API dump on one line; NDJSON logs; a pip-compile lock file with hashes. Deterministic (seeded),
// never random noise: the rules' pre-checks see the keywords, quotes and `=` of real files.
import { Text } from './generate.ts';

const NOUNS = 'order user session account invoice payment product cart shipment report token request response cache queue event record template view route blueprint config secret key client'.split(' ');
const VERBS = 'get load save update delete create build parse render validate refresh dispatch register resolve fetch send open close'.split(' ');
const TYPES = ['str', 'int', 'float', 'bool', 'dict[str, Any]', 'list[str]', 'bytes', 'Optional[str]'];
const STDLIB = ['os', 'sys', 'json', 're', 'time', 'typing', 'functools', 'itertools', 'hashlib', 'datetime', 'pathlib', 'urllib.parse', 'dataclasses', 'contextlib', 'collections'];
const WORDS = 'the a value is returned when if not this for each of given and to be used by default with an optional'.split(' ');

const snake = (...parts: string[]) => parts.join('_');
const camel = (...parts: string[]) => parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');

export class Source {
  constructor(private readonly t: Text) {}

  private noun(): string {
    return this.t.pick(NOUNS);
  }

  sentence(words = 8): string {
    const out = Array.from({ length: 3 + this.t.int(words) }, () => this.t.pick([...WORDS, ...NOUNS]));
    return `${out.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  }

  private docstring(indent: string, args: string[]): string[] {
    const lines = [`${indent}"""${this.sentence()}`, ''];
    if (this.t.int(2)) lines.push(`${indent}${this.sentence(14)}`, '');
    if (args.length) {
      lines.push(`${indent}:param ${args[0]}: ${this.sentence(6)}`);
      for (const a of args.slice(1)) lines.push(`${indent}:param ${a}: ${this.sentence(6)}`);
    }
    lines.push(`${indent}:return: ${this.sentence(5)}`, `${indent}"""`);
    return lines;
  }

  private statement(indent: string, names: string[]): string {
    const a = this.t.pick(names);
    const n = this.noun();
    switch (this.t.int(12)) {
      case 0: return `${indent}${n} = self.${snake(this.t.pick(VERBS), n)}(${a})`;
      case 1: return `${indent}logger.debug("%s ${n} for %r", ${a}, self.name)`;
      case 2: return `${indent}${n}s = [x for x in ${a} if x is not None]`;
      case 3: return `${indent}if ${a} is None:\n${indent}    raise ValueError(f"missing ${n}: {${a}!r}")`;
      case 4: return `${indent}${n}_url = f"{self.base_url}/${n}s/{${a}}"`;
      case 5: return `${indent}result[${JSON.stringify(n)}] = ${a}.get(${JSON.stringify(this.noun())}, ${this.t.int(100)})`;
      case 6: return `${indent}for key, value in ${a}.items():\n${indent}    setattr(self, key, value)`;
      case 7: return `${indent}try:\n${indent}    ${n} = json.loads(${a})\n${indent}except json.JSONDecodeError as exc:\n${indent}    raise ${camel(n)}Error(str(exc)) from exc`;
      case 8: return `${indent}self.${n}_count += len(${a})`;
      case 9: return `${indent}headers = {"Content-Type": "application/json", "X-Request-Id": request_id}`;
      case 10: return `${indent}${snake(n, 'password')} = config.get(${JSON.stringify(snake(n, 'PASSWORD').toUpperCase())})`;
      default: return `${indent}${n}_id = ${a}.id if ${a} else None`;
    }
  }

  private func(indent: string, method: boolean): string[] {
    const name = snake(this.t.pick(VERBS), this.noun());
    const args = Array.from({ length: 1 + this.t.int(3) }, () => this.noun()).filter((v, i, a) => a.indexOf(v) === i);
    const params = args.map((a) => `${a}: ${this.t.pick(TYPES)}`);
    const lines = [`${indent}def ${name}(${[...(method ? ['self'] : []), ...params].join(', ')}) -> ${this.t.pick(TYPES)}:`];
    lines.push(...this.docstring(`${indent}    `, args));
    const body = 3 + this.t.int(8);
    for (let i = 0; i < body; i++) lines.push(this.statement(`${indent}    `, args));
    lines.push(`${indent}    return ${args[0]}`, '');
    return lines;
  }

  /** A Python module of about `lines` lines. */
  module(pkg: string, lines: number): string {
    const out = [`"""${this.sentence()}`, '', this.sentence(16), '"""', 'from __future__ import annotations', '', 'import logging'];
    for (let i = 0; i < 3 + this.t.int(4); i++) out.push(`import ${this.t.pick(STDLIB)}`);
    out.push('from typing import Any, Optional', `from .${this.noun()}s import ${camel(this.noun())}, ${camel(this.noun())}Error`, `from ${pkg}.helpers import ${snake(this.t.pick(VERBS), this.noun())}`, '');
    out.push('logger = logging.getLogger(__name__)', `DEFAULT_TIMEOUT = ${this.t.int(60)}`, `API_BASE = "https://api.example.com/v${this.t.int(4)}"`, '');
    while (out.length < lines) {
      if (this.t.int(3)) {
        const cls = camel(this.noun(), this.t.pick(['Client', 'Manager', 'Store', 'View', 'Handler']));
        out.push('', `class ${cls}:`, `    """${this.sentence()}"""`, '');
        out.push(`    def __init__(self, name: str, base_url: str = API_BASE, timeout: float = DEFAULT_TIMEOUT) -> None:`);
        out.push('        self.name = name', '        self.base_url = base_url', '        self.timeout = timeout', `        self.${this.noun()}_count = 0`, '');
        for (let m = 0; m < 2 + this.t.int(3) && out.length < lines; m++) out.push(...this.func('    ', true));
      } else {
        out.push('', ...this.func('', false));
      }
    }
    return `${out.join('\n')}\n`;
  }

  /** A pytest file of about `lines` lines. */
  tests(pkg: string, lines: number): string {
    const out = ['import pytest', '', `from ${pkg}.${this.noun()}s import ${camel(this.noun(), 'Client')}`, ''];
    out.push('@pytest.fixture', 'def client(app):', '    return app.test_client()', '');
    while (out.length < lines) {
      const n = this.noun();
      if (this.t.int(3) === 0) out.push(`@pytest.mark.parametrize(("${n}", "expected"), [("a", 1), ("b", ${this.t.int(9)}), (None, 0)])`);
      out.push(`def test_${snake(this.t.pick(VERBS), n)}(client, ${n}=None):`);
      out.push(`    rv = client.get("/${n}s/${this.t.int(999)}")`, `    assert rv.status_code == ${this.t.pick([200, 201, 404, 400])}`);
      out.push(`    assert rv.json["${this.noun()}"] == ${JSON.stringify(this.noun())}`, `    assert b"${n}" in rv.data`, '');
    }
    return `${out.join('\n')}\n`;
  }

  /** reStructuredText docs of about `lines` lines. */
  docs(lines: number): string {
    const out: string[] = [];
    while (out.length < lines) {
      const title = camel(this.noun(), this.noun());
      out.push(title, '='.repeat(title.length), '', this.sentence(20), this.sentence(20), '', '.. code-block:: python', '');
      out.push(`    from app import ${camel(this.noun())}`, `    ${this.noun()} = ${camel(this.noun())}(timeout=${this.t.int(30)})`, '');
    }
    return `${out.join('\n')}\n`;
  }

  /** A YAML or TOML configuration file of about `lines` lines. */
  config(kind: 'yaml' | 'toml', lines: number): string {
    const out: string[] = [];
    while (out.length < lines) {
      const section = this.noun();
      out.push(kind === 'yaml' ? `${section}:` : `[${section}]`);
      for (let i = 0; i < 4 && out.length < lines; i++) {
        const key = snake(this.noun(), this.t.pick(['url', 'timeout', 'enabled', 'name', 'path', 'retries']));
        const value = this.t.pick([String(this.t.int(100)), 'true', `"${this.noun()}-${this.t.int(9)}"`, `"https://${this.noun()}.example.org/"`]);
        out.push(kind === 'yaml' ? `  ${key}: ${value}` : `${key} = ${value}`);
      }
      out.push('');
    }
    return `${out.join('\n')}\n`;
  }

  /** One record of a JSON API dump (no newline inside). */
  apiRecord(i: number): string {
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[this.t.int(16)]).join('');
    return JSON.stringify({
      id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      type: this.noun(),
      attributes: {
        created_at: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
        status: this.t.pick(['pending', 'shipped', 'cancelled', 'delivered']),
        total: this.t.int(100000) / 100,
        description: this.sentence(12),
        items: Array.from({ length: 1 + this.t.int(3) }, () => ({ sku: `SKU-${this.t.int(99999)}`, qty: 1 + this.t.int(5), price: this.t.int(9999) / 100 })),
        customer: { name: camel(this.noun(), this.noun()), email: `${this.noun()}${this.t.int(9999)}@example.com` },
      },
      links: { self: `https://api.example.com/v2/${this.noun()}s/${i}` },
    });
  }

  /** One NDJSON log line (with its newline). */
  logRecord(i: number): string {
    return `${JSON.stringify({
      ts: `2024-05-${String(1 + (i % 28)).padStart(2, '0')}T12:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`,
      level: this.t.pick(['info', 'info', 'info', 'warn', 'debug', 'error']),
      event: `${this.noun()}.${this.t.pick(VERBS)}`,
      user_id: this.t.int(1e6),
      path: `/api/v1/${this.noun()}s/${this.t.int(99999)}`,
      status: this.t.pick([200, 200, 201, 204, 400, 404, 500]),
      duration_ms: this.t.int(50000) / 100,
      ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
      msg: this.sentence(10),
    })}\n`;
  }

  /**
   * A pip-compile lock file with hashes of about `bytes` bytes: ranked project names (from the
   * bundled ranking), one in twenty an internal name nobody ranks, 2–16 hashes each, `# via` lines.
   */
  lockFile(rankedNames: readonly string[], bytes: number): string {
    const hex = () => Array.from({ length: 64 }, () => '0123456789abcdef'[this.t.int(16)]).join('');
    const out = ['#', '# This file is autogenerated by pip-compile with Python 3.12', '# by the following command:', '#', '#    pip-compile --generate-hashes requirements.in', '#'];
    let size = out.join('\n').length;
    for (let i = 0; size < bytes; i++) {
      const name = i % 20 === 19 ? `acme-${this.noun()}-${this.t.pick(VERBS)}-${i}` : rankedNames[(i * 7919) % rankedNames.length]!;
      const entry = [`${name}==${this.t.int(5)}.${this.t.int(30)}.${this.t.int(12)} \\`];
      const hashes = 2 + this.t.int(15);
      for (let h = 0; h < hashes; h++) entry.push(`    --hash=sha256:${hex()}${h < hashes - 1 ? ' \\' : ''}`);
      entry.push('    # via', `    #   ${this.t.pick(['-r requirements.in', rankedNames[this.t.int(rankedNames.length)]!])}`);
      out.push(...entry);
      size += entry.join('\n').length + 1;
    }
    return `${out.join('\n')}\n`;
  }
}
