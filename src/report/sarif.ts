import type { ScanResult } from '../engine/scan.ts';
import type { Finding, RuleMeta } from '../engine/types.ts';
import { allRules } from '../rules/index.ts';
import { defaultAllowText } from '../rules/types.ts';
import { VERSION } from '../version.ts';

/**
 * SARIF 2.1.0 (schemas/sarif-schema-2.1.0.json), shaped for GitHub code scanning: the rules with
 * their help, results with a relative location under %SRCROOT%, the commit that introduced a
 * finding, and partialFingerprints so that an alert keeps its identity from one upload to the next.
 * Messages are the engine's redacted ones: no value ever reaches this file.
 */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL = { block: 'error', warn: 'warning' } as const;

/**
 * `allRules: false` (the default) lists only the rules that fired, so that a report of one finding
 * stays small; `true` (`--sarif-all-rules`) lists every rule, for tools that show a rule catalogue.
 */
export function formatSarif(result: ScanResult, options: { allRules?: boolean } = {}): string {
  const rules: RuleMeta[] = options.allRules ? allRules() : [];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // Each rule that fired gets its entry (also one the table does not list).
  for (const f of result.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, rules.length);
      rules.push(f.meta);
    }
  }
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitward',
            version: VERSION,
            semanticVersion: VERSION,
            rules: rules.map(ruleEntry),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The top of the git work tree.' } } },
        results: result.findings.map((f) => resultEntry(f, index.get(f.rule)!)),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.notices.map((text) => ({ message: { text }, level: 'note' })),
          },
        ],
        properties: { stats: { ...result.stats, suppressed: result.suppressed.length } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleEntry(meta: RuleMeta): object {
  const allow = meta.doc.allow ?? defaultAllowText(meta.id);
  return {
    id: meta.id,
    name: pascalName(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.doc.catches },
    help: {
      text: `${meta.doc.catches}\n\nWhy it matters: ${meta.doc.why}\n\nHow to fix: ${meta.doc.fix}\n\nHow to allow a false positive: ${allow}`,
      markdown: `${meta.doc.catches}\n\n**Why it matters:** ${meta.doc.why}\n\n**How to fix:** ${meta.doc.fix}\n\n**How to allow a false positive:** ${allow}`,
    },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      category: meta.category,
      tags: ['security', meta.category],
      precision: 'high',
      // GitHub code scanning ranks security alerts by this (0.0–10.0).
      'security-severity': meta.severity === 'block' ? '8.0' : '4.0',
    },
  };
}

function resultEntry(f: Finding, ruleIndex: number): object {
  const region: Record<string, number> = {};
  if (f.line !== null) region.startLine = f.line;
  if (f.line !== null && f.column !== null) region.startColumn = f.column;
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        ...(f.path === null
          ? { logicalLocations: [messageLocation(f)] }
          : {
              physicalLocation: {
                artifactLocation: { uri: pathToUri(f.path), uriBaseId: '%SRCROOT%' },
                ...(f.line !== null ? { region } : {}),
              },
            }),
        ...(f.commit ? { message: { text: `added in ${f.location === 'tag-message' ? 'tag' : 'commit'} ${f.commit}` } } : {}),
      },
    ],
    partialFingerprints: { 'gitwardFingerprint/v1': f.fingerprint },
    properties: {
      category: f.category,
      severity: f.severity,
      commit: f.commit,
      ...(f.path === null ? { location: f.location } : {}),
      ...(f.redacted ? { redacted: f.redacted } : {}),
      // What the text report lists under a finding: a pickle's imports, "renamed from …", an allow comment naming other rules.
      ...(f.details.length > 0 ? { details: f.details } : {}),
    },
  };
}

/** A commit's or tag's message is no file: it is named as a logical location, with its line. */
function messageLocation(f: Finding): object {
  const kind = f.location === 'tag-message' ? 'tag' : 'commit';
  const object = f.commit ?? 'uncommitted';
  return {
    name: `${kind} message`,
    fullyQualifiedName: `${kind}/${object}/message${f.line !== null ? `:${f.line}` : ''}`,
    kind: 'text',
    properties: { location: f.location, ...(f.line !== null ? { line: f.line } : {}) },
  };
}

/** A relative URI reference: each path segment percent-encoded (spaces, '#', '?', non-ASCII). */
export function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function pascalName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
