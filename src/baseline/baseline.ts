import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitwardError } from '../engine/errors.ts';
import type { Suppressor } from '../engine/scan.ts';
import type { Finding } from '../engine/types.ts';

export const BASELINE_FILE = '.gitward-baseline.json';

/** One accepted finding. Only its fingerprint (a one-way hash) matters; rule/path are for people. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  path: string;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

/** The baseline at the top of the work tree, or null when there is none. */
export function loadBaseline(topLevel: string | null): Baseline | null {
  if (!topLevel) return null;
  const file = join(topLevel, BASELINE_FILE);
  if (!existsSync(file)) return null;
  return readBaseline(file);
}

export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GitwardError(`baseline ${file}: not valid JSON (${(error as Error).message})`, 'Recreate it with `gitward baseline`.');
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) throw new GitwardError(`baseline ${file}: "findings" must be a list`, 'Recreate it with `gitward baseline`.');
  const entries: BaselineEntry[] = findings.map((entry, i) => {
    const e = entry as Partial<BaselineEntry>;
    if (typeof e?.fingerprint !== 'string' || !/^[0-9a-f]{8,64}$/.test(e.fingerprint)) {
      throw new GitwardError(`baseline ${file}: findings[${i}].fingerprint must be a hex fingerprint`, 'Recreate it with `gitward baseline`.');
    }
    return { fingerprint: e.fingerprint, rule: String(e.rule ?? ''), path: String(e.path ?? '') };
  });
  return { file, entries };
}

/** Sorted and de-duplicated, so that the file diffs cleanly from one run to the next. */
export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  const unique = new Map(entries.map((e) => [e.fingerprint, { fingerprint: e.fingerprint, rule: e.rule, path: e.path }]));
  const sorted = [...unique.values()].sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule) || a.fingerprint.localeCompare(b.fingerprint));
  const doc = {
    comment: 'Findings accepted when gitward was adopted; later scans skip them. Written by `gitward baseline`; holds fingerprints only, never a value.',
    version: 1,
    findings: sorted,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

export function entryOf(finding: Finding): BaselineEntry {
  return { fingerprint: finding.fingerprint, rule: finding.rule, path: finding.path ?? finding.location };
}

/** Skips baselined findings and remembers which entries matched (the rest are stale). */
export class BaselineFilter {
  private readonly prints: Map<string, BaselineEntry>;
  private readonly matched = new Set<string>();

  constructor(readonly baseline: Baseline) {
    this.prints = new Map(baseline.entries.map((e) => [e.fingerprint, e]));
  }

  readonly suppressor: Suppressor = (finding) => {
    if (!this.prints.has(finding.fingerprint)) return null;
    this.matched.add(finding.fingerprint);
    return 'baseline';
  };

  /** Entries no finding matched (meaningful only after a scan of every file). */
  stale(): BaselineEntry[] {
    return this.baseline.entries.filter((e) => !this.matched.has(e.fingerprint));
  }
}
