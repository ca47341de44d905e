// Every pickle in a file, every archive member by content, bounds on the walk, and the dangerous
// globals under a plausible allow-list. All pickles and archives are written byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { Repo } from './helpers/git.ts';
import { legacyTorch, orderedDict, plainData, reduceCall, stackGlobalCall, tarOf, zipOf } from './pickle/fixtures.ts';
import { refused } from './pickle/commit.ts';

const ALLOW_TORCH_NUMPY = '[pickle]\nallow-globals = ["torch.*", "numpy.*", "collections.OrderedDict"]\n';

function scanWith(config: string, files: Record<string, Buffer | string>) {
  const repo = Repo.init();
  repo.write({ '.gitward.toml': config });
  return repo.stageAndScan(files);
}

test('stacked pickles: a harmless pickle followed by a payload is read to the payload, also under an allow-list', () => {
  const file = Buffer.concat([orderedDict(), reduceCall('os', 'system', 'echo never-run')]);
  refused({ 'state.pkl': file }, /2 pickles back to back.*DANGEROUS: os\.system|DANGEROUS: os\.system.*2 pickles/s);
  const allowed = scanWith('[pickle]\nallow-globals = ["collections.*"]\n', { 'state.pkl': file });
  assert.equal(allowed.run.code, 1, allowed.run.output);
  assert.equal(allowed.json.findings[0]?.severity, 'block');
  // The first pickle alone is allowed: the payload is what blocks.
  const alone = scanWith('[pickle]\nallow-globals = ["collections.*"]\n', { 'state.pkl': orderedDict() });
  assert.equal(alone.run.code, 0, alone.run.output);
});

test('legacy torch.save layout: a payload in the fourth pickle (before raw storage bytes) is found', () => {
  const payload = stackGlobalCall('posix', 'system', 'echo never-run');
  refused({ 'old-model.pt': legacyTorch(payload) }, /DANGEROUS: posix\.system/);
  // The same layout with a harmless model passes as a warning under a torch allow-list: the raw
  // storage bytes after the fifth pickle are not read as a pickle.
  const model = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('ctorch._utils\n_rebuild_tensor_v2\n', 'latin1'), Buffer.from([0x29, 0x52, 0x2e])]);
  const ok = scanWith(ALLOW_TORCH_NUMPY, { 'old-model.pt': legacyTorch(model) });
  assert.equal(ok.run.code, 0, ok.run.output);
  assert.equal(ok.json.findings[0]?.severity, 'warn');
  assert.match(ok.json.findings[0]?.message ?? '', /5 pickles back to back/);
  // A payload in the storage keys pickle (the fifth) is found too.
  refused({ 'old-model.pt': legacyTorch(model, reduceCall('builtins', 'exec', 'x')) }, /DANGEROUS: builtins\.exec/);
});

test('zip and tar members are judged by content: a pickle named data.txt or README is found', () => {
  const payload = reduceCall('builtins', 'eval', '1+1');
  refused({ 'bundle.zip': zipOf([{ name: 'readme.md', data: Buffer.from('# hi\n') }, { name: 'data.txt', data: payload, method: 8 }]) }, /data\.txt.*DANGEROUS: builtins\.eval/, /pickle\.archive/);
  refused({ 'bundle.tar': tarOf([{ name: 'docs/README', data: payload }]) }, /docs\/README.*DANGEROUS: builtins\.eval/, /pickle\.archive/);
  refused({ 'bundle.tar.gz': gzipSync(tarOf([{ name: 'notes.txt', data: payload }])) }, /notes\.txt.*DANGEROUS: builtins\.eval/, /pickle\.archive/);
  refused({ 'bundle.tgz': gzipSync(tarOf([{ name: 'x/y.csv', data: orderedDict() }])) }, /x\/y\.csv.*collections\.OrderedDict/, /pickle\.archive/);
});

