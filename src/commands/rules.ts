import { GitwardError } from '../engine/errors.ts';
import type { RuleMeta } from '../engine/types.ts';
import { allRules } from '../rules/index.ts';
import { categoryPrefixes, ruleNameHint, selectRules } from '../rules/names.ts';
import { defaultAllowText } from '../rules/types.ts';
import { outputWidth, wrapWords } from '../report/words.ts';

export interface RulesArgs {
  id?: string;
  format?: 'text' | 'json' | 'sarif';
}

/** `gitward rules` lists every rule; `gitward rules ID` (a rule id or a category) prints its doc. */
export async function runRules(args: RulesArgs): Promise<number> {
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
