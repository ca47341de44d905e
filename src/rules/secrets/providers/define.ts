import type { ProviderRule } from '../provider.ts';
import { keyed } from '../provider.ts';

type Extra = Partial<Pick<ProviderRule, 'minEntropy' | 'exclude' | 'severity' | 'rotate'>>;

/** A provider rule in one call; `positives` build full lines at run time. */
export function rule(
  id: string,
  title: string,
  keywords: string[],
  pattern: RegExp,
  positives: (() => string) | (() => string)[],
  negatives: string[],
  extra: Extra = {},
): ProviderRule {
  return { id: `secret.${id}`, title, keywords, pattern, positives: Array.isArray(positives) ? positives : [positives], negatives, ...extra };
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
  extra: Extra & { negatives?: string[] } = {},
): ProviderRule {
  const { negatives = [], ...rest } = extra;
  return rule(
    id,
    title,
    names.split('|').map((n) => n.replace(/\\/g, '').toLowerCase()),
    keyed(names, valueSource),
    [() => `${variable} = "${value()}"`, () => `  ${variable.toLowerCase()}: ${value()}`],
    [`${variable} = os.environ["${variable}"]`, `${variable} = "<your-key-here>"`, `${variable}=\${${variable}}`, ...negatives],
    { minEntropy: 2.5, ...rest },
  );
}
