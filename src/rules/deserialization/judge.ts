// Which resolved calls deserialize unsafely, and under which arguments.
import type { LinterCodes } from '../../engine/types.ts';
import type { Argument, NameUse } from '../python/calls.ts';

/** What was found: an unsafe call of one kind, or a source whose encoding cannot be read (`encoding`). */
export type Kind = 'pickle' | 'marshal' | 'numpy' | 'torch' | 'yaml' | 'jsonpickle' | 'keras' | 'encoding';

export interface Verdict {
  kind: Kind;
  /** What was found, for the message. */
  what: string;
  severity: 'block' | 'warn';
  /** bandit and ruff check this very call too: their markers on its line allow it (engine/suppress.ts). */
  linterCodes?: LinterCodes;
  /** Why the severity is what it is, when that is not plain from `what` (a line of the finding's details). */
  note?: string;
}

/**
 * The calls bandit and ruff check as we do, by kind, with their codes (bandit's blacklist B301
 * and B302, its plugins B506 and B614; ruff's S301, S302, S506). Theirs only: a `# nosec` never
 * reviewed a `joblib.load` or `cloudpickle.load`, which they do not report.
 */
export const LINTED_CALLS: Partial<Record<Kind, { codes: LinterCodes; calls: readonly string[] }>> = {
  pickle: {
    codes: { bandit: 'B301', banditName: 'pickle', ruff: 'S301' },
    calls: ['pickle.loads', 'pickle.load', 'pickle.Unpickler', 'dill.loads', 'dill.load', 'dill.Unpickler', 'shelve.open', 'shelve.DbfilenameShelf', 'pandas.read_pickle'],
  },
  jsonpickle: { codes: { bandit: 'B301', banditName: 'pickle', ruff: 'S301' }, calls: ['jsonpickle.decode', 'jsonpickle.unpickler.decode', 'jsonpickle.unpickler.Unpickler'] },
  marshal: { codes: { bandit: 'B302', banditName: 'marshal', ruff: 'S302' }, calls: ['marshal.load', 'marshal.loads'] },
  yaml: { codes: { bandit: 'B506', banditName: 'yaml_load', ruff: 'S506' }, calls: ['yaml.load'] },
  torch: { codes: { bandit: 'B614', banditName: 'pytorch_load' }, calls: ['torch.load'] },
};
const LINTED: Record<string, LinterCodes> = Object.create(null) as Record<string, LinterCodes>;
for (const { codes, calls } of Object.values(LINTED_CALLS)) for (const call of calls!) LINTED[call] = codes;

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
 * Loads whose first argument is the call that made their bytes (`pickle.loads(pickle.dumps(obj))`,
 * a deep copy or a test of pickling): the object is already in memory, no outside data reaches the loader.
 */
const PICKLE_DUMPS = new Set(PICKLE_MODULES.map((m) => `${m}.dumps`));
const ROUND_TRIPS: Record<string, ReadonlySet<string>> = Object.create(null) as Record<string, ReadonlySet<string>>;
for (const m of PICKLE_MODULES) ROUND_TRIPS[`${m}.loads`] = PICKLE_DUMPS;
ROUND_TRIPS['marshal.loads'] = new Set(['marshal.dumps']);
for (const f of ['decode', 'loads']) ROUND_TRIPS[`jsonpickle.${f}`] = new Set(['jsonpickle.encode', 'jsonpickle.dumps']);
for (const f of ['load', 'unsafe_load', 'full_load']) ROUND_TRIPS[`yaml.${f}`] = new Set(['yaml.dump', 'yaml.safe_dump']);
for (const f of ['load_all', 'unsafe_load_all', 'full_load_all']) ROUND_TRIPS[`yaml.${f}`] = new Set(['yaml.dump_all', 'yaml.safe_dump_all']);

function roundTrip(name: string, args: readonly Argument[] | null, resolve: (name: string) => string, rebound: (name: string) => boolean): boolean {
  const makers = ROUND_TRIPS[name];
  const first = args?.[0];
  // `dumps = bytes` or `pickle.dumps = b64decode` elsewhere in the file: the call may make anything.
  return makers !== undefined && first?.callee !== undefined && makers.has(resolve(first.callee)) && !rebound(first.callee);
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
/** `rebound(callee)`: whether the file may make the called name (as written) something else than its import (calls.ts mayRebind). */
export function judge(use: NameUse, loaderClasses: ReadonlyMap<string, string>, resolve: (name: string) => string = (n) => n, rebound: (callee: string) => boolean = () => false): Verdict | null {
  const verdict = judgeCall(use, loaderClasses, resolve, rebound);
  const codes = LINTED[use.name];
  return verdict !== null && codes !== undefined ? { ...verdict, linterCodes: codes } : verdict;
}

function judgeCall(use: NameUse, loaderClasses: ReadonlyMap<string, string>, resolve: (name: string) => string, rebound: (name: string) => boolean): Verdict | null {
  const name = use.name;
  if (roundTrip(name, use.args, resolve, rebound)) return null;
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
