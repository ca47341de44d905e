import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configFromTable, parseConfigText } from '../src/config/load.ts';
import { ConfigError } from '../src/engine/errors.ts';
import { Repo } from './helpers/git.ts';
import { fuzzParams } from './helpers/fuzz.ts';

/** Either a config or a ConfigError naming the file: nothing else may come out of the loader. */
function loadsOrRefuses(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `not a ConfigError: ${(error as Error)?.stack ?? String(error)}`);
    assert.match((error as Error).message, /^config fuzz\.toml: /);
  }
}

const KEYS = ['exclude', 'allow-values', 'allow-patterns', 'allow-fingerprints', 'inline-allow', 'rules', 'limits', 'max-file-bytes', 'max-line-length', 'max-push-bytes', 'timeout-seconds', '__proto__', 'constructor', 'tool', 'gitward', 'x'];
const tomlValue = fc.oneof(
  fc.constantFrom('true', '1', '-1', '0', '1e400', 'nan', 'inf', '"["', '"(a+)+$"', '"**"', '[]', '[1, "a"]', '{}', '1979-05-27T07:32:00Z', '"block"', '"off"', '9007199254740993'),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
);
const tomlLine = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), tomlValue).map(([k, v]) => `"${k}" = ${v}`),
  fc.constantFrom(...KEYS).map((k) => `[${k}]`),
  fc.constantFrom('[tool.gitward]', '[tool.gitward.limits]', '[rules]', '[limits]', '[[exclude]]', '"secret.x" = "warn"'),
  fc.string({ maxLength: 30 }),
);

test('property: any config text is either loaded or refused with a ConfigError naming the file', () => {
  fc.assert(
    fc.property(fc.array(tomlLine, { maxLength: 12 }), fc.boolean(), (lines, pyproject) => {
      loadsOrRefuses(() => parseConfigText(lines.join('\n'), 'fuzz.toml', pyproject));
    }),
    fuzzParams(1000),
  );
});

test('property: any table shape is either a config or a ConfigError; limits stay positive whole numbers', () => {
  const value = fc.jsonValue({ maxDepth: 3 });
  const table = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(value, fc.dictionary(fc.constantFrom(...KEYS), value)));
  fc.assert(
    fc.property(table, (t) => {
      try {
        const config = configFromTable(t as Record<string, unknown>, 'fuzz.toml');
        for (const n of Object.values(config.limits)) assert.ok(Number.isInteger(n) && n >= 0, `bad limit ${n}`);
        assert.equal(Object.getPrototypeOf(config.rules), Object.prototype);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
      }
    }),
    fuzzParams(1000),
  );
});

test('a hostile config in the repository is refused through the CLI with exit 2 and one clear message', () => {
  const repo = Repo.init();
  for (const text of ['[limits]\nmax-line-length = -5\n', '[limits]\nmax-push-bytes = "lots"\n', 'allow-patterns = ["("]\n', '= = =\n', '[limits]\nno-such = 1\n']) {
    repo.write({ '.gitward.toml': text, 'a.txt': 'x\n' });
    repo.git(['add', 'a.txt']);
    const run = repo.gitward(['scan']);
    assert.equal(run.code, 2, run.output);
    assert.match(run.stderr, /gitward: error: config \.gitward\.toml: /);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
});
