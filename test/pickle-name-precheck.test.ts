import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PICKLE_NAME_PATTERNS, mayHavePickleName } from '../src/rules/pickle/detector.ts';
import { isEnvFile } from '../src/rules/files/names.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The string pre-checks stand in front of the name patterns: whatever a pattern accepts, the
// pre-check must let through (it may let through more; the pattern then decides).
const pieces = ['pkl', 'PKL', 'Pkl2', 'pickle', 'pck', 'pcl', 'joblib', 'dill', 'gz', 'Z', 'zlib', 'bz2', 'xz', 'lz4', 'pt', 'pth', 'ckpt', 'bin', 'p',
  'sav', 'npy', 'npz', 'model', 'mar', 'pt2', 'pytorch_model', 'env', 'ENV', 'example', 'txt', 'py', 'v2', 'a-b', 'x', '', 'K', '\u212a', 'ſ', 'İ'];
const path = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('.', '/', '_', '-'), fc.string({ maxLength: 3 })), { maxLength: 10 }).map((xs) => xs.join(''));

test('property: every path a pickle name pattern accepts passes the string pre-check', () => {
  fc.assert(
    fc.property(path, (p) => {
      if (PICKLE_NAME_PATTERNS.some((r) => r.test(p))) assert.ok(mayHavePickleName(p), p);
    }),
    fuzzParams(5000),
  );
  for (const p of ['model.pkl', 'a/B.PKL.GZ', 'w.pkl3', 'x.pt', 'm/pytorch_model-00001.bin', 'data.pkl.v2', '.pkl']) assert.ok(mayHavePickleName(p) && PICKLE_NAME_PATTERNS.some((r) => r.test(p)), p);
  for (const p of ['app/models.py', 'config/settings.yaml', 'pkl', 'README']) assert.equal(mayHavePickleName(p), false, p);
});

test('property: .env names are told the same with the ".env" pre-check', () => {
  const plain = (p: string) => {
    const name = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
    if (/\.(example|examples|sample|samples|template|templates|tmpl|tpl|dist|defaults?|schema|in|j2|jinja|jinja2|md|txt|vault|enc|encrypted|gpg|age|sops)$/i.test(name) || /(^|[._-])(example|sample|template)([._-]|$)/.test(name)) return false;
    if (name === '.env' || name.startsWith('.env.')) return true;
    return /^[^.][^/]*\.env$/.test(name);
  };
  fc.assert(fc.property(path, (p) => assert.equal(isEnvFile(p), plain(p), p)), fuzzParams(5000));
});
