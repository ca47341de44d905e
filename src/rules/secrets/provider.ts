import type { Severity } from '../../engine/types.ts';

/**
 * One provider's token format, as data. The table is what gitleaks calls rules: a prefilter
 * keyword, a pattern, and examples that the tests run, positives generated at run time so no
 * literal credential is ever committed.
 */
export interface ProviderRule {
  /** Rule id, `secret.<provider>-<kind>`. */
  readonly id: string;
  /** What the token is, one line ("GitHub personal access token"). */
  readonly title: string;
  /**
   * Lower-case substrings of which at least one is on every line the pattern can match:
   * lines without any are never tried against the pattern.
   */
  readonly keywords: readonly string[];
  /** The format. The secret is the named group `secret`, or the whole match. Must be linear-time. */
  readonly pattern: RegExp;
  /** The format's source and flags, readable without compiling it (`pattern` is made on first use). */
  readonly source: string;
  readonly flags: string;
  /** Minimum Shannon entropy (bits per char) of the secret, to drop low-randomness look-alikes. */
  readonly minEntropy?: number;
  /** A secret matching this is a published example or a placeholder, not a credential. */
  readonly exclude?: RegExp;
  /**
   * The format's own offline check (a checksum, a structure that must decode): a match that fails
   * it is not this provider's token. Called on matches only.
   */
  readonly valid?: (secret: string) => boolean;
  /** A run of one character is part of the format (numeric ids), not a sign of a placeholder. */
  readonly allowRepeats?: boolean;
  /** Default `block`; test-mode keys and the like are `warn`. */
  readonly severity?: Severity;
  /** How to revoke/rotate, shown in the fix text. */
  readonly rotate?: string;
  /** Lines that must match, built at run time. */
  readonly positives: readonly (() => string)[];
  /** Lines that must not match (placeholders, truncated tokens, other formats). */
  readonly negatives: readonly string[];
}

/** Assignment operators between a key name and its value, in every syntax we read. */
const ASSIGN = String.raw`[\w.-]{0,24}?['"\x60]?\]?(?:\s{1,4}string)?\s{0,4}(?::{1,3}=|[?.+]=|=>|=|:|,)\s{0,4}['"\x60]?`;

/**
 * A pattern not compiled yet. Building a RegExp parses it, and most rules never meet a line with
 * their keyword: the table's patterns stay text until one is needed (~0.45 ms at every start).
 */
export interface PatternText {
  readonly source: string;
  readonly flags: string;
}

/**
 * A value that is only a credential next to a name ("datadog api key = <32 hex>"): the gitleaks
 * "semi-generic" shape. `names` and `value` are regex sources; the result is case-insensitive.
 */
export function keyed(names: string, value: string): PatternText {
  // No letter before the name: `okta` is not the one in `lookTable`.
  return { source: String.raw`(?<![a-z])(?:${names})${ASSIGN}(?<secret>${value})(?![\w/+-])`, flags: 'i' };
}

/** A token with a distinctive prefix, bounded on both sides. */
export function prefixed(source: string, flags = ''): PatternText {
  // Not inside a word, a path segment or a file name (`icon.ico-<hash>.png` is no Infracost key);
  // right after `//` it is the user part of a URL (`https://<token>@host`).
  return { source: String.raw`(?<![\w+.-])(?<![^/]\/)(?<secret>${source})(?![\w/+-])`, flags };
}
