import type { GitwardConfig } from '../../config/types.ts';
import type { AddedLine, FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import { lineFacts as factsOfLines } from '../../engine/line-facts.ts';
import type { LineKeywords } from '../../engine/line-keywords.ts';
import { CARRIED_LINES, PerFile } from '../../engine/parts.ts';
import { notePrescanTaken } from '../../engine/prescans.ts';
import { windowScanOf } from '../../engine/window-prescan.ts';
import type { Detector, RuleContext } from '../types.ts';
import { assignmentsIn, withoutExpansions, bareLiteralContext, type Candidate, type HintEnds, headersIn, isAssignmentNameChar, labelledValue, libpqNameContext, loginsIn, optionDefaultsIn, pairsIn } from './assignment.ts';
import { notebookLines, placeInOneLineNotebook } from './notebook-lines.ts';
import { asciiLowerCase } from '../../engine/file-names.ts';
import { forEachSchemeMatch, leadingLiteral, leadingNames, tokenRuns } from './candidates.ts';
import { expectedEntropy, shannon } from './entropy.ts';
import { isPublishedExample } from './examples.ts';
import { isCodeFile, isDocumentation, isLockFile, isMinified, isPublicMaterial, isShellScript } from './file-kind.ts';
import type { CustomRule } from './custom.ts';
import { hasLongRun, KeywordScanner } from './keyword-scan.ts';
import { isManifestSecret, isYamlPath, secretManifestValues } from './kubernetes.ts';
import type { ProviderRule } from './provider.ts';
import { PROVIDER_IDS, PROVIDER_KEYWORDS, PROVIDER_MIN_LENGTHS } from './providers/keywords.ts';
import { PROVIDER_COUNT, providerAt } from './providers/rows.ts';
import { PRIVATE_KEY_RULE_ID } from './providers/keys.ts';
import { alphabetOf, base64Text, escapesDecoded, isNonSecretName, isPublicKeyDer, isPasswordHash, isPlaceholder, isUnspacedAppPassword, looksLikeWords, nameKind, namesKeyOrSecret, notSecretReason, percentDecoded, randomness, withoutAccents } from './value.ts';

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
    catches: 'A password, token, secret or API key name assigned a literal that is random-looking, or for passwords mixes character classes, and is not a placeholder, variable, path, URL, hash, UUID or a published example credential. One parser reads every syntax: Python, YAML, JSON, TOML, INI, properties, HCL/Terraform (variable defaults too), shell/.env, Dockerfile ENV/ARG, make (:=, ::=, ?=, +=), Go, Java/Kotlin/C# (typed declarations, setProperty/put calls, annotations), PHP (define, =>, .=), Ruby, XML elements (also split over lines) and key/value attributes, .NET and JDBC connection strings, Authorization headers, curl -u, notebooks. Base64 values (Kubernetes Secret data) are decoded before they are judged. In documentation (docs/, *.md, *.rst) it warns.',
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
    catches: 'A quoted or assigned string of 32+ characters whose randomness is close to its alphabet maximum, or to what a random string of its length measures, outside lock files, hashes and stored password hashes, data URIs and base64 images, certificates and key blocks, wrapped base64 blocks, public keys, vector art files and diagrams, and CI-encrypted `secure:` values, and that is neither base64 of plain text nor words joined by separators (a branch or a slug).',
    why: 'Random strings are often keys without a recognisable name; this is a warning to look, not a block.',
    fix: 'If it is a credential, move it to the environment or a secret manager and rotate it; otherwise allow it.',
  },
};

/** A custom rule's documentation, as `gitward rules` and the report show it. */
export function customMeta(r: CustomRule): RuleMeta {
  return {
    id: r.id,
    category: 'secret',
    severity: r.severity,
    title: `${r.title} in the change`,
    doc: {
      catches: `${r.title} (a custom rule of the config: [[custom-rules]] id "${r.id}").`,
      why: WHY,
      fix: 'Remove it from the change and load it from the environment or a secret manager; revoke it and issue a new one.',
    },
  };
}

interface Compiled {
  readonly provider: ProviderRule;
  readonly meta: RuleMeta;
  /** The provider's keywords (a built-in row's, without making the row). */
  readonly keywords: readonly string[];
  /** No match is shorter (min-length.ts; 0 for a custom rule): a shorter line is not searched, its row not made. */
  readonly minLength: number;
  /** The provider's pattern with the g flag (the y flag when it has a lead: see nextMatch), made on the first line that needs it. */
  pattern: RegExp | null;
  /** The pattern's leading literal (leadOf), worked out on the row's first use: undefined until then. */
  lead?: string | null;
  /** Whether a line may hold a match, by the names the pattern opens with (namesGate): undefined until worked out. */
  mayMatch?: ((text: string) => boolean) | null;
  /** A custom rule limited to some paths: whether it applies to a file (never to a message). */
  appliesToPath?: (path: string) => boolean;
}

/** A built-in row: its provider rule and documentation are made when a line first holds one of its keywords. */
class BuiltInRow implements Compiled {
  pattern: RegExp | null = null;
  lead: string | null | undefined = undefined;
  mayMatch: ((text: string) => boolean) | null | undefined = undefined;
  #meta: RuleMeta | null = null;
  constructor(
    private readonly index: number,
    readonly keywords: readonly string[],
    readonly minLength: number,
  ) {}

  get provider(): ProviderRule {
    return providerAt(this.index);
  }

