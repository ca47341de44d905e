// PEP 508 requirement strings (`name[extras] specifiers ; marker`, `name @ url ; marker`), as
// packaging.requirements parses them. Only what the rules need is kept; anything malformed is
// an error with a reason, so a line pip would refuse is reported instead of skipped.

export interface Specifier {
  readonly op: string;
  readonly version: string;
}

export interface NamedRequirement {
  readonly name: string;
  readonly extras: readonly string[];
  readonly specifiers: readonly Specifier[];
  readonly url: string | null;
  readonly marker: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'];
// PEP 440 public and local versions (case-insensitive), with the `.*` suffix judged separately.
const VERSION = /^v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;
const MARKER_VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra', 'os.name', 'sys.platform', 'platform.version', 'platform.machine',
  'platform.python_implementation', 'python_implementation', 'dependency_groups',
]);

/** PEP 503 normalized project name. */
export function normalizeName(name: string): string {
  // Most names are already (a lock file's: pip-compile writes them so): one test, no new string.
  return NORMALIZED_NAME.test(name) ? name : name.toLowerCase().replace(/[-_.]+/g, '-');
}
const NORMALIZED_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function parseSpecifiers(text: string): Parsed<Specifier[]> {
  let body = text.trim();
  if (body.startsWith('(')) {
    if (!body.endsWith(')')) return { ok: false, error: 'unclosed "(" around the version specifiers' };
    body = body.slice(1, -1).trim();
  }
  if (body === '') return { ok: true, value: [] };
  const specifiers: Specifier[] = [];
  for (const clause of body.split(',')) {
    const trimmed = clause.trim();
    const op = OPERATORS.find((o) => trimmed.startsWith(o));
    if (!op) return { ok: false, error: `"${trimmed}" is not a version specifier (expected ==, >=, ~=, …)` };
    const version = trimmed.slice(op.length).trim();
    if (!validVersion(op, version)) return { ok: false, error: `"${trimmed}" has an invalid version` };
    specifiers.push({ op, version });
  }
  return { ok: true, value: specifiers };
}

function validVersion(op: string, version: string): boolean {
  if (version === '') return false;
  if (op === '===') return /^[^\s,;)]+$/.test(version);
  if (version.endsWith('.*')) {
    return (op === '==' || op === '!=') && VERSION.test(version.slice(0, -2)) && !version.includes('+');
  }
  if (version.includes('+') && op !== '==' && op !== '!=') return false;
  return VERSION.test(version);
}

/** A light check of a marker's grammar: variables, quoted strings, comparison and boolean operators, parentheses. */
export function checkMarker(marker: string): string | null {
  const tokens = marker.match(/\s*("[^"]*"|'[^']*'|[A-Za-z_][A-Za-z0-9_.]*|===|==|!=|<=|>=|~=|<|>|\(|\)|\S)/g);
  if (!tokens) return 'empty environment marker';
  let pos = 0;
  const peek = () => tokens[pos]?.trim();
  const fail = (why: string) => {
    throw new Error(why);
  };
  const value = () => {
    const t = peek();
    if (t === undefined) fail('marker ends too early');
    else if (/^["']/.test(t)) pos++;
    else if (MARKER_VARIABLES.has(t)) pos++;
    else fail(`unknown marker variable "${t}"`);
  };
  const comparison = () => {
    if (peek() === '(') {
      pos++;
      expression();
      if (peek() !== ')') fail('unbalanced parentheses in the marker');
      pos++;
      return;
    }
    value();
    const op = peek();
    if (op === 'not' && tokens[pos + 1]?.trim() === 'in') pos += 2;
    else if (op !== undefined && (OPERATORS.includes(op) || op === 'in')) pos++;
    else fail(`expected a comparison operator in the marker, found ${op === undefined ? 'the end' : `"${op}"`}`);
    value();
  };
  const expression = () => {
    comparison();
    while (peek() === 'and' || peek() === 'or') {
      pos++;
      comparison();
    }
  };
  try {
    expression();
    if (pos < tokens.length) fail(`unexpected "${peek()}" in the marker`);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}

// `name==version` and nothing else: a name as NAME reads it (made from NAME, so they never part), then a version of letters, digits and
// `.` `_` `-` `!` only (no `=`, so `==` is the first one and `===` is left out).
const PLAIN_PIN = new RegExp(`^(${NAME.source.slice(1)})==([A-Za-z0-9._!-]+)$`);

/**
 * A requirement that is exactly `name==version` (a lock file's every line), read as
 * parseRequirement reads it, without its slices, splits and scans; null for any other shape
 * (spaces, extras, markers, URLs, `===`, wildcards, local versions, several clauses, an invalid
 * version...), which parseRequirement reads. None of the characters that change the parse can
 * occur in such a version.
 */
export function plainPin(text: string): NamedRequirement | null {
  // A test and two slices, not exec's match array: neither the name nor the version holds a `=`.
  if (!PLAIN_PIN.test(text)) return null;
  const operator = text.indexOf('==');
  const version = text.slice(operator + 2);
  if (!VERSION.test(version)) return null;
  return { name: text.slice(0, operator), extras: [], specifiers: [{ op: '==', version }], url: null, marker: null };
}

/** Parses one PEP 508 requirement string (the part of a requirements line before its options). */
export function parseRequirement(text: string): Parsed<NamedRequirement> {
  const source = text.trim();
  const nameMatch = NAME.exec(source);
  if (!nameMatch) return { ok: false, error: 'expected a package name at the start' };
  const name = nameMatch[0];
  let rest = source.slice(name.length).trimStart();
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return { ok: false, error: 'unclosed "[" around the extras' };
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (extras.some((e) => !NAME.test(e) || NAME.exec(e)![0] !== e)) return { ok: false, error: 'invalid extra name' };
    rest = rest.slice(close + 1).trimStart();
  }
  let url: string | null = null;
  let specifierText = '';
  let marker: string | null = null;
  if (rest.startsWith('@')) {
    const afterAt = rest.slice(1).trimStart();
    // A URL ends at whitespace; a marker after it must be separated by whitespace then `;`.
    const urlMatch = /^\S+/.exec(afterAt);
    if (!urlMatch) return { ok: false, error: 'expected a URL after "@"' };
    url = urlMatch[0];
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return { ok: false, error: `"${url}" is not a URL` };
    const tail = afterAt.slice(url.length).trim();
    if (tail !== '') {
      if (!tail.startsWith(';')) return { ok: false, error: `unexpected "${tail}" after the URL` };
      marker = tail.slice(1).trim();
    }
  } else {
    const semi = rest.indexOf(';');
    specifierText = semi === -1 ? rest : rest.slice(0, semi);
    if (semi !== -1) marker = rest.slice(semi + 1).trim();
  }
  const specifiers = parseSpecifiers(specifierText);
  if (!specifiers.ok) return specifiers;
  if (marker !== null) {
    const problem = checkMarker(marker);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, value: { name, extras, specifiers: specifiers.value, url, marker } };
}

/** pip's own test for an exact pin: one `==` (without a wildcard) or `===` clause. */
export function isExactPin(specifiers: readonly Specifier[]): boolean {
  if (specifiers.length !== 1) return false;
  const only = specifiers[0]!; // not `[only] =`: destructuring runs the array iterator
  return only.op === '===' || (only.op === '==' && !only.version.endsWith('.*'));
}
