import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Finding } from '../engine/types.ts';
import type { RefUpdate } from './ref-updates.ts';

export interface AuditEvent {
  event: 'rejected' | 'bypass' | 'timeout-accepted' | 'error-accepted';
  repository: string;
  refs: readonly RefUpdate[];
  commits: number;
  pusher: Record<string, string>;
  reason: string;
  findings: readonly Finding[];
}

/** Appends one JSON line: rule ids and fingerprints, never a value. */
export function audit(logPath: string, gitDir: string, event: AuditEvent): void {
  const file = isAbsolute(logPath) ? logPath : join(gitDir, logPath);
  const line = {
    time: new Date().toISOString(),
    event: event.event,
    repository: event.repository,
    refs: event.refs.map((r) => ({ ref: r.ref, old: r.oldId, new: r.newId })),
    commits: event.commits,
    pusher: event.pusher,
    reason: event.reason,
    rules: [...new Set(event.findings.map((f) => f.rule))],
    findings: event.findings.map((f) => ({ rule: f.rule, commit: f.commit, path: f.path, line: f.line, fingerprint: f.fingerprint })),
  };
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