test('archives whose members hold no pickle pass: text, images, a numeric .npz-like zip, a source tarball', () => {
  const repo = Repo.init().installPreCommitHook();
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
  const run = repo.commit({
    'site.zip': zipOf([{ name: 'index.html', data: Buffer.from('<html></html>\n'), method: 8 }, { name: 'logo.png', data: png }]),
    'src.tar.gz': gzipSync(tarOf([{ name: 'pkg/setup.py', data: Buffer.from('from setuptools import setup\nsetup()\n') }, { name: 'pkg/data.bin', data: Buffer.alloc(700, 1) }])),
    'notes.gz': gzipSync(Buffer.from('plain text, compressed\n')),
  });
  assert.equal(run.code, 0, run.output);
});

test('nested archives: a tar inside a zip inside a zip, and an .npz inside a tar.gz', () => {
  const inner = tarOf([{ name: 'weights/blob', data: reduceCall('subprocess', 'run', 'id') }]);
  const middle = zipOf([{ name: 'inner.tar', data: inner, method: 8 }]);
  refused({ 'release.zip': zipOf([{ name: 'middle.zip', data: middle }]) }, /middle\.zip > inner\.tar > weights\/blob.*DANGEROUS: subprocess\.run/, /pickle\.archive/);
  const npz = zipOf([{ name: 'arr.npy', data: Buffer.concat([npyHeader('|O'), reduceCall('os', 'system', 'id')]) }]);
  refused({ 'data.tgz': gzipSync(tarOf([{ name: 'arrays.npz', data: npz }])) }, /arrays\.npz > arr\.npy.*DANGEROUS: os\.system/, /pickle\.numpy-object/);
});

test('a zip bomb is a finding, not a pass: nesting, member count, declared size', () => {
  let nested = zipOf([{ name: 'x.txt', data: Buffer.from('deep') }]);
  for (let i = 0; i < 6; i++) nested = zipOf([{ name: `level${i}.zip`, data: nested, method: 8 }]);
  refused({ 'deep.zip': nested }, /nested more than 4 deep/, /pickle\.archive-limit/);
  const many = zipOf(Array.from({ length: 10_050 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('a') })));
  refused({ 'many.zip': many }, /more than 10000 archive members/, /pickle\.archive-limit/);
  const bomb = zipOf([{ name: 'zeros.bin', data: Buffer.alloc(4096), method: 8, declaredSize: 0xfffffffe }]);
  refused({ 'bomb.zip': bomb }, /a zip bomb/, /pickle\.archive-limit/);
  // A small nested archive and a zip of many files under the bound pass.
  const repo = Repo.init().installPreCommitHook();
  const ok = repo.commit({ 'two.zip': zipOf([{ name: 'a.zip', data: zipOf([{ name: 'b.txt', data: Buffer.from('b') }]) }]), 'files.zip': zipOf(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('a'), method: 8 as const }))) });
  assert.equal(ok.code, 0, ok.output);
});

test('archives gitward cannot open, named like models, warn that it could not look inside', () => {
  const sevenZip = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(64, 3)]);
  const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64, 3)]);
  const encrypted = zipOf([{ name: 'model.pkl', data: Buffer.alloc(40, 9), encrypted: true }, { name: 'notes.txt', data: Buffer.alloc(40, 9), encrypted: true }]);
  const scan = Repo.init().stageAndScan({ 'model.7z': sevenZip, 'weights.bin': rar, 'locked.zip': encrypted });
  assert.equal(scan.run.code, 0, scan.run.output);
  const warned = scan.json.findings.filter((f) => f.rule === 'pickle.unopened-archive');
  assert.deepEqual(warned.map((f) => f.path).sort(), ['locked.zip', 'model.7z', 'weights.bin']);
  assert.ok(warned.every((f) => f.severity === 'warn' && /could not look inside/.test(f.message)));
  assert.match(warned.find((f) => f.path === 'locked.zip')!.message, /model\.pkl is an encrypted zip member/);
  assert.doesNotMatch(warned.find((f) => f.path === 'locked.zip')!.message, /notes\.txt/);
  // The encrypted flag alone hides nothing: PyTorch's reader ignores it, so a member marked
  // encrypted but stored in the clear is judged by its content.
  const flagged = zipOf([{ name: 'model/config.pkl', data: stackGlobalCall('builtins', 'eval', '1'), encrypted: true }]);
  refused({ 'checkpoint.pt': flagged }, /model\/config\.pkl.*DANGEROUS: builtins\.eval/, /pickle\.archive/);
  // A 7z named like neither a model nor an archive is not reported.
  const other = Repo.init().stageAndScan({ 'blob.dat': sevenZip });
  assert.equal(other.json.findings.length, 0, other.run.output);
});

