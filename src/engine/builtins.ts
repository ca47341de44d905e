import { GitwardError } from './errors.ts';

interface LateBuiltins {
  'node:crypto': typeof import('node:crypto');
  'node:fs/promises': typeof import('node:fs/promises');
}

/**
 * A node module loaded when first asked for, not with the bundle: one a clean run never uses costs
 * every run its start-up otherwise. Not `await import()`: the bundle runs in a vm.Script, which has
 * no dynamic import of its own.
 */
export function lateBuiltin<K extends keyof LateBuiltins>(name: K): LateBuiltins[K] {
  // The bundle is CommonJS (it has `require`); run from source as an ES module, node ≥ 20.16 lends it.
  if (typeof require === 'function') return require(name) as LateBuiltins[K];
  // Node before 20.16 has no getBuiltinModule: said in one line (the built CLI needs none of it).
  if (typeof process.getBuiltinModule !== 'function') throw new GitwardError(`gitward run from its sources needs Node 20.16 or later to load ${name} (this is ${process.version}); the built CLI (dist/gitward.cjs) runs on any Node 20`);
  return process.getBuiltinModule(name) as LateBuiltins[K];
}
