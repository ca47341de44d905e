import type { ScanResult } from '../engine/scan.ts';

/** DESIGN.md's JSON contract: exactly these keys per finding. */
export function toJsonReport(result: ScanResult): object {
  return {
    findings: result.findings.map((f) => ({
      rule: f.rule,
      category: f.category,
      severity: f.severity,
      path: f.path,
      // Only on findings in a commit or tag message, whose path is null.
      ...(f.path === null ? { location: f.location } : {}),
      line: f.line,
      commit: f.commit,
      message: f.message,
      fingerprint: f.fingerprint,
    })),
    stats: {
      ...result.stats,
      blocking: result.findings.filter((f) => f.severity === 'block').length,
      warnings: result.findings.filter((f) => f.severity === 'warn').length,
      suppressed: result.suppressed.length,
      notices: result.notices,
    },
  };
}

export function formatJson(result: ScanResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
