import type { FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import type { Detector } from '../types.ts';
import { shannon } from './entropy.ts';
import type { ProviderRule } from './provider.ts';
import { PROVIDERS } from './providers/index.ts';

function providerMeta(p: ProviderRule): RuleMeta {
  return {
    id: p.id,
    category: 'secret',
    severity: 'block',
    title: `${p.title} in the change`,
    doc: {
      catches: `${p.title}s by their published format.`,
      why: 'Anything committed is copied to every clone and stays in history after it is deleted; a leaked credential must be treated as compromised.',
      fix: `Remove it from the change and load it from the environment or a secret manager. ${p.rotate ?? 'Revoke it with the provider and issue a new one.'}`,
    },
  };
}

const compiled = PROVIDERS.map((p) => ({ provider: p, meta: providerMeta(p), keywords: p.keywords }));

/** Secrets on added lines: provider formats first (cheap keyword prefilter), then generic rules. */
export const secretDetector: Detector = {
  name: 'secrets',
  rules: compiled.map((c) => c.meta),
  appliesTo: (change) => change.addedLines.length > 0,
  scan(change: FileChange): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const line of change.addedLines) {
      const lower = line.text.toLowerCase();
      for (const c of compiled) {
        if (!c.keywords.some((k) => lower.includes(k))) continue;
        const match = c.provider.pattern.exec(line.text);
        if (!match) continue;
        const secret = match.groups?.secret ?? match[0];
        if (c.provider.minEntropy !== undefined && shannon(secret) < c.provider.minEntropy) continue;
        findings.push({ rule: c.meta, line: line.number, column: match.index + 1, message: c.provider.title, secret });
      }
    }
    return findings;
  },
};

export function scanLineForTest(text: string): RawFinding[] {
  return secretDetector.scan({ addedLines: [{ number: 1, text }] } as unknown as FileChange, null as never) as RawFinding[];
}
