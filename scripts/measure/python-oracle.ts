// What the CPython oracles (fstring-oracle.ts, line-end-oracle.ts) share: their arguments, and the
// given Python run on a generator script that prints its cases as JSON.
import { spawnSync } from 'node:child_process';

export interface Oracle<T> {
  version: string;
  seed: string;
  cases: T[];
}

/**
 * `<python> [seed] [count]` from the command line (usage and exit 2 without a Python), the generator
 * `script` run by that Python with the seed and count, and its version; exit 2 when it fails.
 */
export function runOracle<T>(name: string, script: string, defaultCount: string): Oracle<T> {
  const [python, seed = '1', count = defaultCount] = process.argv.slice(2);
  if (!python) {
    console.error(`usage: ${name} <python> [seed] [count]`);
    process.exit(2);
  }
  const run = spawnSync(python, ['-c', script, seed, count], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) {
    console.error(`${python} failed: ${run.stderr}`);
    process.exit(2);
  }
  const version = spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { version, seed, cases: JSON.parse(run.stdout) as T[] };
}
