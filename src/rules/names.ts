import { didYouMean } from '../engine/did-you-mean.ts';
import type { RuleMeta } from '../engine/types.ts';
import type { RuleName } from './types.ts';

/**
 * The names that pick rules, the same everywhere (`gitward rules NAME`, `[rules]` in the config,
 * the docs): a rule id (`secret.github-pat`), a category (`pickle-file`), or the prefix that
 * category's rule ids share (`pickle`), which names the category too.
 */
export interface RuleSelection<R extends RuleName = RuleMeta> {
  /** The category, when the name picks one (spelled as the category, never as the prefix). */
  category: string | null;
  rules: R[];
}

/** Prefix → category, where the two are spelled differently (`pickle` → `pickle-file`). */
export function categoryPrefixes(rules: readonly RuleName[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) {
    const prefix = r.id.split('.')[0]!;
    if (prefix !== r.category) out.set(prefix, r.category);
  }
  return out;
}

/** The rules a name picks, or null when it names none. */
export function selectRules<R extends RuleName>(name: string, rules: readonly R[]): RuleSelection<R> | null {
  const rule = rules.find((r) => r.id === name);
  if (rule) return { category: null, rules: [rule] };
  const category = categoryPrefixes(rules).get(name) ?? name;
  const chosen = rules.filter((r) => r.category === category);
  return chosen.length > 0 ? { category, rules: chosen } : null;
}

/** Every name selectRules knows, for "did you mean". */
export function ruleNames(rules: readonly RuleName[]): string[] {
  return [...new Set([...rules.map((r) => r.id), ...rules.map((r) => r.category), ...categoryPrefixes(rules).keys()])];
}

/** ` (did you mean "secret.aws-access-key-id"?)` for a mistyped name, or "". */
export function ruleNameHint(name: string, rules: readonly RuleName[]): string {
  return didYouMean(name, ruleNames(rules));
}
