// Which resolved calls deserialize unsafely, and under which arguments.
import type { Argument, NameUse } from '../python/calls.ts';

/** What was found: an unsafe call of one kind, or a source whose encoding cannot be read (`encoding`). */
export type Kind = 'pickle' | 'marshal' | 'numpy' | 'torch' | 'yaml' | 'jsonpickle' | 'keras' | 'encoding';

export interface Verdict {
  kind: Kind;
  /** What was found, for the message. */
  what: string;
  severity: 'block' | 'warn';
}

const PICKLE_MODULES = ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle', 'six.moves.cPickle', 'pickle5', 'compress_pickle'];
// No prototype: `constructor` or `toString` in the Python text must not be found in it.
const ALWAYS: Record<string, Kind> = Object.create(null) as Record<string, Kind>;
for (const m of PICKLE_MODULES) for (const f of ['load', 'loads', 'Unpickler']) ALWAYS[`${m}.${f}`] = 'pickle';
Object.assign(ALWAYS, {
  'joblib.load': 'pickle', 'sklearn.externals.joblib.load': 'pickle', 'shelve.open': 'pickle', 'shelve.DbfilenameShelf': 'pickle',
  'pandas.read_pickle': 'pickle', 'pd.read_pickle': 'pickle', 'dill.load_session': 'pickle', 'dill.load_module': 'pickle',
  'marshal.load': 'marshal', 'marshal.loads': 'marshal',
  'jsonpickle.decode': 'jsonpickle', 'jsonpickle.loads': 'jsonpickle', 'jsonpickle.unpickler.decode': 'jsonpickle',
  // The class whose restore() decode calls: `jsonpickle.unpickler.Unpickler().restore(obj)`.
  'jsonpickle.Unpickler': 'jsonpickle', 'jsonpickle.unpickler.Unpickler': 'jsonpickle',
  'yaml.unsafe_load': 'yaml', 'yaml.unsafe_load_all': 'yaml', 'yaml.full_load': 'yaml', 'yaml.full_load_all': 'yaml',
});
/**
 * Loads whose bytes are made by the call inside them (`pickle.loads(pickle.dumps(obj))`, a deep copy
 * or a test of pickling): the object is already in memory, no outside data reaches the loader.
 */
const PICKLE_DUMPS = new Set(PICKLE_MODULES.map((m) => `${m}.dumps`));
const ROUND_TRIPS: Record<string, ReadonlySet<string>> = Object.create(null) as Record<string, ReadonlySet<string>>;
for (const m of PICKLE_MODULES) ROUND_TRIPS[`${m}.loads`] = PICKLE_DUMPS;
ROUND_TRIPS['marshal.loads'] = new Set(['marshal.dumps']);
for (const f of ['decode', 'loads']) ROUND_TRIPS[`jsonpickle.${f}`] = new Set(['jsonpickle.encode', 'jsonpickle.dumps']);
for (const f of ['load', 'unsafe_load', 'full_load']) ROUND_TRIPS[`yaml.${f}`] = new Set(['yaml.dump', 'yaml.safe_dump']);
for (const f of ['load_all', 'unsafe_load_all', 'full_load_all']) ROUND_TRIPS[`yaml.${f}`] = new Set(['yaml.dump_all', 'yaml.safe_dump_all']);

function roundTrip(name: string, args: readonly Argument[] | null, resolve: (name: string) => string): boolean {
  const makers = ROUND_TRIPS[name];
  const first = args?.[0];
  return makers !== undefined && first?.callee !== undefined && makers.has(resolve(first.callee));
}

const CONDITIONAL = new Set(['numpy.load', 'np.load', 'torch.load', 'yaml.load', 'yaml.load_all']);
const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const UNSAFE_LOADERS = new Set(['Loader', 'CLoader', 'UnsafeLoader', 'CUnsafeLoader', 'FullLoader', 'CFullLoader']);

function isKeras(name: string): boolean {
  return name.endsWith('.load_model') && /(^|\.)keras\./.test(name);
}

