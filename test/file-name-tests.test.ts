import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultConfig } from '../src/config/types.ts';
import { asciiLowerCase, nameEndsWith } from '../src/engine/file-names.ts';
import { isNotebook } from '../src/rules/deserialization/module-words.ts';
import { byName } from '../src/rules/files/detector.ts';
import { isVersionFile } from '../src/rules/python-version/detector.ts';
import { DEFAULT_FILES_PATTERN, isRequirementsFile } from '../src/rules/requirements/config.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The string tests that replaced case-insensitive name patterns (src/engine/file-names.ts) tell
// every path as the patterns did. The patterns are written here as they were in the detectors.
const pieces = [
  '.python-version', '.Python-Version', 'runtime.txt', 'RUNTIME.TXT', '.tool-versions', 'pyproject.toml', 'PyProject.TOML', 'Containerfile',
  'Dockerfile', 'dockerfile', 'DOCKERFILE', '.dockerfile', '.Dockerfile', 'requirements', 'Requirements', 'constraints', 'CONSTRAINTS', '.txt', '.TXT',
  '.py', '.PY', '.pyw', '.pyi', '.ipynb', '.IPyNB', '.p12', '.PFX', '.jks', '.keystore', '.jceks', '.bks', '.kdbx', '.pem', '.KEY', '.ppk', '.asc',
  '.gpg', '.pgp', '.der', '.tfstate', '.TFState', '.backup', '_rsa', '_ed25519', 'id', 'py', 'txt', 'key', 'x', '',
  // Characters whose lower or upper case is an ASCII letter: a `/i` pattern without `u` never matches them with one.
  '\u212a', '\u212b', 'ſ', 'İ', 'ı', 'ﬀ',
];
const path = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('.', '/', '_', '-', '\n'), fc.string({ maxLength: 3 })), { maxLength: 8 })
  .map((xs) => xs.join(''));

const VERSION_FILES = /(?:^|\/)(?:\.python-version|runtime\.txt|\.tool-versions|pyproject\.toml|Containerfile|Dockerfile(?:\.[^/]*)?|[^/]*\.dockerfile)$/i;
const PYTHON_FILE = /\.(py|pyw|pyi|ipynb)$/i;
const NOTEBOOK = /\.ipynb$/i;
const KEYSTORE_EXT = /\.(p12|pfx|jks|keystore|jceks|bks|kdbx)$/i;
const KEY_EXT = /\.(pem|key|ppk|asc|gpg|pgp|der)$/i;
const TFSTATE = /\.tfstate(\.backup)?$/i;
const REQUIREMENTS = /(?:^|\/)(?:requirements[^/]*\.txt|[^/]*requirements\.txt|requirements\/[^/]*\.txt|constraints[^/]*\.txt)$/i;

/** The kind byName gave with the patterns (its other tests are by set and by exact name, unchanged). */
function kindByPatterns(path: string): string | null {
  const lower = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (KEYSTORE_EXT.test(lower)) return 'keystore';
  if (TFSTATE.test(lower)) return 'terraform-state';
  if (KEY_EXT.test(lower) || lower.endsWith('_rsa') || lower.endsWith('_ed25519')) return 'check-key-content';
  return null;
}
/** byName's answer in kindByPatterns's words; undefined where an earlier test (key and credential names, .npmrc) decided. */
function kindByName(path: string): string | null | undefined {
  const kind = byName(path);
  if (kind === null || kind === 'check-key-content') return kind;
  if (kind === 'check-npmrc') return undefined;
  if (kind.id.endsWith('keystore')) return 'keystore';
  if (kind.id.endsWith('terraform-state')) return 'terraform-state';
  return undefined;
}

test('property: the name tests accept exactly the paths the case-insensitive patterns did', () => {
  const config = defaultConfig();
  fc.assert(
    fc.property(path, (p) => {
      assert.equal(isVersionFile(p), VERSION_FILES.test(p), `version file: ${JSON.stringify(p)}`);
      assert.equal(nameEndsWith(p, ['.py', '.pyw', '.pyi', '.ipynb']), PYTHON_FILE.test(p), `python file: ${JSON.stringify(p)}`);
      assert.equal(isNotebook(p), NOTEBOOK.test(p), `notebook: ${JSON.stringify(p)}`);
      assert.equal(isRequirementsFile(p, config), REQUIREMENTS.test(p), `requirements file: ${JSON.stringify(p)}`);
      const kind = kindByName(p);
      if (kind !== undefined) assert.equal(kind, kindByPatterns(p), `sensitive name: ${JSON.stringify(p)}`);
    }),
    fuzzParams(20000),
  );
  assert.equal(DEFAULT_FILES_PATTERN.source, REQUIREMENTS.source);
});

test('the name tests on names each pattern accepts and look-alikes it does not', () => {
  for (const p of ['.python-version', 'svc/Dockerfile', 'Dockerfile.prod', 'api.dockerfile', 'a/PYPROJECT.TOML', 'runtime.txt', 'Containerfile']) assert.ok(isVersionFile(p), p);
  for (const p of ['python-version', 'Dockerfile/x', 'dockerfile-old', 'my-dockerfile', 'runtime.txt.bak', 'pyproject.toml.orig', 'doc\u212aerfile']) assert.equal(isVersionFile(p), false, p);
  for (const p of ['app/models.py', 'x.PYI', 'n.ipynb']) assert.ok(nameEndsWith(p, ['.py', '.pyw', '.pyi', '.ipynb']), p);
  for (const p of ['app/models.pyc', 'py', 'a.py/readme', 'x.p\u0130']) assert.equal(nameEndsWith(p, ['.py', '.pyw', '.pyi', '.ipynb']), false, p);
  assert.equal(asciiLowerCase('AbC-\u212a\u0130z'), 'abc-\u212a\u0130z');
  assert.equal(asciiLowerCase('plain'), 'plain');
});
