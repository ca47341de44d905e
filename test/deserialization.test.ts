import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';

// Each unsafe case: a Python file and the rule it must raise, on the line marked `# <-`.
const UNSAFE: [string, string][] = [
  ['import pickle\nx = pickle.loads(b)  # <-\n', 'deserialization.pickle'],
  ['import pickle as pkl\nwith open(p, "rb") as f:\n    x = pkl.load(f)  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads\nx = loads(b)  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads as unpack\nx = unpack(b)  # <-\n', 'deserialization.pickle'],
  ['import cPickle\nx = cPickle.load(f)  # <-\n', 'deserialization.pickle'],
  ['import _pickle\nx = _pickle.loads(b)  # <-\n', 'deserialization.pickle'],
  ['import pickle\nu = pickle.Unpickler(f)  # <-\n', 'deserialization.pickle'],
  ['import dill\nx = dill.loads(b)  # <-\n', 'deserialization.pickle'],
  ['import cloudpickle\nx = cloudpickle.load(f)  # <-\n', 'deserialization.pickle'],
  ['import joblib\nm = joblib.load("m.joblib")  # <-\n', 'deserialization.pickle'],
  ['from joblib import load\nm = load("m.joblib")  # <-\n', 'deserialization.pickle'],
  ['import shelve\ndb = shelve.open("db")  # <-\n', 'deserialization.pickle'],
  ['import pandas as pd\ndf = pd.read_pickle("x.pkl")  # <-\n', 'deserialization.pickle'],
  ['import marshal\nc = marshal.loads(b)  # <-\n', 'deserialization.marshal'],
  ['import numpy as np\na = np.load("a.npy", allow_pickle=True)  # <-\n', 'deserialization.numpy'],
  ['import torch\nm = torch.load("m.pt")  # <-\n', 'deserialization.torch'],
  ['import torch\nm = torch.load("m.pt", weights_only=False)  # <-\n', 'deserialization.torch'],
  ['import yaml\nd = yaml.load(s)  # <-\n', 'deserialization.yaml'],
  ['import yaml\nd = yaml.load(s, Loader=yaml.Loader)  # <-\n', 'deserialization.yaml'],
  ['import yaml\nd = yaml.load(s, Loader=yaml.UnsafeLoader)  # <-\n', 'deserialization.yaml'],
  ['import yaml\nd = yaml.load(s, Loader=yaml.FullLoader)  # <-\n', 'deserialization.yaml'],
  ['from yaml import load, Loader\nd = load(s, Loader=Loader)  # <-\n', 'deserialization.yaml'],
  ['import yaml\nd = yaml.unsafe_load(s)  # <-\n', 'deserialization.yaml'],
  ['import yaml\nfor d in yaml.load_all(s):  # <-\n    pass\n', 'deserialization.yaml'],
  ['import jsonpickle\no = jsonpickle.decode(s)  # <-\n', 'deserialization.jsonpickle'],
  ['from tensorflow import keras\nm = keras.models.load_model("m.keras", safe_mode=False)  # <-\n', 'deserialization.keras'],
  ['import torch\nm = torch.load(  # <-\n    "m.pt",\n    map_location="cpu",\n)\n', 'deserialization.torch'],
  // A replacement field of an f-string (or a t-string) is code, run when the string is made.
  ['import pickle\nprint(f"loaded: {pickle.loads(b)!r}")  # <-\n', 'deserialization.pickle'],
  ['import yaml\nmsg = f"""\nconfig: {yaml.load(s)}  # <-\n"""\n', 'deserialization.yaml'],
  ['import torch\nmsg = t"{torch.load(p)}"  # <-\n', 'deserialization.torch'],
  // Read as Python reads them: a lone CR ends a comment, and `º` is a letter (NFKC: `tºrch` is torch).
  ['import pickle\n# c\rx = pickle.loads(b)  # <-\n', 'deserialization.pickle'],
  ['import t\u00barch\nm = t\u00barch.load("m.pt")  # <-\n', 'deserialization.torch'],
  // `·` goes on a name (`x·` is not `x`).
  ['import pickle as x\u00b7\nimport json as x\ny = x\u00b7.loads(b)  # <-\n', 'deserialization.pickle'],
  // Near a round trip, but outside data can reach the loader: more than the one dumps call, another
  // function's output, a name bound to no pickle module, a dumps of a json module.
  ['import pickle\nx = pickle.loads(pickle.dumps(obj) + extra)  # <-\n', 'deserialization.pickle'],
  ['import pickle\nx = pickle.loads(pickle.dumps(obj)[:n] if ok else payload)  # <-\n', 'deserialization.pickle'],
  ['import pickle, zlib\nx = pickle.loads(zlib.decompress(blob))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads\nfrom mystore import dumps\nx = loads(dumps(key))  # <-\n', 'deserialization.pickle'],
  ['import pickle, json\nx = pickle.loads(json.dumps(obj))  # <-\n', 'deserialization.pickle'],
  ['import pickle\nx = pickle.loads(request.body)  # <-\n', 'deserialization.pickle'],
  ['import marshal, pickle\nc = marshal.loads(pickle.dumps(obj))  # <-\n', 'deserialization.marshal'],
  // A round trip through a name the file binds again: the call may make anything.
  ['from pickle import loads, dumps\ndumps = bytes\na = loads(dumps(request.body))  # <-\n', 'deserialization.pickle'],
  ['import pickle, base64\npickle.dumps = base64.b64decode\nb = pickle.loads(pickle.dumps(req))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads, dumps\ndumps, enc = base64.b64decode, 1\na = loads(dumps(user))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads, dumps\ndef restore(blob, dumps=bytes):\n    return loads(dumps(blob))  # <-\n', 'deserialization.pickle'],
  ['import pickle\nf = lambda blob, pickle=codec: pickle.loads(pickle.dumps(blob))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads, dumps\nfor name, dumps in codecs.items():\n    loads(dumps(user))  # <-\n', 'deserialization.pickle'],
  ['import pickle, base64\nsetattr(pickle, "dumps", base64.b64decode)\nb = pickle.loads(pickle.dumps(req))  # <-\n', 'deserialization.pickle'],
  ['import pickle\nwith mock.patch.object(pickle, "dumps", decode):\n    pickle.loads(pickle.dumps(req))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads\nimport importlib\ndumps = importlib.import_module("base64").b64decode\nloads(dumps(req))  # <-\n', 'deserialization.pickle'],
  // More ways a file makes `dumps` something else (a fourth review): an annotation, a class, a def,
  // `or`, sys.modules, __import__, an import call of another module, a second alias, a patch before
  // the import, __setattr__, two imports of one name.
  ['import pickle\npickle: object = Fake()\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle\nclass pickle:\n    dumps = staticmethod(lambda x: x)\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['from pickle import loads, dumps\ndef dumps(x): return x\ndef f(u): return loads(dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle\ndef patch(m): m.dumps = lambda x: x\npatch(None or pickle)\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle, sys\nsys.modules["pickle"].dumps = lambda x: x\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle\n__import__("pickle").dumps = lambda x: x\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle as p, pickle\np.dumps = lambda x: x\ndef f(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle\npickle.dumps = lambda x: x\nfrom pickle import loads, dumps\ndef f(u): return loads(dumps(u))  # <-\n', 'deserialization.pickle'],
  ['import pickle\npickle.__setattr__("dumps", f)\ndef g(u): return pickle.loads(pickle.dumps(u))  # <-\n', 'deserialization.pickle'],
  ['if cond:\n    from mylib import dumps\nelse:\n    from pickle import dumps\nfrom pickle import loads\ndef f(u): return loads(dumps(u))  # <-\n', 'deserialization.pickle'],
  // A module imported by a call and used at once, never bound to a name: the call through it runs.
  ['def f(b):\n    return __import__("pickle").loads(b)  # <-\n', 'deserialization.pickle'],
  ["import importlib\nx = importlib.import_module('yaml').load(s)  # <-\n", 'deserialization.yaml'],
  ['from importlib import import_module\nm = import_module("torch").load(p)  # <-\n', 'deserialization.torch'],
  ['x = __import__("pickle", globals(), None, ["loads"]).loads(b)  # <-\n', 'deserialization.pickle'],
  ['import importlib\nu = importlib.import_module("pandas").read_pickle(p)  # <-\n', 'deserialization.pickle'],
];

const SAFE: string[] = [
  'import pickle\nb = pickle.dumps(obj)\n',
  'import pickle\npickle.dump(obj, f)\n',
  'import yaml\nd = yaml.safe_load(s)\n',
  'import yaml\nd = yaml.load(s, Loader=yaml.SafeLoader)\n',
  'import yaml\nd = yaml.load(s, Loader=yaml.CSafeLoader)\n',
  'import yaml\nd = yaml.load(s, yaml.BaseLoader)\n',
  'import yaml\nclass L(yaml.SafeLoader):\n    pass\nd = yaml.load(s, Loader=L)\n',
  'import torch\nm = torch.load("m.pt", weights_only=True)\n',
  'import numpy as np\na = np.load("a.npy")\n',
  'import numpy as np\na = np.load("a.npy", allow_pickle=False)\n',
  'import json\nd = json.loads(s)\n',
  '# x = pickle.loads(b)\n',
  'msg = "never call pickle.loads(data) on uploads"\n',
  'def f():\n    """Do not use pickle.load(f) here."""\n    return 1\n',
  's = """\nimport pickle\npickle.loads(b)\n"""\n',
  'import keras\nm = keras.models.load_model("m.keras")\n',
  'from safetensors.torch import load_file\nw = load_file("m.safetensors")\n',
  'import pandas as pd\ndf.to_pickle("x.pkl")\n',
  'import joblib\njoblib.dump(m, "m.joblib")\n',
  // A round trip: the loader reads bytes the call inside it made from an object already in memory.
  'import pickle\nassert pickle.loads(pickle.dumps(obj)) == obj\n',
  'import pickle as pkl\ncopy = pkl.loads(pkl.dumps(obj, protocol=pkl.HIGHEST_PROTOCOL))\n',
  'from pickle import loads, dumps\ncopy = loads(\n    dumps(obj),\n)\n',
  'import cloudpickle, pickle\nf = pickle.loads(cloudpickle.dumps(lambda x: x))\n',
  'import dill\nassert dill.loads(dill.dumps(func))(2) == 4\n',
  'import marshal\nassert marshal.loads(marshal.dumps(code)) == code\n',
  'import jsonpickle\no = jsonpickle.decode(jsonpickle.encode(obj))\n',
  'import yaml\nd = yaml.unsafe_load(yaml.dump(obj))\n',
  // A module bound by an import call is as imported; one set to None or only tested is no other function.
  'import pickle, pytest\ncloudpickle = pytest.importorskip("cloudpickle")\nc = pickle.loads(cloudpickle.dumps(f))\n',
  'try:\n    import dill\nexcept ImportError:\n    dill = None\nif dill:\n    assert dill.loads(dill.dumps(f))(2) == 4\nif dill is None:\n    pass\n',
  'try: import dill\nexcept ImportError: dill = None\nassert not dill or dill.loads(dill.dumps(1)) == 1\n',
  'def t():\n    import pickle\n    assert pickle.loads(pickle.dumps(1))\ndef t2():\n    import pickle\n    assert pickle.loads(pickle.dumps(2))\n',
  // An f-string's text, and its escaped braces, are not code.
  'import pickle\nmsg = f"never call pickle.loads(b) on {source}"\n',
  'import pickle\nmsg = f"{{pickle.loads(b)}} runs code; use {alternative}"\n',
  'class Loader:\n    def load(self):\n        return self.loads(1)\n',
  'obj.load(f)\nself.pickle.loads = 1\n',
  // Names of JavaScript's Object.prototype are plain Python names (the rule's table once found them there and crashed).
  'import pickle\ndef f(constructor, toString):\n    return constructor(1) + toString(2) + valueOf\n',
  // An import call of a safe module, of a name computed at run time, or whose result is only bound.
  'x = __import__("json").loads(s)\n',
  'import importlib\nd = importlib.import_module("yaml").safe_load(s)\n',
  'p = __import__("os.path").path.join(a, b)\n',
  'import importlib\nmod = importlib.import_module("pickle")\n',
];

test('every unsafe call form is refused through a real hook, on the right line', () => {
  const repo = Repo.init();
  const files: Record<string, string> = {};
  UNSAFE.forEach(([code], i) => (files[`unsafe/case${i}.py`] = code));
  const { run, json } = repo.stageAndScan(files);
  assert.equal(run.code, 1);
  UNSAFE.forEach(([code, rule], i) => {
    const line = code.split('\n').findIndex((l) => l.includes('# <-')) + 1;
    const hit = json.findings.find((f) => f.path === `unsafe/case${i}.py` && f.rule === rule && f.line === line && f.severity === 'block');
    assert.ok(hit, `case ${i} (${rule}) not found:\n${code}\n${JSON.stringify(json.findings.filter((f) => f.path === `unsafe/case${i}.py`))}`);
  });
});

test('safe look-alikes pass: at most 2% blocked (none, here)', () => {
  const repo = Repo.init();
  const files: Record<string, string> = {};
  SAFE.forEach((code, i) => (files[`safe/case${i}.py`] = code));
  const { json } = repo.stageAndScan(files);
  const blocked = json.findings.filter((f) => f.category === 'unsafe-deserialization' && f.severity === 'block');
  assert.deepEqual(blocked, []);
});

test('a real commit with pickle.loads is refused; the message gives the safe alternative', () => {
  const repo = Repo.init().installPreCommitHook();
  const run = repo.commit({ 'app/load.py': 'import pickle as pkl\n\ndef read(b):\n    return pkl.loads(b)\n' });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle\s+app\/load\.py:4/);
  assert.match(run.output, /JSON/);
});

test('only added lines count: an old call stays quiet when another line changes', () => {
  const repo = Repo.init().installPreCommitHook();
  repo.commitUnchecked({ 'old.py': 'import pickle\nx = pickle.loads(b)\nDEBUG = False\n' });
  const run = repo.commit({ 'old.py': 'import pickle\nx = pickle.loads(b)\nDEBUG = True\n' });
  assert.equal(run.code, 0, run.output);
});

test('notebook code cells are read, markdown cells and magics are not; lines map to the .ipynb', () => {
  const nb = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['Never run `pickle.loads(x)` on uploads\n'] },
      { cell_type: 'code', metadata: {}, outputs: [], execution_count: 1, source: ['!pip install dill\n', 'import pickle as pk\n', 'import yaml\n'] },
      { cell_type: 'code', metadata: {}, outputs: [], execution_count: 2, source: ['d = yaml.safe_load(s)\n', 'x = pk.loads(blob)\n'] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = JSON.stringify(nb, null, 1) + '\n';
  const line = text.split('\n').findIndex((l) => l.includes('pk.loads(blob)')) + 1;
  const repo = Repo.init();
  const { json } = repo.stageAndScan({ 'analysis.ipynb': text });
  const hits = json.findings.filter((f) => f.category === 'unsafe-deserialization');
  assert.equal(hits.length, 1, JSON.stringify(hits));
  assert.equal(hits[0].line, line);
  assert.equal(hits[0].rule, 'deserialization.pickle');
});

test('a lone CR ends a line to Python (not to git): calls after one are found, on git\'s line; in a string it is text', () => {
  const r = Repo.init().installPreCommitHook();
  // Verified with CPython 3.8, 3.12 and 3.13: `import os\rprint(os.name)\r` runs both statements,
  // and a backslash before a lone CR continues the line.
  const run = r.commit({ 'cr.py': 'import pickle\rpickle.loads(b)\r', 'continued.py': 'import pickle\rx = 1 + \\\r2\rpickle.loads(b)\n' }, 'CR line ends');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /deserialization\.pickle {2}cr\.py:1/);
  assert.match(run.output, /deserialization\.pickle {2}continued\.py:1/);
  const text = Repo.init().installPreCommitHook().commit({ 'doc.py': 'import pickle\rNOTE = """\rpickle.loads(b)\r"""\r' }, 'a string');
  assert.equal(text.code, 0, text.output);
});

test('in a notebook, a lone CR ends a magic or shell line: the code after it is read (as IPython splits it)', () => {
  const cell = (source: string[]) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source });
  const nb = { cells: [cell(['import pickle\n', '%time x\rpickle.loads(a)\n']), cell(['!ls\rpickle.loads(b)\n']), cell(['%%time\rimport pickle\rpickle.loads(c)\n']), cell(['%%bash\rpickle.loads(d)\n'])], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  const text = JSON.stringify(nb, null, 1) + '\n';
  const lineOf = (call: string) => text.split('\n').findIndex((l) => l.includes(call)) + 1;
  const { json } = Repo.init().stageAndScan({ 'cr.ipynb': text });
  // A %%bash cell is no Python: its line is not read.
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), ['a', 'b', 'c'].map((v) => ['deserialization.pickle', lineOf(`pickle.loads(${v})`)]));
});

