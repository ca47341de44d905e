import { GitError, GitwardError } from '../engine/errors.ts';
import { gitSync } from './git-process.ts';
import { gitOutput } from './git-run.ts';
import { plainRepoInfo } from './plain-repo.ts';

export interface RepoInfo {
  /** Work tree top (null in a bare repository). */
  topLevel: string | null;
  gitDir: string;
  bare: boolean;
  objectFormat: 'sha1' | 'sha256';
  /** The all-zero object id for this repository's hash. */
  zeroId: string;
}

const QUERY = ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format', '--show-toplevel'];

/** One git call that answers everything a scan needs to know about where it runs (none in a plain layout or a hook's plain bare repository: src/git/plain-repo.ts). */
export function repoInfo(cwd?: string): RepoInfo {
  const plain = plainRepoInfo(cwd);
  if (plain) return plain;
  let out: string;
  try {
    out = gitSync(QUERY, { cwd });
  } catch (error) {
    out = answersWithoutTop(error);
  }
  return parseRepoInfo(out);
}

/** repoInfo without blocking, so that other start-up queries can run beside it. */
export async function loadRepoInfo(cwd?: string): Promise<RepoInfo> {
  const plain = plainRepoInfo(cwd);
  if (plain) return plain;
  let out: string;
  try {
    out = await gitOutput(QUERY, { cwd });
  } catch (error) {
    out = answersWithoutTop(error);
  }
  return parseRepoInfo(out);
}

/**
 * Where there is no work tree (a bare repository: the pre-receive hook, a server's mirror; inside
 * .git), git answers the other questions and stops at --show-toplevel: those answers are all there
 * is to know, read from what it printed instead of asking a second time.
 */
function answersWithoutTop(error: unknown): string {
  if (/not a git repository/i.test((error as Error).message)) {
    throw new GitwardError('not inside a git repository', 'Run gitward from a folder of a git repository, or name one: gitward -C <path> <command>.');
  }
  if (error instanceof GitError && /must be run in a work tree/.test(error.message) && error.stdout !== '') return error.stdout;
  throw error;
}

/**
 * rev-parse answers a line each, but a path may hold a line break: the two fixed answers (bare,
 * object format) mark where the git dir ends and the top begins. More than one such place, or
 * none, is not guessed at: a wrong top would read another folder's config.
 */
export function parseRepoInfo(out: string): RepoInfo {
  const lines = out.replace(/\n$/, '').split('\n');
  const at: number[] = [];
  for (let i = 1; i + 1 < lines.length; i++) {
    if ((lines[i] === 'true' || lines[i] === 'false') && (lines[i + 1] === 'sha1' || lines[i + 1] === 'sha256')) at.push(i);
  }
  if (at.length !== 1) {
    throw new GitwardError('cannot tell where this repository is from git rev-parse (a path with a line break?)', 'Run gitward in a repository whose path holds no line break.');
  }
  const i = at[0]!;
  const objectFormat = lines[i + 1] === 'sha256' ? 'sha256' : 'sha1';
  const topLevel = lines.slice(i + 2).join('\n');
  return {
    gitDir: lines.slice(0, i).join('\n'),
    bare: lines[i] === 'true',
    topLevel: topLevel || null,
    objectFormat,
    zeroId: '0'.repeat(objectFormat === 'sha256' ? 64 : 40),
  };
}