  get meta(): RuleMeta {
    return (this.#meta ??= providerMeta(this.provider));
  }
}

if (PROVIDER_KEYWORDS.length !== PROVIDER_COUNT || PROVIDER_IDS.length !== PROVIDER_COUNT || PROVIDER_MIN_LENGTHS.length !== PROVIDER_COUNT) {
  throw new Error(`secrets: ${PROVIDER_KEYWORDS.length} keyword lists, ${PROVIDER_IDS.length} ids and ${PROVIDER_MIN_LENGTHS.length} lengths for ${PROVIDER_COUNT} provider rows (rebuild)`);
}
const compiled: Compiled[] = PROVIDER_KEYWORDS.map((keywords, i) => new BuiltInRow(i, keywords, PROVIDER_MIN_LENGTHS[i]!));

function searchPattern(c: Compiled): RegExp {
  if (c.pattern !== null) return c.pattern;
  const { source, flags } = c.provider;
  const bare = flags.replace('g', '');
  return (c.pattern = new RegExp(source, leadOf(c) === null ? `${bare}g` : `${bare}y`));
}

/**
 * The row's leftmost match starting at `from` or later, as its pattern with the g flag finds it.
 * Every match of a row with a lead starts with the lead: the pattern is tried (sticky) at each of
 * the lead's places in turn, found by indexOf. Searched with the g flag from the first place, a
 * pattern that starts with lookbehinds (most rows) was tried at every character of the rest of the
 * line, which on a 1 MiB window is a pass over it for each row whose keyword occurs once.
 */
function nextMatch(c: Compiled, text: string, from: number): RegExpExecArray | null {
  const lead = leadOf(c);
  // Not asked again on later searches of the line (a match was found: the line holds a name).
  if (lead === null && from === 0) {
    const mayMatch = c.mayMatch !== undefined ? c.mayMatch : (c.mayMatch = namesGate(c.provider.source, c.provider.flags));
    if (mayMatch !== null && !mayMatch(text)) return null;
  }
  const pattern = searchPattern(c);
  if (lead === null) {
    pattern.lastIndex = from;
    return pattern.exec(text);
  }
  for (let at = text.indexOf(lead, from); at !== -1; at = text.indexOf(lead, at + 1)) {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (m !== null) return m;
  }
  return null;
}

/**
 * For a pattern that opens with names (leadingNames; keyed rows), a necessary condition for a match
 * in a line: it holds one of them, ASCII case aside under the i flag (which, without the u or v
 * flag, matches an ASCII letter only with that letter in either case: see asciiLowerCase). Null for
 * other patterns, and for the u and v flags (their case folding matches `k` with the Kelvin sign).
 * The keywords that make a row are not always its names (Lob's are `live_` and `test_`, words of
 * every test file), and a case-insensitive pattern costs ~0.2-0.4 ms to compile on its first run.
 */
export function namesGate(source: string, flags: string): ((text: string) => boolean) | null {
  if (flags.includes('u') || flags.includes('v')) return null;
  const names = leadingNames(source);
  if (names === null) return null;
  if (!flags.includes('i')) return (text) => names.some((name) => text.includes(name));
  const lower = names.map(asciiLowerCase);
  return (text) => {
    const line = lowerCaseOnce(text);
    return lower.some((name) => line.includes(name));
  };
}

/**
 * A line lowered once for all the gated rows it is a candidate of (a 1 MiB window of minified JSON
 * may be one for several). Native toLowerCase, not asciiLowerCase: it lowers every ASCII letter in
 * place and never joins or splits a run of ASCII characters, so a name (ASCII) found in the line is
 * found in what it makes; what it does besides (the Kelvin sign to `k`) can only let a line through.
 */
function lowerCaseOnce(text: string): string {
  if (lowered.text !== text) lowered = { text, lower: text.toLowerCase() };
  return lowered.lower;
}
let lowered = { text: '', lower: '' };

/** A row's leading literal (see leadingLiteral), kept on the row; none for a case-insensitive or sticky pattern. */
function leadOf(c: Compiled): string | null {
  return c.lead !== undefined ? c.lead : (c.lead = /[iy]/.test(c.provider.flags) ? null : leadingLiteral(c.provider.source));
}

/** Words of which one must occur (case-insensitively) before the generic assignment rule runs. */
const GENERIC_HINT_WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'auth', 'cred', 'bearer'];
/** A line holding one of these (case-insensitively) is hashes, lock data or ids: no high-entropy warning. */
const HASH_CONTEXT_WORDS = [
  'integrity', ...Array.from({ length: 10 }, (_, d) => `sha${d}`), 'sha-', 'checksum', 'digest', 'hash', 'data:image', 'base64,', '"resolved"', '--hash=',
  'nonce', 'opaque=', 'fingerprint', 'commit', 'revision',
  // an ETag (`ETag: "…"`, `get_etag()`), not `getAge(`
  'etag:', 'etag=', 'etag(', 'etag"', "etag'", 'etag ', 'etag)',
  // an image in base64 (the start of a PNG's and a GIF's bytes)
  'ivborw0kggo', 'r0lgod',
  // public keys (known_hosts, authorized_keys, `public_key = "ssh-ed25519 …"`)
  'ssh-rsa ', 'ssh-ed25519 ', 'ssh-dss ', 'ecdsa-sha2-', 'sk-ssh-',
  // keys made for the browser (reCAPTCHA and Turnstile site keys, publishable keys), SOPS-encrypted values
  'sitekey', 'site_key', 'site-key', 'publishable', 'pk_live_', 'pk_test_', 'pk.eyj', 'enc[aes256_gcm,',
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
const AUTHORIZATION = 16;
const CURL_USER = 32;
const PEM_BEGIN = 64;
const PEM_END = 128;
const LOGIN = 256;
export const FLAG_SETS = [GENERIC_HINT_WORDS, HASH_CONTEXT_WORDS, PW_WORDS, ['://'], ['authorization'], ['-u ', '-u=', '--user', '-h "', "-h '", '--header'], ['-----begin '], ['-----end '], ['login(', 'auth(', 'auth=', 'auth =', 'jwt.', 'set_password(']];
/** The flag sets whose words' ends the keyword scan records: mayAssignToHintName looks after each. */
export const HINT_ENDS = HINT | PW;

/**
 * The provider rows a scan runs and the line scanner whose keyword groups index them. One pass
 * per line finds every provider keyword and flag word (and where name words end), so most lines
 * touch no regular expression at all.
 */
interface Table {
  rows: readonly Compiled[];
  facts: KeywordScanner;
  /** Rows of custom rules limited by `paths`. */
  pathLimited: readonly number[];
}

function tableOf(rows: readonly Compiled[]): Table {
  const pathLimited = rows.flatMap((r, i) => (r.appliesToPath ? [i] : []));
  return { rows, facts: new KeywordScanner(rows.map((r) => r.keywords), FLAG_SETS, HINT_ENDS), pathLimited };
}

const BUILT_IN = tableOf(compiled);
/** A config's custom rules are one more stretch of the table, after the built-in rows (which win a shared span). */
const withCustom = new WeakMap<readonly CustomRule[], Table>();

function tableFor(config: GitwardConfig | null | undefined): Table {
  const custom = config?.customRules;
  if (!custom || custom.length === 0) return BUILT_IN;
  let table = withCustom.get(custom);
  if (!table) {
    const rows = custom.map((r): Compiled => ({ provider: r, meta: customMeta(r), keywords: r.keywords, minLength: 0, pattern: null, ...(r.appliesToPath ? { appliesToPath: r.appliesToPath } : {}) }));
    table = tableOf([...compiled, ...rows]);
    withCustom.set(custom, table);
  }
  return table;
}

/** Rows not to run on this change: path-limited custom rules whose globs miss it (all of them on a message). */
function skippedRows(table: Table, change: FileChange): Set<number> | null {
  if (table.pathLimited.length === 0) return null;
  const skipped = table.pathLimited.filter((i) => change.location !== undefined || !table.rows[i]!.appliesToPath!(change.path));
  return skipped.length > 0 ? new Set(skipped) : null;
}

const DOCKER_ENV = /^\s*(?:ENV|ARG)\s+(?<name>[A-Za-z_][A-Za-z0-9_]{0,60})\s+(?<value>[^\s=]{1,300})\s*$/;
/** Tried only where forEachSchemeMatch finds a `://` (sticky: at that one start). */
export const URL_CREDS = /(?<scheme>[a-z][a-z0-9+.-]{1,20}):\/\/(?<user>[^\s:@/'"<>]{0,100}):(?<pass>[^\s@/'"<>]{1,200})@(?<host>[^\s/'"?#:<>,]{1,200})/iy;
// Not localhost: a tunnel to a real database is reached there, and its password is real. The
// addresses reserved for documentation are (RFC 3849: 2001:db8::/32; RFC 5737: 192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24).
const EXAMPLE_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$|^\[2001:0?db8:[0-9a-f:.]*\]$|^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/i;
/** A user name that says the account is for tests. */
const TEST_USER = /^(?:test(?:ing|er|user)?|demo|guest|dummy|sample|example)$/i;
/**
 * A URL's user or password that is a placeholder as a whole: a word (`password`, `foo001`), a mask
 * (`[REDACTED]`, `****`) or a template (`${DB_PASSWORD}`, `{{ .pw }}`, `<password>`, `$PW`, `%PW%`).
 * Also asked of a password's decoded text (`%24%7BDB_PASSWORD%7D`), where only a whole value
 * may count: a strong password may hold a `{` or `<` once decoded.
 */
const URL_PLACEHOLDER_WHOLE = /^(?:pass(?:word)?\d?|pass\d?|pwd|secret|changeme|example|test|user|admin|root|guest|dummy|fake|mypassword|yourpassword|(?:foo|bar|baz|qux)\d{0,3}|xxx+|\*+|\.+|\[[A-Za-z _-]{1,20}\]|\$\{[^{}]{1,80}\}|\{\{[^{}]{1,80}\}\}|<[^<>]{1,80}>|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%)$/i;
/**
 * Marks of a placeholder anywhere in a URL's raw user or password. `$VAR` and `%VAR%` (`%VAR:~0,8%`,
 * `%VAR%-ro`) start templates; a `%` before two hex digits otherwise starts an escape (`%21…`), a
 * password's. (`[` and `]` are not allowed unescaped in a URL's user part: a bracketed word is a mask.)
 */
const URL_PLACEHOLDER_MARK = /^\$|^%[A-Za-z_]\w*(?::[^%]{0,20})?%|^%(?![0-9A-Fa-f]{2})|\{|<|x{3,}|\*{3,}|\.{3}|…|your|example|changeme|placeholder/i;
const isUrlPlaceholder = (raw: string) => URL_PLACEHOLDER_WHOLE.test(raw) || URL_PLACEHOLDER_MARK.test(raw);
/** [start, end) pairs of the line's token runs, as /[A-Za-z0-9+/_=-]{32,400}/g would match them (reused). */
const tokenSpans: number[] = [];

let allMetas: RuleMeta[] | null = null;

export const secretDetector: Detector = {
  name: 'secrets',
  // Made on first use (`gitward rules`, a config's [rules], SARIF): it makes every row.
  get rules() {
    return (allMetas ??= [...compiled.map((c) => c.meta), GENERIC_RULE, URL_RULE, HIGH_ENTROPY_RULE]);
  },
  // A config's [rules] needs only the names: no row is made for them (providerMeta's category).
  get ruleNames() {
    return [...PROVIDER_IDS.map((id) => ({ id, category: 'secret' as const })), GENERIC_RULE, URL_RULE, HIGH_ENTROPY_RULE];
  },
  messages: true,
  // The keyword pass over a long line's windows, and over long records' lines, from git's bytes as they come.
  prescans: (config) => {
    const facts = tableFor(config).facts;
    return { window: () => facts.prescan(), pieces: facts.pieceScanner() };
  },
  appliesTo: (change) => change.addedLines.length > 0,
  scan(change: FileChange, ctx: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    const table = tableFor(ctx?.config);
    const lineFacts = table.facts;
    const skipped = skippedRows(table, change);
    const path = change.path;
    const lockFile = isLockFile(path);
    const notebook = path.toLowerCase().endsWith('.ipynb');
    const codeFile = isCodeFile(path);
    const minified = isMinified(path);
    const publicFile = isPublicMaterial(path);
    const yaml = isYamlPath(path);
    // The lines' keyword events found in git's bytes, when this table's scanner found them; not for
    // a notebook, whose lines are read unescaped.
    const keywords = notebook ? undefined : factsOfLines(change.addedLines)?.keywords;
    const maxLine = ctx?.config?.limits.maxLineLength ?? 1024 * 1024;
    const docsFile = isDocumentation(path);
    const file: FileLoop = {
      lines: notebook ? notebookLines(change.addedLines, maxLine) : change.addedLines,
      facts: lineFacts,
      codeFile,
      docs: docsFile,
      docsFile,
      shell: isShellScript(path),
      markdownCell: false,
      cellIndent: 0,
      lastNumber: 0,
      findings,
      spans: [],
      index: 0,
      claimed: -1,
      rows: table.rows,
      skipped,
      path,
      ctx,
      maxLine,
      // YAML and notebooks carry state from line to line; a custom rule may match anything.
      passHashLines: hashLinePass && table === BUILT_IN && !yaml && !notebook,
      notebook,
      yaml,
      // Compiled code's text is symbols and constants (C++ names, a .pyc's docstrings): tokens only.
      tokensOnly: lockFile || minified || change.compiled === true,
      publicFile,
      printableRuns: change.printableRuns === true,
      inOutputs: false,
      inPem: false,
      encryptedIndent: -1,
      encryptedLine: -1,
      keywords: keywords !== undefined && lineFacts.owns(keywords) ? keywords : null,
    };
    // One call per line: a small function V8 optimizes after a few thousand lines, where the
    // loop inside scan() ran unoptimized until its file's lines were many (docs/performance.md).
    const states = change.part && change.newBlob !== null ? partStates.of(change.newBlob, ctx?.config, () => new Map()) : null;
    if (notebook && file.lines !== change.addedLines) scanLaidOut(file);
    else if (states === null) for (let index = 0; index < file.lines.length; index++) scanLine(file, index);
    else scanPart(file, states, change.part!.index);
    if (file.keywords !== null) notePrescanTaken('lists');
    if (yaml && !lockFile) scanSecretManifest(file);
    return findings;
  },
};

/**
 * What a file's scan carries from one line to the next (in a notebook's outputs, inside a PEM block,
 * under a YAML `encryptedData:`), kept across the parts of a large file (FilePart). A part used to
 * begin with none of it: the lines of a 600 KB notebook's plot, in its outputs, read as code past
 * the cut at 256 KiB (361 high-entropy warnings on one real notebook), and a certificate's body cut
 * there as tokens.
 */
interface CarriedState {
  /** In a notebook's `"outputs"`. */
  inOutputs: boolean;
  /** In a notebook's markdown cell (its `"cell_type"` seen, at `cellIndent`, and the cell not left since). */
  markdownCell: boolean;
  cellIndent: number;
  /** The number of the notebook line read last (a gap resets what notebookState knows). */
  lastNumber: number;
  /** Inside a PEM block (certificate, key, CSR) opened on an added line: its body is no token. */
  inPem: boolean;
  /** Indent of the `encryptedData:` key whose entries the lines below are (-1: none), and the line it was seen on. */
  encryptedIndent: number;
  encryptedLine: number;
}

/**
 * For the large file whose parts are being scanned: the state before each of the last lines of
 * the part scanned last (by line number: the next part begins with them again), and after its
 * end (-1, for a next part that carries no line).
 */
const partStates = new PerFile<Map<number, CarriedState>>();
const AFTER_PART = -1;

function scanPart(file: FileLoop, states: Map<number, CarriedState>, partIndex: number): void {
  const lines = file.lines;
  if (partIndex > 0) {
    const before = (lines.length > 0 ? states.get(lines[0]!.number) : undefined) ?? states.get(AFTER_PART);
    if (before !== undefined) Object.assign(file, before);
  }
  states.clear();
  const tail = Math.max(0, lines.length - CARRIED_LINES);
  for (let index = 0; index < tail; index++) scanLine(file, index);
  for (let index = tail; index < lines.length; index++) {
    if (!states.has(lines[index]!.number)) states.set(lines[index]!.number, carriedState(file));
    scanLine(file, index);
  }
  states.set(AFTER_PART, carriedState(file));
}

/**
 * A notebook with a line laid out of one-line JSON (notebook-lines.ts): its findings there all
 * stand at that line, so each says which cell, and which of its lines, it is in. (One line is
 * never cut into parts.)
 */
function scanLaidOut(file: FileLoop): void {
  const findings = file.findings;
  for (let index = 0; index < file.lines.length; index++) {
    const before = findings.length;
    scanLine(file, index);
    const where = findings.length > before ? placeInOneLineNotebook(file.lines[index]!) : undefined;
    if (where === undefined) continue;
    for (let k = before; k < findings.length; k++) findings[k] = { ...findings[k]!, details: [...(findings[k]!.details ?? []), `in ${where} (the notebook is one line of JSON)`] };
  }
}

function carriedState(file: FileLoop): CarriedState {
  return { inOutputs: file.inOutputs, markdownCell: file.markdownCell, cellIndent: file.cellIndent, lastNumber: file.lastNumber, inPem: file.inPem, encryptedIndent: file.encryptedIndent, encryptedLine: file.encryptedLine };
}

/** One file's scan as it goes through its lines: what scanLine reads and the state it carries. */
interface FileLoop extends FileFacts, CarriedState {
  readonly rows: readonly Compiled[];
  readonly skipped: Set<number> | null;
  readonly path: string;
  readonly ctx: RuleContext;
  readonly maxLine: number;
  readonly passHashLines: boolean;
  readonly notebook: boolean;
  readonly yaml: boolean;
  /** A lock file, a minified file or compiled code: only token formats are checked. */
  readonly tokensOnly: boolean;
  readonly publicFile: boolean;
  /** Runs of printable bytes from a binary blob (FileChange.printableRuns): no high-entropy warning. */
  readonly printableRuns: boolean;
  /** Documentation: the file's kind (docs/, *.md, *.rst). `docs` is this, or a notebook's markdown cell. */
  readonly docsFile: boolean;
  docs: boolean;
  /** The lines' keyword events, found as git printed them (engine/line-keywords.ts), or null. */
  readonly keywords: LineKeywords | null;
}

/**
 * Where a notebook's line is: in a cell's outputs (a value shown, not written: no assignment is
 * judged there), in a markdown cell (prose, read as documentation: a generic finding warns) or in
 * code. A cell's type counts from its `"cell_type"` line until a brace less indented than it (the
 * cell's own end): Jupyter writes the keys sorted, the type before the source, and where a writer
 * puts the source first its cell is read as code. An edit that adds a markdown cell's lines but not
 * its type line is read as code as well.
 */
function notebookState(file: FileLoop, text: string, number: number): void {
  // A gap in the added lines (an edit: the lines between are unchanged, unseen) may hide a cell's
  // end or a source key: what was known no longer holds, and the line is read as code.
  if (number !== file.lastNumber && number !== file.lastNumber + 1) [file.inOutputs, file.markdownCell] = [false, false];
  file.lastNumber = number;
  if (NOTEBOOK_OUTPUTS_KEY.test(text)) file.inOutputs = true;
  else if (NOTEBOOK_CELL_KEY.test(text)) {
    file.inOutputs = false;
    const type = NOTEBOOK_CELL_TYPE.exec(text);
    if (type !== null) {
      file.cellIndent = type[0].length - type[0].trimStart().length;
      // Only at an indent a cell's own brace can stand below (a layout of indent 0 never ends one).
      file.markdownCell = type[1] === 'markdown' && file.cellIndent > 0;
    }
  } else if (file.markdownCell && BRACE_ONLY.test(text) && text.length - text.trimStart().length < file.cellIndent) file.markdownCell = false;
  file.docs = file.docsFile || file.markdownCell;
}
const NOTEBOOK_CELL_TYPE = /^\s*"cell_type"\s*:\s*"([a-z]+)"/;
const BRACE_ONLY = /^\s*[{}\[\]][{}\[\],\s]*$/;

/** A notebook's keys that open a cell's outputs, and that leave them (its next source or cell). */
const NOTEBOOK_OUTPUTS_KEY = /^\s*"outputs"\s*:/;
const NOTEBOOK_CELL_KEY = /^\s*"(?:source|cell_type)"\s*:/;

/** Only windows of lines past RAW_LINE_CHARS (1 MiB) are scanned as they come: shorter lines ask nothing. */
const WINDOW_SCAN_MIN = 64 * 1024;

function scanLine(file: FileLoop, index: number): void {
  const line = file.lines[index]!;
  let text = line.text;
  if (file.passHashLines && text.length >= SHORTEST_HASH_LINE && text.length <= file.maxLine && HASH_ONLY_LINE.test(text)) return;
  let outputLine = false;
  if (file.notebook) {
    notebookState(file, text, line.number);
    outputLine = file.inOutputs;
    text = unescapeNotebookLine(text);
  }
  const long = text.length > file.maxLine;
  if (long) file.ctx?.notice?.(`${file.path}:${line.number}: line longer than ${file.maxLine} characters; only token formats were checked`);
  // Spans (start, end pairs) of this line's findings: a later rule never reports inside one.
  const spans = file.spans;
  if (spans.length !== 0) spans.length = 0;
  const lineFacts = file.facts;
  // A long line's window may have been scanned as it came (engine/window-prescan.ts): that scan,
  // unless the text read is not the window's own (a notebook's, unescaped).
  // A short line's events may have been found in the bytes it was cut from (engine/line-keywords.ts).
  const keywords = file.keywords;
  const events = keywords === null ? -1 : keywords.read(file.lines, index);
  if (events >= 0) lineFacts.replay(keywords!.events, events, keywords!.eventsEnd, keywords!.lineStart);
  else lineFacts.scan(text, text.length >= WINDOW_SCAN_MIN && !file.notebook ? windowScanOf(line) : undefined);
  const flags = lineFacts.flags;
  const findings = file.findings;
  if (lineFacts.groupCount > 0) scanProviders(file.rows, file.skipped, text, line.number, file.lines, index, findings, spans, lineFacts.groups, lineFacts.groupCount);
  if (long || file.tokensOnly) return;
  // Asked of every line, though only YAML answers: see highEntropyIfLong.
  if (inEncryptedData(file, text, line.number)) return;
  if ((flags & URL_MARK) !== 0) scanUrls(text, line.number, file.docs, findings, spans);
  if (outputLine) return;
  file.index = index;
  if ((flags & (HINT | AUTHORIZATION | CURL_USER | LOGIN)) !== 0) scanAssignments(text, flags, file);
  highEntropyIfLong(file, text, line.number, index, flags);
}

/**
 * In a YAML file, whether the line is an entry of a SealedSecret's `encryptedData:` (ciphertext made
 * to be committed: the cluster holds the key), keeping that state from line to line.
 */
function inEncryptedData(file: FileLoop, text: string, number: number): boolean {
  if (!file.yaml) return false;
  const indent = text.length - text.trimStart().length;
  if (file.encryptedIndent >= 0 && (number !== file.encryptedLine + 1 || indent <= file.encryptedIndent)) file.encryptedIndent = -1;
  if (file.encryptedIndent >= 0) {
    file.encryptedLine = number;
    return true;
  }
  if (ENCRYPTED_DATA.test(text)) [file.encryptedIndent, file.encryptedLine] = [indent, number];
  return false;
}

/**
 * The PEM state and the high-entropy rule, asked of every line that gets this far. A small function
 * called from one place on every line, not branches of scanLine: V8 optimizes scanLine after a few
 * thousand lines, and a branch first taken after that (the first YAML file's `trimStart`, the first
 * line with a long token run) threw its optimized code away and left it in baseline code for
 * thousands more lines (docs/performance.md, "Round 10: large changes").
 */
function highEntropyIfLong(file: FileLoop, text: string, number: number, index: number, flags: number): void {
  const pemEdge = (flags & (PEM_BEGIN | PEM_END)) !== 0;
  if (pemEdge) file.inPem = (flags & PEM_BEGIN) !== 0 && (flags & PEM_END) === 0;
  // Without a 32-character token run the high-entropy pattern cannot match.
  if (file.publicFile || file.printableRuns || file.inPem || pemEdge || file.claimed === index || (flags & HASH_CONTEXT) !== 0 || !hasLongRun(text)) return;
  scanHighEntropy(text, number, file.findings, file.spans, file.lines, index);
}

/**
 * A hashed lock file's hash line, as pip-compile and uv write them (`    --hash=sha256:<64 hex> \`):
 * most lines of such a file. No rule can report on it, so it is passed over without the keyword
 * pass: the only keywords it can hold belong to seven provider rows whose patterns need an
 * upper-case letter, a `q`, `t` or `p`, or a run of 42 characters ending where a 64-, 96- or
 * 128-digit hex run cannot; no credential hint, URL, header, login or PEM word fits in it, and
 * `--hash=` itself keeps the high-entropy rule off it. test/secrets-hash-lines.test.ts checks
 * each step against the table (a new row whose keyword fits such a line fails it) and runs every
 * provider's positives in, beside and after such lines. Only exact lower-case digests of pip's
 * strong hashes qualify; anything more on the line (a comment, a token) is scanned as before.
 */
export const HASH_ONLY_LINE = /^[ \t]*--hash=sha(?:256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})[ \t\r]*(?:\\[ \t\r]*)?$/;
const SHORTEST_HASH_LINE = '--hash=sha256:'.length + 64;

/** What the assignment shapes need of the file being scanned. */
interface FileFacts {
  readonly lines: FileChange['addedLines'];
  /** The line scanner of this scan's table (built-in rows, and the config's custom rules). */
  readonly facts: KeywordScanner;
  readonly codeFile: boolean;
  /** Documentation: generic findings warn. */
  readonly docs: boolean;
  /** A shell script or a Dockerfile: double quotes expand `$NAME`. */
  readonly shell: boolean;
  readonly findings: RawFinding[];
  readonly spans: number[];
  /** Index of the line being scanned. */
  index: number;
  /** A later line whose value a shape already reported (its line gets no high-entropy warning). */
  claimed: number;
}

function overlaps(spans: number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (start < spans[i + 1]! && end > spans[i]!) return true;
  return false;
}

function scanProviders(
  rows: readonly Compiled[],
  skipped: Set<number> | null,
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
    if (skipped?.has(candidates[k]!)) continue;
    const c = rows[candidates[k]!]!;
    if (minLengthGate && text.length < c.minLength) continue;
    let m: RegExpExecArray | null;
    for (let from = 0; (m = nextMatch(c, text, from)) !== null; ) {
      // The next search starts after this match (one character on after an empty one, as the g flag's loop does).
      from = m.index + Math.max(m[0].length, 1);
      if (m[0].length === 0) continue;
      const secret = m.groups?.secret ?? m[0];
      const start = m.index + m[0].indexOf(secret);
      const end = start + secret.length;
      if (isPublishedExample(secret)) {
        spans.push(start, end); // a documentation example: no other rule reports inside it either
        continue;
      }
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
  if (p.allowRepeats !== true && /(.)\1{7}/.test(secret)) return false;
  if (p.id === 'secret.jwt' && isExampleJwt(secret)) return false;
  return p.valid === undefined || p.valid(secret);
}

/**
 * Key material after a private key header: on the same line (escaped newlines), within KEY_REACH
 * characters (a line of many headers read the rest of the line once for each), or on the next
 * added lines: each numbered as the one before or one more (the text of a binary file may give
 * one line several entries: engine/binary-text.ts).
 */
function keyMaterial(text: string, end: number, lines: FileChange['addedLines'], index: number): string {
  const rest = text.slice(end, end + KEY_REACH).replace(/\\n/g, '\n');
  const same = KEY_BODY.exec(rest);
  if (same) {
    const after = rest.slice(same.index + same[0].length);
    // Cut short, and no more body after the cut: an example's (a key with its body intact is one).
    return ELIDED.test(after) && !KEY_BODY.test(after) && !moreBody(lines, index) ? '' : same[0];
  }
  for (let j = index + 1; j < lines.length && j <= index + 6 && isNextOrSame(lines[j]!.number - lines[j - 1]!.number); j++) {
    const body = /^\s*["']?([A-Za-z0-9+/=]{40,})(.*)$/.exec(lines[j]!.text);
    if (body) return ELIDED.test(body[2]!) && !moreBody(lines, j) ? '' : body[1]!;
  }
  return '';
}
const KEY_BODY = /[A-Za-z0-9+/=]{40,}/;
/** Whether one of the few lines after line `index` holds more of a key's body. */
function moreBody(lines: FileChange['addedLines'], index: number): boolean {
  for (let j = index + 1; j < lines.length && j <= index + 6; j++) if (KEY_BODY.test(lines[j]!.text)) return true;
  return false;
}
/** A key's body cut short on purpose (`MIIEvQIBADAN…`, `MIIE... (stored in KMS)`): an example's, not a key. */
const ELIDED = /^\s*(?:\.\.\.|…)/;

const KEY_REACH = 1024;
const isNextOrSame = (step: number) => step === 0 || step === 1;

function isExampleJwt(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    return payload.sub === '1234567890' && payload.name === 'John Doe';
  } catch {
    return false;
  }
}

/**
 * A necessary condition for URL_CREDS to match in the line: after a `://`, a `:` and, at least one
 * character later, an `@` (its user and password hold neither). Most lines with a URL have no
 * `@`: the pattern, case-insensitive and long, is then not compiled (~0.3 ms of a commit).
 */
export function mayHoldUrlCredentials(text: string): boolean {
  const scheme = text.indexOf('://');
  if (scheme === -1) return false;
  const colon = text.indexOf(':', scheme + 3);
  return colon !== -1 && text.indexOf('@', colon + 2) !== -1;
}

/** Only called on lines holding `://`. */
function scanUrls(text: string, number: number, docs: boolean, out: RawFinding[], spans: number[]): void {
  if (!mayHoldUrlCredentials(text)) return;
  forEachSchemeMatch(text, URL_CREDS, (m) => {
    const { user = '', pass = '' } = m.groups ?? {};
    const start = m.index + m[0].indexOf(`:${pass}@`) + 1;
    if (overlaps(spans, start, start + pass.length)) return;
    if (pass === 'x-oauth-basic' || pass === 'x-oauth-token') {
      // GitHub's form: the token is the user part, the password a fixed word.
      const userStart = m.index + m[0].indexOf('://') + 3;
      if (isUrlPlaceholder(user) || notSecretReason(user, 'secret', true) !== null || isPublishedExample(user) || overlaps(spans, userStart, userStart + user.length)) return;
      spans.push(userStart, userStart + user.length);
      out.push({ rule: URL_RULE, line: number, column: userStart + 1, message: `Token in a ${m.groups!.scheme!.toLowerCase()} URL`, secret: user, ...(docs ? { severity: 'warn' as const } : {}) });
      return;
    }
    // Lower-case letters are a word, but for a Google app password (`smtp://me:<16 letters>@smtp.gmail.com`).
    const appPassword = isUnspacedAppPassword(pass) && MAIL_WORDS.test(hostOf(text, m));
    if (pass.length < 4 || isUrlPlaceholder(pass) || pass === user || (/^[a-z]+$/.test(pass) && !appPassword) || /^\d{1,5}$/.test(pass) || isPublishedExample(pass)) return;
    // A test account's name in digits for letters (`testing:t3s71ng`): not a password. (Another
    // account's, `postgres:p0stgr3s`, is a weak real one.)
    if (TEST_USER.test(user) && unLeet(pass) === user.toLowerCase()) return;
    // As the text it stands for: `%XX` and a string literal's escapes decoded (`p\xe4ssword` is
    // `pässword`), accents dropped for the word tests below.
    const unescaped = percentDecoded(escapesDecoded(pass));
    // As short as a password too short to report (`%3A%40c` is `:@c`, `%F0%9F%92%A9` one emoji),
    // counted before accents go (`क्षिति` is six characters, not three).
    if ([...unescaped].length < 4) return;
    // A placeholder written in escapes (`%24%7BDB_PASSWORD%7D`, `%5BREDACTED%5D`), or a placeholder
    // word in escapes and punctuation (`bar%3a`, a test of how `:` is escaped).
    if (unescaped !== pass && (URL_PLACEHOLDER_WHOLE.test(unescaped) || URL_PLACEHOLDER_WHOLE.test(unescaped.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')))) return;
    const decoded = withoutAccents(unescaped);
    // On a host reserved for examples (RFC 2606: example.org, *.example, *.test, *.invalid), the
    // placeholders an assignment's value may be (`password123`, `abc123…`) are placeholders here too.
    // Elsewhere `Password2024!` is a weak real password, and blocks.
    if (EXAMPLE_HOST.test(hostOf(text, m)) && (isPlaceholder(pass) || isPlaceholder(decoded))) return;
    // Words (pass%20pass, pass%23pass, Secret) pass; a random mix of cases (GBqRGxbEXfHzKudIr) does not.
    if (!appPassword && /^[a-z]+(?:[^a-z0-9]+[a-z]+)*$/i.test(decoded) && (decoded.length < 12 || looksLikeWords(decoded) || !/[A-Z]/.test(decoded) || !/[a-z]/.test(decoded))) return;
    spans.push(start, start + pass.length);
    out.push({ rule: URL_RULE, line: number, column: start + 1, message: `Password in a ${m.groups!.scheme!.toLowerCase()} URL`, secret: pass, ...(docs ? { severity: 'warn' as const } : {}) });
  });
}

/** A word written with digits and symbols for letters (`t3s71ng`, `p@ss`), as its letters, in lower case. */
function unLeet(text: string): string {
  return text.toLowerCase().replace(/[013457@$!]/g, (c) => LEET[c]!);
}
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i' };

/** A URL_CREDS match's host: an IPv6 address whole (`[2001:db8::1]`, where the pattern's host stops at its first `:`). */
function hostOf(text: string, m: RegExpExecArray): string {
  const host = m.groups!.host!;
  if (!host.startsWith('[')) return host;
  const at = m.index + m[0].length - host.length;
  const close = text.indexOf(']', at);
  return close === -1 || close - at > 64 ? host : text.slice(at, close + 1);
}

const ENCRYPTED_DATA = /^\s*encryptedData:\s*$/;
const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Only called on lines holding one of GENERIC_HINT_WORDS, `authorization`, curl's -u or a login, JWT or keyring call's words. */
function scanAssignments(text: string, flags: number, file: FileFacts): void {
  const index = file.index;
  const judgeHere = (c: Candidate) => judge(c, file);
  if ((flags & (AUTHORIZATION | CURL_USER)) !== 0) headersIn(text, index, (flags & AUTHORIZATION) !== 0, (flags & CURL_USER) !== 0, judgeHere);
  if ((flags & LOGIN) !== 0) loginsIn(text, index, judgeHere);
  if ((flags & HINT) === 0) return;
  const docker = mayBeDockerEnv(text) ? DOCKER_ENV.exec(text) : null;
  if (docker) {
    judgeHere({ name: docker.groups!.name!, value: docker.groups!.value!, start: text.indexOf(docker.groups!.value!, docker.index), line: index, quoted: false });
    return;
  }
  labelledValue(file.lines, index, judgeHere);
  optionDefaultsIn(text, index, judgeHere);
  if (assignmentPrecheck && !mayAssignToHintName(file.facts, text, file.codeFile)) return;
  const facts = file.facts;
  lineHints.ends = facts.ends;
  lineHints.count = facts.endCount;
  lineHints.complete = !facts.endsOverflow;
  assignmentsIn(text, index, file.codeFile, judgeHere, assignmentPrecheck ? lineHints : null);
  pairsIn(text, index, judgeHere);
}

/** The hint word ends of the line being scanned, for assignmentsIn (reused). */
const lineHints: HintEnds = { ends: new Int32Array(0), count: 0, complete: true };

/** DOCKER_ENV starts with spaces and ENV or ARG: false when the first other character is no E, A or space. */
function mayBeDockerEnv(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const c = text.charCodeAt(i);
  return c === 69 || c === 65 || c < 32 || c === 0xa0 || c >= 0x1680;
}

/**
 * Whether some hint word (or `pw`) of the line can lie inside the name that assignmentsIn() or
 * pairsIn() judges: the name (at most 61 name characters) runs on from the word to its end, and an
 * operator (`=`, `:`, `,`) or an element's `>` follows within OP_WINDOW characters (a closing quote,
 * a type, spaces). In code the value must be quoted (a quote within 12 characters after the
 * operator's first) or the name must stand where a bare value is a literal (`;Password=v`).
 * False means no shape of those two can report on this line.
 *
 * Each word's window is searched natively, not walked character by character, and what a search
 * found is kept while the words move on: a large commit's ~7,500 hint lines run this mostly
 * before V8 optimizes it, where each character walked costs a call or two in the interpreter.
 */
export function mayAssignToHintName(lineFacts: KeywordScanner, text: string, codeFile: boolean): boolean {
  if (lineFacts.endsOverflow) return true;
  const ends = lineFacts.ends;
  /** The first operator character at or after the last search's start; -1: none, -2: not searched yet. */
  let firstOperator = -2;
  /** The first place at or after the last search's start that answers without a bare context; -1: none, -2: not searched yet. */
  let quotedOperator = -2;
  for (let k = 0; k < lineFacts.endCount; k++) {
    const end = ends[k]!;
    let r = end;
    while (r < text.length && r - end <= NAME_MAX && isAssignmentNameChar(text.charCodeAt(r))) r++;
    if (r - end > NAME_MAX) continue;
    // Only an operator character can answer below, so the window is walked from the first one at
    // or after r, found natively (in prose most hint words have none near). The ends ascend and so
    // does r: a search holds until r passes what it found, and none found means none for any end.
    if (firstOperator < r && firstOperator !== -1) {
      OPERATOR_CHAR.lastIndex = r;
      firstOperator = OPERATOR_CHAR.test(text) ? OPERATOR_CHAR.lastIndex - 1 : -1;
    }
    if (firstOperator === -1) return false;
    if (firstOperator > r + OP_WINDOW) continue;
    let bare = !codeFile;
    if (codeFile) {
      let s = end;
      while (s > 0 && isAssignmentNameChar(text.charCodeAt(s - 1))) s--;
      bare = s > 0 && (bareLiteralContext(text, s - 1) || libpqNameContext(text, text.charCodeAt(s - 1)));
    }
    // Bare: any operator character answers, and firstOperator is one inside the window.
    if (bare) return true;
    // Otherwise a `>`, or `=`, `:`, `,` with a quote within the next 12 characters: the first such
    // place at or after firstOperator (none between r and it), searched again once r passes it.
    if (quotedOperator < firstOperator && quotedOperator !== -1) {
      QUOTED_OPERATOR.lastIndex = firstOperator;
      quotedOperator = QUOTED_OPERATOR.test(text) ? QUOTED_OPERATOR.lastIndex - 1 : -1;
    }
    if (quotedOperator !== -1 && quotedOperator <= r + OP_WINDOW) return true;
  }
  return false;
}
const OP_WINDOW = 64;
/** The characters mayAssignToHintName's window looks for: `>`, `=`, `:` and `,`. */
const OPERATOR_CHAR = /[>=:,]/g;
/** `>`, or `=`, `:`, `,` followed within 12 characters by a quote: one character matched, the quote looked ahead to. */
const QUOTED_OPERATOR = />|[=:,](?=[^]{0,11}["'`])/g;
const NAME_MAX = 61;


/** A Kubernetes Secret's `data:` values, decoded and judged whatever their keys are called. */
function scanSecretManifest(file: FileFacts): void {
  for (const v of secretManifestValues(file.lines)) {
    const number = file.lines[v.line]!.number;
    if (file.findings.some((f) => f.line === number)) continue;
    if (isPublishedExample(v.value) || !isManifestSecret(v.value, (text) => notSecretReason(text, 'password', true) === null)) continue;
    file.findings.push({
      rule: GENERIC_RULE,
      line: number,
      column: v.start + 1,
      message: `Kubernetes Secret value \`${v.key.slice(0, 60)}\` (base64 of a literal secret)`,
      secret: v.value,
      ...(file.docs ? { severity: 'warn' as const } : {}),
    });
  }
}

/** Reports a candidate whose name is a credential's and whose value is a secret; true when the name was a credential's. */
function judge(c: Candidate, file: FileFacts): boolean {
  // A "name" holding `=`, `|` or a space is text (an example line, a list of keywords), not a name.
  if (/[=|\s]/.test(c.name)) return false;
  const last = c.name.split('.').pop() ?? c.name;
  const kind = nameKind(last);
  const sameLine = c.line === file.index;
  if (!kind) {
    // A value the name calls public (a public key, a CSRF token) is no high-entropy token either.
    if (sameLine && c.value.length >= 32 && isNonSecretName(last)) file.spans.push(c.start, c.start + c.value.length);
    return false;
  }
  if (sameLine && overlaps(file.spans, c.start, c.start + c.value.length)) return true;
  // In a shell script "…$NAME…" is expanded: only its literal text is judged (a password holding
  // a `$` there would be broken by the shell itself).
  if (c.expands === true && file.shell) c = { ...c, value: withoutExpansions(c.value) };
  const keyLike = c.header === true || (UUID_VALUE.test(c.value.trim()) && namesKeyOrSecret(last)); // the name is asked only of a UUID
  if (!isSecretValue(c.value, kind, c.quoted, keyLike) && !(kind === 'password' && mailAppPassword(c, last, file))) return true;
  if (sameLine) file.spans.push(c.start, c.start + c.value.length);
  else file.claimed = c.line;
  file.findings.push({
    rule: GENERIC_RULE,
    line: file.lines[c.line]!.number,
    column: c.start + 1,
    message: `Literal ${kind} assigned to \`${last.slice(0, 60)}\``,
    secret: c.value.trim(),
    ...(file.docs ? { severity: 'warn' as const } : {}),
  });
  return true;
}

/** Words that say mail is sent: in a password's name (`EMAIL_HOST_PASSWORD`), its line (`smtplib`, `imap.gmail.com`) or a URL's host. */
const MAIL_WORDS = /mail|smtp|imap|pop3/i;

/**
 * A Google app password without its spaces (isUnspacedAppPassword) where mail is sent: under a
 * name or on a line that says so, or as a login call's password (`server.login(user, "…")`).
 */
function mailAppPassword(c: Candidate, name: string, file: FileFacts): boolean {
  const value = c.value.trim();
  // Only a verdict of words is overturned: a placeholder, a repeated letter or a pattern stays one.
  if (!isUnspacedAppPassword(value) || notSecretReason(value, 'password', c.quoted) !== 'words' || isPublishedExample(value)) return false;
  return c.header === true || MAIL_WORDS.test(name) || /app_?pass/i.test(name) || MAIL_WORDS.test(file.lines[c.line]?.text ?? '');
}

/**
 * Whether a literal is a secret for a name of this kind. Base64 of printable text (Kubernetes
 * Secret data, Basic auth, Laravel's `base64:` keys) is judged by what it decodes to; published
 * example credentials never are.
 */
function isSecretValue(raw: string, kind: 'password' | 'secret', quoted: boolean, keyLike: boolean): boolean {
  let value = raw.trim();
  if (value.startsWith('base64:')) value = value.slice(7);
  // The example list is asked last: hashing is dearer than the value tests, and rarely needed.
  // An API key shaped like an id, sent as a credential or named as a key (a zero or counting UUID is a placeholder).
  // Keys are random (version 4) UUIDs; time-based ones (RFC 4122's examples, namespace ids) are not keys.
  if (keyLike && UUID_VALUE.test(value)) return UUID_V4.test(value) && notSecretReason(value.replace(/-/g, ''), 'secret', true) === null && !isPublishedExample(value);
  const text = base64Text(value);
  let secret: boolean;
  if (text !== null) {
    const colon = text.indexOf(':');
    secret = colon > 0 ? notSecretReason(text.slice(colon + 1), 'password', true) === null : notSecretReason(text, kind, true) === null;
  } else {
    secret = notSecretReason(value, kind, quoted) === null;
  }
  return secret && !isPublishedExample(value);
}

/** An SSH public key's blob: base64 of its type's length and name (`ssh-rsa` is `AAAAB3NzaC1yc2E`, `ecdsa-sha2-…` `AAAAE2VjZHNh`). */
const SSH_PUBLIC_KEY = /AAAA[A-Z][0-9A-Za-z](?:NzaC1|VjZHNh)/;

/**
 * Whether the line continues, through lines ending in `\`, one that starts an SSH public key
 * (paramiko's tests wrap `host ssh-rsa AAAAB3…\` in a string): a public key's base64, no token.
 * Asked only of a line about to be reported, so its few steps back cost nothing on other lines.
 */
function continuesPublicKey(lines: readonly AddedLine[], lineIndex: number): boolean {
  for (let i = lineIndex - 1; i >= 0 && i >= lineIndex - 40; i--) {
    const line = lines[i]!;
    if (line.number !== lines[i + 1]!.number - 1 || !line.text.trimEnd().endsWith('\\')) return false;
    if (SSH_PUBLIC_KEY.test(line.text)) return true;
  }
  return false;
}

/** Only called on lines with a long token run and none of HASH_CONTEXT_WORDS. */
function scanHighEntropy(text: string, number: number, out: RawFinding[], spans: number[], lines: readonly AddedLine[], lineIndex: number): void {
  if (CI_ENCRYPTED_VALUE.test(text) || isBase85Line(text) || MERGE_OF_BRANCH.test(text)) return;
  tokenSpans.length = 0;
  tokenRuns(text, tokenSpans);
  for (let k = 0; k < tokenSpans.length; k += 2) {
    const index = tokenSpans[k]!;
    const end = tokenSpans[k + 1]!;
    if (!hasDigitUpperLower(text, index, end)) continue; // as the tests below, without copying the token (ids, hex digests)
    const token = text.slice(index, end);
    let v = token.replace(/=+$/, '');
    let at = index;
    const eq = v.lastIndexOf('=');
    if (eq >= 0) {
      // `name=value` in a query string or a flag: only the value can be a token.
      at += eq + 1;
      v = v.slice(eq + 1);
    }
    if (v.length < 32 || overlaps(spans, at, end)) continue;
    if (isWrappedBase64(text, token, lines, lineIndex) || base64Text(token.slice(at - index)) !== null || inPasswordHash(text, index)) continue;
    if (/^[0-9a-f]+$/i.test(v) || /^[A-Za-z_]+$/.test(v) || /^[a-z0-9_]+$/.test(v) || /[/_-]{2}|\/\w+\//.test(v)) continue;
    if (!/[0-9]/.test(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || /abcdefgh|01234567/i.test(v)) continue;
    if (!randomEnough(v) || isSlug(v) || isPublicKeyDer(token.slice(at - index)) || continuesPublicKey(lines, lineIndex) || isPublishedExample(v)) continue;
    if (isPlaceholder(v) || namesPublicThing(text, at)) continue;
    spans.push(at, end);
    out.push({ rule: HIGH_ENTROPY_RULE, line: number, column: at + 1, message: 'High-entropy string', secret: token.slice(at - index) });
  }
}

/**
 * Whether the run at `at` is part of a name for something public rather than a key: an image's
 * address (`<img src="…">`, `![alt](…)`: every reader's browser fetches it; Colab's logo in 315
 * of Google's notebooks), an AWS resource's ARN, or a YouTube playlist's id. Asked only of a run
 * about to be reported, over the 2 KiB before it.
 */
function namesPublicThing(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 2048), at);
  return IMAGE_ADDRESS.test(before) || IN_ARN.test(before) || YOUTUBE_LIST.test(before);
}
const IMAGE_ADDRESS = /(?:\bsrc\s*=\s*\\?["']?|!\[[^\]\n]{0,300}\]\()\s*(?:https?:)?\/\/[^\s"'<>()]*$/i;
const IN_ARN = /\barn:aws[\w-]*:[^\s"'`]*$/;
const YOUTUBE_LIST = /(?:youtube\.com|youtu\.be)\/[^\s"'<>]*[?&]list=$/;

/**
 * A merge commit's first line names branches (`Merge pull request #2741 from user/fix-X8-U10`,
 * `Merge branch 'feature' into 'main'`): names, however mixed their parts (sympy's history).
 */
const MERGE_OF_BRANCH = /^Merge (?:pull request #\d+ from \S+|(?:remote-tracking )?branch '[^']+'(?: of \S+)?(?: into '?[^']+'?)?)\s*$/;

/**
 * Travis CI and AppVeyor `secure:` values are encrypted with the repository's public key so that
 * they can be committed: high entropy by design, and no use without the CI service's private key.
 */
const CI_ENCRYPTED_VALUE = /^\s*(?:-\s*)?secure:\s*["']?[A-Za-z0-9+/]{20}/;

/**
 * A line that is one unbroken run of 60+ characters using several of base85's symbols: a line of an
 * encoded payload (get-pip.py's embedded zip, Ascii85, git binary patches), not a token in code.
 */
function isBase85Line(text: string): boolean {
  if (text.length < 60 || !BASE85_LINE.test(text)) return false;
  let symbols = 0;
  for (let i = 0; i < text.length && symbols < 3; i++) if (BASE85_SYMBOLS.includes(text[i]!)) symbols++;
  return symbols >= 3;
}
const BASE85_LINE = /^[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{60,}$/;
const BASE85_SYMBOLS = '!#$%&()*;<>?@^`{|}~';

/**
 * Words joined by separators, with at most one part mixing letters and digits: a branch, a path or
 * a slug (`user/1234-add-extra-files-to-cli` in a merge message), not a token. A random token of
 * this length almost never splits into three or more parts that are whole words.
 */
function isSlug(v: string): boolean {
  const parts = v.split(/[-/_.]+/);
  if (parts.length < 4) return false;
  let mixed = 0;
  for (const part of parts) if (!/^(?:[A-Za-z]+|\d+)$/.test(part) && ++mixed > 1) return false;
  return true;
}

/**
 * Whether a token's characters are as random as a key's: 85 % of what its alphabet could carry
 * and 4.5 bits a character, or, as a short sample of a random key measures less (a third of random
 * 32-character keys, a fifth of 64-character ones fell under those), 96 % of what a random string
 * of its length and alphabet measures on average (expectedEntropy). Base32 and lower-case-and-digit
 * ids of 48 characters or more stay under it (docs/secrets-coverage.md).
 */
function randomEnough(v: string): boolean {
  const bits = shannon(v);
  if (randomness(v) >= 0.85 && bits >= 4.5) return true;
  return v.length <= 400 && bits >= 0.96 * expectedEntropy(v.length, alphabetOf(v));
}

/**
 * Whether the token at `index` is part of a stored password hash (`"$2b$12$…"`, `$argon2id$v=19$…$salt$hash`):
 * the string it is in, from its last space or quote before it, is one.
 */
function inPasswordHash(text: string, index: number): boolean {
  if (index === 0 || text.charCodeAt(index - 1) !== 36) return false; // the token follows a `$`
  let start = index - 1;
  while (start > 0 && index - start < 120 && !/[\s"'`(]/.test(text[start - 1]!)) start--;
  const before = text.slice(start, index);
  // (`hash=$2b$12$…`: from its first `$`.)
  return isPasswordHash(before) || isPasswordHash(before.slice(before.indexOf('$')));
}

/**
 * A line that is nothing but base64 characters in a wrapped block (a certificate or key body whose
 * header is not in the change, a MIME part, an image embedded in source): 64 or 76 of them (the
 * widths of PEM and MIME), or 60 or more in a run of four lines as long and made of nothing else (a
 * block wrapped at another width: werkzeug's test app held a GIF at 78). Not a token.
 */
function isWrappedBase64(text: string, token: string, lines: readonly AddedLine[], index: number): boolean {
  const length = token.length;
  if (length < 60 || text.trim() !== token || /[_-]/.test(token)) return false;
  if (length === 64 || length === 76) return true;
  // Four such lines in a row at least: two or three keys of one length, one a line, are no block.
  let run = 1;
  for (let k = index - 1; k >= 0 && run < WRAPPED_RUN && sameWidth(lines[k]!, lines[k + 1]!.number - 1, length); k--) run++;
  for (let k = index + 1; k < lines.length && run < WRAPPED_RUN && sameWidth(lines[k]!, lines[k - 1]!.number + 1, length); k++) run++;
  return run >= WRAPPED_RUN;
}
const WRAPPED_RUN = 4;

function sameWidth(line: AddedLine, number: number, length: number): boolean {
  if (line.number !== number) return false;
  const text = line.text.trim();
  return text.length === length && BASE64_RUN.test(text);
}
const BASE64_RUN = /^[A-Za-z0-9+/]+={0,2}$/;

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

/** A shortcut of the scan that a test turns off, to prove it changes no finding (scanWithoutForTest). */
export type ScanShortcut = 'hash-lines' | 'assignment-precheck' | 'min-length';
/** Passing over hash lines (HASH_ONLY_LINE), the assignment pre-checks (this one and assignmentsIn's hint walk), rows longer than the line (Compiled.minLength). */
let hashLinePass = true;
let assignmentPrecheck = true;
let minLengthGate = true;
function setShortcut(shortcut: ScanShortcut, on: boolean): void {
  if (shortcut === 'hash-lines') hashLinePass = on;
  else if (shortcut === 'min-length') minLengthGate = on;
  else assignmentPrecheck = on;
}

/**
 * Findings of the lines of one file with `shortcut` off: hash lines (HASH_ONLY_LINE) scanned like
 * any other, every assignment checked without its pre-check, or every row searched whatever the
 * line's length. For the tests that compare both.
 */
export function scanWithoutForTest(shortcut: ScanShortcut, path: string, texts: string[]): RawFinding[] {
  setShortcut(shortcut, false);
  try {
    return scanLinesForTest(path, texts);
  } finally {
    setShortcut(shortcut, true);
  }
}

export function scanLinesForTest(path: string, texts: string[]): RawFinding[] {
  const addedLines = texts.map((text, i) => ({ number: i + 1, text }));
  return secretDetector.scan({ path, addedLines } as unknown as FileChange, { config: null, notice: () => {} } as never) as RawFinding[];
}

export function scanLineForTest(text: string, path = 'file.txt'): RawFinding[] {
  return secretDetector.scan({ path, addedLines: [{ number: 1, text }] } as unknown as FileChange, { config: null, notice: () => {} } as never) as RawFinding[];
}
