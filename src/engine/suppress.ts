import type { GitwardConfig } from '../config/types.ts';
import type { AddedLine, RawFinding } from './types.ts';

const INLINE = /gitward:allow(?:[ \t]+([A-Za-z0-9_.,\- \t]+))?|pragma:\s*allowlist[ \t]+secret/;

/**
 * Why a finding is allowed, or null. Inline comments sit on the finding's own line (or the line
 * before with `gitward:allow-next-line`); an id list after `gitward:allow` narrows it to those rules.
 */
export function inlineAllowReason(finding: RawFinding, lines: ReadonlyMap<number, AddedLine>, fileLines?: (n: number) => string | undefined): string | null {
  if (finding.line === null) return null;
  const text = lines.get(finding.line)?.text ?? fileLines?.(finding.line);
  if (text !== undefined) {
    const reason = matchInline(text, finding.rule.id, finding.rule.category, false);
    if (reason) return reason;
  }
  const previous = lines.get(finding.line - 1)?.text ?? fileLines?.(finding.line - 1);
  if (previous !== undefined && previous.includes('gitward:allow-next-line')) {
    return matchInline(previous.replace('gitward:allow-next-line', 'gitward:allow'), finding.rule.id, finding.rule.category, true);
  }
  return null;
}

function matchInline(text: string, ruleId: string, category: string, nextLine: boolean): string | null {
  if (!text.includes('gitward:allow') && !text.includes('allowlist')) return null;
  const match = INLINE.exec(text);
  if (!match) return null;
  const where = nextLine ? 'inline comment on the line before' : 'inline comment';
  if (match[0].startsWith('pragma')) return `${where} (pragma: allowlist secret)`;
  const ids = (match[1] ?? '')
    .split(/[\s,]+/)
    .filter((id) => /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(id) && (id.includes('.') || id === category));
  if (ids.length === 0 || ids.includes(ruleId) || ids.includes(category)) return `${where} (gitward:allow)`;
  return null;
}

export function configAllowReason(finding: RawFinding, fingerprint: string, config: GitwardConfig): string | null {
  if (config.allowFingerprints.includes(fingerprint)) return `allow-fingerprints in ${config.source}`;
  const value = finding.secret;
  if (value === undefined) return null;
  if (config.allowValues.includes(value)) return `allow-values in ${config.source}`;
  if (config.allowPatterns.some((re) => re.test(value))) return `allow-patterns in ${config.source}`;
  return null;
}
