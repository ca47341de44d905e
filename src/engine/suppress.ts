import type { GitwardConfig } from '../config/types.ts';
import type { RuleName } from '../rules/types.ts';
import { closest } from './did-you-mean.ts';
import type { AddedLine, RawFinding, RuleMeta } from './types.ts';

const OWN_LINE = /gitward:allow(?!-next-line)/;
const NEXT_LINE = 'gitward:allow-next-line';
const SECRET_PRAGMA = /pragma:\s*allowlist[ \t]+secret/;
// Where a comment closes on its own line (`/* … */`, `<!-- … -->`, templates): the code after it is no reason.
const COMMENT_END = /\*\/|-->|%>|[#%}]\}/;
const NAME_SHAPE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
// A longer word gets no "did you mean": its edit distance to the ids would cost too much.
const HINT_MAX_LENGTH = 80;
// Distinct mistyped words hinted in one scan: a file of crafted comments costs no more than this.
const HINT_WORDS = 64;

/**
 * The names an allow comment picks rules by: those `gitward rules NAME` and `[rules]` take
 * (rules/names.ts) as far as a comment can reach them, read from every word after `gitward:allow`
 * (any case, any punctuation between):
 * - a dotted word whose first part is a rule id's prefix (`secret.github-pat`, `custom.acme-key`):
 *   that id, known or not (a mistyped id allows nothing, and the finding says so);
 * - an undotted word that is a category (`unsafe-deserialization`) or an id prefix (`deserialization`)
 *   of rules whose findings have lines (`pickle` and `env-file` name whole files, which no comment
 *   reaches: as words they are reason text);
 * - the British `serialis…` and a plural (`secrets`, `requirements.unpinned`) read as those names.
 * Every other word is the reason, so `gitward:allow test fixture from setup.py` allows every rule on its line.
 */
export class AllowNames {
  /** Undotted names: categories and id prefixes of rules with lines. */
  private readonly groups = new Set<string>();
  /** First parts a dotted name may have. */
  private readonly prefixes = new Set<string>(['custom']);
  private readonly ids: Set<string>;
  private readonly hints = new Map<string, string>();

  /** `rules`: the built-in rules; a config's custom rule ids (`custom.…`) are ids only, so "custom" alone stays a reason word. */
  constructor(rules: readonly RuleName[], customIds: readonly string[]) {
    for (const rule of rules) {
      this.prefixes.add(prefixOf(rule.id));
      if (!rule.lineless) this.groups.add(rule.category).add(prefixOf(rule.id));
    }
    this.ids = new Set([...rules.map((r) => r.id), ...customIds]);
  }

  /** The rule names among the words of a comment's text, each once, as written in the docs. */
  namesIn(text: string): string[] {
    const names = new Set<string>();
    for (const raw of text.toLowerCase().split(/[^a-z0-9_.-]+/)) {
      const name = this.nameOf(raw.replace(/^[.-]+/, '').replace(/serialis/g, 'serializ'));
      if (name !== null) names.add(name);
    }
    return [...names];
  }

  private nameOf(word: string): string | null {
    const dot = word.indexOf('.');
    if (dot === -1) {
      const bare = word.replace(/-+$/, '');
      if (this.groups.has(bare)) return bare;
      return bare.endsWith('s') && this.groups.has(bare.slice(0, -1)) ? bare.slice(0, -1) : null;
    }
    // A sentence's full stop after a name (`… deserialization.`) is not part of it.
    if (/^[^.]+\.+$/.test(word)) return this.nameOf(word.replace(/\.+$/, ''));
    let prefix = word.slice(0, dot);
    if (!this.prefixes.has(prefix) && prefix.endsWith('s') && this.prefixes.has(prefix.slice(0, -1))) prefix = prefix.slice(0, -1);
    const name = `${prefix}${word.slice(dot)}`;
    return this.prefixes.has(prefix) && NAME_SHAPE.test(name) ? name : null;
  }

  isRule(name: string): boolean {
    return this.ids.has(name);
  }

  isGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** ` (did you mean "…"?)` for a name that is no rule, or "": worked out once per word, for at most HINT_WORDS words. */
  hint(name: string): string {
    let hint = this.hints.get(name);
    if (hint === undefined) {
      if (this.hints.size >= HINT_WORDS || name.length > HINT_MAX_LENGTH) return '';
      // closest() allows at most 3 edits or a name holding the word: no other id can be near.
      const near = closest(name, [...this.ids].filter((id) => Math.abs(id.length - name.length) <= 3 || id.includes(name)));
      hint = near.length === 0 ? '' : ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`;
      this.hints.set(name, hint);
    }
    return hint;
  }
}

/** What the allow comments on a finding's line (or the line before) say of it. */
export type InlineAllow =
  | { readonly kind: 'allowed'; readonly reason: string }
  /** A comment is there but names other rules: the finding stands, and says so (missDetail). */
  | { readonly kind: 'named-others'; readonly names: readonly string[]; readonly nextLine: boolean }
  | { readonly kind: 'none' };

const NONE: InlineAllow = { kind: 'none' };

/**
 * Inline comments sit on the finding's own line (or the line before with `gitward:allow-next-line`);
 * names after `gitward:allow` narrow it to those rules. Other tools' markers count for the checks
 * they share (linterMarker, detect-secrets' pragma for secrets), wherever they are on the line.
 */
export function inlineAllow(finding: RawFinding, lines: ReadonlyMap<number, AddedLine>, known: AllowNames, fileLines?: (n: number) => string | undefined): InlineAllow {
  if (finding.line === null) return NONE;
  const text = lines.get(finding.line)?.text ?? fileLines?.(finding.line);
  let own: InlineAllow = NONE;
  if (text !== undefined) {
    own = commentAllow(text, OWN_LINE.exec(text), 'gitward:allow'.length, finding.rule, known, false);
    if (own.kind === 'allowed') return own;
    if (finding.rule.category === 'secret' && SECRET_PRAGMA.test(text)) return { kind: 'allowed', reason: 'inline comment (pragma: allowlist secret)' };
    const linter = linterMarker(text, finding.rule);
    if (linter !== null) return { kind: 'allowed', reason: `inline comment (${linter})` };
  }
  const previous = lines.get(finding.line - 1)?.text ?? fileLines?.(finding.line - 1);
  const at = previous?.indexOf(NEXT_LINE) ?? -1;
  if (previous === undefined || at === -1) return own;
  const before = commentAllow(previous, { index: at }, NEXT_LINE.length, finding.rule, known, true);
  return before.kind === 'allowed' || own.kind === 'none' ? before : own;
}

function commentAllow(text: string, marker: { index: number } | null, length: number, rule: RuleName, known: AllowNames, nextLine: boolean): InlineAllow {
  if (marker === null) return NONE;
  let rest = text.slice(marker.index + length);
  const end = COMMENT_END.exec(rest);
  if (end) rest = rest.slice(0, end.index);
  const names = known.namesIn(rest);
  if (names.length === 0 || names.some((name) => name === rule.id || name === rule.category || name === prefixOf(rule.id))) {
    return { kind: 'allowed', reason: `${nextLine ? 'inline comment on the line before' : 'inline comment'} (gitward:allow)` };
  }
  return { kind: 'named-others', names, nextLine };
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

/**
 * The line a finding carries when an allow comment beside it names other rules. Only names of
 * rules are repeated (a word of the comment could be a secret): one that is no rule is counted,
 * with the rule it is closest to.
 */
export function missDetail(rule: RuleName, miss: { names: readonly string[]; nextLine: boolean }, known: AllowNames): string {
  const real = miss.names.filter((name) => known.isRule(name) || !name.includes('.'));
  const unknown = miss.names.filter((name) => !real.includes(name));
  const group = prefixOf(rule.id);
  const parts = [
    `the ${miss.nextLine ? 'gitward:allow-next-line comment above' : 'gitward:allow comment here'} names ${real.length > 0 ? real.slice(0, 5).join(', ') + (real.length > 5 ? ', …' : '') : 'no rule it allows'}, not this rule: ` +
      `add ${rule.id} (or ${known.isGroup(group) ? group : rule.category}) to it to allow this finding`,
  ];
  if (unknown.length > 0) {
    const hints = [...new Set(unknown.slice(0, 3).map((name) => known.hint(name)).filter((h) => h !== ''))];
    parts.push(`${unknown.length === 1 ? 'one name in it is' : `${unknown.length} names in it are`} no rule${hints.join('')}`);
  }
  return parts.join('; ');
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
