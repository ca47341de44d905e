import { read } from '../../config/section.ts';
import { globMatcher } from '../../engine/globs.ts';
import type { Severity } from '../../engine/types.ts';
import { linearTimeProblems } from '../regex-safety.ts';
import type { ProviderRule } from './provider.ts';

/**
 * `[[custom-rules]]`: a team's own token formats, as data. Each becomes one more row of the
 * secrets engine's provider table (keyword pre-filter, pattern, entropy floor, redaction,
 * fingerprints, inline allow and `[rules]` levels), never an engine of its own.
 */
export interface CustomRule extends ProviderRule {
  readonly severity: Severity;
  /** Path globs the rule is limited to (picomatch, like `exclude`); empty: every file and message. */
  readonly paths: readonly string[];
  /** Null when `paths` is empty. */
  readonly appliesToPath: ((path: string) => boolean) | null;
  /** Lines that must give a finding of this rule (`gitward rules --check`). */
  readonly examples: readonly string[];
}

const KEYS = ['id', 'title', 'regex', 'keywords', 'min-entropy', 'paths', 'severity', 'examples', 'negatives'];
const REQUIRED = ['id', 'title', 'regex', 'keywords'];
/** Ids as inline `gitward:allow <id>` comments and `[rules]` keys can name them. */
const ID = /^custom\.[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*$/;
/** gitleaks-style leading `(?i)`: JavaScript has no inline flags, so it becomes the `i` flag. */
const CASE_INSENSITIVE = '(?i)';

/** Validates the `custom-rules` value of a config; `fail` throws the config error. */
export function parseCustomRules(value: unknown, fail: (problem: string) => never): CustomRule[] {
  if (!Array.isArray(value)) fail('"custom-rules" must be an array of tables ([[custom-rules]])');
  const rules: CustomRule[] = [];
  (value as unknown[]).forEach((entry, index) => {
    const name = typeof (entry as { id?: unknown })?.id === 'string' ? `custom rule "${(entry as { id: string }).id}"` : `custom rule #${index + 1}`;
    const ruleFail = (problem: string): never => fail(`${name}: ${problem}`);
    const rule = parseOne(read.table(entry, `custom-rules[${index}]`, ruleFail), ruleFail);
    if (rules.some((r) => r.id === rule.id)) ruleFail('the id is used by another custom rule');
    rules.push(rule);
  });
  return rules;
}

function parseOne(table: Record<string, unknown>, fail: (problem: string) => never): CustomRule {
  read.onlyKeys(table, KEYS, 'the rule', fail);
  for (const key of REQUIRED) if (table[key] === undefined) fail(`"${key}" is required`);
  const id = read.string(table.id, 'id', fail);
  if (!ID.test(id)) fail('"id" must start with "custom." and hold only a-z, 0-9, "-" and "." (e.g. custom.acme-api-key)');
  const title = read.string(table.title, 'title', fail).trim();
  if (!title || title.includes('\n')) fail('"title" must be one non-empty line');
  const keywords = read.strings(table.keywords, 'keywords', fail).map((k) => k.toLowerCase());
  if (keywords.length === 0) fail('"keywords" must list at least one word (lines without any are never tried against the regex)');
  for (const k of keywords) if (!/^[\x20-\x7e]{1,64}$/.test(k)) fail(`keyword ${JSON.stringify(k)} must be 1 to 64 printable ASCII characters`);
  const { source, flags } = regexOf(read.string(table.regex, 'regex', fail), fail);
  const minEntropy = table['min-entropy'] === undefined ? undefined : read.number(table['min-entropy'], 'min-entropy', fail);
  if (minEntropy !== undefined && minEntropy > 8) fail('"min-entropy" is in bits per character: at most 8');
  const paths = table.paths === undefined ? [] : read.strings(table.paths, 'paths', fail);
  if (paths.some((p) => p.trim() === '')) fail('"paths" must hold non-empty globs');
  const severity = table.severity === undefined ? 'block' : read.string(table.severity, 'severity', fail);
  if (severity !== 'block' && severity !== 'warn') fail(`"severity" must be "block" or "warn", not ${JSON.stringify(severity)}`);
  const examples = table.examples === undefined ? [] : read.strings(table.examples, 'examples', fail);
  const negatives = table.negatives === undefined ? [] : read.strings(table.negatives, 'negatives', fail);
  const pattern = new RegExp(source, flags);
  return {
    id,
    title,
    keywords,
    pattern,
    source,
    flags,
    minEntropy,
    severity,
    paths,
    appliesToPath: paths.length > 0 ? pathMatcher(paths, fail) : null,
    examples,
    positives: examples.map((line) => () => line),
    negatives,
  };
}

function pathMatcher(paths: string[], fail: (problem: string) => never): (path: string) => boolean {
  try {
    return globMatcher(paths, { dot: true });
  } catch (error) {
    return fail(`"paths" has a glob picomatch cannot read: ${(error as Error).message}`);
  }
}

function regexOf(raw: string, fail: (problem: string) => never): { source: string; flags: string } {
  const insensitive = raw.startsWith(CASE_INSENSITIVE);
  const source = insensitive ? raw.slice(CASE_INSENSITIVE.length) : raw;
  let compiled: RegExp;
  try {
    compiled = new RegExp(source);
  } catch (error) {
    return fail(`"regex" is not a valid regular expression: ${(error as Error).message}`);
  }
  if (!/\(\?<secret>/.test(source)) fail('"regex" must hold a named group (?<secret>…) for the value');
  const problems = linearTimeProblems(source);
  if (problems.length > 0) fail(`"regex" is not linear-time safe: ${problems.join('; ')}`);
  if (compiled.test('')) fail('"regex" matches the empty string');
  return { source, flags: insensitive ? 'i' : '' };
}