test('a call through a name the file binds nowhere is a warning (a formatter\'s test data); any binding makes it a block again', () => {
  const repo = Repo.init().installPreCommitHook();
  // black's tests/data: Python-shaped input to a formatter, never run, with no import of yaml.
  const data = 'data = yaml.load("""\\\na: 1\nb: 2\n""")\nx = pickle.loads(b)\n';
  const { json } = repo.stageAndScan({ 'tests/data/multiline_strings.py': data });
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line, f.severity]), [['deserialization.yaml', 1, 'warn'], ['deserialization.pickle', 5, 'warn']]);
  const run = repo.commit({}, 'test data');
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /`yaml` is bound nowhere in this file \(no import, no assignment, no exec or globals\(\)\), so as written the call raises NameError/);
  // Bound: a parameter, an assignment, a star import, a loop target, any other use of the name.
  const bound = [
    'def f(yaml):\n    return yaml.load(s)  # <-\n',
    'yaml = pytest.importorskip("yaml")\nd = yaml.load(s)  # <-\n',
    'from helpers import *\nd = pickle.loads(b)  # <-\n',
    'for pickle in modules:\n    pickle.loads(b)  # <-\n',
    'register(pickle)\npickle.loads(b)  # <-\n',
    // Bindings the file does not spell: through globals(), builtins, exec, setattr on a module.
    'globals()["pick" + "le"] = m\npickle.loads(b)  # <-\n',
    'import builtins\nbuiltins.__dict__.update(mods)\npickle.loads(b)  # <-\n',
    'exec(source)\npickle.loads(b)  # <-\n',
    'setattr(sys.modules[__name__], name, m)\nyaml.load(s)  # <-\n',
  ];
  const files = Object.fromEntries(bound.map((code, i) => [`bound/case${i}.py`, code]));
  const { json: found } = repo.stageAndScan(files);
  bound.forEach((code, i) => {
    const line = code.split('\n').findIndex((l) => l.includes('# <-')) + 1;
    assert.ok(found.findings.some((f) => f.path === `bound/case${i}.py` && f.line === line && f.severity === 'block'), code);
  });
  // An import added above the unchanged call makes it run: blocked, on its unchanged line.
  repo.git(['reset', '-q', 'bound']);
  const imported = repo.commit({ 'tests/data/multiline_strings.py': `import yaml\n${data}` }, 'import');
  assert.equal(imported.code, 1, imported.output);
  assert.match(imported.output, /deserialization\.yaml {2}tests\/data\/multiline_strings\.py:2/);
});

