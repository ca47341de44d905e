import type { ScanResult } from '../engine/scan.ts';
import type { Finding, RuleMeta } from '../engine/types.ts';
import { defaultAllowText } from '../rules/types.ts';
import { printable, style, type Style } from './style.ts';

export interface TextOptions {
  colour: boolean;
  /** What was scanned, for the headline: "the staged changes", "3 pushed commits", … */
  scope: string;
  /** Show the why/fix/allow help per rule (people), or only the findings (terse). */
  help?: boolean;
  /** Extra advice at the end (how to clean history, …). */
  footer?: string[];
}

/** The path, or "commit message" / "tag message" where a message holds the finding. */
export function placeOf(f: Finding): string {
  return f.path ?? (f.location === 'tag-message' ? 'tag message' : 'commit message');
}

export function location(f: Finding): string {
  const where = f.line === null ? placeOf(f) : `${placeOf(f)}:${f.line}`;
  return printable(f.commit ? `${f.commit.slice(0, 12)} ${where}` : where);
}

export function formatText(result: ScanResult, options: TextOptions): string {
  const s = style(options.colour);
  const out: string[] = [];
  const blocking = result.findings.filter((f) => f.severity === 'block');
  const warnings = result.findings.filter((f) => f.severity === 'warn');
  for (const notice of result.notices) out.push(s.dim(`gitward: note: ${printable(notice)}`));
  if (result.findings.length === 0) {
    if (result.suppressed.length > 0) {
      out.push(s.dim(`gitward: ${result.suppressed.length} finding(s) allowed (${summariseReasons(result.suppressed)})`));
    }
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  }
  const head = blocking.length > 0 ? s.red(s.bold('gitward: blocked')) : s.yellow(s.bold('gitward: warnings'));
  out.push(`${head} — ${count(blocking.length, 'blocking finding')}, ${count(warnings.length, 'warning')} in ${options.scope}`);
  out.push('');
  for (const f of [...blocking, ...warnings]) out.push(...findingLines(f, s));
  if (options.help !== false) {
    const seen = new Map<string, RuleMeta>();
    for (const f of result.findings) seen.set(f.rule, f.meta);
    out.push(s.bold('How to fix'));
    for (const meta of seen.values()) out.push(...helpLines(meta, s));
  }
  if (result.suppressed.length > 0) {
    out.push(s.dim(`(${result.suppressed.length} more finding(s) allowed: ${summariseReasons(result.suppressed)})`));
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

export function helpLines(meta: RuleMeta, s: Style): string[] {
  return [
    `  ${s.bold(meta.id)}: ${meta.title}`,
    `    why:   ${meta.doc.why}`,
    `    fix:   ${meta.doc.fix}`,
    `    allow: ${meta.doc.allow ?? defaultAllowText(meta.id)}`,
    '',
  ];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function summariseReasons(findings: Finding[]): string {
  const reasons = new Map<string, number>();
  for (const f of findings) {
    const key = (f.suppressedBy ?? '').replace(/ \(.*\)$/, '');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  return [...reasons].map(([r, n]) => `${n} by ${r}`).join(', ');
}
