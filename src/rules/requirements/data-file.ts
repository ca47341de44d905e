import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped in the package's `data/` folder. The built CLI is `dist/gitward.cjs` with chunks
 * in `dist/chunks/`, and tests run `src/` directly, so the folder is found by walking up from
 * this module to the first ancestor that has it. `GITWARD_DATA_DIR` points elsewhere (a build
 * copied out of the package).
 */
export function findDataFile(name: string, from: string = import.meta.url, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GITWARD_DATA_DIR) {
    const explicit = join(env.GITWARD_DATA_DIR, name);
    return existsSync(explicit) ? explicit : null;
  }
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    const candidate = join(dir, 'data', name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
