import type { ScanResult } from '../engine/scan.ts';

/** SARIF 2.1.0 (filled in by the integrations work). */
export function formatSarif(result: ScanResult): string {
  return `${JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'gitward', rules: [] } }, results: result.findings.map((f) => ({ ruleId: f.rule, message: { text: f.message } })) }] }, null, 2)}\n`;
}