export function interesting(name: string): boolean {
  return name in ALWAYS || CONDITIONAL.has(name) || isKeras(name);
}

/** The last part of every name `interesting` accepts (findUses passes over the other names without resolving them). */
export const INTERESTING_LAST_PARTS: ReadonlySet<string> = new Set(
  [...Object.keys(ALWAYS), ...CONDITIONAL, 'x.load_model'].map((name) => name.slice(name.lastIndexOf('.') + 1)),
);

function arg(args: readonly Argument[], keyword: string, position: number): Argument | undefined {
  return args.find((a) => a.keyword === keyword) ?? (args[position]?.keyword === null ? args[position] : undefined);
}

const hasKwargs = (args: readonly Argument[]) => args.some((a) => a.keyword === '**');

/**
 * `resolve` maps a name as written to the dotted name it is bound to by the file's imports
 * (`L` → `yaml.loader.SafeLoader` after `from yaml.loader import SafeLoader as L`).
 */
export function judge(use: NameUse, loaderClasses: ReadonlyMap<string, string>, resolve: (name: string) => string = (n) => n): Verdict | null {
  const name = use.name;
  if (roundTrip(name, use.args, resolve)) return null;
  const kind = ALWAYS[name];
  if (kind) return { kind, what: `${name}${use.args ? '(…)' : ''}`, severity: 'block' };
  const args = use.args;
  if (!args) return null; // a conditional function referenced without a call cannot be judged
  if (name === 'numpy.load' || name === 'np.load') {
    const a = arg(args, 'allow_pickle', 2);
    return a && a.value === 'True' ? { kind: 'numpy', what: `${name}(…, allow_pickle=True)`, severity: 'block' } : null;
  }
  if (name === 'torch.load') {
    const a = arg(args, 'weights_only', 99);
    if (a?.value === 'True') return null;
    if (!a && hasKwargs(args)) return { kind: 'torch', what: 'torch.load(…) with weights_only passed through **kwargs', severity: 'warn' };
    return { kind: 'torch', what: a ? `torch.load(…, weights_only=${a.value})` : 'torch.load(…) without weights_only=True', severity: 'block' };
  }
  if (name === 'yaml.load' || name === 'yaml.load_all') {
    const a = arg(args, 'Loader', 1);
    if (!a) return hasKwargs(args) ? null : { kind: 'yaml', what: `${name}(…) without a safe Loader`, severity: 'block' };
    const loader = baseLoader(loaderName(resolve(a.value)), loaderClasses, resolve);
    if (SAFE_LOADERS.has(loader)) return null;
    if (UNSAFE_LOADERS.has(loader)) return { kind: 'yaml', what: `${name}(…, Loader=${a.value})`, severity: 'block' };
    return { kind: 'yaml', what: `${name}(…, Loader=${a.value}) with a loader gitward cannot judge`, severity: 'warn' };
  }
  if (isKeras(name)) {
    const a = arg(args, 'safe_mode', 99);
    return a?.value === 'False' ? { kind: 'keras', what: `${name}(…, safe_mode=False)`, severity: 'block' } : null;
  }
  return null;
}

/** Follows `class MyLoader(yaml.SafeLoader)` chains defined in the file. */
function baseLoader(name: string, classes: ReadonlyMap<string, string>, resolve: (name: string) => string): string {
  let current = name;
  for (let i = 0; i < 10 && classes.has(current) && !SAFE_LOADERS.has(current) && !UNSAFE_LOADERS.has(current); i++) current = loaderName(resolve(classes.get(current)!));
  return current;
}

/** A resolved loader name judged by its class: `yaml.loader.SafeLoader` → `SafeLoader`; a class from another module stays whole (not judged). */
function loaderName(resolved: string): string {
  return resolved.startsWith('yaml.') || !resolved.includes('.') ? resolved.slice(resolved.lastIndexOf('.') + 1) : resolved;
}
