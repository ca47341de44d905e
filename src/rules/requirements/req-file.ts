// pip's requirements-file format, read the way pip's own req_file.py reads it: physical lines
// (CRLF-tolerant) joined on a trailing `\`, a comment-only line ending a continuation, comments
// (`#` at the start or after whitespace) removed, then each logical line split into the
// requirement (tokens before the first one starting with `-`) and its options (shell-split,
// optparse rules: `--opt=v`, `--opt v`, `-rv`, unique prefixes of long options).

import { parseRequirement, plainPin, type NamedRequirement } from './pep508.ts';

export interface OptionValue {
  /** The canonical long name, e.g. `--extra-index-url`. */
  readonly name: string;
  readonly value: string | null;
}

/** What a requirement line asks pip to install. */
export type Target =
  | { kind: 'named'; requirement: NamedRequirement }
  | { kind: 'url'; name: string | null; url: string; marker: string | null }
  | { kind: 'local'; path: string };

interface Lines {
  /** First and last physical line (1-based) of the logical line. */
  readonly start: number;
  readonly end: number;
  /** The logical line after joining and comment removal. */
  readonly text: string;
}

export type Entry =
  | (Lines & {
      kind: 'requirement';
      target: Target;
      editable: boolean;
      /** How many `--hash` options it has (their values, checked, are never read again). */
      hashCount: number;
      /** Its options; none listed for a line of only `--hash=sha256:` options (a lock file's: see sha256HashCount). */
      options: OptionValue[];
    })
  | (Lines & { kind: 'options'; options: OptionValue[] })
  | (Lines & { kind: 'error'; error: string });

interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  /** Other long names of the same option (`--pypi-url` for `--index-url`). */
  readonly aliases?: readonly string[];
  readonly takesValue: boolean;
  /** The values pip accepts (optparse `choices`). */
  readonly choices?: readonly string[];
}

// The options of pip's req_file.py (SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ, pip 26).
const OPTIONS: readonly OptionSpec[] = [
  { long: '--index-url', short: '-i', aliases: ['--pypi-url'], takesValue: true },
  { long: '--extra-index-url', takesValue: true },
  { long: '--no-index', takesValue: false },
  { long: '--constraint', short: '-c', takesValue: true },
  { long: '--requirement', short: '-r', takesValue: true },
  { long: '--editable', short: '-e', takesValue: true },
  { long: '--find-links', short: '-f', takesValue: true },
  { long: '--no-binary', takesValue: true },
  { long: '--only-binary', takesValue: true },
  { long: '--prefer-binary', takesValue: false },
  { long: '--require-hashes', takesValue: false },
  { long: '--no-require-hashes', takesValue: false },
  { long: '--pre', takesValue: false },
  { long: '--all-releases', takesValue: true },
  { long: '--only-final', takesValue: true },
  { long: '--trusted-host', takesValue: true },
  { long: '--use-feature', takesValue: true, choices: ['fast-deps', 'inprocess-build-deps', 'venv-isolation', 'truststore', 'no-binary-enable-wheel-cache', 'build-constraint'] },
  // Options that belong to one requirement.
  { long: '--config-settings', short: '-C', takesValue: true },
  { long: '--hash', takesValue: true },
];

/** Options pip once had and now refuses, with what to use instead. */
const REMOVED: Readonly<Record<string, string>> = {
  '--global-option': 'pip removed --global-option (and --install-option); pass build settings with -C/--config-settings',
  '--install-option': 'pip removed --install-option; pass build settings with -C/--config-settings',
};

/** Every long name with the option it names. */
const LONG_NAMES: readonly [string, OptionSpec][] = OPTIONS.flatMap((o) => [[o.long, o] as [string, OptionSpec], ...(o.aliases ?? []).map((a) => [a, o] as [string, OptionSpec])]);

const STRONG_HASHES: Record<string, RegExp> = { sha256: /^[0-9a-fA-F]{64}$/, sha384: /^[0-9a-fA-F]{96}$/, sha512: /^[0-9a-fA-F]{128}$/ };
const URL_SCHEMES = /^(?:https?|file|ftp|(?:git|hg|svn|bzr)\+[a-z]+|git|svn|hg|bzr):/i;
const ARCHIVE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|tar\.lz|tlz)$/i;

