import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCodeFile, isLockFile, isMinified } from '../src/rules/secrets/file-kind.ts';

// The definitions the string tests must answer exactly as (they replaced these patterns).
const LOCK_FILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|Cargo\.lock|Gemfile\.lock|composer\.lock|go\.sum|uv\.lock|pdm\.lock|[^/]*\.lock)$/;
const CODE_FILE = /\.(?:py|pyi|js|mjs|cjs|ts|tsx|jsx|go|rb|java|kt|scala|cs|php|rs|swift|c|cc|cpp|h|hpp|ipynb|gs)$/i;
const MINIFIED = /\.min\.(?:js|css)$|\.map$|\.svg$/;

const names = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'go.sum', 'Cargo.lock', '.lock', 'lock', 'x.min.js', 'a.min.css', 'm.map', 'i.svg'];
const extensions = ['py', 'PY', 'Py', 'pyi', 'ipynb', 'IPYNB', 'kt', '\u212At', 'c', 'cc', 'cpp', 'ts', 'tsx', 'json', 'yaml', 'min', 'js', 'cſ', 'ſwift', 'go', 'gs', 'GS', 'h', 'hpp', 'txt', ''];
const piece = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(...extensions).map((e) => `.${e}`),
  fc.constantFrom('/', '.', 'a', 'dir/', '\n', 'İ'),
  fc.string({ maxLength: 4 }),
);

test('file kinds by plain string tests answer exactly what the patterns answer', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
      const path = parts.join('');
      assert.equal(isLockFile(path), LOCK_FILE.test(path), `lock ${JSON.stringify(path)}`);
      assert.equal(isCodeFile(path), CODE_FILE.test(path), `code ${JSON.stringify(path)}`);
      assert.equal(isMinified(path), MINIFIED.test(path), `minified ${JSON.stringify(path)}`);
    }),
    { numRuns: 20000 },
  );
  for (const name of names) for (const dir of ['', 'a/', 'a/b/']) assert.equal(isLockFile(dir + name), LOCK_FILE.test(dir + name), dir + name);
  for (const e of extensions) assert.equal(isCodeFile(`src/app.${e}`), CODE_FILE.test(`src/app.${e}`), e);
});
