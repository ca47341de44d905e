import type { FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import type { Detector, RuleContext } from '../types.ts';
import { forEachSchemeMatch, tokenRuns } from './candidates.ts';
import { shannon } from './entropy.ts';
import { isCodeFile, isLockFile, isMinified } from './file-kind.ts';
import { hasLongRun, KeywordScanner } from './keyword-scan.ts';
import type { ProviderRule } from './provider.ts';
import { PROVIDERS } from './providers/index.ts';
import { PRIVATE_KEY_RULE_ID } from './providers/keys.ts';
import { nameKind, notSecretReason, randomness } from './value.ts';

const WHY = 'Anything committed is copied to every clone and stays in history after it is deleted; a leaked credential must be treated as compromised.';

function providerMeta(p: ProviderRule): RuleMeta {
  return {
    id: p.id,
    category: 'secret',
    severity: p.severity ?? 'block',
    title: `${p.title} in the change`,
    doc: {
      catches: `${p.title}s by their published format.`,
      why: WHY,
      fix: `Remove it from the change and load it from the environment or a secret manager. ${p.rotate ?? 'Revoke it with the provider and issue a new one.'}`,
    },
  };
}

export const GENERIC_RULE: RuleMeta = {
  id: 'secret.generic-assignment',
  category: 'secret',
  severity: 'block',
  title: 'Credential-like name assigned a literal secret value',
  doc: {
    catches: 'A password, token, secret or API key name (Python, YAML, JSON, TOML, INI, shell/.env, Dockerfile, notebooks) assigned a literal that is random-looking, or for passwords mixes character classes, and is not a placeholder, variable, path, URL, hash or UUID.',
    why: WHY,
    fix: 'Read the value from the environment or a secret manager (os.environ["NAME"], a mounted secret), and rotate the one that was committed.',
  },
};

export const URL_RULE: RuleMeta = {
  id: 'secret.url-credentials',
  category: 'secret',
  severity: 'block',
  title: 'Password embedded in a URL',
  doc: {
    catches: 'user:password@host in database, broker and HTTP URLs (postgres, mysql, mongodb+srv, redis, amqp, https, …), except placeholders.',
    why: WHY,
    fix: 'Keep the URL without the password and pass the password separately from the environment; change the password that was committed.',
  },
};

export const HIGH_ENTROPY_RULE: RuleMeta = {
  id: 'secret.high-entropy-string',
  category: 'secret',
  severity: 'warn',
  title: 'Long random string with no credential context',
  doc: {
    catches: 'A quoted or assigned string of 32+ characters whose randomness is close to its alphabet maximum, outside lock files, hashes and data URIs.',
    why: 'Random strings are often keys without a recognisable name; this is a warning to look, not a block.',
    fix: 'If it is a credential, move it to the environment or a secret manager and rotate it; otherwise allow it.',
  },
};

interface Compiled {
  provider: ProviderRule;
  meta: RuleMeta;
  /** The provider's pattern with the g flag, made on the first line that needs it. */
  pattern: RegExp | null;
}

const compiled: Compiled[] = PROVIDERS.map((p) => ({ provider: p, meta: providerMeta(p), pattern: null }));

function globalPattern(c: Compiled): RegExp {
  const { source, flags } = c.provider;
  return (c.pattern ??= new RegExp(source, flags.includes('g') ? flags : `${flags}g`));
}

/** Words of which one must occur (case-insensitively) before the generic assignment rule runs. */
const GENERIC_HINT_WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'auth', 'cred', 'bearer'];
/** A line holding one of these (case-insensitively) is hashes, lock data or ids: no high-entropy warning. */
const HASH_CONTEXT_WORDS = [
  'integrity', ...Array.from({ length: 10 }, (_, d) => `sha${d}`), 'sha-', 'checksum', 'digest', 'hash', 'data:image', 'base64,', '"resolved"', '--hash=',
  'nonce', 'fingerprint', 'commit', 'revision',
];
/**
 * Every name nameKind() can call a credential holds a hint word or `pw` (`db_pw`). `pw` is no hint
 * (a line needs a hint word for the generic rule to run at all), only a place to look for one.
 */
const PW_WORDS = ['pw'];
const HINT = 1;
const HASH_CONTEXT = 2;
const PW = 4;
const URL_MARK = 8;
// One pass per line finds every provider keyword and flag word (and where name words end), so
// most lines touch no regular expression at all.
const lineFacts = new KeywordScanner(
  PROVIDERS.map((p) => p.keywords),
  [GENERIC_HINT_WORDS, HASH_CONTEXT_WORDS, PW_WORDS, ['://']],
  HINT | PW,
);

