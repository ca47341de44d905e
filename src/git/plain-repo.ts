import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RepoInfo } from './repo.ts';

/**
 * What `git rev-parse --absolute-git-dir --is-bare-repository --show-object-format --show-toplevel`
 * answers, read from the folder itself for the two layouts nearly every run has (a git process
 * costs ~10-20 ms of every commit and push):
 * - without GIT_DIR: started at the top of a work tree whose `.git` is a folder there, owned by
 *   this user, of repository format 0, and whose config sets no work tree, no bare flag, no include
 *   and no extension;
 * - with GIT_DIR, as git runs a hook in a bare repository (pre-receive; GIT_OBJECT_DIRECTORY names
 *   the pushed objects' quarantine): GIT_DIR names such a folder, whose config says `bare = true`.
 * Anything else (a subfolder, a linked work tree or submodule, sha256, an unusual config, git's
 * other variables) is null, and git is asked.
 */
export function plainRepoInfo(cwd?: string): RepoInfo | null {
  const named = process.env.GIT_DIR;
  try {
    return named === undefined ? plainWorkTree(cwd) : plainBare(named, cwd);
  } catch {
    return null;
  }
}

/** Variables that move the repository or the work tree, or add config that may: git is asked then. */
const LOCATING_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_NAMESPACE'];
/** What a hook's environment may hold beside GIT_DIR: the quarantine's object folders move objects, not the repository. */
const MOVING_BARE_ENV = LOCATING_ENV.filter((name) => name !== 'GIT_DIR' && name !== 'GIT_OBJECT_DIRECTORY');

function plainWorkTree(cwd: string | undefined): RepoInfo | null {
  if (LOCATING_ENV.some((name) => process.env[name] !== undefined)) return null;
  const top = realpathSync.native(cwd ?? process.cwd());
  const gitDir = join(top, '.git');
  if (!plainGitDir(gitDir) || !ownedByMe(statSync(top).uid)) return null;
  return plainConfig(readFileSync(join(gitDir, 'config'), 'utf8'), false) ? sha1Repo(gitDir, top) : null;
}

function plainBare(named: string, cwd: string | undefined): RepoInfo | null {
  if (!named || MOVING_BARE_ENV.some((name) => process.env[name] !== undefined)) return null;
  // git's --absolute-git-dir: GIT_DIR from where git runs, symbolic links resolved.
  const gitDir = realpathSync.native(resolve(cwd ?? process.cwd(), named));
  if (!plainGitDir(gitDir)) return null;
  return plainConfig(readFileSync(join(gitDir, 'config'), 'utf8'), true) ? sha1Repo(gitDir, null) : null;
}

/** A repository of format 0 (sha1 ids) at `gitDir`, bare when it has no work tree. */
function sha1Repo(gitDir: string, topLevel: string | null): RepoInfo {
  return { gitDir, bare: topLevel === null, topLevel, objectFormat: 'sha1', zeroId: '0'.repeat(40) };
}

/** A git folder of the usual shape, owned by this user, with its own objects and refs and a HEAD git would take. */
function plainGitDir(gitDir: string): boolean {
  const dir = lstatSync(gitDir);
  if (!dir.isDirectory() || !ownedByMe(dir.uid)) return false;
  // A commondir file shares another repository's objects and config (a linked work tree's layout).
  if (existsSync(join(gitDir, 'commondir'))) return false;
  if (!statSync(join(gitDir, 'objects')).isDirectory() || !statSync(join(gitDir, 'refs')).isDirectory()) return false;
  return /^(ref: refs\/\S+|[0-9a-f]{40})\n?$/.test(readFileSync(join(gitDir, 'HEAD'), 'utf8'));
}

/** git's ownership check passes without safe.directory (root run through sudo is left to git). */
function ownedByMe(uid: number): boolean {
  const me = process.geteuid?.();
  if (me === undefined || (me === 0 && process.env.SUDO_UID !== undefined)) return false;
  return uid === me;
}

/**
 * A config that leaves the layout alone: format 0, bare as asked (a bare one must say so), no work
 * tree, no includes, no extensions. Judged on words, not parsed: any mention of those (even in a
 * remote's name, or a backslash, which may continue a line), or a `bare` or format line anywhere
 * but in a `[core]` section of its own, is enough to ask git instead.
 */
function plainConfig(text: string, bare: boolean): boolean {
  const lower = text.toLowerCase();
  if (['worktree', 'include', 'extension', 'objectformat', '\\'].some((word) => lower.includes(word))) return false;
  let saysBare = false;
  let section = '';
  for (const line of lower.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) section = trimmed;
    if (!trimmed.includes('bare') && !trimmed.includes('repositoryformatversion')) continue;
    const [key, value, ...rest] = trimmed.split('=').map((part) => part.trim());
    if (section !== '[core]' || rest.length > 0 || !((key === 'bare' && value === String(bare)) || (key === 'repositoryformatversion' && value === '0'))) return false;
    if (key === 'bare') saysBare = true;
  }
  return saysBare || !bare;
}
