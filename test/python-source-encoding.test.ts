// Python decodes a source file with the encoding it declares (PEP 263) before running it; the
// deserialization rule reads what Python reads (src/rules/python/source-encoding.ts): a declared
// encoding is decoded, and one gitward cannot decode as Python does is a finding of its own. Each
// source below was checked with CPython 3.12's ast. Through the real CLI on real repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredEncoding, pythonSourceText } from '../src/rules/python/source-encoding.ts';
import { Repo } from './helpers/git.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

test('the declaration is read where CPython reads it: line 1, or line 2 after a blank or comment line', () => {
  assert.deepEqual(declaredEncoding(bytes('# -*- coding: latin-1 -*-\nx = 1\n')), { name: 'latin-1', line: 1 });
  assert.deepEqual(declaredEncoding(bytes('#!/usr/bin/env python\n# vim: set fileencoding=utf-7 :\n')), { name: 'utf-7', line: 2 });
  assert.deepEqual(declaredEncoding(bytes('\r\n# coding=cp037\r\n')), { name: 'cp037', line: 2 });
  assert.equal(declaredEncoding(bytes('x = 1\n# coding: utf-7\n')), null, 'after a line of code: not a declaration');
  assert.equal(declaredEncoding(bytes('#\n#\n# coding: utf-7\n')), null, 'line 3: not a declaration');
  assert.equal(declaredEncoding(bytes('s = "coding: utf-7"\n')), null, 'not a comment');
  // A lone CR ends a line to Python; a line has no length limit.
  assert.deepEqual(declaredEncoding(bytes('#!/usr/bin/python\r# coding: utf-7\rx\n')), { name: 'utf-7', line: 2 });
  assert.deepEqual(declaredEncoding(bytes(`#${' '.repeat(5000)}coding: utf-7\n`)), { name: 'utf-7', line: 1 });
});

test('the text Python reads: UTF-8 (a byte order mark left out), Latin-1, cp1252, ASCII under any ASCII-based codec, and what cannot be read', () => {
  assert.deepEqual(pythonSourceText(Buffer.from('\ufeffimport pickle\n')), { text: 'import pickle\n', utf8: true });
  assert.deepEqual(pythonSourceText(bytes('# coding: UTF_8\nx\n')), { text: '# coding: UTF_8\nx\n', utf8: true });
  assert.deepEqual(pythonSourceText(bytes('# coding: latin-1\nlo\xaads\n')), { text: '# coding: latin-1\nlo\u00aads\n', utf8: false });
  assert.deepEqual(pythonSourceText(bytes('# coding: cp1252\nx\x8a = 1\n')), { text: '# coding: cp1252\nx\u0160 = 1\n', utf8: false });
  for (const name of ['shift_jis', 'cp932', 'euc-jp', 'gbk', 'big5', 'mac-roman', 'cp850', 'koi8_r', 'iso-2022-jp', 'latin9', 'mbcs']) {
    const ascii = `# coding: ${name}\nimport json\n`;
    assert.deepEqual(pythonSourceText(bytes(ascii)), { text: ascii, utf8: false }, `${name}, ASCII only`);
  }
  // Past ASCII (a multibyte sequence may hold an ASCII byte: 0x81 0x5C is one character, not a backslash), or an ISO-2022 escape: not read.
  assert.deepEqual(pythonSourceText(bytes('# coding: cp932\ns = "\x81\\"\n')), { unreadable: { name: 'cp932', line: 1 }, severity: 'block' });
  assert.deepEqual(pythonSourceText(bytes('# coding: iso-2022-jp\nx = 1 \x1b(B\n')), { unreadable: { name: 'iso-2022-jp', line: 1 }, severity: 'block' });
  for (const name of ['utf-7', 'unicode_escape', 'raw_unicode_escape', 'cp037', 'cp875', 'hz', 'punycode']) {
    assert.deepEqual(pythonSourceText(bytes(`# coding: ${name}\n`)), { unreadable: { name, line: 1 }, severity: 'block' }, name);
  }
  // A single-byte code page past ASCII: only a name can change (ISO-8859-15's 0xA6 is the letter Š): a warning.
  assert.deepEqual(pythonSourceText(bytes('# coding: iso-8859-15\n# caf\xe9\n')), { unreadable: { name: 'iso-8859-15', line: 1 }, severity: 'warn' });
});