test('a baseline of a call bound nowhere (a warning) does not allow the same call once it runs', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'a.py': 'def f(b):\n    return pickle.loads(b)\n' }, 'root');
  assert.equal(repo.gitward(['baseline']).code, 0);
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'baseline']);
  const { json } = repo.stageAndScan({ 'a.py': 'import pickle\n\ndef f(b):\n    return pickle.loads(b)\n\ndef g(c):\n    return pickle.loads(c)\n' });
  assert.deepEqual(json.findings.map((f) => [f.rule, f.line, f.severity]), [['deserialization.pickle', 4, 'block'], ['deserialization.pickle', 7, 'block']]);
});

test('a notebook\'s names come from IPython too (%run, %pylab): a call through a name its cells do not bind still blocks', () => {
  const cell = (source: string[]) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source });
  const notebook = JSON.stringify({ cells: [cell(['%run ./common.ipynb\n']), cell(['data = pickle.load(open(path, "rb"))\n'])], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
  const { json } = Repo.init().stageAndScan({ 'analysis.ipynb': `${notebook}\n`, 'run.py': 'execfile("common.py")\nx = pickle.loads(b)\n' });
  assert.deepEqual(json.findings.map((f) => [f.path, f.rule, f.severity]), [['analysis.ipynb', 'deserialization.pickle', 'block'], ['run.py', 'deserialization.pickle', 'block']]);
});