const ASSIGNMENT =
  /(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,60})['"]?\]?\s{0,4}(?<op>:=|=>|==|!=|=|:)\s{0,4}(?<value>"[^"\\]{1,300}"|'[^'\\]{1,300}'|`[^`\\]{1,300}`|[^\s"'`,;)]{1,300})/g;
const DOCKER_ENV = /^\s*(?:ENV|ARG)\s+(?<name>[A-Za-z_][A-Za-z0-9_]{0,60})\s+(?<value>[^\s=]{1,300})\s*$/;
/** Tried only where forEachSchemeMatch finds a `://` (sticky: at that one start). */
const URL_CREDS = /(?<scheme>[a-z][a-z0-9+.-]{1,20}):\/\/(?<user>[^\s:@/'"<>]{0,100}):(?<pass>[^\s@/'"<>]{1,200})@(?<host>[^\s/'"?#:<>,]{1,200})/iy;
const URL_PLACEHOLDER = /^(?:pass(?:word)?|pwd|secret|changeme|example|test|xxx+|\*+|\.+|password\d?|pass\d?|user|admin|root|guest|dummy|fake|mypassword|yourpassword|foo|bar|baz)$|^[$%]|\{|<|x{3,}|\*{3,}|your|example|changeme|placeholder/i;
/** [start, end) pairs of the line's token runs, as /[A-Za-z0-9+/_=-]{32,400}/g would match them (reused). */
const tokenSpans: number[] = [];

export const secretDetector: Detector = {
  name: 'secrets',
  rules: [...compiled.map((c) => c.meta), GENERIC_RULE, URL_RULE, HIGH_ENTROPY_RULE],
  appliesTo: (change) => change.addedLines.length > 0,
  scan(change: FileChange, ctx: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    const path = change.path;
    const lockFile = isLockFile(path);
    const notebook = path.toLowerCase().endsWith('.ipynb');
    const codeFile = isCodeFile(path);
    const minified = isMinified(path);
    const maxLine = ctx?.config?.limits.maxLineLength ?? 1024 * 1024;
    const lines = change.addedLines;
    // Spans (start, end pairs) of this line's findings: a later rule never reports inside one.
    const spans: number[] = [];
    let inOutputs = false;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      let text = line.text;
      let outputLine = false;
      if (notebook) {
        if (/^\s*"outputs"\s*:/.test(text)) inOutputs = true;
        else if (/^\s*"(?:source|cell_type)"\s*:/.test(text)) inOutputs = false;
        outputLine = inOutputs;
        text = unescapeNotebookLine(text);
      }
      const long = text.length > maxLine;
      if (long) ctx?.notice?.(`${path}:${line.number}: line longer than ${maxLine} characters; only token formats were checked`);
      if (spans.length !== 0) spans.length = 0;
      lineFacts.scan(text);
      const flags = lineFacts.flags;
      if (lineFacts.groupCount > 0) scanProviders(text, line.number, lines, index, findings, spans, lineFacts.groups, lineFacts.groupCount);
      if (long || lockFile || minified) continue;
      if ((flags & URL_MARK) !== 0) scanUrls(text, line.number, findings, spans);
      if (outputLine) continue;
      if ((flags & HINT) !== 0) scanAssignments(text, line.number, codeFile, findings, spans);
      // Without a 32-character token run the high-entropy pattern cannot match.
      if ((flags & HASH_CONTEXT) === 0 && hasLongRun(text)) scanHighEntropy(text, line.number, findings, spans);
    }
    return findings;
  },
};

function overlaps(spans: number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (start < spans[i + 1]! && end > spans[i]!) return true;
  return false;
}

function scanProviders(
  text: string,
  number: number,
  lines: FileChange['addedLines'],
  index: number,
  out: RawFinding[],
  spans: number[],
  candidates: Int32Array,
  count: number,
): void {
  for (let k = 0; k < count; k++) {
    const c = compiled[candidates[k]!]!;
    const pattern = globalPattern(c);
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const secret = m.groups?.secret ?? m[0];
      const start = m.index + m[0].indexOf(secret);
      const end = start + secret.length;
      if (!acceptProviderSecret(c.provider, secret, text, end, lines, index)) continue;
      if (overlaps(spans, start, end)) continue;
      spans.push(start, end);
      const value = c.provider.id === PRIVATE_KEY_RULE_ID ? keyMaterial(text, end, lines, index) : secret;
      out.push({ rule: c.meta, line: number, column: start + 1, message: c.provider.title, secret: value });
    }
  }
}

function acceptProviderSecret(p: ProviderRule, secret: string, text: string, end: number, lines: FileChange['addedLines'], index: number): boolean {
  if (p.id === PRIVATE_KEY_RULE_ID) return keyMaterial(text, end, lines, index).length >= 40;
  if (p.exclude?.test(secret)) return false;
  if (p.minEntropy !== undefined && shannon(secret) < p.minEntropy) return false;
  if (p.id !== 'secret.twitter-bearer-token' && /(.)\1{7}/.test(secret)) return false;
  if (p.id === 'secret.jwt' && isExampleJwt(secret)) return false;
  return true;
}

/** Key material after a private key header: on the same line (escaped newlines) or the next added lines. */
function keyMaterial(text: string, end: number, lines: FileChange['addedLines'], index: number): string {
  const rest = text.slice(end).replace(/\\n/g, '\n');
  const same = /[A-Za-z0-9+/=]{40,}/.exec(rest);
  if (same) return same[0];
  const number = lines[index]!.number;
  for (let j = index + 1; j < lines.length && j <= index + 6 && lines[j]!.number === number + (j - index); j++) {
    const body = /^\s*["']?([A-Za-z0-9+/=]{40,})/.exec(lines[j]!.text);
    if (body) return body[1]!;
  }
  return '';
}

function isExampleJwt(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    return payload.sub === '1234567890' && payload.name === 'John Doe';
  } catch {
    return false;
  }
}

/** Only called on lines holding `://`. */
function scanUrls(text: string, number: number, out: RawFinding[], spans: number[]): void {
  forEachSchemeMatch(text, URL_CREDS, (m) => {
    const { user = '', pass = '' } = m.groups ?? {};
    const start = m.index + m[0].indexOf(`:${pass}@`) + 1;
    if (overlaps(spans, start, start + pass.length)) return;
    if (pass.length < 4 || URL_PLACEHOLDER.test(pass) || pass === user || /^[a-z]+$/.test(pass) || /^\d{1,5}$/.test(pass)) return;
    spans.push(start, start + pass.length);
    out.push({ rule: URL_RULE, line: number, column: start + 1, message: `Password in a ${m.groups!.scheme!.toLowerCase()} URL`, secret: pass });
  });
}

/** Only called on lines holding one of GENERIC_HINT_WORDS. */
function scanAssignments(text: string, number: number, codeFile: boolean, out: RawFinding[], spans: number[]): void {
  const docker = mayBeDockerEnv(text) ? DOCKER_ENV.exec(text) : null;
  if (docker) {
    judge(docker.groups!.name!, docker.groups!.value!, text.indexOf(docker.groups!.value!, docker.index), number, false, out, spans);
    return;
  }
  if (assignmentPrecheck && !mayAssignToHintName(text, codeFile)) return;
  ASSIGNMENT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ASSIGNMENT.exec(text)) !== null) {
    const { name = '', op = '', value = '' } = m.groups ?? {};
    if (op === '==' || op === '!=') continue;
    const quoted = /^["'`]/.test(value);
    if (!quoted && codeFile) continue; // an unquoted value in code is a variable or a call
    const start = m.index + m[0].lastIndexOf(value) + (quoted ? 1 : 0);
    judge(name, quoted ? value.slice(1, -1) : value, start, number, quoted, out, spans);
    ASSIGNMENT.lastIndex = m.index + m[0].length;
  }
}

