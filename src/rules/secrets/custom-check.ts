import type { GitwardConfig } from '../../config/types.ts';
import { redact } from '../../engine/redact.ts';
import type { FileChange, RawFinding } from '../../engine/types.ts';
import type { CustomRule } from './custom.ts';
import { secretDetector } from './detector.ts';

export interface RuleCheck {
  rule: CustomRule;
  /** One line per example that gives no finding of the rule, or negative that gives one; no value in full. */
  failures: string[];
}

/**
 * Runs each custom rule's `examples` (each must give a finding of that rule) and `negatives`
 * (none may) through the secrets engine itself, as added lines of a file: keyword pre-filter,
 * regex, entropy floor, placeholder checks and the built-in rules that may claim the same span.
 * `paths` is left out (an example has no path).
 */
export function checkCustomRules(config: GitwardConfig): RuleCheck[] {
  const unlimited: GitwardConfig = { ...config, customRules: config.customRules.map((r) => ({ ...r, appliesToPath: null })) };
  const fires = (rule: CustomRule, line: string) => findingIds(line, unlimited).includes(rule.id);
  return config.customRules.map((rule) => {
    const failures: string[] = [];
    rule.examples.forEach((line, i) => {
      if (!fires(rule, line)) failures.push(`example ${i + 1} (${redact(line)}) gives no finding`);
    });
    rule.negatives.forEach((line, i) => {
      if (fires(rule, line)) failures.push(`negative ${i + 1} (${redact(line)}) gives a finding`);
    });
    return { rule, failures };
  });
}

function findingIds(line: string, config: GitwardConfig): string[] {
  const change: FileChange = {
    path: 'example.txt',
    oldPath: null,
    status: 'A',
    oldMode: null,
    newMode: '100644',
    oldBlob: null,
    newBlob: null,
    binary: false,
    addedLines: [{ number: 1, text: line }],
    commit: null,
    loadContent: () => Promise.resolve(null),
  };
  // The secrets detector is synchronous.
  return (secretDetector.scan(change, { config, notice: () => undefined }) as RawFinding[]).map((f) => f.rule.id);
}
