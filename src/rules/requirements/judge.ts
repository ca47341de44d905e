// Turns the parsed entries of a requirements file into findings, for the entries the change touches.
import type { RawFinding } from '../../engine/types.ts';
import { isExactPin, normalizeName, type NamedRequirement } from './pep508.ts';
import type { Entry, OptionValue } from './req-file.ts';
import {
  EXTRA_INDEX,
  INSECURE_INDEX,
  LOOK_ALIKE,
  MISSING_HASH,
  TRUSTED_HOST,
  UNPARSEABLE,
  UNPINNED,
  URL_UNPINNED,
} from './rules.ts';

// For the detector (in every run's bundle), which reaches pep508 only through this part kept apart.
export { normalizeName };

export interface JudgeOptions {
  /** Whether the change added any physical line in [start, end]. */
  touched(start: number, end: number): boolean;
  /** The first added physical line in [start, end] (where a finding on that entry points). */
  firstAdded?(start: number, end: number): number;
  /** The popular project a normalized name imitates (null: none, or the check is off). */
  lookAlike(name: string): string | null;
}

const LOCK_HINT = 'lock the file with hashes: `pip-compile --generate-hashes` or `uv pip compile --generate-hashes`';
const VCS = /^(git|hg|svn|bzr)\+|^git:/i;
const HASH_FRAGMENT = /(?:^|&)(sha256=[0-9a-f]{64}|sha384=[0-9a-f]{96}|sha512=[0-9a-f]{128})(?:&|$)/i;

/** A URL for a message: credentials replaced, length bounded. */
export function safeUrl(url: string): string {
  const hidden = hideCredentials(url); // every `scheme://user@`, not just a leading one: a URL line may hold several
  return hidden.length > 120 ? `${hidden.slice(0, 117)}…` : hidden;
}

const SCHEME_START = /[a-z]/i;
const SCHEME_CHAR = /[a-z0-9+.-]/i;
const USERINFO_END = /[/@\s]/;

/**
 * Every `scheme://userinfo@` replaced by `scheme://***@`, as `/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi`
 * would, but by one pass per `://`: that regex retries a long scheme-like run at every position.
 */
export function hideCredentials(text: string): string {
  let out = '';
  let copied = 0;
  for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 1)) {
    let start = sep;
    while (start > copied && SCHEME_CHAR.test(text[start - 1])) start--;
    while (start < sep && !SCHEME_START.test(text[start])) start++;
    if (start === sep) continue;
    let end = sep + 3;
    while (end < text.length && !USERINFO_END.test(text[end])) end++;
    if (text[end] !== '@') continue;
    out += `${text.slice(copied, sep + 3)}***@`;
    copied = end + 1;
    sep = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function safeLine(text: string): string {
  // A parse error may quote the line from `://` on, with its scheme cut off: hide that userinfo too.
  const hidden = hideCredentials(text).replace(/:\/\/[^/@\s]*@/g, '://***@');
  return hidden.length > 160 ? `${hidden.slice(0, 157)}…` : hidden;
}

/** `name[extras] ; marker` with the version replaced by an exact pin placeholder. */
function pinSuggestion(req: NamedRequirement): string {
  const extras = req.extras.length > 0 ? `[${req.extras.join(',')}]` : '';
  const marker = req.marker ? ` ; ${req.marker}` : '';
  return `${req.name}${extras}==<version>${marker}`;
}

function describe(req: NamedRequirement): string {
  const extras = req.extras.length > 0 ? `[${req.extras.join(',')}]` : '';
  const spec = req.specifiers.map((s) => `${s.op}${s.version}`).join(',');
  return `${req.name}${extras}${spec}`;
}

/** Why a URL requirement is not immutable, or null when it is. */
function urlPinProblem(url: string, hashCount: number): string | null {
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt + 1);
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  if (VCS.test(url)) {
    const afterScheme = base.replace(/^[^:]+:\/\//, '');
    const slash = afterScheme.indexOf('/');
    const path = slash === -1 ? '' : afterScheme.slice(slash);
    const at = path.lastIndexOf('@');
    const ref = at === -1 ? '' : path.slice(at + 1);
    const vcs = url.toLowerCase().startsWith('svn') || url.toLowerCase().startsWith('bzr') ? 'numbered' : 'hash';
    if (vcs === 'hash' ? /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref) : /^r?\d+$/.test(ref)) return null;
    return ref === '' ? 'names no revision (it installs the default branch)' : `is at "${ref}", a branch or tag that can move, not a full commit id`;
  }
  if (hashCount > 0 || HASH_FRAGMENT.test(fragment)) return null;
  return 'has no #sha256= hash, so the server can change what it serves';
}