// Hand-written scans instead of `/(^|\s+)#.*$/`, `/\\+$/` and `/\[[^\]]*\]$/`: on a long run of
// whitespace, backslashes or `[` those patterns retry at every position (quadratic time).

/** Whether a UTF-16 code unit is whitespace for a JavaScript regex `\s` (a char test without a regex per character). */
export function isWhitespaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Index just past the last line terminator (a regex `.` cannot cross one). */
function afterLastTerminator(text: string): number {
  return Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'), text.lastIndexOf('\u2028'), text.lastIndexOf('\u2029')) + 1;
}

/** The text before its comment: a `#` at the start or after whitespace, up to the end (pip's COMMENT_RE). */
export function stripComment(text: string): string {
  for (let i = text.indexOf('#', afterLastTerminator(text)); i !== -1; i = text.indexOf('#', i + 1)) {
    if (i === 0 || isWhitespaceCode(text.charCodeAt(i - 1))) return text.slice(0, i);
  }
  return text;
}

/** The text without a trailing `[extras]` group (no `]` inside), as `/\[[^\]]*\]$/` would remove it. */
function dropTrailingExtras(text: string): string {
  if (!text.endsWith(']')) return text;
  const open = text.indexOf('[', text.lastIndexOf(']', text.length - 2) + 1);
  return open === -1 || open >= text.length - 1 ? text : text.slice(0, open);
}

/** The text up to its first `[` that has no line terminator after it, as `/\[.*$/` would cut it. */
function cutAtBracket(text: string): string {
  const open = text.indexOf('[', afterLastTerminator(text));
  return open === -1 ? text : text.slice(0, open);
}

/**
 * Whether text[from, to) holds a line terminator a regex `.` stops at (LF never occurs within a
 * physical line). Asked only of comment lines COMMENT_RUN did not pass over (rare), or in the
 * line-by-line reading.
 */
