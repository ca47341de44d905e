// Globals that, imported by a pickle, hand its author code execution, file, process or network
// access. Any other global still runs code on load; these are the ones named as dangerous, and a
// dangerous global blocks even when [pickle] allow-globals covers it.
//
// Each entry is a dotted prefix: `os` covers every name in os and its submodules, `trace.Trace.run`
// one method (a pickle of protocol 4 may name `Class.method` directly and call it unbound). The
// pickle's module and name are joined before matching, so `torch` + `utils.collect_env.run` is
// caught like `torch.utils.collect_env` + `run`. Grouped by what the global gives the author.

const ENTRIES: Record<string, readonly string[]> = {
  'runs code': [
    'builtins.eval', 'builtins.exec', 'builtins.execfile', 'builtins.compile', 'builtins.apply', 'builtins.breakpoint',
    'builtins.__import__', 'builtins.input', 'builtins.help', 'builtins.reload',
    'code', 'codeop', 'runpy', 'pdb', 'bdb', 'timeit', 'profile', 'cProfile', 'trace', 'pydoc', 'doctest', 'site',
    'types', 'importlib', 'imp', 'zipimport', 'pkgutil', 'pkg_resources',
    'cloudpickle', 'dill', 'pickle', '_pickle', 'marshal', 'shelve',
    'idlelib', 'lib2to3', 'test', '_pyrepl',
    'numpy.f2py', 'numpy.testing', 'numpy.distutils', 'numpy.ctypeslib', 'numpy.load', 'numpy.lib.npyio.load',
    'joblib.load', 'pandas.read_pickle', 'pandas.io.pickle', 'yaml.load', 'yaml.unsafe_load', 'yaml.full_load', 'jsonpickle',
    'torch.load', 'torch.serialization.load', 'torch.jit.load', 'torch.hub', 'torch.package', 'torch._C._import_ir_module',
    'torch._inductor.codecache', 'torch.jit.unsupported_tensor_ops.execWrapper', 'torch._dynamo.guards',
    'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression', 'torch.fx.graph_module._forward_from_src',
    'torch.fx.graph_module._exec_with_source', 'torch.utils._config_module.ConfigModule.load_config', 'torch.utils.bottleneck',
    'torch.utils.data.datapipes.utils.decoder', 'torch.utils.cpp_extension',
  ],
  'reaches any attribute or calls a method by name': [
    'builtins.getattr', 'builtins.setattr', 'builtins.delattr', 'builtins.globals', 'builtins.locals', 'builtins.vars',
    'operator.attrgetter', 'operator.itemgetter', 'operator.methodcaller', '_operator.attrgetter', '_operator.itemgetter',
    '_operator.methodcaller', 'functools.partial', 'functools.partialmethod', 'functools.reduce',
  ],
  'runs a process': [
    'os', 'posix', 'nt', 'subprocess', '_posixsubprocess', '_winapi', 'pty', 'commands', 'popen2', 'spawn', 'platform',
    'multiprocessing', 'asyncio', 'signal', 'threading', '_thread', 'ctypes', '_ctypes', 'sys',
    'distutils', 'setuptools', 'pip', 'ensurepip', 'venv', 'imaplib.IMAP4_stream', '_osx_support', '_aix_support',
    'uuid._', 'uuid.getnode', 'torch.utils.collect_env', 'webbrowser',
  ],
  'reads or writes files': [
    'builtins.open', 'builtins.file', 'io', '_io', 'shutil', 'tempfile', 'glob',
    'logging.FileHandler', 'logging.handlers', 'logging.config',
    ...['write_text', 'write_bytes', 'read_text', 'read_bytes', 'open', 'unlink', 'rmdir', 'rename', 'replace', 'touch', 'mkdir', 'chmod', 'symlink_to', 'hardlink_to']
      .flatMap((m) => ['Path', 'PosixPath', 'WindowsPath'].map((c) => `pathlib.${c}.${m}`)),
  ],
  'reads raw memory': ['builtins.memoryview'],
  'opens network connections': [
    'socket', '_socket', 'ssl', '_ssl', 'http', 'httplib', 'urllib', 'urllib2', 'urllib3', 'requests', 'httpx', 'aiohttp',
    'ftplib', 'smtplib', 'telnetlib', 'poplib', 'nntplib', 'imaplib', 'xmlrpc', 'socketserver',
  ],
};

/** Entries ending in `_` stand for every private name of the module (`uuid._` → `uuid._popen`, …). */
const BY_PREFIX = new Map<string, string>();
for (const [reason, entries] of Object.entries(ENTRIES)) for (const e of entries) BY_PREFIX.set(e, reason);

/** What a dangerous global gives the pickle's author ("runs code", …), or null when it is not one of the named ones. */
export function dangerReason(global: string): string | null {
  if (global.startsWith('<')) return 'hides what it imports'; // computed names and extension codes
  const parts = global.split('.');
  for (let n = 1; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('.');
    const reason = BY_PREFIX.get(prefix);
    if (reason !== undefined) return reason;
    if (n < parts.length && parts[n].startsWith('_')) {
      const privates = BY_PREFIX.get(`${prefix}._`);
      if (privates !== undefined) return privates;
    }
  }
  return null;
}

export function isDangerousGlobal(global: string): boolean {
  return dangerReason(global) !== null;
}

/** Every entry (for the documentation and its test). */
export function dangerousEntries(): ReadonlyMap<string, string> {
  return BY_PREFIX;
}
