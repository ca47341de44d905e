import type { RuleMeta } from '../../engine/types.ts';

export const EOL_PYTHON: RuleMeta = {
  id: 'eol-python.version',
  category: 'eol-python',
  severity: 'warn',
  title: 'A Python version past its end of life is being set',
  doc: {
    catches: 'A change that sets a Python version whose security support has ended, judged from the release calendar and today\'s date: `.python-version`, `runtime.txt` (`python-3.9.18`), a Dockerfile `FROM python:3.9-slim`, or the lowest version allowed by `requires-python` (or Poetry\'s `python` dependency) in the `pyproject.toml` of an application (one without `[build-system]`, or with uv `package = false` / Poetry `package-mode = false`).',
    why: 'A Python past its end of life gets no security fixes: every new vulnerability in the interpreter or its standard library stays open for good.',
    fix: 'Move to a supported version (the message lists them) and run the tests on it; for `requires-python`, raise the lower bound.',
    allow: 'Add `# gitward:allow eol-python.version` on the line (not possible in `.python-version`: set `rules."eol-python.version" = "off"` or list the path under `exclude` in .gitward.toml).',
  },
};

/** A pyproject.toml line that may set the Python version (`requires-python = …`, Poetry's `python = …`): only a change adding one is read whole. */
export const PYPROJECT_PYTHON_LINE = /^\s*(?:requires-python|python)\s*=/;
