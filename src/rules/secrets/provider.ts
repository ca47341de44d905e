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
  /** Minimum Shannon entropy (bits per char) of the secret, to drop low-randomness look-alikes. */
  readonly minEntropy?: number;
  /** How to revoke/rotate, shown in the fix text. */
  readonly rotate?: string;
  /** Lines that must match, built at run time. */
  readonly positives: readonly (() => string)[];
  /** Lines that must not match (placeholders, truncated tokens, other formats). */
  readonly negatives: readonly string[];
}
