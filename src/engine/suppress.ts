import type { GitwardConfig } from '../config/types.ts';
import type { RuleName } from '../rules/types.ts';
import { closest, withinEdits } from './did-you-mean.ts';
import type { AddedLine, LinterCodes, RawFinding } from './types.ts';

const OWN_LINE = /gitward:allow(?!-next-line)/;
const NEXT_LINE = 'gitward:allow-next-line';
const SECRET_PRAGMA = /pragma:\s*allowlist[ \t]+secret/;
// Where a comment closes on its own line (`/* … */`, `<!-- … -->`, templates): the code after it is no reason.
const COMMENT_END = /\*\/|-->|%>|[#%}]\}/;
// Of a dotted word under an id's prefix: `secret.github_pat` is a mistyped id too.
const ID_SHAPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
// Longer than any rule id: a word gets no "did you mean" (and its edit distances are not worked out).
const HINT_MAX_LENGTH = 48;
// An alias this long or longer may have two typos in it (mistypedRest); a shorter one, one.
const REST_TWO_EDITS = 15;
// Distinct mistyped names of one file's allow comments that get a "did you mean".
const HINTS_PER_FILE = 8;

/**
 * The names an allow comment picks rules by: those `gitward rules NAME` and `[rules]` take
 * (rules/names.ts), and the words a rule adds (RuleMeta.allowWords), read from every word after
 * `gitward:allow` (any case, any punctuation between):
 * - a rule id (`secret.github-pat`); a dotted word under an id's prefix that is none (a mistyped
 *   id, `secret.github_pat`) names no rule: the comment allows nothing, and the finding says so;
 *   so does a category or prefix with a typo in it, alone or in an id (mistypedPrefix), or an
 *   id's words without its prefix with a typo in them (`githb-pat`: mistypedRest);
 * - a category (`unsafe-deserialization`) or an id prefix (`deserialization`, `secret`);
 * - a rule's own word (`pickle`, `yaml`), alone or as the start of a dotted word (`yaml.load`);
 * - the British `serialis…` and a plural (`secrets`, `requirements.unpinned`) read as those names.
 * Every other word is the reason, so `gitward:allow test fixture from setup.py` allows every rule on its line.
 */
export class AllowNames {
  /** Undotted names: categories, id prefixes and rules' own words. */
  private readonly groups = new Set<string>();
  /** Rules' own words (also the first part of a dotted name: `yaml.load`). */
  private readonly words = new Set<string>();
  /** First parts of ids (and categories, as people write them there): a dotted word under one is read as an id. */
  private readonly prefixes = new Set<string>(['custom']);
  /** An id's words without its prefix, when they are more than one (`github-pat`), and the id with a hyphen for its dot: the ids they stand for. */
  private readonly aliases = new Map<string, Set<string>>();
  private readonly ids: Set<string>;
  private readonly idList: readonly string[];
  /** The prefixes by their first letter (a typo of one keeps it: mistypedPrefix). */
  private readonly prefixesByLetter = new Map<string, string[]>();
  /** The rest of each id after its prefix (`github-pat`), with the prefixes it follows. */
  private readonly rests = new Map<string, Set<string>>();
  /** The rests that are aliases (`github-pat`), by their first letter (a typo of one keeps it: mistypedRest). */
  private readonly restsByLetter = new Map<string, string[]>();
  /** The rules' own words of six letters or more, by their first letter (mistypedWord). */
  private readonly wordsByLetter = new Map<string, string[]>();
  private readonly hints = new Map<string, string>();
  /** The last comment text namesIn read, and its names: several findings on one line share it. */
  private last: { text: string; names: string[] } | null = null;

  /** `rules`: the built-in rules; a config's custom rule ids (`custom.…`) are ids only, so "custom" alone stays a reason word. */
  constructor(rules: readonly RuleName[], customIds: readonly string[]) {
    for (const rule of rules) {
      this.prefixes.add(prefixOf(rule.id)).add(rule.category);
      this.groups.add(rule.category).add(prefixOf(rule.id));
      for (const word of rule.allowWords ?? []) this.words.add(word);
      const rest = rule.id.slice(rule.id.indexOf('.') + 1);
      (this.rests.get(rest) ?? this.rests.set(rest, new Set()).get(rest)!).add(prefixOf(rule.id));
      for (const alias of [rest.includes('-') ? rest : null, rule.id.replace('.', '-')]) {
        if (alias !== null) (this.aliases.get(alias) ?? this.aliases.set(alias, new Set()).get(alias)!).add(rule.id);
      }
    }
    for (const word of [...this.words, ...this.aliases.keys()]) this.groups.add(word);
    byFirstLetter(this.prefixesByLetter, this.prefixes);
    byFirstLetter(this.restsByLetter, [...this.rests.keys()].filter((rest) => rest.includes('-')));
    byFirstLetter(this.wordsByLetter, [...this.words].filter((word) => word.length >= 6 && /^[a-z]+$/.test(word)));
    this.ids = new Set([...rules.map((r) => r.id), ...customIds]);
    this.idList = [...this.ids];
  }

  /** The rule names among the words of a comment's text, each once. */
  namesIn(text: string): string[] {
    if (this.last?.text === text) return this.last.names;
    const names = new Set<string>();
    for (const raw of text.toLowerCase().split(/[^a-z0-9_.-]+/)) {
      // A doubled dot is a typo (`secret..github-pat`), not the end of a name.
      const name = this.nameOf(raw.replace(/^[.-]+|[.-]+$/g, '').replace(/\.{2,}/g, '.').replace(/serialis/g, 'serializ'));
      if (name !== null) names.add(name);
    }
    this.last = { text, names: [...names] };
    return this.last.names;
  }

  private nameOf(word: string): string | null {
    const dot = word.indexOf('.');
    if (dot === -1) {
      const hyphens = word.replace(/_/g, '-');
      const name = this.singular(hyphens, this.groups) ?? this.hyphenatedId(hyphens);
      if (name !== null) return name;
      // A category or prefix with a typo in it (`secert`, `unsafe-deserializaton`), or an id's words
      // (`githb-pat`), names no rule. (A Python name, `pickle_file`, is neither.)
      return this.mistypedPrefix(hyphens, null) || (!word.includes('_') && (this.mistypedRest(hyphens) || this.mistypedWord(hyphens))) ? hyphens : null;
    }
    if (this.ids.has(word)) return word;
    const first = word.slice(0, dot);
    const own = this.singular(first, this.words);
    if (own !== null) return own;
    if (!ID_SHAPE.test(word)) return null;
    const prefix = this.singular(first, this.prefixes);
    if (prefix !== null) return `${prefix}${word.slice(dot)}`;
    const rest = word.slice(dot + 1);
    // An id with underscores for its prefix's hyphens (`sensitive_file.keystore`); not `pickle_file.read`, a Python name.
    const hyphens = first.includes('_') ? this.singular(first.replace(/_/g, '-'), this.prefixes) : null;
    if (hyphens !== null && this.ids.has(`${hyphens}.${rest}`)) return `${hyphens}.${rest}`;
    // A typo in the prefix (`secert.github-pat`) is a mistyped id too, not a reason word that would allow every rule.
    return this.mistypedPrefix(first, rest) ? word : null;
  }

  /**
   * Whether `first` reads as an id's prefix or a category with a typo in it. Before the rest of an
   * id under it (`secrett.github-pat`, `wecret.github-pat`): two edits at most. Otherwise: at least
   * 5 letters, the same first letter, one edit (two from a name of 10 letters or more), and not the
   * name with more after it; so `secert`, `requirment`, `sensitve-file`, not `socket` (two from
   * `secret`), `pickler`, `pickled`, `serialization` or `e.g`. A Python name (`pickle_file`,
   * `env_file`) is none: ids have no underscore. A word alone (`rest` null) is a mistyped category or
   * prefix only where those name rules alone (not `custom`: see the constructor). Plurals too (`secerts`).
   */
  private mistypedPrefix(first: string, rest: string | null): boolean {
    return orSingular(first, (word) => this.typoOf(word, rest));
  }

  private typoOf(first: string, rest: string | null): boolean {
    if (first.length > HINT_MAX_LENGTH || first.includes('_')) return false;
    const under = rest === null ? undefined : this.rests.get(rest);
    for (const prefix of under ?? []) if (withinEdits(first, prefix, 2)) return true;
    return oneTypoFrom(first, this.prefixesByLetter, 10, (prefix) => rest !== null || this.groups.has(prefix));
  }

  /**
   * Whether a word reads as a rule's own word of six letters or more with one typo in it (`pyyml`,
   * `jobilb`, `picke`), as mistypedPrefix reads a prefix; not `pickled` or `marshall` (the word with
   * more after it). Of 255,142 words of Python's library, packages' docs and flask, only `panda`.
   */
  private mistypedWord(word: string): boolean {
    return oneTypoFrom(word, this.wordsByLetter, Infinity);
  }

  /**
   * Whether a hyphenated word reads as an alias (an id's words after its prefix, `github-pat`) with
   * a typo in it, as mistypedPrefix reads a prefix: `githb-pat`, `github-pta`, `aws-acess-key-id`,
   * not `look-alikes` (a plural), `github-pat-like` (the alias with more after it) or `built-in`.
   */
  private mistypedRest(word: string): boolean {
    if (!word.includes('-')) return false;
    return orSingular(word, (w) => oneTypoFrom(w, this.restsByLetter, REST_TWO_EDITS));
  }

  /**
   * A word that starts with an id's prefix and a hyphen but is no alias (`secret-github-token`): the
   * id it would be, known or not; under a plural prefix or `custom`, only a known id (`secrets-github-pat`, not
   * `secrets-manager`); under a prefix with a typo in it (`secert-github-pat`), that mistyped id.
   */
  private hyphenatedId(word: string): string | null {
    for (let at = word.indexOf('-'); at !== -1 && at <= HINT_MAX_LENGTH; at = word.indexOf('-', at + 1)) {
      const first = word.slice(0, at);
      const rest = word.slice(at + 1);
      const prefix = this.singular(first, this.prefixes);
      const id = `${prefix ?? first}.${rest}`;
      if (!ID_SHAPE.test(id)) continue;
      // "custom" is no group (a word alone): under it, only a known id.
      if ((prefix === first && this.groups.has(prefix)) || (prefix !== null && this.ids.has(id)) || (prefix === null && this.mistypedPrefix(first, rest))) return id;
    }
    return null;
  }

  /** `word`, or the word without its plural `s`, when `known` holds it. */
  private singular(word: string, known: ReadonlySet<string>): string | null {
    if (known.has(word)) return word;
    return word.endsWith('s') && known.has(word.slice(0, -1)) ? word.slice(0, -1) : null;
  }

  /** Whether `name` (from namesIn) picks the rule. */
  picks(name: string, rule: RuleName): boolean {
    return name === rule.id || name === rule.category || name === prefixOf(rule.id) || (rule.allowWords?.includes(name) ?? false) || (this.aliases.get(name)?.has(rule.id) ?? false);
  }

  /** Whether a name from namesIn is a rule's, a category, a prefix or a rule's word (not a mistyped id). */
  isRule(name: string): boolean {
    return this.ids.has(name) || this.groups.has(name);
  }

  isGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /**
   * ` (did you mean "…"?)` for a name that is no rule, or "": worked out once per word. A longer
   * word than any id gets none.
   */
  hint(name: string): string {
    let hint = this.hints.get(name);
    if (hint === undefined) {
      if (name.length > HINT_MAX_LENGTH) return '';
      // closest() allows at most 3 edits or a name holding the word: no other id can be near.
      // Among the ids under the name's own prefix, all ids when the prefix is mistyped, and the
      // categories and prefixes for an undotted name (mistypedPrefix).
      const under = name.slice(0, name.indexOf('.') + 1);
      // (An undotted name: the prefixes and categories, and the rules' own words: `pyyml` is near `pyyaml`.)
      const own = under === '' ? [...this.prefixes, ...this.words] : this.idList.filter((id) => id.startsWith(under));
      const near = closest(name, (own.length > 0 ? own : this.idList).filter((id) => Math.abs(id.length - name.length) <= 3 || id.includes(name)));
      // A mistyped alias (`githb-pat`): the ids whose words it is closest to.
      if (under === '' && name.includes('-')) {
        const rests = closest(name, [...this.rests.keys()].filter((rest) => rest.includes('-') && Math.abs(rest.length - name.length) <= 3));
        near.push(...rests.flatMap((rest) => [...this.rests.get(rest)!].map((prefix) => `${prefix}.${rest}`)));
        near.splice(3);
      }
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
    const marker = OWN_LINE.exec(text);
    own = marker === null ? NONE : commentAllow(text.slice(marker.index + 'gitward:allow'.length), finding.rule, known, false);
    if (own.kind === 'allowed') return own;
    if (finding.rule.category === 'secret' && SECRET_PRAGMA.test(text)) return { kind: 'allowed', reason: 'inline comment (pragma: allowlist secret)' };
    const linter = finding.linterCodes === undefined ? null : linterMarker(text, finding.linterCodes);
    if (linter !== null) return { kind: 'allowed', reason: `inline comment (${linter})` };
  }
  const previous = lines.get(finding.line - 1)?.text ?? fileLines?.(finding.line - 1);
  const at = previous?.indexOf(NEXT_LINE) ?? -1;
  if (previous === undefined || at === -1) return own;
  const before = commentAllow(previous.slice(at + NEXT_LINE.length), finding.rule, known, true);
  return before.kind === 'allowed' || own.kind === 'none' ? before : own;
}

/** What the words after a `gitward:allow` marker (to the end of its comment) say of the rule. */
function commentAllow(after: string, rule: RuleName, known: AllowNames, nextLine: boolean): InlineAllow {
  const end = COMMENT_END.exec(after);
  const names = known.namesIn(end ? after.slice(0, end.index) : after);
  if (names.length === 0 || names.some((name) => known.picks(name, rule))) {
    return { kind: 'allowed', reason: `${nextLine ? 'inline comment on the line before' : 'inline comment'} (gitward:allow)` };
  }
  return { kind: 'named-others', names, nextLine };
}

const NOSEC = /^#\s*nosec\b:?([^#]*)/;
const NOQA = /^#\s*noqa\s*:\s*([a-z]+[0-9]+(?:[\s,]+[a-z]+[0-9]+)*)/i;

/**
 * The security linter's marker, in a comment of the line, that already allows this call
 * (RawFinding.linterCodes): bandit's `# nosec` (every test on the line), `# nosec B301, B506` or
 * `# nosec pickle` (those tests), ruff's or flake8-bandit's `# noqa: S301` (never a bare `# noqa`,
 * which silences style checks as much). A marker inside a string is no comment.
 */
function linterMarker(text: string, codes: LinterCodes): string | null {
  if (!text.includes('nosec') && !/noqa/i.test(text)) return null;
  for (let at = commentStart(text); at !== -1; at = text.indexOf('#', at + 1)) {
    const rest = text.slice(at);
    const nosec = NOSEC.exec(rest);
    if (nosec) {
      const tests = nosec[1]!.match(/[A-Za-z0-9_]+/g);
      if (tests === null) return '# nosec';
      if (tests.includes(codes.bandit) || tests.includes(codes.banditName)) return `# nosec ${codes.bandit}`;
    }
    const noqa = codes.ruff === undefined ? null : NOQA.exec(rest);
    if (noqa && noqa[1]!.toUpperCase().split(/[\s,]+/).includes(codes.ruff!)) return `# noqa: ${codes.ruff}`;
  }
  return null;
}

/** Where the line's comment starts (its first `#` outside a Python string on the line), or -1. */
function commentStart(text: string): number {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}

/**
 * The line a finding carries when an allow comment beside it names other rules. Only names of
 * rules are repeated (a word of the comment could be a secret): one that is no rule is counted,
 * with the rule it is closest to.
 */
export function missDetail(rule: RuleName, miss: { names: readonly string[]; nextLine: boolean }, known: AllowNames, hinted: Set<string>): string {
  const real = miss.names.filter((name) => known.isRule(name));
  const unknown = miss.names.filter((name) => !known.isRule(name));
  const where = miss.nextLine ? 'the gitward:allow-next-line comment above' : 'the gitward:allow comment here';
  const named = real.length > 0 ? `names ${real.slice(0, 5).join(', ')}${real.length > 5 ? ', …' : ''}, not this rule` : 'names no rule that exists';
  const group = known.isGroup(prefixOf(rule.id)) ? prefixOf(rule.id) : rule.category;
  const parts = [`${where} ${named}: add ${rule.id} (or ${group}) to it to allow this finding`];
  if (unknown.length > 0) {
    // At most HINTS_PER_FILE words of a file are hinted (a file of crafted comments costs no more), the same in any thread.
    const hintable = unknown.slice(0, 3).filter((name) => {
      if (!hinted.has(name) && hinted.size >= HINTS_PER_FILE) return false;
      hinted.add(name);
      return true;
    });
    const hints = [...new Set(hintable.map((name) => known.hint(name)).filter((h) => h !== ''))];
    parts.push(`${unknown.length === 1 ? 'one name in it is' : `${unknown.length} names in it are`} no rule${hints.join('')}`);
  }
  return parts.join('; ');
}

/** Whether `test` holds for the word or, when it ends in `s`, for the word without it (a plural: `secerts`). */
function orSingular(word: string, test: (word: string) => boolean): boolean {
  return test(word) || (word.endsWith('s') && test(word.slice(0, -1)));
}

/** Names grouped by their first letter, for oneTypoFrom. */
function byFirstLetter(into: Map<string, string[]>, names: Iterable<string>): void {
  for (const name of names) (into.get(name[0]!) ?? into.set(name[0]!, []).get(name[0]!)!).push(name);
}

/**
 * Whether `word` is a typo of one of `names` (grouped by first letter), where `usable` says so: at
 * least 5 letters, the same first letter, one edit (two from a name of `twoFrom` letters or more), and
 * not the name with more after it (`pickler` is no typo of `pickle`).
 */
function oneTypoFrom(word: string, names: ReadonlyMap<string, readonly string[]>, twoFrom: number, usable: (name: string) => boolean = () => true): boolean {
  if (word.length < 5 || word.length > HINT_MAX_LENGTH) return false;
  for (const name of names.get(word[0]!) ?? []) {
    const edits = name.length >= twoFrom ? 2 : 1;
    if (Math.abs(word.length - name.length) > edits || word.startsWith(name) || !usable(name)) continue;
    if (withinEdits(word, name, edits)) return true;
  }
  return false;
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
