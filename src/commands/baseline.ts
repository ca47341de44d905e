import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BASELINE_FILE, BaselineFilter, entryOf, readBaseline, writeBaseline } from '../baseline/baseline.ts';
import { GitwardError } from '../engine/errors.ts';
import { indexEntries, wholeFileChanges } from '../git/files-source.ts';
import { count } from '../report/words.ts';
import { openSession, scanWith, type CommonArgs } from './common.ts';

export interface BaselineArgs extends CommonArgs {
  /** Only remove entries that no longer match a finding; never add one. */
  prune?: boolean;
  file?: string;
}

/**
 * `gitward baseline`: scans every tracked file whole and records each finding's fingerprint in
 * .gitward-baseline.json, so that adopting gitward on an old repository blocks only what is new.
 * With --prune it only drops entries that no longer match anything. Prints counts, never values.
 */
export async function runBaseline(args: BaselineArgs): Promise<number> {
  const session = openSession(args);
  if (!session.repo.topLevel) throw new GitwardError('a baseline needs a work tree (this repository is bare)');
  const file = args.file ? resolve(args.file) : join(session.repo.topLevel, BASELINE_FILE);
  const previous = existsSync(file) ? readBaseline(file) : null;
  const filter = previous ? new BaselineFilter(previous) : null;
  const entries = indexEntries(session.repo.topLevel);
  const result = await scanWith(session, wholeFileChanges(entries, session.blobs), filter ? [filter.suppressor] : []);
  const stale = filter?.stale() ?? [];
  const kept = (previous?.entries ?? []).filter((e) => !stale.includes(e));
  const say = (line: string) => process.stderr.write(`gitward: ${line}\n`);

  if (args.prune) {
    if (!previous) throw new GitwardError(`no baseline to prune (${file} does not exist)`, 'Create one with `gitward baseline`.');
    writeBaseline(file, kept);
    say(`pruned ${count(stale.length, 'stale entry', 'stale entries')} from ${file}; ${kept.length} kept`);
    for (const e of stale) say(`  removed ${e.rule} in ${e.path}`);
    if (result.findings.length > 0) say(`${result.findings.length === 1 ? '1 finding is' : `${result.findings.length} findings are`} not in the baseline; run \`gitward scan --all-files\` to see them`);
    return 0;
  }

  const added = result.findings.map(entryOf);
  writeBaseline(file, [...kept, ...added]);
  say(`scanned ${count(entries.length, 'tracked file')}; ${file}: ${added.length} new, ${kept.length} kept, ${stale.length} stale removed`);
  for (const f of result.findings) say(`  + ${f.rule} in ${f.path}${f.line !== null ? `:${f.line}` : ''}`);
  say('commit the baseline file; later scans skip these findings (fingerprints only: no value is stored). Rotate any real credential anyway.');
  return 0;
}
