// Globals that, imported by a pickle, hand its author code execution, file, process or network
// access. Any other global still runs code on load; these are the ones named as dangerous.

/** Whole modules: every name in them is dangerous. */
const MODULES = new Set([
  'os', 'posix', 'nt', 'subprocess', 'runpy', 'socket', 'pty', 'shutil', 'importlib', 'webbrowser', 'sys',
  'code', 'codeop', 'commands', 'ctypes', 'multiprocessing', 'pickle', '_pickle', 'dill', 'marshal', 'shelve',
  'pdb', 'bdb', 'timeit', 'profile', 'cProfile', 'trace', 'pydoc', 'asyncio', 'http', 'urllib', 'urllib2',
  'requests', 'ftplib', 'smtplib', 'telnetlib', 'xmlrpc', 'tempfile', 'glob', 'signal', 'threading', '_thread',
  'types', 'platform', 'popen2', 'spawn', 'distutils', 'setuptools', 'pip', 'zipimport', 'imp', 'pkgutil', 'io', '_io',
]);

/** Single names in otherwise ordinary modules. */
const NAMES = new Set([
  'builtins.eval', 'builtins.exec', 'builtins.execfile', 'builtins.compile', 'builtins.getattr', 'builtins.setattr',
  'builtins.delattr', 'builtins.__import__', 'builtins.open', 'builtins.file', 'builtins.input', 'builtins.breakpoint',
  'builtins.globals', 'builtins.locals', 'builtins.vars', 'builtins.apply', 'builtins.reload', 'builtins.memoryview',
  'operator.attrgetter', 'operator.methodcaller', 'operator.getitem', 'functools.partial', 'functools.reduce',
  'numpy.load', 'numpy.testing._private.utils.runstring', 'torch.load', 'joblib.load', 'yaml.load', 'yaml.unsafe_load',
  'pandas.read_pickle', 'torch.serialization.load', 'torch._C._import_ir_module',
]);

export function isDangerousGlobal(global: string): boolean {
  if (global.startsWith('<')) return true; // computed names and extension codes hide what they import
  if (NAMES.has(global)) return true;
  const module = global.slice(0, global.lastIndexOf('.'));
  const top = module.split('.')[0];
  return MODULES.has(module) || MODULES.has(top);
}