function hasTerminator(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** Adds the logical line [start, end] after comment removal, unless nothing is left of it. */
function emit(out: Lines[], start: number, end: number, raw: string, mayHoldComment: boolean): void {
  // Without a `#` there is no comment: stripComment would return the text as it is, after five scans of it.
  const text = (mayHoldComment ? stripComment(raw) : raw).trim();
  if (text !== '') out.push({ start, end, text });
}

/**
 * A lock file's hashed requirement (pip-compile's and uv's shape): a first line `name==1.0 \`
 * without a `#` or an option, continued by lines that each hold one indented
 * `--hash=sha256:<64 hex>`, all ending in `\` but the last. Read as one match over the text
 * (HASH_RUN): its joined text, which the parse does not need, is made only when read (a dozen
 * slices and a join per entry were ~800 KB of young strings for an 800 KB lock file).
 */
class HashedLines implements Lines {
  private joined: string | undefined;
  constructor(
    readonly start: number,
    readonly end: number,
    /** The first line's text, trimmed: the requirement. */
    readonly requirement: string,
    readonly hashCount: number,
    /** Where its physical lines lie in the text: from the first line's start to the end of the last (its CR or LF excluded). */
    private readonly source: string,
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** The logical line as the line-by-line reading joins it (the same code, run on these lines alone). */
  get text(): string {
    return (this.joined ??= logicalLines(this.source.slice(this.from, this.to), false)[0]!.text);
  }
}

/** A HashedLines' requirement, parsed: what parseEntry makes of the joined line, without it. */
class HashedRequirement {
  readonly kind = 'requirement';
  readonly editable = false;
  readonly options: OptionValue[] = [];
  readonly start: number;
  readonly end: number;
  readonly hashCount: number;
  constructor(
    private readonly line: HashedLines,
    readonly target: Target,
  ) {
    this.start = line.start;
    this.end = line.end;
    this.hashCount = line.hashCount;
  }

  get text(): string {
    return this.line.text;
  }
}

/**
 * The continuation lines of a hashed requirement, from the one after its first line: each
 * `--hash=sha256:<64 hex>` after spaces or tabs ending in a space (so that the joined line has
 * whitespace before each option: breakArgsOptions splits there and SHA256_HASHES_ONLY reads one
 * token each), then spaces or tabs, then `\` and its newline, or the line's end without `\` (CR
 * LF or LF, or the end of the text, as logicalLines ends a line), which ends the requirement.
 * A match that ends after a newline stopped at a line of another shape: not a hashed requirement
 * (hashRunEnd). One alternation per line, not `(…\\\n)*` and a last line after it: ~20 % faster.
 */
const HASH_RUN = /(?:[ \t]* --hash=sha256:[0-9a-fA-F]{64}[ \t]*(?:\\\r?\n|(?=\r?\n|\r?$)))+/y;

/**
 * Comment-only lines (a lock file's `# via` lines) outside a continuation, each ending in LF or
 * CRLF with no other CR, U+2028 or U+2029 in it (one of those could end the comment early): lines
 * logicalLines would pass over one by one, passed over by one match.
 */
const COMMENT_RUN = /(?:[ \t]*#[^\r\n\u2028\u2029]*\r?\n)+/y;

/** The LFs in text[from, to). */
function linesIn(text: string, from: number, to: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** Where the hashed requirement's lines that start at `pos` end (before the last one's CR or LF), or -1 (HASH_RUN). */
function hashRunEnd(text: string, pos: number): number {
  HASH_RUN.lastIndex = pos;
  if (!HASH_RUN.test(text)) return -1;
  const to = HASH_RUN.lastIndex;
  return text.charCodeAt(to - 1) === 0x0a ? -1 : to;
}

/**
 * pip's join_lines + ignore_comments over physical lines as git numbers them (split on LF, a
 * trailing CR dropped, like pip's splitlines for real files): logical lines with the physical
 * range they came from. One pass over the text, without an array of its physical lines: a
 * line ending in `\` continues (backslashes at both its ends trimmed, as pip's join does), a
 * comment-only line ends a continuation, and a comment-only line on its own is skipped.
 * `runs`: a lock file's hashed requirement is read as one match (HashedLines), and a run of
 * comment-only lines passed over by one (COMMENT_RUN); false: every line read one by one.
 */
export function logicalLines(text: string, runs = true): Lines[] {
  const out: Lines[] = [];
  const n = text.length;
  // The continued lines so far, joined once when the logical line ends: appended one by one they
  // made a string of many parts that comment removal and trim copied whole again (a hashed lock
  // file's entry is a dozen lines: 800 KB of young copies for an 800 KB file).
  const pending: string[] = [];
  let pendingStart = 0; // the first of them (0: no continuation open)
  let pendingFrom = 0; // where the first of them starts in the text
  let pendingHash = false; // whether they hold a `#`
  let hashAt = -1; // the next `#` at or after the current line (n: none left)
  let number = 0;
  for (let pos = 0; pos < n; ) {
    if (runs && pendingStart === 0) {
      COMMENT_RUN.lastIndex = pos;
      if (COMMENT_RUN.test(text)) {
        const to = COMMENT_RUN.lastIndex;
        number += linesIn(text, pos, to);
        pos = to;
        continue;
      }
    }
    if (runs && pendingStart !== 0 && pending.length === 1 && !pendingHash) {
      // The line after a requirement's first line: a lock file's hashes, to its last?
      const requirement = pending[0]!.trim();
      // breakArgsOptions finds no option in it (no `-` at its start or after a space), and hashes follow.
      const to = requirement !== '' && requirement.charCodeAt(0) !== 0x2d && !requirement.includes(' -') ? hashRunEnd(text, pos) : -1;
      if (to !== -1) {
        const lines = 1 + linesIn(text, pos, to);
        number += lines;
        out.push(new HashedLines(pendingStart, number, requirement, lines, text, pendingFrom, to));
        pending.length = 0;
        pendingStart = 0;
        const lf = text.indexOf('\n', to);
        pos = lf === -1 ? n : lf + 1;
        continue;
      }
    }
    const lf = text.indexOf('\n', pos);
    const next = lf === -1 ? n : lf;
    const start = pos;
    const end = next > start && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
    pos = next + 1;
    number++;
    if (hashAt < start) {
      hashAt = text.indexOf('#', start);
      if (hashAt === -1) hashAt = n;
    }
    const hasHash = hashAt < end;
    let first = start;
    for (; first < end; first++) {
      const c = text.charCodeAt(first);
      if ((c > 0x20 && c < 0xa0) || !isWhitespaceCode(c)) break;
    }
    const commentOnly = first < end && text.charCodeAt(first) === 0x23;
    if (commentOnly || end === start || text.charCodeAt(end - 1) !== 0x5c) {
      if (pendingStart !== 0) {
        // A comment line closes a continuation; the leading space keeps it a comment once joined.
        if (commentOnly) pending.push(' ');
        pending.push(text.slice(start, end));
        emit(out, pendingStart, number, pending.join(''), pendingHash || hasHash);
        pending.length = 0;
        pendingStart = 0;
        pendingHash = false;
      } else if (!commentOnly) {
        emit(out, number, number, text.slice(start, end), hasHash);
      } else if (hasTerminator(text, first, end)) {
        // Only a comment, unless a CR or line separator inside ends the comment early.
        emit(out, number, number, ` ${text.slice(start, end)}`, true);
      }
    } else {
      if (pendingStart === 0) {
        pendingStart = number;
        pendingFrom = start;
      }
      pendingHash ||= hasHash;
      // The line without the backslashes at its start and its end.
      let from = start;
      let to = end;
      while (from < to && text.charCodeAt(from) === 0x5c) from++;
      while (to > from && text.charCodeAt(to - 1) === 0x5c) to--;
      pending.push(text.slice(from, to));
    }
  }
  if (pendingStart !== 0) emit(out, pendingStart, number, pending.join(''), pendingHash);
  return out;
}

/** POSIX shell-style splitting (as Python's shlex.split), enough for option values in quotes. */
export function shellSplit(text: string): string[] | null {
  const tokens: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  let i = 0;
  while (i < text.length) {
    // A run of characters that stand for themselves is copied as one slice, not character by character.
    const runStart = i;
    if (quote === "'") while (i < text.length && text[i] !== "'") i++;
    else if (quote === '"') while (i < text.length && text[i] !== '"' && text[i] !== '\\') i++;
    else while (i < text.length && !isShellSpecial(text.charCodeAt(i))) i++;
    if (i > runStart) current = (current ?? '') + text.slice(runStart, i);
    if (i >= text.length) break;
    const ch = text[i];
    if (quote === "'") quote = null;
    else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (i + 1 < text.length && '"\\$`'.includes(text[i + 1])) current += text[++i];
      else current += ch;
    } else if (isWhitespaceCode(text.charCodeAt(i))) {
      if (current !== null) tokens.push(current);
      current = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current ??= '';
    } else if (i + 1 < text.length) {
      current = (current ?? '') + text[++i]; // a backslash escapes the next character
    } else {
      current = (current ?? '') + ch;
    }
    i++;
  }
  if (quote) return null;
  if (current !== null) tokens.push(current);
  return tokens;
}

/** Characters shellSplit treats specially outside quotes: whitespace, quotes and the backslash. */
function isShellSpecial(c: number): boolean {
  return c === 0x27 || c === 0x22 || c === 0x5c || isWhitespaceCode(c);
}

function findLong(word: string): OptionSpec | string {
  const exact = LONG_NAMES.find(([name]) => name === word);
  if (exact) return exact[1];
  // optparse: a unique prefix of one long name (an alias is a name of its own).
  const candidates = LONG_NAMES.filter(([name]) => name.startsWith(word));
  if (candidates.length === 1) return candidates[0][1];
  if (candidates.length > 1) return `ambiguous option ${word} (${candidates.map(([name]) => name).join(', ')})`;
  const removed = Object.keys(REMOVED).find((name) => name.startsWith(word) && word.length > 2);
  return removed ? `no such option: ${word} (${REMOVED[removed]})` : `no such option: ${word}`;
}

// Only `--hash=sha256:<64 hex digits>` tokens between whitespace (`\s` is isWhitespaceCode's set).
// Linear: each repetition must take a whole token, so a failed match gives tokens back one by one.
const SHA256_HASHES_ONLY = /^(?:\s*--hash=sha256:[0-9a-fA-F]{64}(?!\S))*\s*$/;

/**
 * How many options a line's option text holds when it holds only `--hash=sha256:<64 hex digits>`
 * tokens between whitespace (a hashed lock file's), all valid as parseOptions and checkHash would
 * find them; -1 for anything else, which the full parser reads. Shell splitting, option lookup and
 * the hash check took most of a lock file's parse; here one native regex scan (a loop over the
 * characters ran interpreted, the code being cold), and no string or object per hash: the judge
 * needs only how many there are.
 */
export function sha256HashCount(text: string): number {
  if (!SHA256_HASHES_ONLY.test(text)) return -1;
  let count = 0;
  // Each token starts with `--hash=` and nothing else in such a text holds it.
  for (let at = text.indexOf('--hash='); at !== -1; at = text.indexOf('--hash=', at + SHA256_HASH_OPTION_LENGTH)) count++;
  return count;
}
/** `--hash=sha256:` and 64 hex digits. */
const SHA256_HASH_OPTION_LENGTH = '--hash=sha256:'.length + 64;

/** optparse over the option tokens of one logical line. */
export function parseOptions(text: string): OptionValue[] | string {
  const tokens = shellSplit(text);
  if (tokens === null) return 'unclosed quote';
  const values: OptionValue[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    let spec: OptionSpec | string;
    let attached: string | null = null;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      spec = findLong(eq === -1 ? token : token.slice(0, eq));
      if (eq !== -1) attached = token.slice(eq + 1);
    } else if (token.startsWith('-') && token.length > 1) {
      spec = OPTIONS.find((o) => o.short === token.slice(0, 2)) ?? `no such option: ${token.slice(0, 2)}`;
      if (token.length > 2) attached = token.slice(2);
    } else {
      return `unexpected "${token}" after the options (a requirement must come before its options)`;
    }
    if (typeof spec === 'string') return spec;
    if (!spec.takesValue) {
      if (attached !== null) return `${spec.long} option does not take a value`;
      values.push({ name: spec.long, value: null });
      continue;
    }
    let value = attached;
    if (value === null) {
      if (i + 1 >= tokens.length) return `${spec.long} option requires an argument`;
      value = tokens[++i];
    }
    if (spec.choices && !spec.choices.includes(value)) return `option ${spec.long}: invalid choice: '${value}' (choose from ${spec.choices.map((c) => `'${c}'`).join(', ')})`;
    values.push({ name: spec.long, value });
  }
  return values;
}

/**
 * pip's break_args_options: requirement tokens up to the first token that starts with `-` (tokens
 * split on single spaces). Found in place, without splitting the line: a hashed requirement's
 * joined line holds dozens of tokens, and empty ones for every run of spaces.
 */
export function breakArgsOptions(line: string): [string, string] {
  for (let k = line.indexOf('-'); k !== -1; k = line.indexOf('-', k + 1)) {
    if (k === 0) return ['', line];
    if (line.charCodeAt(k - 1) === 32) return [line.slice(0, k - 1), line.slice(k)];
  }
  return [line, ''];
}

export function isUrl(text: string): boolean {
  return URL_SCHEMES.test(text);
}

function looksLikePath(text: string): boolean {
  return text.startsWith('.') || text.startsWith('/') || text.startsWith('~') || /[\\/]/.test(text) || ARCHIVE.test(text) || /^[A-Za-z]:[\\/]/.test(text);
}

/** The `#egg=` name of a URL, if any. */
function eggName(url: string): string | null {
  const hash = url.indexOf('#');
  if (hash === -1) return null;
  const match = /(?:^|&)egg=([^&]+)/.exec(url.slice(hash + 1));
  return match ? cutAtBracket(match[1]) : null;
}

/** What a requirement string names, as pip's parse_req_from_line / parse_editable decide it. */
function parseTarget(text: string, editable: boolean): Target | string {
  if (editable) {
    if (isUrl(text)) {
      if (/^file:/i.test(text)) return { kind: 'local', path: text };
      if (!/^(?:git|hg|svn|bzr)\+/i.test(text)) return `${text} is not a valid editable requirement: it should be a local path or a VCS URL (git+https://…)`;
      return { kind: 'url', name: eggName(text), url: text, marker: null };
    }
    return { kind: 'local', path: text };
  }
  // `name==version`: no `:` (so not a URL), no slash, `;`, `[` or `@`, and no archive ending, so
  // not a path either; read without the full PEP 508 parser.
  const pin = plainPin(text);
  if (pin !== null && !ARCHIVE.test(text)) return { kind: 'named', requirement: pin };
  if (isUrl(text)) {
    // pip splits a marker off a bare URL only at "; " so that URLs may hold semicolons.
    const sep = text.indexOf('; ');
    const url = (sep === -1 ? text : text.slice(0, sep)).trim();
    const marker = sep === -1 ? null : text.slice(sep + 2).trim();
    if (/^file:/i.test(url)) return { kind: 'local', path: url };
    return { kind: 'url', name: eggName(url), url, marker };
  }
  const bare = dropTrailingExtras(text.split(';')[0].trim());
  if (looksLikePath(bare) && !bare.includes('@')) return { kind: 'local', path: bare };
  const parsed = parseRequirement(text);
  if (!parsed.ok) return `not a valid requirement: ${parsed.error}`;
  const requirement = parsed.value;
  if (requirement.url !== null) {
    if (/^file:/i.test(requirement.url)) return { kind: 'local', path: requirement.url };
    return { kind: 'url', name: requirement.name, url: requirement.url, marker: requirement.marker };
  }
  return { kind: 'named', requirement };
}

function checkHash(value: string): string | null {
  const colon = value.indexOf(':');
  if (colon === -1) return 'arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde…';
  const algorithm = value.slice(0, colon).toLowerCase();
  const digest = Object.hasOwn(STRONG_HASHES, algorithm) ? STRONG_HASHES[algorithm] : undefined;
  if (digest === undefined) return `--hash algorithm "${algorithm}" is not allowed (sha256, sha384, sha512)`;
  if (!digest.test(value.slice(colon + 1))) return `--hash value is not a ${algorithm} digest`;
  return null;
}

// The line's fields are written out rather than spread (`...line`): on 30k entries the spread made
// parsing 3× slower, and every later read of an entry slower too.
function parseEntry(line: Lines): Entry {
  if (line instanceof HashedLines) {
    // What the rest of this function makes of its joined line: the requirement before the first
    // option, `line.hashCount` valid sha256 hashes (sha256HashCount), no other option.
    const target = parseTarget(line.requirement, false);
    if (typeof target === 'string') return { start: line.start, end: line.end, text: line.text, kind: 'error', error: target };
    return new HashedRequirement(line, target);
  }
  const [args, optionText] = breakArgsOptions(line.text);
  const requirement = args.trim();
  let editableOption: OptionValue | undefined;
  let hashCount = 0;
  let options: OptionValue[] | string;
  // A hashed lock file's requirement: valid sha256 hashes only, nothing more to check (hashes on
  // a line of their own are listed: the judge reports them as belonging to no requirement).
  const count = requirement === '' ? -1 : sha256HashCount(optionText);
  if (count !== -1) {
    hashCount = count;
    options = [];
  } else {
    options = parseOptions(optionText);
    if (typeof options === 'string') return { start: line.start, end: line.end, text: line.text, kind: 'error', error: options };
    for (const option of options) {
      if (option.name === '--hash') {
        const problem = checkHash(option.value ?? '');
        if (problem) return { start: line.start, end: line.end, text: line.text, kind: 'error', error: problem };
      }
    }
    for (const option of options) {
      if (option.name === '--hash') hashCount++;
      else if (option.name === '--editable') editableOption ??= option;
    }
  }
  const requirementText = requirement !== '' ? requirement : (editableOption?.value ?? '');
  if (requirementText === '') return { start: line.start, end: line.end, text: line.text, kind: 'options', options };
  const editable = requirement === '' && editableOption !== undefined;
  const target = parseTarget(requirementText, editable);
  if (typeof target === 'string') return { start: line.start, end: line.end, text: line.text, kind: 'error', error: target };
  return { start: line.start, end: line.end, text: line.text, kind: 'requirement', target, editable, hashCount, options };
}

/** Every logical line of a requirements file, parsed. `runs` false: every line read one by one (logicalLines; tests compare the two). */
export function parseRequirementsFile(text: string, runs = true): Entry[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return logicalLines(body, runs).map(parseEntry);
}