function optionFindings(entry: Entry, options: readonly OptionValue[]): RawFinding[] {
  const findings: RawFinding[] = [];
  // Indexed loops here and below: a `for … of` in this cold code makes an iterator and a result per step.
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    const value = option.value ?? '';
    if (option.name === '--extra-index-url') {
      findings.push({
        rule: EXTRA_INDEX,
        line: entry.start,
        message: `--extra-index-url ${safeUrl(value)}: pip installs a package from whichever index has the higher version, so a public package with a private name wins (dependency confusion); use a single --index-url and ${LOCK_HINT}`,
        key: `extra-index ${safeUrl(value)}`,
      });
    }
    if (option.name === '--trusted-host') {
      findings.push({
        rule: TRUSTED_HOST,
        line: entry.start,
        message: `--trusted-host ${safeUrl(value)} turns off certificate checks for that host; serve the index over https and remove the option`,
        key: `trusted-host ${safeUrl(value)}`,
      });
    }
    if ((option.name === '--index-url' || option.name === '--extra-index-url' || option.name === '--find-links') && /^http:\/\//i.test(value)) {
      findings.push({
        rule: INSECURE_INDEX,
        line: entry.start,
        message: `${option.name} ${safeUrl(value)} fetches packages over plain http; use https`,
        key: `insecure ${option.name} ${safeUrl(value)}`,
      });
    }
  }
  return findings;
}

function isHashMode(entries: readonly Entry[]): boolean {
  return entries.some(
    (e) => (e.kind === 'requirement' && e.hashCount > 0) || (e.kind === 'options' && e.options.some((o) => o.name === '--require-hashes')),
  );
}

function requirementFindings(entry: Extract<Entry, { kind: 'requirement' }>, hashMode: boolean, options: JudgeOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  const target = entry.target;
  const at = { line: entry.start };
  if (target.kind === 'named') {
    const req = target.requirement;
    const name = normalizeName(req.name);
    const shown = describe(req);
    const pinned = isExactPin(req.specifiers);
    if (!pinned && entry.hashCount > 0) {
      findings.push({
        ...at,
        rule: MISSING_HASH,
        message: `${shown} has --hash but no exact pin: pip refuses the whole file in hash-checking mode; pin it (${pinSuggestion(req)}) and ${LOCK_HINT}`,
        key: `pin-with-hash ${name}`,
      });
    } else if (!pinned) {
      const what = req.specifiers.length === 0 ? 'has no version' : 'is a version range, not an exact pin';
      const hashNote = hashMode ? ' (and the file is in hash-checking mode, so it also needs --hash)' : '';
      findings.push({
        ...at,
        rule: UNPINNED,
        message: `${shown} ${what}${hashNote}: pin the version you tested (${pinSuggestion(req)}; \`pip freeze\` shows the installed one) and ${LOCK_HINT}`,
        key: `unpinned ${name}`,
      });
    } else if (hashMode && entry.hashCount === 0) {
      findings.push({
        ...at,
        rule: MISSING_HASH,
        message: `${shown} has no --hash but the file is in hash-checking mode, so pip refuses the whole file; add --hash=sha256:… for it, or ${LOCK_HINT}`,
        key: `no-hash ${name}`,
      });
    }
    const imitated = options.lookAlike(name);
    if (imitated) {
      findings.push({
        ...at,
        rule: LOOK_ALIKE,
        message: `${req.name} is not a popular project but looks like "${imitated}" (a typo or a typosquat?); check the name, and pin the one you mean (${imitated}==<version>)`,
        key: `look-alike ${name}`,
      });
    }
  } else if (target.kind === 'url') {
    const label = `${target.name ? `${safeLine(target.name)} @ ` : ''}${safeUrl(target.url)}`; // an #egg= name is any text up to `&`
    const problem = urlPinProblem(target.url, entry.hashCount);
    if (problem) {
      findings.push({
        ...at,
        rule: URL_UNPINNED,
        message: `${entry.editable ? '-e ' : ''}${label} ${problem}: pin a full commit id (…@<commit>#egg=name) or a #sha256= hash, or use a released version (name==<version>) and ${LOCK_HINT}`,
        key: `url ${target.name ?? safeUrl(target.url)}`,
      });
    } else if (hashMode && VCS.test(target.url) && !entry.editable) {
      findings.push({
        ...at,
        rule: MISSING_HASH,
        message: `${label} is a VCS requirement in a hash-checking file: pip cannot hash a repository and refuses the whole file; depend on a released version (name==<version>) with hashes, or ${LOCK_HINT}`,
        key: `vcs-in-hash-mode ${target.name ?? safeUrl(target.url)}`,
      });
    }
    if (target.name) {
      const imitated = options.lookAlike(normalizeName(target.name));
      if (imitated) {
        findings.push({
          ...at,
          rule: LOOK_ALIKE,
          message: `${safeLine(target.name)} is not a popular project but looks like "${imitated}"; check the name`,
          key: `look-alike ${normalizeName(target.name)}`,
        });
      }
    }
  }
  if (hashMode && entry.editable) {
    const shown = target.kind === 'local' ? safeLine(target.path) : target.kind === 'url' ? safeUrl(target.url) : target.requirement.name;
    findings.push({
      ...at,
      rule: MISSING_HASH,
      message: `-e ${shown} is an editable requirement in a hash-checking file: pip refuses the whole file (an editable install has no single file to hash); install it separately (\`pip install -e ${target.kind === 'local' ? shown : '…'}\` after the locked file) or depend on a released version with hashes`,
      key: `editable-in-hash-mode ${shown}`,
    });
  }
  findings.push(...optionFindings(entry, entry.options));
  return findings;
}

