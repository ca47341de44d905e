import type { GitwardConfig } from '../config/types.ts';
import { closest, editDistance } from './did-you-mean.ts';
import type { AddedLine, RawFinding } from './types.ts';

const INLINE = /gitward:allow(?:[ \t]+([A-Za-z0-9_.,\- \t]+))?|pragma:\s*allowlist[ \t]+secret/;

/**
 * The names an allow comment may select rules by: every rule's id, its category, and its family
 * (the id's part before its first dot: `deserialization` for `deserialization.pickle`).
 */
export interface AllowNames {
  readonly ids: ReadonlySet<string>;
  /** Categories and families. */
  readonly groups: readonly string[];
}

export function allowNames(rules: readonly { id: string; category: string }[]): AllowNames {
  const groups = new Set<string>();
  for (const rule of rules) groups.add(rule.category).add(familyOf(rule.id));
  return { ids: new Set(rules.map((rule) => rule.id)), groups: [...groups].sort() };
}

const familyOf = (id: string) => id.slice(0, Math.max(0, id.indexOf('.'))) || id;

/** What an allow comment said of a finding: allowed (why), or a name it mistyped (said with the finding). */
export type InlineAllow = { reason: string } | { mistyped: string } | null;

/**
 * Whether a finding is allowed by an inline comment on its own line (or the line before with
 * `gitward:allow-next-line`). Words after `gitward:allow` that name rules (ids, categories,
 * families: see AllowNames; a plural, `secrets`, names its group) narrow it to those rules; other
 * words are its reason. A word that is no name but one or two edits from a category or family
 * (`secet`, `deserialisation`), or a dotted word that is no rule's id (`secret.github-pats`), is
 * a name mistyped: it selects nothing, so the comment does not widen to every rule, and the
 * finding says so.
 */
export function inlineAllowReason(finding: RawFinding, lines: ReadonlyMap<number, AddedLine>, names: AllowNames | null, fileLines?: (n: number) => string | undefined): InlineAllow {
  if (finding.line === null) return null;
  const text = lines.get(finding.line)?.text ?? fileLines?.(finding.line);
  let said: InlineAllow = null;
  if (text !== undefined) {
    said = matchInline(text, finding.rule.id, finding.rule.category, false, names);
    if (said !== null && 'reason' in said) return said;
  }
  const previous = lines.get(finding.line - 1)?.text ?? fileLines?.(finding.line - 1);
  if (previous !== undefined && previous.includes('gitward:allow-next-line')) {
    const before = matchInline(previous.replace('gitward:allow-next-line', 'gitward:allow'), finding.rule.id, finding.rule.category, true, names);
    if (before !== null) return before;
  }
  return said;
}

function matchInline(text: string, ruleId: string, category: string, nextLine: boolean, names: AllowNames | null): InlineAllow {
  if (!text.includes('gitward:allow') && !text.includes('allowlist')) return null;
  const match = INLINE.exec(text);
  if (!match) return null;
  const where = nextLine ? 'inline comment on the line before' : 'inline comment';
  if (match[0].startsWith('pragma')) return { reason: `${where} (pragma: allowlist secret)` };
  const selected: string[] = [];
  let mistyped: string | null = null;
  for (const raw of (match[1] ?? '').split(/[\s,]+/)) {
    if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(raw)) continue;
    // A plural names its group (`secrets`, `requirements`).
    const word = raw.endsWith('s') && names?.groups.includes(raw.slice(0, -1)) === true ? raw.slice(0, -1) : raw;
    if (word.includes('.') || word === category || names?.groups.includes(word) === true || word === familyOf(ruleId)) {
      selected.push(word);
      if (word.includes('.') && names !== null && !names.ids.has(word)) mistyped ??= `\`${word}\`, which is no rule's id${hint(word, [...names.ids])}`;
    } else if (names !== null && word.length >= 4 && names.groups.some((name) => editDistance(word, name) <= Math.min(2, Math.floor(word.length / 3)))) {
      selected.push(word);
      mistyped ??= `\`${word}\`, which is no rule, category or family${hint(word, names.groups)}`;
    }
  }
  if (selected.length === 0 || selected.some((word) => word === ruleId || word === category || word === familyOf(ruleId))) return { reason: `${where} (gitward:allow)` };
  return mistyped === null ? null : { mistyped: `the allow comment ${nextLine ? 'on the line before' : 'on this line'} names ${mistyped}, so it allows nothing` };
}

function hint(word: string, known: readonly string[]): string {
  const near = closest(word, known, 2);
  return near.length === 0 ? '' : ` (did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?)`;
}

export function configAllowReason(finding: RawFinding, fingerprint: string, config: GitwardConfig): string | null {
  if (config.allowFingerprints.includes(fingerprint)) return `allow-fingerprints in ${config.source}`;
  const value = finding.secret;
  if (value === undefined) return null;
  if (config.allowValues.includes(value)) return `allow-values in ${config.source}`;
  if (config.allowPatterns.some((re) => re.test(value))) return `allow-patterns in ${config.source}`;
  return null;
}
