import type { ConfiguredSeverity } from '../engine/types.ts';
import type { CustomRule } from '../rules/secrets/custom.ts';

export interface Limits {
  /** Largest blob read in full by a rule; larger files are inspected by head/tail only or noted. */
  maxFileBytes: number;
  /** Lines longer than this are scanned in overlapping windows of this length, and a notice is given. */
  maxLineLength: number;
  /** Added text of one scan (a commit, a push) beyond this is refused unscanned: fail closed. */
  maxPushBytes: number;
  /** A scan running longer than this many seconds stops and fails closed (0: no limit). */
  timeoutSeconds: number;
}

export interface GitwardConfig {
  /** Where it came from (null: built-in defaults). */
  source: string | null;
  /** Path globs never scanned. */
  exclude: string[];
  /** Exact values that are not secrets (matched against the detected value). */
  allowValues: string[];
  /** Regular expressions; a detected value matching one is allowed. */
  allowPatterns: RegExp[];
  /** Fingerprints of findings that are allowed. */
  allowFingerprints: string[];
  /** Honour `gitward:allow` / `pragma: allowlist secret` comments. */
  inlineAllow: boolean;
  /** Per-rule severity override: block, warn or off. Keys are rule ids or category names. */
  rules: Record<string, ConfiguredSeverity>;
  limits: Limits;
  /** `[[custom-rules]]`: the team's own token formats, run by the secrets engine. */
  customRules: CustomRule[];
  /** Sections owned by feature modules (requirements, pickle, server, …), validated by them. */
  sections: Record<string, unknown>;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxLineLength: 1024 * 1024,
  maxPushBytes: 512 * 1024 * 1024,
  timeoutSeconds: 300,
};

export function defaultConfig(): GitwardConfig {
  return {
    source: null,
    exclude: [],
    allowValues: [],
    allowPatterns: [],
    allowFingerprints: [],
    inlineAllow: true,
    rules: {},
    limits: { ...DEFAULT_LIMITS },
    customRules: [],
    sections: {},
  };
}