/** A change that turns hash-checking on while other requirements stay unhashed breaks the whole file. */
function hashModeSwitchFindings(entries: readonly Entry[], options: JudgeOptions): RawFinding[] {
  // The first hashed requirement, when the change touched every one (no array of them: a lock file's are all).
  let hashed: Entry | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind !== 'requirement' || e.hashCount === 0) continue;
    if (!options.touched(e.start, e.end)) return [];
    hashed ??= e;
  }
  if (hashed === undefined) return [];
  if (entries.some((e) => e.kind === 'options' && e.options.some((o) => o.name === '--require-hashes') && !options.touched(e.start, e.end))) return [];
  const unhashed = entries.filter(
    (e) => e.kind === 'requirement' && e.target.kind !== 'local' && !e.editable && e.hashCount === 0 && !options.touched(e.start, e.end),
  );
  if (unhashed.length === 0) return [];
  const lines = unhashed.slice(0, 8).map((e) => e.start).join(', ') + (unhashed.length > 8 ? ', …' : '');
  return [
    {
      rule: MISSING_HASH,
      line: hashed.start,
      message: `this change puts the file in hash-checking mode (--hash), but ${unhashed.length} other requirement(s) have no --hash (line ${lines}): pip refuses the whole file; ${LOCK_HINT}`,
      key: 'hash-mode-switch',
    },
  ];
}

export function judgeRequirements(entries: readonly Entry[], options: JudgeOptions): RawFinding[] {
  const hashMode = isHashMode(entries);
  const findings: RawFinding[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!options.touched(entry.start, entry.end)) continue;
    const before = findings.length;
    judgeEntry(entry, hashMode, options, findings);
    // A continued requirement is judged whole but reported on a line the change added, so the
    // finding points at real new content (and an allow comment there is seen).
    const line = options.firstAdded?.(entry.start, entry.end) ?? entry.start;
    for (let i = before; i < findings.length; i++) if (findings[i].line === entry.start) findings[i] = { ...findings[i], line };
  }
  findings.push(...hashModeSwitchFindings(entries, options));
  return findings;
}

function judgeEntry(entry: Entry, hashMode: boolean, options: JudgeOptions, findings: RawFinding[]): void {
  if (entry.kind === 'error') {
    const where = entry.start === entry.end ? `line ${entry.start}` : `lines ${entry.start}-${entry.end}`;
    findings.push({
      rule: UNPARSEABLE,
      line: entry.start,
      // The reason quotes the line, so it is bounded and redacted like the line itself.
      message: `pip cannot parse ${where} (${safeLine(entry.error)}): ${safeLine(entry.text)}`,
      key: `unparseable ${safeLine(entry.text)}`,
    });
  } else if (entry.kind === 'options') {
    if (entry.options.some((o) => o.name === '--hash')) {
      findings.push({
        rule: MISSING_HASH,
        line: entry.start,
        message: `--hash on line ${entry.start} belongs to no requirement, so pip ignores it (is the \`\\\` missing at the end of the line above?)`,
        key: `orphan-hash ${entry.text}`,
      });
    }
    findings.push(...optionFindings(entry, entry.options));
  } else {
    findings.push(...requirementFindings(entry, hashMode, options));
  }
}
