import type { GitwardConfig } from '../config/types.ts';
import type { RuleName } from '../rules/types.ts';
import { didYouMean } from './did-you-mean.ts';
import type { AddedLine, RawFinding, RuleMeta } from './types.ts';

const INLINE = /gitward:allow(?:[ \t]+([A-Za-z0-9_.,\- \t]+))?|pragma:\s*allowlist[ \t]+secret/;
const NAME_SHAPE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
// A longer word is reason text to the hint: its edit distance to every id would cost too much.
const HINT_MAX_LENGTH = 80;

/**
 * The names an allow comment can pick rules by, as `gitward rules NAME` and `[rules]` take them
 * (rules/names.ts): any dotted word is read as a rule id; an undotted word names rules only when it
 * is a category (`unsafe-deserialization`) or the prefix its ids share (`deserialization`). Every
 * other word is the reason, so `gitward:allow test fixture` allows every rule on its line.
 */
export interface AllowNames {
  /** Categories and id prefixes. */
  readonly groups: ReadonlySet<string>;
  /** Every rule id, for the hint when a dotted word is none of them. */
  readonly ids: readonly string[];
}

/** From the built-in rules; a config's custom rule ids (`custom.…`) are ids only, so "custom" stays a reason word. */
export function allowNames(rules: readonly RuleName[], customIds: readonly string[]): AllowNames {
  const groups = new Set<string>();
  for (const rule of rules) groups.add(rule.category).add(prefixOf(rule.id));
  return { groups, ids: [...rules.map((r) => r.id), ...customIds] };
}

/** What the allow comments on a finding's line (or the line before) say of it. */
export type InlineAllow =
  | { readonly allowed: string }
  /** A comment is there but names other rules: the finding stands, and says so (missDetail). */
  | { readonly names: readonly string[] }
  | null;

/**
 * Inline comments sit on the finding's own line (or the line before with `gitward:allow-next-line`);
 * names after `gitward:allow` narrow it to those rules.
 */
export function inlineAllow(finding: RawFinding, lines: ReadonlyMap<number, AddedLine>, known: AllowNames, fileLines?: (n: number) => string | undefined): InlineAllow {
  if (finding.line === null) return null;
  const text = lines.get(finding.line)?.text ?? fileLines?.(finding.line);
  const own = text === undefined ? null : matchInline(text, finding.rule, known, false);
  if (own !== null && 'allowed' in own) return own;
  const linter = text === undefined ? null : linterMarker(text, finding.rule);
  if (linter !== null) return { allowed: `inline comment (${linter})` };
  const previous = lines.get(finding.line - 1)?.text ?? fileLines?.(finding.line - 1);
  if (previous !== undefined && previous.includes('gitward:allow-next-line')) {
    const before = matchInline(previous.replace('gitward:allow-next-line', 'gitward:allow'), finding.rule, known, true);
    if (before !== null && 'allowed' in before) return before;
    return own ?? before;
  }
  return own;
}

function matchInline(text: string, rule: RuleName, known: AllowNames, nextLine: boolean): InlineAllow {
  if (!text.includes('gitward:allow') && !text.includes('allowlist')) return null;
  const match = INLINE.exec(text);
  if (!match) return null;
  const where = nextLine ? 'inline comment on the line before' : 'inline comment';
  // detect-secrets' marker speaks of secrets only: a pickle call beside it is not allowed by it.
  if (match[0].startsWith('pragma')) return rule.category === 'secret' ? { allowed: `${where} (pragma: allowlist secret)` } : null;
  const names = (match[1] ?? '').split(/[\s,]+/).filter((word) => NAME_SHAPE.test(word) && (word.includes('.') || known.groups.has(word)));
  if (names.length === 0 || names.some((name) => name === rule.id || name === rule.category || name === prefixOf(rule.id))) {
    return { allowed: `${where} (gitward:allow)` };
  }
  return { names };
}

const NOSEC = /#\s*nosec\b:?([^#\n]*)/;
const NOQA = /#\s*noqa\s*:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/;

/**
 * The security linter's marker on the line that already allows this rule's check (RuleMeta.linterCodes):
 * bandit's `# nosec` (every test on the line) or `# nosec B301, B506` (those tests), ruff's or
 * flake8-bandit's `# noqa: S301` (never a bare `# noqa`, which silences style checks as much).
 */
function linterMarker(text: string, rule: RuleMeta): string | null {
  const codes = rule.linterCodes;
  if (codes === undefined || (!text.includes('nosec') && !text.includes('noqa'))) return null;
  const nosec = NOSEC.exec(text);
  if (nosec) {
    const tests = nosec[1]!.match(/\bB\d{3}\b/g);
    if (tests === null || tests.includes(codes.bandit)) return tests === null ? '# nosec' : `# nosec ${codes.bandit}`;
  }
  const noqa = codes.ruff === undefined ? null : NOQA.exec(text);
  return noqa && noqa[1]!.split(/[\s,]+/).includes(codes.ruff!) ? `# noqa: ${codes.ruff}` : null;
}

/** The line a finding carries when an allow comment beside it names other rules. */
export function missDetail(rule: RuleName, names: readonly string[], known: AllowNames): string {
  const unknown = names.filter((name) => name.includes('.') && !known.ids.includes(name) && name.length <= HINT_MAX_LENGTH);
  const hints = unknown.slice(0, 3).map((name) => `"${name}" is no rule${didYouMean(name, known.ids)}`);
  const shown = names.slice(0, 5).map((name) => (name.length > HINT_MAX_LENGTH ? `${name.slice(0, HINT_MAX_LENGTH)}…` : name));
  return (
    `the gitward:allow comment here names ${shown.join(', ')}${names.length > 5 ? ', …' : ''}, not this rule: ` +
    `add ${rule.id} (or ${known.groups.has(prefixOf(rule.id)) ? prefixOf(rule.id) : rule.category}) to it to allow this finding${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`
  );
}

function prefixOf(id: string): string {
  return id.split('.')[0]!;
}

export function configAllowReason(finding: RawFinding, fingerprint: string, config: GitwardConfig): string | null {
  if (config.allowFingerprints.includes(fingerprint)) return `allow-fingerprints in ${config.source}`;
  const value = finding.secret;
  if (value === undefined) return null;
  if (config.allowValues.includes(value)) return `allow-values in ${config.source}`;
  if (config.allowPatterns.some((re) => re.test(value))) return `allow-patterns in ${config.source}`;
  return null;
}