test('an edit below line 1 of a Python script without .py is judged (its shebang is read); other files without an extension are not', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'bin/tool': '#!/usr/bin/env python3\nimport pickle\nprint(1)\n', 'bin/deploy': '#!/bin/sh\necho hi\n', README: 'Notes\n' }, 'root');
  repo.installPreCommitHook();
  const run = repo.commit({
    'bin/tool': '#!/usr/bin/env python3\nimport pickle\nprint(1)\nx = pickle.loads(d)\n',
    'bin/deploy': '#!/bin/sh\necho hi\npython -c "import pickle; pickle.loads(open(f).read())"\n',
    README: 'Notes\nNever call pickle.loads(data) on uploads.\n',
  }, 'edits');
  assert.equal(run.code, 1, run.output);
  const json = JSON.parse(repo.gitward(['scan', '--staged', '--format', 'json']).stdout) as { findings: { rule: string; path: string; line: number }[] };
  assert.deepEqual(json.findings.map((f) => `${f.rule} ${f.path}:${f.line}`), ['deserialization.pickle bin/tool:4']);
  // The server's door sees it too.
  const bare = Repo.init({ bare: true, env: repo.env }).installPreReceiveHook();
  repo.git(['commit', '-q', '--no-verify', '-m', 'edits']);
  const push = repo.git(['push', '--no-verify', bare.dir, 'main'], { allowFail: true });
  assert.notEqual(push.code, 0, push.output);
  assert.match(push.stderr, /deserialization\.pickle {2}[0-9a-f]{12} bin\/tool:4/);
});

test('script edits: an import that makes an unchanged call unsafe, a .cgi script, a uv script', () => {
  const repo = Repo.init();
  repo.commitUnchecked({
    'bin/tool': '#!/usr/bin/env python3\nimport json\nx = json.loads(data)\n',
    'www/app.cgi': '#!/usr/bin/python3\nprint(1)\n',
    'bin/job': '#!/usr/bin/env -S uv run --script\nprint(1)\n',
  }, 'root');
  const { json } = repo.stageAndScan({
    'bin/tool': '#!/usr/bin/env python3\nimport pickle as json\nx = json.loads(data)\n',
    'www/app.cgi': '#!/usr/bin/python3\nprint(1)\nimport pickle\ny = pickle.loads(q)\n',
    'bin/job': '#!/usr/bin/env -S uv run --script\nprint(1)\nimport marshal\nz = marshal.loads(b)\n',
  });
  assert.deepEqual(json.findings.map((f) => `${f.rule} ${f.path}:${f.line}`).sort(), ['deserialization.marshal bin/job:4', 'deserialization.pickle bin/tool:3', 'deserialization.pickle www/app.cgi:4']);
});
