import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { GitwardConfig } from '../config/types.ts';
import { GitwardError } from '../engine/errors.ts';
import { Scanner, hasBlocking, type ScanResult, type Suppressor } from '../engine/scan.ts';
import type { CommitSink, FileChange } from '../engine/types.ts';
import type { HistorySelection } from '../git/history-source.ts';
import { scanHistory, type HistoryScan } from '../parallel/scan-history.ts';
import { BlobReader } from '../git/blob-reader.ts';
import type { NewTextWanted } from '../git/new-file-text.ts';
import { repoInfo, type RepoInfo } from '../git/repo.ts';
import { DETECTORS } from '../rules/index.ts';
import { formatJson } from '../report/json.ts';
import { formatText, printsNothing } from '../report/text.ts';
import { useColour } from '../report/style.ts';

export type Format = 'text' | 'json' | 'sarif';

export interface CommonArgs {
  format: Format;
  output?: string;
  config?: string;
  color?: boolean;
  /** SARIF: list every rule, not only those that fired. */
  sarifAllRules?: boolean;
  cwd?: string;
}

export interface Session {
  repo: RepoInfo;
  config: GitwardConfig;
  blobs: BlobReader;
}

/**
 * What every scanning command does first: find the repository (unless `known` already says where),
 * read the config, open the blob reader.
 */
export function openSession(args: CommonArgs, known?: RepoInfo): Session {
  checkCommonArgs(args);
  const repo = known ?? repoInfo(args.cwd);
  const config = loadConfig(args.config ?? null, repo.topLevel);
  return { repo, config, blobs: new BlobReader(args.cwd, config.limits.maxFileBytes) };
}

/**
 * Option values that cannot work are usage errors before any scan: an empty --config or
 * --output, and an --output whose folder does not exist (said now, not after a long scan).
 */
export function checkCommonArgs(args: { config?: string; output?: string }): void {
  if (args.config !== undefined && String(args.config).trim() === '') throw new GitwardError('--config needs a file name');
  if (args.output === undefined) return;
  if (String(args.output).trim() === '') throw new GitwardError('--output needs a file name');
  const folder = dirname(resolve(args.output));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new GitwardError(`--output ${args.output}: the folder ${folder} does not exist`, 'Create the folder first, or write the report elsewhere.');
}

/** Writes a report file; a path that cannot be written is the user's error, said in one line. */
function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'EISDIR' ? 'it is a folder' : e.code === 'EACCES' ? 'permission denied' : e.code === 'ENOENT' ? 'no such folder' : e.message;
    throw new GitwardError(`--output ${path}: cannot write the report (${why})`);
  }
}

/** The new files whose whole text a detector reads (Detector.readsNewText), for a source that can give it. */
export function newTextWanted(session: Session): NewTextWanted {
  const readers = DETECTORS.filter((detector) => detector.readsNewText !== undefined);
  return {
    wanted: (path) => readers.some((detector) => detector.readsNewText!(path, session.config)),
    maxBytes: session.config.limits.maxFileBytes,
  };
}

export async function scanWith(session: Session, changes: AsyncIterable<FileChange>, suppressors: Suppressor[] = []): Promise<ScanResult> {
  const scanner = new Scanner({ config: session.config, detectors: DETECTORS, suppressors });
  try {
    return await scanner.scanAll(changes);
  } finally {
    session.blobs.close();
  }
}

/**
 * Scans a history selection (range, push, whole history; see src/parallel/scan-history.ts: on
 * worker threads when it is large), filling `commits` with every commit read.
 */
export async function scanHistoryWith(
  session: Session,
  args: CommonArgs,
  selection: HistorySelection,
  commits: CommitSink,
  suppressors: Suppressor[] = [],
  observe?: HistoryScan['observe'],
): Promise<ScanResult> {
  const scanner = new Scanner({ config: session.config, detectors: DETECTORS, suppressors });
  const recipe = { kind: 'repository' as const, explicit: args.config ?? null, topLevel: session.repo.topLevel };
  try {
    await scanHistory({ scanner, selection, cwd: args.cwd, blobs: session.blobs, recipe, commits, ...(observe ? { observe } : {}) });
    const result = scanner.result();
    // Every commit read counts, also those with no file change (merges, empty commits).
    result.stats.commits = commits.size;
    return result;
  } finally {
    session.blobs.close();
  }
}

/** Prints (or writes) the report in the chosen format and returns the exit code. */
export async function report(result: ScanResult, args: CommonArgs, scope: string, footer: string[] = []): Promise<number> {
  let text: string;
  const toTerminal = !args.output;
  if (args.format === 'json') text = formatJson(result);
  else if (args.format === 'sarif') text = (await import('../report/sarif.ts')).formatSarif(result, { allRules: args.sarifAllRules });
  else {
    const options = { scope, footer: hasBlocking(result) ? footer : [] };
    // The terminal is asked only when there is something to print: a clean commit never makes
    // process.stdout (a stream on a terminal or pipe, ~2 ms of every start).
    const colour = !printsNothing(result) && args.color !== false && toTerminal && useColour(process.stdout);
    text = formatText(result, { ...options, colour });
  }
  if (args.output) writeOutput(args.output, text);
  else if (text) process.stdout.write(text);
  return hasBlocking(result) ? 1 : 0;
}
