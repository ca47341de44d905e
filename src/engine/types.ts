// Plain data passed from the git source through the rules to the reports.

export type Severity = 'block' | 'warn';
export type ConfiguredSeverity = Severity | 'off';

/** Documented in docs/architecture.md (contracts) and docs/rules.md. */
export type Category =
  | 'secret'
  | 'env-file'
  | 'sensitive-file'
  | 'unpinned-requirement'
  | 'unsafe-deserialization'
  | 'pickle-file'
  | 'eol-python'
  | 'scan-notice';

export type ChangeStatus = 'A' | 'M' | 'D' | 'R' | 'C' | 'T' | 'U' | 'X';

export interface AddedLine {
  /** 1-based line number in the new file. */
  readonly number: number;
  /** Line text without its newline; a trailing CR is kept off (`cr` says it was there). */
  readonly text: string;
  readonly cr?: boolean;
  /**
   * A line past the diff parser's long-line threshold, cut into windows as its bytes came (see
   * LineWindows): `text` is then made from them on first use only. Read its length with
   * lineLength (engine/limits.ts), which does not make it.
   */
  readonly windows?: LineWindows;
}

/**
 * A long line's text as the windows windowedLines (engine/limits.ts) cuts it into for a
 * max-line-length of `size`: window k is text[k × step, k × step + size), the last one ends at
 * the text's end.
 */
export interface LineWindows {
  readonly size: number;
  readonly step: number;
  /** The line's length in UTF-16 code units. */
  readonly length: number;
  readonly texts: readonly string[];
  /** A scan of window k made as its bytes came, where one was (engine/window-prescan.ts). */
  readonly scans?: readonly (object | undefined)[];
}

export interface BlobContent {
  /** Full size of the blob in bytes. */
  readonly size: number;
  /** The first bytes (all of them when `complete`). */
  readonly head: Buffer;
  /** The last bytes, when asked for and the blob was larger than the head. */
  readonly tail: Buffer | null;
  readonly complete: boolean;
}

export interface BlobReadOptions {
  /** How many leading bytes to keep (default: the configured per-file limit). */
  headBytes?: number;
  /** How many trailing bytes to keep when the blob is larger than headBytes. */
  tailBytes?: number;
}

/**
 * One part of a file whose added lines come in several changes, in order (the git sources split
 * files of more than 256 KiB of added text). Each part after the first starts again with the last
 * few lines of the one before (a private key's body follows its header; an allow comment sits on
 * the line before): the scanner counts those once and reports their findings once.
 */
export interface FilePart {
  readonly index: number;
  /** Leading lines that the part before also held. */
  readonly carried: number;
  /** The first part's first added line (a shebang or a pickle's first opcode), for later parts. */
  readonly first?: AddedLine;
}

/** Where a finding is: in a file, or in the message of a commit or an annotated tag (no path). */
export type FindingLocation = 'file' | 'commit-message' | 'tag-message';
export type MessageLocation = Exclude<FindingLocation, 'file'>;

export interface FileChange {
  /** Path in the new tree (for deletions, the old path). Exact, unquoted; may hold any byte as U+FFFD. */
  readonly path: string;
  /**
   * Set when the "change" is a commit's or a tag's message (its lines are the added lines, its
   * path is ""): only detectors that read messages run on it, and its findings have no path.
   */
  readonly location?: MessageLocation;
  readonly oldPath: string | null;
  readonly status: ChangeStatus;
  readonly oldMode: string | null;
  readonly newMode: string | null;
  readonly oldBlob: string | null;
  readonly newBlob: string | null;
  /** git judged the content binary (no text patch was produced). */
  readonly binary: boolean;
  /**
   * The new blob is compiled code (engine/binary-text.ts isCompiledCode: an object file, a library,
   * an executable, Python or Java bytecode): the text read from it is symbols and constants, in
   * which the secrets rule checks only token formats (as in a lock file or a minified bundle).
   */
  readonly compiled?: true;
  /**
   * The added lines are the runs of printable bytes found in a binary blob (engine/binary-text.ts),
   * not text: an image's metadata, a database's pages. The secrets rule checks them for every named
   * credential and token format, not for the anonymous high-entropy strings that compressed or
   * encoded data is full of (a diagram embedded in a PNG by draw.io: 50 warnings a picture).
   */
  readonly printableRuns?: true;
  readonly addedLines: readonly AddedLine[];
  /**
   * The hunk headers of a two-way patch (not a merge's combined one), four numbers each: old start,
   * old count, new start, new count, in order (git's `@@ -a,b +c,d @@` with no context lines): what
   * each line the change did not add was in the old content.
   */
  readonly hunks?: readonly number[];
  /** Full commit id the change belongs to, or null for staged changes. */
  readonly commit: string | null;
  /** Set when the file's added lines come in parts: `addedLines` are this part's only. */
  readonly part?: FilePart;
  /**
   * A merge's change (combined diff): `addedLines` are the lines new against every parent, and
   * `oldBlob` is the first parent's, so the new content may also hold lines of the other parents.
   */
  readonly merge?: boolean;
  /** A merge's old blob ids of the parents after the first (a parent without the file: a null id). */
  readonly otherParentBlobs?: readonly string[];
  /**
   * The whole new content as text, when the source had all of it without reading the blob (a new
   * file whose diff printed every line, git/new-file-text.ts): what `loadContent()` gives, decoded
   * as UTF-8, and set only when that is complete (no larger than limits.max-file-bytes).
   */
  readonly newText?: string;
  /** What its source could not read as it should (a notice, given when the change is scanned). */
  readonly notice?: string;
  /** Lazily reads the full new content (null for deletions, gitlinks and symlinks). */
  loadContent(options?: BlobReadOptions): Promise<BlobContent | null>;
  /** Lazily reads the old content (null for additions, gitlinks and symlinks); absent on hand-made changes. */
  loadOldContent?(options?: BlobReadOptions): Promise<BlobContent | null>;
}

