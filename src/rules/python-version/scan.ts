// Where a repository states its Python version, read from the lines a change adds.
import type { FileChange, RawFinding } from '../../engine/types.ts';
import { lowerCaseName } from '../../engine/file-names.ts';
import { isPastEndOfLife, supportedVersions, type PythonVersion } from './eol.ts';
import { EOL_PYTHON, PYPROJECT_PYTHON_LINE } from './rules.ts';

interface Stated {
  readonly line: number;
  readonly version: PythonVersion;
  readonly where: string;
}

const DOCKER_FROM = /^\s*FROM\s+(?:--\S+\s+)*(?:[^\s/]+\/)*python:(\d+)\.(\d+)/i;
const RUNTIME = /^\s*python-(\d+)\.(\d+)/i;
// `(?<!\d)`: a version starts where a digit run starts; without it a long run of digits is retried
// from every one of its positions (quadratic), with the same first match.
const TOOL_VERSIONS = /^\s*python\s+\S*?(?<!\d)(\d+)\.(\d+)/i;
const PYTHON_VERSION_LINE = /^\s*(?:(?:c?python|pypy)-?)?(\d+)\.(\d+)/i;

function version(match: RegExpExecArray | null): PythonVersion | null {
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : null;
}

/** The lowest Python a version specifier allows (PEP 440 or Poetry syntax), or null when it has no lower bound. */
export function lowestAllowed(spec: string): PythonVersion | null {
  // Whitespace runs collapsed first: `\s+(?=…)` and `^\s*…?\s*` retry a long run at every position.
  const alternatives = spec.replace(/\s+/g, ' ').split('||').map((alternative) => {
    let lowest: PythonVersion | null = null;
    for (const clause of alternative.split(/,| (?=[<>=!~^])/)) {
      const match = /^\s*(>=|>|~=|==|===|\^|~)?\s*v?(\d+)(?:\.(\d+|\*))?/.exec(clause);
      if (!match || clause.trim().startsWith('<') || clause.trim().startsWith('!=')) continue;
      const bound = { major: Number(match[2]), minor: match[3] === undefined || match[3] === '*' ? 0 : Number(match[3]) };
      if (!lowest || bound.major > lowest.major || (bound.major === lowest.major && bound.minor > lowest.minor)) lowest = bound;
    }
    return lowest;
  });
  if (alternatives.some((a) => a === null)) return null;
  return (alternatives as PythonVersion[]).reduce((a, b) => (b.major < a.major || (b.major === a.major && b.minor < a.minor) ? b : a));
}

function fromLines(change: FileChange, pattern: RegExp, where: string): Stated[] {
  const out: Stated[] = [];
  for (const line of change.addedLines) {
    if (/^\s*#/.test(line.text)) continue;
    const v = version(pattern.exec(line.text));
    if (v) out.push({ line: line.number, version: v, where });
  }
  return out;
}

/** requires-python / Poetry's python dependency, for applications only: a library's lower bound is its users' choice. */
async function fromPyproject(change: FileChange): Promise<Stated[]> {
  const candidates = change.addedLines.filter((l) => PYPROJECT_PYTHON_LINE.test(l.text));
  if (candidates.length === 0) return [];
  const content = await change.loadContent();
  if (!content?.complete) return [];
  const { parse } = await import('smol-toml');
  let doc: Record<string, any>;
  try {
    doc = parse(content.head.toString('utf8')) as Record<string, any>;
  } catch {
    return [];
  }
  const application =
    doc['build-system'] === undefined || doc.tool?.uv?.package === false || doc.tool?.poetry?.['package-mode'] === false;
  if (!application) return [];
  const wanted = [
    { key: 'requires-python', spec: doc.project?.['requires-python'] },
    { key: 'python', spec: doc.tool?.poetry?.dependencies?.python },
  ];
  const out: Stated[] = [];
  for (const { key, spec } of wanted) {
    if (typeof spec !== 'string') continue;
    const line = candidates.find((l) => new RegExp(`^\\s*${key}\\s*=`).test(l.text));
    const lowest = lowestAllowed(spec);
    if (line && lowest) out.push({ line: line.number, version: lowest, where: `${key} "${spec}" allows it` });
  }
  return out;
}

async function stated(change: FileChange): Promise<Stated[]> {
  // Lowered as isVersionFile lowers it (ASCII capitals only), so both read the same name.
  const name = lowerCaseName(change.path);
  if (name === '.python-version') return fromLines(change, PYTHON_VERSION_LINE, '.python-version');
  if (name === 'runtime.txt') return fromLines(change, RUNTIME, 'runtime.txt');
  if (name === '.tool-versions') return fromLines(change, TOOL_VERSIONS, '.tool-versions');
  if (name === 'pyproject.toml') return fromPyproject(change);
  return fromLines(change, DOCKER_FROM, 'the python base image');
}

export async function findEolPython(change: FileChange, now: Date): Promise<RawFinding[]> {
  const findings: RawFinding[] = [];
  for (const s of await stated(change)) {
    const eol = isPastEndOfLife(s.version, now);
    if (!eol) continue;
    const v = `${s.version.major}.${s.version.minor}`;
    findings.push({
      rule: EOL_PYTHON,
      line: s.line,
      message: `Python ${v} (${s.where}) reached end of life on ${eol} and gets no security fixes; move to a supported version: ${supportedVersions(now).join(', ')}`,
      key: `python ${v}`,
    });
  }
  return findings;
}