/** Python that runs pickle.loads once decoded as declared (line 3 of each). */
const HIDDEN: Record<string, Buffer> = {
  'utf7.py': bytes('# coding: utf-7\nimport pickle\nx = +AHA-ickle.loads(b)\n'),
  'escaped.py': bytes('# coding: unicode_escape\nimport pickle\nx = \\x70ickle.loads(b)\n'),
  'latin.py': bytes('# -*- coding: latin-1 -*-\nimport pickle\nx = pickle.lo\xaads(b)\n'),
  'bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('import pickle as p\n\nx = p.loads(b)\n')]),
  // Lines ended by CR alone: one line to git, four to Python, whose second declares utf-7.
  'lone-cr.py': bytes('#!/usr/bin/python\r# coding: utf-7\rimport pickle\rx = +AHA-ickle.loads(b)\r'),
};

test('code only a declared encoding reveals is found; a file it cannot decode is refused; look-alikes pass', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.write(HIDDEN);
  repo.git(['add', '-A']);
  const staged = repo.gitward(['scan', '--format', 'json']);
  assert.equal(staged.code, 1, staged.output);
  const found = (JSON.parse(staged.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings.map((f) => `${f.path}:${f.line} ${f.rule}`).sort();
  assert.deepEqual(found, ['bom.py:3 deserialization.pickle', 'escaped.py:1 deserialization.encoding', 'latin.py:3 deserialization.pickle', 'lone-cr.py:1 deserialization.encoding', 'utf7.py:1 deserialization.encoding']);
  const blocked = repo.git(['commit', '-q', '-m', 'hidden'], { allowFail: true });
  assert.equal(blocked.code, 1, blocked.output);
  assert.match(blocked.output, /deserialization\.encoding\s+utf7\.py:1/);
  // The history doors read the same.
  repo.git(['commit', '-q', '--no-verify', '-m', 'hidden']);
  const range = repo.gitward(['scan', '--range', 'HEAD~1..HEAD', '--format', 'json']);
  assert.deepEqual((JSON.parse(range.stdout) as { findings: { rule: string; path: string; line: number }[] }).findings.map((f) => `${f.path}:${f.line} ${f.rule}`).sort(), found);

  const clean = Repo.init().installPreCommitHook();
  clean.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  const run = clean.commit({
    'declared-utf8.py': '# -*- coding: utf-8 -*-\nimport json\nx = json.loads(b)\n',
    'declared-latin1.py': bytes('# coding: latin-1\n# caf\xe9\nimport json\n'),
    'declared-sjis.py': bytes('# coding: shift_jis\nimport yaml\nx = yaml.safe_load(s)\n'),
    'declared-cp1252.py': bytes('# coding: cp1252\n# \x93quoted\x94\nimport json\n'),
    'declared-mac.py': bytes('# -*- coding: mac-roman -*-\nimport json\n'),
    // Past ASCII in a single-byte code page: a warning, the commit goes in.
    'declared-koi8.py': bytes('# coding: koi8-r\n# \xf0\xd2\xc9\xd7\xc5\xd4\nimport json\n'),
    // Not a declaration to Python: after a line of code.
    'late.py': '"""Module."""\n# coding: utf-7\nimport json\n',
  });
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /deserialization\.encoding\s+declared-koi8\.py:1/);
  assert.doesNotMatch(run.output, /declared-(utf8|latin1|sjis|cp1252|mac)\.py|late\.py/);
});

test('a line added to a file in an encoding gitward cannot read is refused, though the declaration is old', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'tool.py': bytes('# coding: utf-7\nimport json\n') }, 'root');
  const run = repo.commit({ 'tool.py': bytes('# coding: utf-7\nimport json\nimport pickle\nx = +AHA-ickle.loads(b)\n') });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.encoding\s+tool\.py:3/);
});
