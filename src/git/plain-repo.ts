import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RepoInfo } from './repo.ts';

/** Variables that move the repository or the work tree, or add config that may: git is asked then. */
const LOCATING_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_NAMESPACE'];

/**
 * What `git rev-parse --absolute-git-dir --is-bare-repository --show-object-format --show-toplevel`
 * answers, read from the folder itself for the one layout every commit hook and most runs have:
 * started at the top of a work tree whose `.git` is a folder there, owned by this user, of
 * repository format 0, and whose config sets no work tree, no bare flag, no include and no
 * extension. Anything else (a subfolder, a linked work tree or submodule, sha256, an unusual config,
 * git's variables) is null, and git is asked: a git process costs ~10-20 ms of every commit.
 */
export function plainRepoInfo(cwd?: string): RepoInfo | null {
  if (LOCATING_ENV.some((name) => process.env[name] !== undefined)) return null;
  try {
    const top = realpathSync.native(cwd ?? process.cwd());
    const gitDir = join(top, '.git');
    if (!plainGitDir(gitDir) || !ownedByMe(statSync(top).uid)) return null;
    if (!plainConfig(readFileSync(join(gitDir, 'config'), 'utf8'), false)) return null;
    return { gitDir, bare: false, topLevel: top, objectFormat: 'sha1', zeroId: '0'.repeat(40) };
  } catch {
    return null;
  }
}

/** What a hook's environment may hold beside GIT_DIR: the quarantine's object folders move objects, not the repository. */
const MOVING_BARE_ENV = LOCATING_ENV.filter((name) => name !== 'GIT_DIR' && name !== 'GIT_OBJECT_DIRECTORY');

/**
 * The same answer for a hook git runs in a bare repository (pre-receive: git sets GIT_DIR, and
 * GIT_OBJECT_DIRECTORY for the pushed objects' quarantine): GIT_DIR names a folder, owned by this
 * user, of repository format 0, whose config says `bare = true` and sets no work tree, include or
 * extension. Anything else is null, and git is asked (one git process less on every push).
 */
export function plainBareRepoInfo(cwd?: string): RepoInfo | null {
  const named = process.env.GIT_DIR;
  if (!named || MOVING_BARE_ENV.some((name) => process.env[name] !== undefined)) return null;
  try {
    // git's --absolute-git-dir: GIT_DIR from where git runs, symbolic links resolved.
    const gitDir = realpathSync.native(resolve(cwd ?? process.cwd(), named));
    if (!plainGitDir(gitDir)) return null;
    if (!plainConfig(readFileSync(join(gitDir, 'config'), 'utf8'), true)) return null;
    return { gitDir, bare: true, topLevel: null, objectFormat: 'sha1', zeroId: '0'.repeat(40) };
  } catch {
    return null;
  }
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
 * remote's name, or a backslash, which may continue a line) is enough to ask git instead.
 */
function plainConfig(text: string, bare: boolean): boolean {
  const lower = text.toLowerCase();
  if (['worktree', 'include', 'extension', 'objectformat', '\\'].some((word) => lower.includes(word))) return false;
  let saysBare = false;
  for (const line of lower.split('\n')) {
    if (!line.includes('bare') && !line.includes('repositoryformatversion')) continue;
    const [key, value, ...rest] = line.split('=').map((part) => part.trim());
    if (rest.length > 0 || !((key === 'bare' && value === String(bare)) || (key === 'repositoryformatversion' && value === '0'))) return false;
    if (key === 'bare') saysBare = true;
  }
  return saysBare || !bare;
}
