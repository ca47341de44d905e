import type { ScanResult } from '../engine/scan.ts';
import type { Finding, RuleMeta } from '../engine/types.ts';
import { defaultAllowText } from '../rules/types.ts';
import { printable, style, type Style } from './style.ts';
import { count } from './words.ts';

export interface TextOptions {
  colour: boolean;
  /** What was scanned, for the headline: "the staged changes", "3 pushed commits", … */
  scope: string;
  /** Show the why/fix/allow help per rule (people), or only the findings (terse). */
  help?: boolean;
  /** Extra advice at the end (how to clean history, …). */
  footer?: string[];
  /**
   * Show at most this many findings per rule and in all, then how many were left out (a server's
   * pusher must not get megabytes for an old repository's first push). Default: all.
   */
  limit?: { perRule: number; total: number };
  /** Where the allow advice sends people instead of `.gitward.toml` (the server's own config). */
  configName?: string;
}

/** The path, or "commit message" / "tag message" where a message holds the finding. */
export function placeOf(f: Finding): string {
  return f.path ?? (f.location === 'tag-message' ? 'tag message' : 'commit message');
}

export function location(f: Finding): string {
  const where = f.line === null ? placeOf(f) : `${placeOf(f)}:${f.line}`;
  return printable(f.commit ? `${f.commit.slice(0, 12)} ${where}` : where);
}

/** Whether the text report of `result` is empty: nothing found, nothing allowed, no notice. */
export function printsNothing(result: ScanResult): boolean {
  return result.findings.length === 0 && result.suppressed.length === 0 && result.notices.length === 0;
}

export function formatText(result: ScanResult, options: TextOptions): string {
  const s = style(options.colour);
  const out: string[] = [];
  const blocking = result.findings.filter((f) => f.severity === 'block');
  const warnings = result.findings.filter((f) => f.severity === 'warn');
  for (const notice of result.notices) out.push(s.dim(`gitward: note: ${printable(notice)}`));
  if (result.findings.length === 0) {
    if (result.suppressed.length > 0) {
      out.push(s.dim(`gitward: ${count(result.suppressed.length, 'finding')} allowed (${summariseReasons(result.suppressed)})`));
    }
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  }
  const head = blocking.length > 0 ? s.red(s.bold('gitward: blocked')) : s.yellow(s.bold('gitward: warnings'));
  out.push(`${head} — ${count(blocking.length, 'blocking finding')}, ${count(warnings.length, 'warning')} in ${options.scope}`);
  out.push('');
  const { shown, left } = bounded([...blocking, ...warnings], options.limit);
  for (const f of shown) out.push(...findingLines(f, s));
  if (left.size > 0) {
    const total = [...left.values()].reduce((a, b) => a + b, 0);
    const byRule = [...left].map(([rule, n]) => `${rule}: ${n}`).join(', ');
    out.push(`… and ${count(total, 'more finding')} not shown (${byRule})`, '');
  }
  if (options.help !== false) {
    const seen = new Map<string, RuleMeta>();
    for (const f of result.findings) seen.set(f.rule, f.meta);
    out.push(s.bold('How to fix'));
    for (const meta of seen.values()) out.push(...helpLines(meta, s, options.configName));
  }
  if (result.suppressed.length > 0) {
    out.push(s.dim(`(${count(result.suppressed.length, 'more finding')} allowed: ${summariseReasons(result.suppressed)})`));
  }
  for (const line of options.footer ?? []) out.push(line);
  return `${out.join('\n')}\n`;
}

function findingLines(f: Finding, s: Style): string[] {
  const mark = f.severity === 'block' ? s.red('✖') : s.yellow('▲');
  const lines = [`${mark} ${s.bold(f.rule)}  ${location(f)}`, `    ${printable(f.message)}`];
  if (f.snippet) lines.push(s.dim(`    > ${printable(f.snippet.length > 160 ? `${f.snippet.slice(0, 160)}…` : f.snippet)}`));
  for (const d of f.details) lines.push(`    - ${printable(d)}`);
  lines.push('');
  return lines;
}

export function helpLines(meta: RuleMeta, s: Style, configName?: string): string[] {
  const allow = meta.doc.allow ?? defaultAllowText(meta.id);
  return [
    `  ${s.bold(meta.id)}: ${meta.title}`,
    `    why:   ${meta.doc.why}`,
    `    fix:   ${meta.doc.fix}`,
    `    allow: ${configName ? allow.replaceAll('.gitward.toml', configName) : allow}`,
    '',
  ];
}

/** The findings within the limits, in order, and per rule how many were left out. */
function bounded(findings: Finding[], limit: TextOptions['limit']): { shown: Finding[]; left: Map<string, number> } {
  const left = new Map<string, number>();
  if (!limit) return { shown: findings, left };
  const perRule = new Map<string, number>();
  const shown: Finding[] = [];
  for (const f of findings) {
    const n = perRule.get(f.rule) ?? 0;
    if (n < limit.perRule && shown.length < limit.total) {
      perRule.set(f.rule, n + 1);
      shown.push(f);
    } else {
      left.set(f.rule, (left.get(f.rule) ?? 0) + 1);
    }
  }
  return { shown, left };
}

function summariseReasons(findings: Finding[]): string {
  const reasons = new Map<string, number>();
  for (const f of findings) {
    const key = (f.suppressedBy ?? '').replace(/ \(.*\)$/, '');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  return [...reasons].map(([r, n]) => `${n} by ${r}`).join(', ');
}
