import { GitwardError } from '../engine/errors.ts';
import { gitSync } from './git-process.ts';

export interface RepoInfo {
  /** Work tree top (null in a bare repository). */
  topLevel: string | null;
  gitDir: string;
  bare: boolean;
  objectFormat: 'sha1' | 'sha256';
  /** The all-zero object id for this repository's hash. */
  zeroId: string;
}

/** One git call that answers everything a scan needs to know about where it runs. */
export function repoInfo(cwd?: string): RepoInfo {
  let out: string;
  try {
    out = gitSync(['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format', '--show-toplevel'], { cwd });
  } catch (error) {
    const message = (error as Error).message;
    if (/not a git repository/i.test(message)) {
      throw new GitwardError('not inside a git repository', 'Run gitward from a folder of a git repository (or pass --repo).');
    }
    // --show-toplevel fails in a bare repository on some versions; ask again without it.
    out = gitSync(['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format'], { cwd });
  }
  const [gitDir = '', bare = 'false', format = 'sha1', topLevel = ''] = out.split('\n');
  const objectFormat = format === 'sha256' ? 'sha256' : 'sha1';
  return {
    gitDir,
    bare: bare === 'true',
    topLevel: topLevel || null,
    objectFormat,
    zeroId: '0'.repeat(objectFormat === 'sha256' ? 64 : 40),
  };
}
