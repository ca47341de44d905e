import { GitwardError } from '../engine/errors.ts';
import type { RuleMeta } from '../engine/types.ts';
import { allRules } from '../rules/index.ts';
import { categoryPrefixes, ruleNameHint, selectRules } from '../rules/names.ts';
import { defaultAllowText } from '../rules/types.ts';
import { count, outputWidth, wrapWords } from '../report/words.ts';
import { loadConfig } from '../config/load.ts';
import { repoInfo } from '../git/repo.ts';
import { checkCustomRules } from '../rules/secrets/custom-check.ts';

export interface RulesArgs {
  id?: string;
  format?: 'text' | 'json' | 'sarif';
  /** Run every custom rule's examples and negatives. */
  check?: boolean;
  config?: string;
  cwd?: string;
}

/** `gitward rules` lists every rule; `gitward rules ID` (a rule id or a category) prints its doc. */
export async function runRules(args: RulesArgs): Promise<number> {
  if (args.check) return runCheck(args);
  const rules = allRules();
  if (!args.id) {
    if (args.format === 'json') {
      process.stdout.write(`${JSON.stringify(rules.map(({ id, category, severity, title }) => ({ id, category, severity, title })), null, 2)}\n`);
      return 0;
    }
    const aliases = [...categoryPrefixes(rules)].map(([prefix, category]) => `${prefix} = ${category}`).join(', ');
    const width = outputWidth();
    const closing = wrapWords(
      `${rules.length} rules. \`gitward rules NAME\` shows the documentation of a rule id or a category; ` +
        `a category may also be named by its ids' prefix (${aliases}), here and under [rules] in the config.`,
      width,
    );
    process.stdout.write(`${ruleTable(rules, width).join('\n')}\n\n${closing.join('\n')}\n`);
    return 0;
  }
  const chosen = selectRules(args.id, rules)?.rules ?? [];
  if (chosen.length === 0) throw new GitwardError(`unknown rule "${args.id}"${ruleNameHint(args.id, rules)}`, 'Run `gitward rules` to list every rule.');
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify(chosen.map((r) => ({ ...r, doc: { ...r.doc, allow: r.doc.allow ?? defaultAllowText(r.id) } })), null, 2)}\n`);
    return 0;
  }
  process.stdout.write(chosen.map(ruleDoc).join('\n'));
  return 0;
}

/**
 * One rule a line, `id  severity  title`, within `width` columns: the id column is as wide as most
 * ids (a longer id puts the rest on the next line) and a long title wraps under itself.
 */
function ruleTable(rules: RuleMeta[], width: number): string[] {
  const idWidth = Math.min(30, Math.max(...rules.map((r) => r.id.length)));
  const indent = ' '.repeat(idWidth + 2 + 5 + 2);
  const lines: string[] = [];
  for (const r of rules) {
    const title = wrapWords(r.title, Math.max(20, width - indent.length));
    const head = `${r.severity.padEnd(5)}  ${title[0]}`;
    if (r.id.length > idWidth) lines.push(r.id, `${' '.repeat(idWidth + 2)}${head}`);
    else lines.push(`${r.id.padEnd(idWidth)}  ${head}`);
    for (const more of title.slice(1)) lines.push(`${indent}${more}`);
  }
  return lines;
}

/** `gitward rules --check`: 1 when an example gives no finding or a negative gives one, naming it (never its value). */
async function runCheck(args: RulesArgs): Promise<number> {
  if (args.id) throw new GitwardError('rules --check checks every custom rule of the config: give no rule id');
  const config = loadConfig(args.config ?? null, args.config ? null : repoInfo(args.cwd).topLevel);
  const where = config.source ?? 'the defaults (no config file found)';
  if (config.customRules.length === 0) {
    process.stdout.write(`gitward: no [[custom-rules]] in ${where}: nothing to check.\n`);
    return 0;
  }
  const checks = checkCustomRules(config);
  let failed = 0;
  for (const { rule, failures } of checks) {
    const counts = `${count(rule.examples.length, 'example')}, ${count(rule.negatives.length, 'negative')}`;
    if (failures.length === 0) {
      process.stdout.write(`ok    ${rule.id}: ${counts}${rule.examples.length === 0 ? ' (add examples: nothing shows the rule matches)' : ''}\n`);
      continue;
    }
    failed++;
    process.stdout.write(`FAIL  ${rule.id}: ${counts}\n${failures.map((f) => `      ${f}\n`).join('')}`);
  }
  process.stdout.write(`gitward: ${checks.length - failed} of ${count(checks.length, 'custom rule')} in ${where} ${checks.length - failed === 1 ? 'holds' : 'hold'}.\n`);
  return failed > 0 ? 1 : 0;
}

function ruleDoc(r: RuleMeta): string {
  return [
    `${r.id} — ${r.title}`,
    `category: ${r.category}    default severity: ${r.severity}`,
    '',
    `Catches: ${r.doc.catches}`,
    `Why it matters: ${r.doc.why}`,
    `How to fix: ${r.doc.fix}`,
    `How to allow a false positive: ${r.doc.allow ?? defaultAllowText(r.id)}`,
    '',
  ].join('\n');
}