/**
 * Where a history source puts each commit it reads, in order: a Map when the commits' authors are
 * wanted (a push's report), or a CommitCount when only their number is (memory stays flat).
 */
export interface CommitSink {
  set(id: string, info: CommitInfo): unknown;
  readonly size: number;
}

/** A CommitSink that keeps only the number of commits (a history scan's report names no author). */
export class CommitCount implements CommitSink {
  size = 0;
  set(): this {
    this.size++;
    return this;
  }
}

export interface CommitInfo {
  readonly id: string;
  readonly parents: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  readonly subject: string;
}

export interface RuleDoc {
  /** What it catches. */
  readonly catches: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  /** How to allow a false positive (defaults to the generic text when omitted). */
  readonly allow?: string;
}

export interface RuleMeta {
  readonly id: string;
  readonly category: Category;
  readonly severity: Severity;
  /** One line: what was found. */
  readonly title: string;
  readonly doc: RuleDoc;
  /**
   * Words that name this rule in an allow comment besides its id, category and prefix: the modules
   * it reads calls of (`yaml`, so `gitward:allow yaml` or `gitward:allow yaml.load` allow
   * `deserialization.yaml`, and no token beside it).
   */
  readonly allowWords?: readonly string[];
}

/**
 * The codes under which Python's security linters report the same check: bandit's test id and
 * name (`B301`, `pickle`: honoured as `# nosec`, `# nosec B301` or `# nosec pickle`) and ruff's or
 * flake8-bandit's (`S301`, as `# noqa: S301`), so a call a team has already reviewed there is not
 * asked about again.
 */
export interface LinterCodes {
  readonly bandit: string;
  readonly banditName: string;
  readonly ruff?: string;
}

/** What a rule reports; the engine adds severity, category, fingerprint and suppressions. */
export interface RawFinding {
  readonly rule: RuleMeta;
  readonly line: number | null;
  readonly column?: number;
  /** One line for people. Must never contain the secret. */
  readonly message: string;
  /** The matched secret: used only to redact, fingerprint and match allow-lists. Never printed. */
  readonly secret?: string;
  /** A stable, non-secret identity for non-secret findings (defaults to the message). */
  readonly key?: string;
  /** Safe excerpt to show (never set for secret findings). */
  readonly snippet?: string;
  /** The linters that check this very call (RawFinding of a deserialization call bandit reports too). */
  readonly linterCodes?: LinterCodes;
  /** Extra lines for people: what was found inside a file (imported globals, …). */
  readonly details?: readonly string[];
  /** Override the rule's default severity (e.g. a look-alike downgraded). */
  readonly severity?: Severity;
  /**
   * The new file's text by line number, for a finding on a line the change did not add (a call an
   * edit elsewhere made): its allow comment is looked for there (engine/suppress.ts).
   */
  readonly fileLines?: (line: number) => string | undefined;
}

export interface Finding {
  readonly rule: string;
  readonly category: Category;
  readonly severity: Severity;
  /** null for a finding in a commit or tag message (see `location`). */
  readonly path: string | null;
  readonly location: FindingLocation;
  readonly line: number | null;
  readonly column: number | null;
  readonly commit: string | null;
  readonly message: string;
  readonly fingerprint: string;
  /** Redacted value (short prefix and length), for secret findings only. */
  readonly redacted: string | null;
  readonly snippet: string | null;
  readonly details: readonly string[];
  /** Set when an inline allow comment or a config entry suppressed it (kept for audit/stats). */
  readonly suppressedBy: string | null;
  readonly meta: RuleMeta;
}
