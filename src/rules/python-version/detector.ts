import type { FileChange, RawFinding } from '../../engine/types.ts';
import type { Detector } from '../types.ts';
import { today } from '../../engine/clock.ts';
import { EOL_PYTHON } from './rules.ts';

const VERSION_FILES = /(?:^|\/)(?:\.python-version|runtime\.txt|\.tool-versions|pyproject\.toml|Containerfile|Dockerfile(?:\.[^/]*)?|[^/]*\.dockerfile)$/i;

/** Python versions past their end of life, set by a change; `now` is injectable (GITWARD_TODAY pins the default). */
export function createPythonVersionDetector(now: () => Date = () => today()): Detector {
  return {
    name: 'python-version',
    rules: [EOL_PYTHON],
    appliesTo: (change) => change.status !== 'D' && change.addedLines.length > 0 && VERSION_FILES.test(change.path),
    async scan(change: FileChange): Promise<RawFinding[]> {
      const { findEolPython } = await import('./scan.ts');
      return findEolPython(change, now());
    },
  };
}

export const pythonVersionDetector = createPythonVersionDetector();
