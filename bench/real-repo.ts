// A local clone as a bench workload: its last commits replayed as a push, its whole history scanned.
import { git, initRepo } from './generate.ts';

/**
 * A fresh bare repository holding `source`'s objects up to HEAD, with `refs/heads/main` at the
 * commit `commits` back and no ref at HEAD: the state a server is in when the push of the last
 * `commits` commits runs its pre-receive hook (objects received, ref not yet moved). `count` is what
 * the hook scans, the commits no ref reaches (more than asked when merges bring side branches along).
 */
export function replayAsPush(source: string, bareDir: string, commits: number): { bare: string; old: string; tip: string; count: number } {
  const tip = git(source, ['rev-parse', 'HEAD^{commit}']).trim();
  const old = git(source, ['rev-list', `--skip=${commits}`, '-n', '1', tip]).trim();
  if (!old) throw new Error(`${source} has no more than ${commits} commits; ask for fewer with --commits`);
  const bare = initRepo(bareDir, true);
  git(bare, ['config', 'gc.auto', '0']); // the fetched objects stay though no ref reaches them
  git(bare, ['fetch', '--quiet', '--no-tags', source, `+${tip}:refs/bench/tip`]);
  git(bare, ['update-ref', 'refs/heads/main', old]);
  git(bare, ['update-ref', '-d', 'refs/bench/tip']); // a ref at the tip would make every commit "already on the server"
  const count = Number(git(bare, ['rev-list', '--count', tip, '--not', '--all']).trim());
  if (count === 0) throw new Error(`nothing to push: ${tip} is already reachable in ${bare}`);
  return { bare, old, tip, count };
}

/** A bare copy of `source` (its branches and tags) for `scan --history`, and how many commits that is. */
export function historyCopy(source: string, dir: string): { dir: string; count: number } {
  git(source, ['rev-parse', '--git-dir']);
  const parent = dir.slice(0, dir.lastIndexOf('/'));
  git(parent, ['clone', '--quiet', '--bare', source, dir]);
  return { dir, count: Number(git(dir, ['rev-list', '--count', '--all']).trim()) };
}
