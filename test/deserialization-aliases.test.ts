// jsonpickle's Unpickler, and YAML loaders imported under another name, through real commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';

function commit(code: string) {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'app/read.py': code });
  const committed = repo.git(['rev-list', '--all']).stdout.trim() !== '';
  return { run, committed };
}

test('jsonpickle.unpickler.Unpickler().restore(x) and jsonpickle.Unpickler are refused as unsafe calls', () => {
  for (const code of [
    'import jsonpickle.unpickler\n\ndef read(x):\n    return jsonpickle.unpickler.Unpickler().restore(x)\n',
    'import jsonpickle\n\ndef read(x):\n    return jsonpickle.Unpickler().restore(x)\n',
    'from jsonpickle.unpickler import Unpickler as U\n\ndef read(x):\n    return U().restore(x)\n',
    'from jsonpickle import Unpickler\nrestore = Unpickler(keys=True).restore\n',
  ]) {
    const { run, committed } = commit(code);
    assert.equal(run.code, 1, `${code}\n${run.output}`);
    assert.match(run.output, /deserialization\.jsonpickle/);
    assert.match(run.output, /Unpickler/);
    assert.equal(committed, false);
  }
  // jsonpickle's encoder (Pickler, encode) is not a deserializer.
  const ok = commit('import jsonpickle\n\ndef write(o):\n    return jsonpickle.encode(o) + str(jsonpickle.pickler.Pickler().flatten(o))\n');
  assert.equal(ok.run.code, 0, ok.run.output);
});

test('a YAML loader imported under another name is judged by what it is', () => {
  for (const code of [
    'import yaml\nfrom yaml.loader import SafeLoader as L\n\nd = yaml.load(s, Loader=L)\n',
    'import yaml\nfrom yaml.loader import BaseLoader as B\n\nd = yaml.load(s, Loader=B)\n',
    'import yaml\nfrom yaml import CSafeLoader as Fast\n\nd = yaml.load_all(s, Fast)\n',
    'import yaml\nimport yaml.loader as yl\n\nd = yaml.load(s, Loader=yl.SafeLoader)\n',
    'import yaml\nfrom yaml.loader import SafeLoader as L\n\nclass Mine(L):\n    pass\n\nd = yaml.load(s, Loader=Mine)\n',
  ]) {
    const { run, committed } = commit(code);
    assert.equal(run.code, 0, `${code}\n${run.output}`);
    assert.doesNotMatch(run.output, /deserialization\.yaml/, code);
    assert.equal(committed, true);
  }
  for (const code of [
    'import yaml\nfrom yaml.loader import UnsafeLoader as L\n\nd = yaml.load(s, Loader=L)\n',
    'import yaml\nfrom yaml import FullLoader as F\n\nd = yaml.load(s, Loader=F)\n',
    'import yaml\nfrom yaml.loader import Loader as Plain\n\nclass Mine(Plain):\n    pass\n\nd = yaml.load(s, Loader=Mine)\n',
  ]) {
    const { run } = commit(code);
    assert.equal(run.code, 1, `${code}\n${run.output}`);
    assert.match(run.output, /deserialization\.yaml/);
  }
  // A class of another module that happens to be called SafeLoader cannot be judged: a warning.
  const other = commit('import yaml\nfrom myproject.loaders import SafeLoader as L\n\nd = yaml.load(s, Loader=L)\n');
  assert.equal(other.run.code, 0, other.run.output);
  assert.match(other.run.output, /deserialization\.yaml[\s\S]*cannot judge/);
});
