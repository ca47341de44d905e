import { read, sectionOf, type ConfigSection } from '../config/section.ts';
import type { GitwardConfig } from '../config/types.ts';

export type Outcome = 'reject' | 'accept';

export interface ServerSettings {
  /** Let `git push -o gitward.bypass="<reason>"` through (audited). */
  allowBypass: boolean;
  /** Audit log (JSON lines); relative paths are relative to the git dir. */
  auditLog: string;
  /** Seconds; 0 = no limit. Default leaves room under a 5-second platform limit. */
  timeout: number;
  onTimeout: Outcome;
  onError: Outcome;
  /** Merge a `.gitward.toml` found in the pushed tip into the server policy (off by default). */
  trustPushedConfig: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 4;

const KEYS = ['allow-bypass', 'audit-log', 'timeout', 'on-timeout', 'on-error', 'trust-pushed-config'];

function outcome(value: unknown, key: string, fail: (p: string) => never): Outcome {
  if (value !== 'reject' && value !== 'accept') fail(`"server.${key}" must be "reject" or "accept"`);
  return value as Outcome;
}

export const serverSection: ConfigSection<ServerSettings> = {
  name: 'server',
  defaults: () => ({
    allowBypass: false,
    auditLog: 'gitward-audit.log',
    timeout: DEFAULT_TIMEOUT_SECONDS,
    onTimeout: 'reject',
    onError: 'reject',
    trustPushedConfig: false,
  }),
  parse(table, fail) {
    read.onlyKeys(table, KEYS, '[server]', fail);
    const s = serverSection.defaults();
    if (table['allow-bypass'] !== undefined) s.allowBypass = read.bool(table['allow-bypass'], 'server.allow-bypass', fail);
    if (table['audit-log'] !== undefined) s.auditLog = read.string(table['audit-log'], 'server.audit-log', fail);
    if (table.timeout !== undefined) s.timeout = read.number(table.timeout, 'server.timeout', fail);
    if (table['on-timeout'] !== undefined) s.onTimeout = outcome(table['on-timeout'], 'on-timeout', fail);
    if (table['on-error'] !== undefined) s.onError = outcome(table['on-error'], 'on-error', fail);
    if (table['trust-pushed-config'] !== undefined) {
      s.trustPushedConfig = read.bool(table['trust-pushed-config'], 'server.trust-pushed-config', fail);
    }
    return s;
  },
};

export function serverSettings(config: GitwardConfig): ServerSettings {
  return sectionOf(config, serverSection);
}
