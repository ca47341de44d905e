import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import type { GitwardConfig } from '../config/types.ts';
import { Scanner, hasBlocking, type ScanResult, type Suppressor } from '../engine/scan.ts';
import type { FileChange } from '../engine/types.ts';
import { BlobReader } from '../git/blob-reader.ts';
import { repoInfo, type RepoInfo } from '../git/repo.ts';
import { DETECTORS } from '../rules/index.ts';
import { formatJson } from '../report/json.ts';
import { formatText } from '../report/text.ts';
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

/** What every scanning command does first: find the repository, read the config, open the blob reader. */
export function openSession(args: CommonArgs): Session {
  const repo = repoInfo(args.cwd);
  const config = loadConfig(args.config ?? null, repo.topLevel);
  return { repo, config, blobs: new BlobReader(args.cwd, config.limits.maxFileBytes) };
}

export async function scanWith(session: Session, changes: AsyncIterable<FileChange>, suppressors: Suppressor[] = []): Promise<ScanResult> {
  const scanner = new Scanner({ config: session.config, detectors: DETECTORS, suppressors });
  try {
    return await scanner.scanAll(changes);
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
    const colour = args.color === false ? false : toTerminal && useColour(process.stdout);
    text = formatText(result, { colour, scope, footer: hasBlocking(result) ? footer : [] });
  }
  if (args.output) writeFileSync(args.output, text);
  else if (text) process.stdout.write(text);
  return hasBlocking(result) ? 1 : 0;
}