/** Every global of picklescan's dangerous list (a name standing for a whole module), plus torch internals from advisories. */
const DANGEROUS = [
  'builtins.eval', 'builtins.exec', 'builtins.compile', 'builtins.getattr', 'builtins.apply', 'builtins.open', 'builtins.breakpoint',
  '__builtin__.eval', '__builtin__.exec', '__builtin__.compile', '__builtin__.getattr', '__builtin__.apply', '__builtin__.open', '__builtin__.breakpoint',
  'cloudpickle.cloudpickle._builtin_type', 'cloudpickle.cloudpickle.subimport', 'cloudpickle.cloudpickle._make_cell',
  'cloudpickle.cloudpickle._make_empty_cell', 'cloudpickle.cloudpickle._function_setstate', 'cloudpickle.cloudpickle._make_function',
  'types.CodeType', 'aiohttp.client.ClientSession', 'asyncio.unix_events._UnixSubprocessTransport._start', 'bdb.Bdb.run', 'commands.getoutput',
  'ctypes.CDLL', 'functools.partial', 'httplib.HTTPSConnection', 'logging.FileHandler', '_io.FileIO', 'numpy.f2py.crackfortran.getlincoef',
  'numpy.testing._private.utils.runstring', 'nt.system', 'posix.system', '_operator.attrgetter', '_operator.methodcaller', '_operator.itemgetter',
  'operator.attrgetter', 'operator.methodcaller', 'operator.itemgetter', 'os.system', 'requests.api.get', 'runpy._run_code', 'shutil.rmtree',
  'socket.create_connection', 'ssl.get_server_certificate', 'subprocess.run', 'sys.exit', 'code.InteractiveInterpreter.runcode', 'cProfile.run',
  'distutils.file_util.write_file', 'doctest.debug_script', 'ensurepip._run_pip', 'idlelib.autocomplete.AutoComplete.fetch_completions',
  'idlelib.autocomplete.AutoComplete.get_entity', 'idlelib.calltip.Calltip.fetch_tip', 'idlelib.calltip.get_entity', 'idlelib.debugobj.ObjectTreeItem.SetText',
  'idlelib.pyshell.ModifiedInterpreter.runcommand', 'idlelib.pyshell.ModifiedInterpreter.runcode', 'idlelib.run.Executive.runcode', 'imaplib.IMAP4_stream',
  'lib2to3.pgen2.grammar.Grammar.loads', 'lib2to3.pgen2.pgen.ParserGenerator.make_label', 'pdb.run', 'pickle.loads', '_pickle.loads', 'pip.main',
  'pkgutil.resolve_name', 'pty.spawn', 'profile.Profile.run', 'pydoc.locate', 'test.support.script_helper.assert_python_ok', 'timeit.timeit',
  'torch._dynamo.guards.GuardBuilder.get', 'torch._inductor.codecache.compile_file', 'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression',
  'torch.jit.unsupported_tensor_ops.execWrapper', 'torch.serialization.load', 'torch.utils._config_module.ConfigModule.load_config',
  'torch.utils.bottleneck.__main__.run_cprofile', 'torch.utils.bottleneck.__main__.run_autograd_prof', 'torch.utils.collect_env.run',
  'torch.utils.data.datapipes.utils.decoder.basichandlers', 'trace.Trace.run', 'trace.Trace.runctx', 'urllib.request.urlopen',
  'uuid._get_command_stdout', 'venv.create', 'webbrowser.open', '_osx_support._read_output', '_aix_support._read_cmd_output', '_pyrepl.pager.pipe_pager',
  'torch.load', 'torch.hub.load', 'numpy.load', 'torch.fx.graph_module._forward_from_src',
];