/** DOCKER_ENV starts with spaces and ENV or ARG: false when the first other character is no E, A or space. */
function mayBeDockerEnv(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const c = text.charCodeAt(i);
  return c === 69 || c === 65 || c < 32 || c === 0xa0 || c >= 0x1680;
}

/**
 * Whether some hint word (or `pw`) of the line can lie inside the name of an ASSIGNMENT match
 * that judge() is given: the name (at most 61 name characters) runs on from the word to its end,
 * the operator starts within 6 characters after that (an optional quote and bracket, up to 4
 * spaces), and in code the value is quoted (a quote within 6 characters after the operator's
 * first). False means no match on this line can be reported.
 */
function mayAssignToHintName(text: string, codeFile: boolean): boolean {
  if (lineFacts.endsOverflow) return true;
  const ends = lineFacts.ends;
  for (let k = 0; k < lineFacts.endCount; k++) {
    const end = ends[k]!;
    let r = end;
    while (r < text.length && r - end <= NAME_MAX && isNameChar(text.charCodeAt(r))) r++;
    if (r - end > NAME_MAX) continue;
    for (let q = r; q <= r + 6 && q < text.length; q++) {
      const c = text.charCodeAt(q);
      if ((c === 61 || c === 58) && (!codeFile || quoteWithin(text, q + 1, q + 6))) return true; // = :
    }
  }
  return false;
}

