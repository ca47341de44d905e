// The deserialization rule reads a changed Python file whole and asks whether it spells a module
// word, also once NFKC-normalised (Python normalises identifiers). The non-ASCII check behind the
// normalisation is made on the blob's bytes (node's isAscii); the answers must be those of the
// text's: a word spelled in full-width letters on an old line is still found, through a real push.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';

const fullwidth = (word: string) => String.fromCodePoint(...[...word].map((c) => c.codePointAt(0)! - 0x61 + 0xff41));

test('a push: a module imported in full-width letters on an old line, called on a new one, is refused', () => {
  const bare = Repo.init({ bare: true }).installPreReceiveHook();
  const client = Repo.init({ env: bare.env });
  const wide = fullwidth('pickle');
  // The call's line names the module only through an alias, in ASCII: the import's line, not
  // added by the second commit, is what makes `p` pickle (read from the whole blob).
  client.commitUnchecked({ 'wide.py': `import ${wide} as p\n\n\ndef f(b):\n    return b\n` }, 'import');
  client.commitUnchecked({ 'wide.py': `import ${wide} as p\n\n\ndef f(b):\n    return p.loads(b)\n`, 'plain.py': 'import json\nx = json.loads(s)\n' }, 'call');
  // And an ASCII file whose import is on an old line (the blob read whole, no normalisation).
  client.commitUnchecked({ 'ascii.py': 'import marshal as m\n\n\ndef g(b):\n    return b\n' }, 'ascii import');
  client.commitUnchecked({ 'ascii.py': 'import marshal as m\n\n\ndef g(b):\n    return m.loads(b)\n' }, 'ascii call');
  const run = client.git(['push', bare.dir, 'HEAD:refs/heads/main'], { allowFail: true });
  assert.notEqual(run.code, 0, 'the push is refused');
  assert.match(run.stderr, /deserialization\.pickle[\s\S]*wide\.py:5|wide\.py:5[\s\S]*deserialization\.pickle/);
  assert.match(run.stderr, /deserialization\.marshal[\s\S]*ascii\.py:5|ascii\.py:5[\s\S]*deserialization\.marshal/);
  assert.doesNotMatch(run.stderr, /plain\.py/);
});
