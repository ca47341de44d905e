import { GitwardError } from '../engine/errors.ts';
import type { RuleMeta } from '../engine/types.ts';
import { allRules, findRule } from '../rules/index.ts';
import { defaultAllowText } from '../rules/types.ts';
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
    const idWidth = Math.max(...rules.map((r) => r.id.length));
    const catWidth = Math.max(...rules.map((r) => r.category.length));
    const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.severity.padEnd(5)}  ${r.title}`);
    process.stdout.write(`${lines.join('\n')}\n\n${rules.length} rules. \`gitward rules ID\` shows one rule's documentation.\n`);
    return 0;
  }
  const rule = findRule(args.id);
  const chosen = rule ? [rule] : rules.filter((r) => r.category === args.id);
  if (chosen.length === 0) {
    const near = rules.filter((r) => r.id.includes(args.id!) || args.id!.includes(r.id)).map((r) => r.id);
    throw new GitwardError(`unknown rule "${args.id}"`, near.length > 0 ? `Did you mean: ${near.slice(0, 5).join(', ')}?` : 'Run `gitward rules` to list every rule.');
  }
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify(chosen.map((r) => ({ ...r, doc: { ...r.doc, allow: r.doc.allow ?? defaultAllowText(r.id) } })), null, 2)}\n`);
    return 0;
  }
  process.stdout.write(chosen.map(ruleDoc).join('\n'));
  return 0;
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
    const counts = `${rule.examples.length} example(s), ${rule.negatives.length} negative(s)`;
    if (failures.length === 0) {
      process.stdout.write(`ok    ${rule.id}: ${counts}${rule.examples.length === 0 ? ' (add examples: nothing shows the rule matches)' : ''}\n`);
      continue;
    }
    failed++;
    process.stdout.write(`FAIL  ${rule.id}: ${counts}\n${failures.map((f) => `      ${f}\n`).join('')}`);
  }
  process.stdout.write(`gitward: ${checks.length - failed} of ${checks.length} custom rule(s) in ${where} hold.\n`);
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