function quoteWithin(text: string, from: number, to: number): boolean {
  for (let i = from; i <= to && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 96) return true; // " ' `
  }
  return false;
}
const NAME_MAX = 61;
/** Off only in the test that proves the pre-check changes no finding. */
let assignmentPrecheck = true;

/** [A-Za-z0-9_.-], the characters of an ASSIGNMENT name. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

function judge(name: string, value: string, start: number, number: number, _quoted: boolean, out: RawFinding[], spans: number[]): void {
  const last = name.split('.').pop() ?? name;
  const kind = nameKind(last);
  if (!kind) return;
  if (overlaps(spans, start, start + value.length)) return;
  if (notSecretReason(value, kind) !== null) return;
  spans.push(start, start + value.length);
  out.push({ rule: GENERIC_RULE, line: number, column: start + 1, message: `Literal ${kind} assigned to \`${last.slice(0, 60)}\``, secret: value.trim() });
}

/** Only called on lines with a long token run and none of HASH_CONTEXT_WORDS. */
function scanHighEntropy(text: string, number: number, out: RawFinding[], spans: number[]): void {
  tokenSpans.length = 0;
  tokenRuns(text, tokenSpans);
  for (let k = 0; k < tokenSpans.length; k += 2) {
    const index = tokenSpans[k]!;
    const end = tokenSpans[k + 1]!;
    if (!hasDigitUpperLower(text, index, end)) continue; // as the tests below, without copying the token (ids, hex digests)
    const token = text.slice(index, end);
    const v = token.replace(/=+$/, '');
    if (v.length < 32 || overlaps(spans, index, end)) continue;
    if (/^[0-9a-f]+$/i.test(v) || /^[A-Za-z_]+$/.test(v) || /^[a-z0-9_]+$/.test(v) || /[/_-]{2}|\/\w+\//.test(v)) continue;
    if (!/[0-9]/.test(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || /abcdefgh|01234567/i.test(v)) continue;
    if (randomness(v) < 0.85 || shannon(v) < 4.5) continue;
    spans.push(index, end);
    out.push({ rule: HIGH_ENTROPY_RULE, line: number, column: index + 1, message: 'High-entropy string', secret: token });
  }
}

/** Whether text[start, end) holds a digit, an upper-case and a lower-case ASCII letter. */
function hasDigitUpperLower(text: string, start: number, end: number): boolean {
  let seen = 0;
  for (let i = start; i < end && seen !== 7; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) seen |= 1;
    else if (c >= 65 && c <= 90) seen |= 2;
    else if (c >= 97 && c <= 122) seen |= 4;
  }
  return seen === 7;
}

/** A notebook's added line is a JSON string inside "source"/"outputs": read the code it holds. */
function unescapeNotebookLine(text: string): string {
  const m = /^\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/.exec(text);
  if (!m) return text;
  try {
    return (JSON.parse(m[1]!) as string).replace(/\n$/, '');
  } catch {
    return text;
  }
}

/** Findings of the lines of one file with the assignment pre-check off, for the test that compares both. */
export function scanWithoutAssignmentPrecheckForTest(path: string, texts: string[]): RawFinding[] {
  assignmentPrecheck = false;
  try {
    return scanLinesForTest(path, texts);
  } finally {
    assignmentPrecheck = true;
  }
}

export function scanLinesForTest(path: string, texts: string[]): RawFinding[] {
  const addedLines = texts.map((text, i) => ({ number: i + 1, text }));
  return secretDetector.scan({ path, addedLines } as unknown as FileChange, { config: null, notice: () => {} } as never) as RawFinding[];
}

export function scanLineForTest(text: string, path = 'file.txt'): RawFinding[] {
  return secretDetector.scan({ path, addedLines: [{ number: 1, text }] } as unknown as FileChange, { config: null, notice: () => {} } as never) as RawFinding[];
}