test('each dangerous global blocks under allow-globals = ["torch.*", "numpy.*"], naming the allow entry it overrode', () => {
  const files: Record<string, Buffer> = {};
  DANGEROUS.forEach((g, i) => {
    const [module, name] = splitGlobal(g);
    files[`p/${i}.pkl`] = i % 2 === 0 ? reduceCall(module, name) : stackGlobalCall(module, name);
  });
  const { run, json } = scanWith(ALLOW_TORCH_NUMPY, files);
  assert.equal(run.code, 1, run.output);
  DANGEROUS.forEach((g, i) => {
    const found = json.findings.find((f) => f.path === `p/${i}.pkl`);
    const shown = g.replace(/^__builtin__\./, 'builtins.');
    assert.ok(found, `${g}: no finding`);
    assert.equal(found.severity, 'block', `${g}: ${found.message}`);
    assert.match(found.message, new RegExp(`DANGEROUS: [^;]*${shown.replace(/\./g, '\\.')}`), g);
    if (/^(torch|numpy)\./.test(g)) assert.match(found.message, new RegExp(`overrides allow-globals: ${shown.replace(/\./g, '\\.')} \\(allow-globals "${g.split('.')[0]}\\.\\*"\\)`), g);
  });
});

test('harmless globals are not named dangerous: torch rebuild helpers, numpy arrays, uuid.UUID, pathlib paths', () => {
  const files: Record<string, Buffer> = {};
  for (const [i, g] of ['torch._utils._rebuild_tensor_v2', 'numpy.core.multiarray._reconstruct', 'numpy.dtype', 'uuid.UUID', 'pathlib.PosixPath', 'collections.OrderedDict'].entries()) {
    const [module, name] = splitGlobal(g);
    files[`h/${i}.pkl`] = reduceCall(module, name);
  }
  const { json } = scanWith('[pickle]\nallow-globals = ["torch.*", "numpy.*", "uuid.UUID", "pathlib.PosixPath", "collections.OrderedDict"]\n', files);
  assert.equal(json.findings.length, 6);
  for (const f of json.findings) {
    assert.doesNotMatch(f.message, /DANGEROUS/, f.message);
    assert.equal(f.severity, 'warn', f.message);
  }
});

test('a pickle neither dangerous nor allowed says both ways to let it through: allow-globals and exclude', () => {
  const counter = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('ccollections\nCounter\n', 'latin1'), Buffer.from([0x29, 0x52, 0x2e])]);
  const out = refused({ 'counts.pkl': counter, 'plain.pkl': plainData() }, /collections\.Counter is not in \[pickle\] allow-globals; to let it through, list them under \[pickle\] allow-globals \(a warning\) or its path under exclude/);
  assert.match(out, /plain\.pkl[\s\S]*no global is known dangerous; to let it through, set \[pickle\] allow-globals .* or list its path under exclude/);
  assert.match(out, /allow: .*allow-globals.*`exclude`/);
});

function splitGlobal(g: string): [string, string] {
  // Module and name as a pickle would write them: the name may be `Class.method`.
  const parts = g.split('.');
  const classAt = parts.findIndex((p, i) => i > 0 && /^[A-Z]/.test(p) && i < parts.length - 1);
  const cut = classAt > 0 ? classAt : parts.length - 1;
  return [parts.slice(0, cut).join('.'), parts.slice(cut).join('.')];
}

function npyHeader(descr: string): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), len, Buffer.from(header, 'latin1')]);
}
