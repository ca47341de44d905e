import type { Severity } from '../../../engine/types.ts';
import type { PatternText, ProviderRule } from '../provider.ts';
import { keyed } from '../provider.ts';

/**
 * A provider rule made on its first use. A row's arguments (its pattern's source, examples, look-alikes)
 * cost tens of microseconds to evaluate, and most rows never meet a line with their keyword: the
 * table holds these, made by providerAt() (rows.ts).
 */
export type LazyRule = () => ProviderRule;

type Extra = Partial<Pick<ProviderRule, 'minEntropy' | 'exclude' | 'severity' | 'rotate' | 'valid' | 'allowRepeats'>>;

interface Examples {
  positives: readonly (() => string)[];
  negatives: readonly string[];
}

/** A provider rule in one call; `positives` build full lines at run time. */
export function rule(
  id: string,
  title: string,
  keywords: string[],
  pattern: RegExp | PatternText,
  positives: (() => string) | (() => string)[],
  negatives: string[],
  extra: Extra = {},
): ProviderRule {
  const examples = { positives: Array.isArray(positives) ? positives : [positives], negatives };
  return new TableRule(`secret.${id}`, title, keywords, pattern, () => examples, extra);
}

/**
 * A value recognised only next to a name mentioning the provider (`names` is an alternation of
 * lower-case literal words, which are also the keywords). The positive is `VAR = "<value>"`.
 */
export function keyedRule(
  id: string,
  title: string,
  names: string,
  valueSource: string,
  variable: string,
  value: () => string,
  extra: Extra & { negatives?: string[]; keywords?: string[] } = {},
): ProviderRule {
  // The examples are made only when a test asks for them.
  const examples = (): Examples => ({
    positives: [() => `${variable} = "${value()}"`, () => `  ${variable.toLowerCase()}: ${value()}`],
    negatives: [`${variable} = os.environ["${variable}"]`, `${variable} = "<your-key-here>"`, `${variable}=\${${variable}}`, ...(extra.negatives ?? [])],
  });
  // Each name's first six characters are enough for the prefilter, and keep the keyword automaton
  // small; but where names share them, those names go in whole: a shared head is often a common word
  // (AWS's three `secret…` names made `secret` a keyword, and the row's case-insensitive pattern ran
  // over every line or 1 MiB window holding it). Each name still holds one of the keywords.
  const plain = names.split('|').map((n) => (n.includes('\\') ? n.replace(/\\/g, '') : n).toLowerCase());
  const heads = plain.map((n) => n.slice(0, 6));
  const shared = (head: string) => heads.indexOf(head) !== heads.lastIndexOf(head);
  const keywords = extra.keywords ?? [...new Set(plain.map((n, i) => (shared(heads[i]!) ? n : heads[i]!)))];
  return new TableRule(`secret.${id}`, title, keywords, keyed(names, valueSource), examples, { minEntropy: 2.5, ...extra });
}

/** A table entry whose pattern is compiled, and whose examples are made, on first use. */
class TableRule implements ProviderRule {
  readonly source: string;
  readonly flags: string;
  readonly minEntropy?: number;
  readonly exclude?: RegExp;
  readonly severity?: Severity;
  readonly rotate?: string;
  readonly valid?: (secret: string) => boolean;
  readonly allowRepeats?: boolean;
  private compiled: RegExp | null;
  private examples: Examples | null = null;

  constructor(
    readonly id: string,
    readonly title: string,
    readonly keywords: readonly string[],
    pattern: RegExp | PatternText,
    private readonly makeExamples: () => Examples,
    extra: Extra,
  ) {
    this.source = pattern.source;
    this.flags = pattern.flags;
    this.compiled = pattern instanceof RegExp ? pattern : null;
    this.minEntropy = extra.minEntropy;
    this.exclude = extra.exclude;
    this.severity = extra.severity;
    this.rotate = extra.rotate;
    this.valid = extra.valid;
    this.allowRepeats = extra.allowRepeats;
  }

  get pattern(): RegExp {
    return (this.compiled ??= new RegExp(this.source, this.flags));
  }

  get positives(): readonly (() => string)[] {
    return (this.examples ??= this.makeExamples()).positives;
  }

  get negatives(): readonly string[] {
    return (this.examples ??= this.makeExamples()).negatives;
  }
}
