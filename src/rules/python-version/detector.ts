import type { FileChange, RawFinding } from '../../engine/types.ts';
import type { Detector } from '../types.ts';
import { today } from '../../engine/clock.ts';
import { lowerCaseName } from '../../engine/file-names.ts';
import { EOL_PYTHON, PYPROJECT_PYTHON_LINE } from './rules.ts';

/** The fixed names of files that set a Python version (lower case; see isVersionFile). */
const VERSION_NAMES = new Set(['.python-version', 'runtime.txt', '.tool-versions', 'pyproject.toml', 'containerfile', 'dockerfile']);

/**
 * A file that may set the Python version: what
 * `/(?:^|\/)(?:\.python-version|runtime\.txt|\.tool-versions|pyproject\.toml|Containerfile|Dockerfile(?:\.[^/]*)?|[^/]*\.dockerfile)$/i`
 * matches, told by string tests (src/engine/file-names.ts says why).
 */
export function isVersionFile(path: string): boolean {
  const name = lowerCaseName(path);
  return VERSION_NAMES.has(name) || name.startsWith('dockerfile.') || name.endsWith('.dockerfile');
}

/** Python versions past their end of life, set by a change; `now` is injectable (GITWARD_TODAY pins the default). */
export function createPythonVersionDetector(now: () => Date = () => today()): Detector {
  return {
    name: 'python-version',
    rules: [EOL_PYTHON],
    judgesPath: isVersionFile,
    appliesTo: (change) => change.status !== 'D' && change.addedLines.length > 0 && isVersionFile(change.path),
    // A pyproject.toml adding a version line is read whole (scan.ts): read ahead, the scan loop
    // does not wait a round trip to git for it.
    prefetch: (change) => (lowerCaseName(change.path) === 'pyproject.toml' && change.addedLines.some((l) => PYPROJECT_PYTHON_LINE.test(l.text)) ? {} : null),
    async scan(change: FileChange): Promise<RawFinding[]> {
      const { findEolPython } = await import('./scan.ts');
      return findEolPython(change, now());
    },
  };
}

export const pythonVersionDetector = createPythonVersionDetector();
