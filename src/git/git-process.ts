import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../engine/errors.ts';
import { track } from './children.ts';

/**
 * Options that neutralise user and repository config which would change what git prints
 * (quoted paths, no prefixes, relative diffs, colour, pagers). Put before the subcommand.
 */
export const NEUTRAL_CONFIG = [
  '-c', 'core.quotePath=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.relative=false',
  '-c', 'color.ui=never',
  '-c', 'core.pager=cat',
  '-c', 'log.showSignature=false',
  '-c', 'i18n.logOutputEncoding=UTF-8',
  '-c', 'diff.submodule=short',
];

/** Flags for every diff/log patch the scanner parses: exact, uncoloured, unconverted, zero context. */
export const PATCH_FLAGS = [
  '--raw', '-p', '-z',
  '-U0', '--inter-hunk-context=0',
  '--full-index', '--no-abbrev', '--irreversible-delete', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative',
  '--src-prefix=a/', '--dst-prefix=b/',
  '--submodule=short', '--ignore-submodules=none',
  '-O/dev/null',
];

/**
 * The environment for git children: the caller's environment (never cleared: in pre-receive the
 * quarantine variables are how git sees the pushed objects), less what would steer diff output.
 * Replace refs are not followed (GIT_NO_REPLACE_OBJECTS): `git replace` shows another object in
 * place of the one stored, and what is committed or pushed is the stored object. Followed, a
 * replacement made a staged secret pass through `cat-file`, and through `git log -p` once the work
 * tree no longer held it (git's diff reads a stat-clean work tree file instead of the blob).
 * Plus, unless the caller set it, glibc's MALLOC_TOP_PAD_ (other C libraries ignore it): git's heap
 * then grows 16 MiB at a time instead of by the page, which halves the page faults of a log
 * (flask's 868-commit push: 5,374 -> 2,679, the log 0.29-0.31 -> 0.25 s, the same RSS; flask's
 * whole history 1.26 -> 1.19 s; docs/performance.md, "Round 11: the push's processes sooner").
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_DIFF_OPTS;
  delete env.GIT_PAGER;
  env.LC_ALL = 'C';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  env.MALLOC_TOP_PAD_ ??= GIT_HEAP_STEP;
  return env;
}

/** MALLOC_TOP_PAD_ for git children, in bytes (see gitEnv). */
const GIT_HEAP_STEP = String(16 * 1024 * 1024);

/**
 * For the streaming readers (log, diff, cat-file): git's cache of delta bases (96 MiB by default)
 * is most of a history scan's `git log` memory on a large repository (sympy: 162 MB of RSS at
 * 96 MiB, 83 MB at 24 MiB). 4 MiB is also faster: every page the cache fills is a page fault, and
 * its hits save less inflating than those faults cost (flask's 868-commit push: the log's 0.40 s
 * at 24 MiB, 0.30 s at 4 MiB; flask's whole history 1.56 -> 1.26 s; a 3,000-commit stretch of
 * sympy 3.07 -> 3.3 s, with 28 MB less RSS). See docs/performance.md, "Worker threads and memory"
 * and "Round 11: the push's processes sooner".
 */
export const BOUNDED_MEMORY = ['-c', 'core.deltaBaseCacheLimit=4m'];

export function spawnGit(args: readonly string[], cwd?: string): ChildProcessWithoutNullStreams {
  const child = spawn('git', [...NEUTRAL_CONFIG, ...BOUNDED_MEMORY, ...args], { cwd, env: gitEnv(), stdio: 'pipe' });
  track(child);
  return child;
}

/** A small git query, run to completion; throws GitError with git's own message. */
export function gitSync(args: readonly string[], options: { cwd?: string; input?: string; allowFail?: boolean } = {}): string {
  const result = spawnSync('git', [...NEUTRAL_CONFIG, ...args], {
    cwd: options.cwd,
    env: gitEnv(),
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new GitError(args[0] ?? '', code === 'ENOENT' ? 'git is not installed or not on PATH' : result.error.message);
  }
  if (result.status !== 0) {
    if (options.allowFail) return '';
    throw new GitError(args.join(' ').slice(0, 80), result.stderr, result.stdout);
  }
  return result.stdout;
}

/** Resolves when the child exits; rejects with git's stderr when it failed. */
export function waitForExit(child: ChildProcessWithoutNullStreams, what: string): Promise<void> {
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new GitError(what, error.code === 'ENOENT' ? 'git is not installed or not on PATH' : error.message)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new GitError(what, stderr || `exited with ${signal ?? code}`));
    });
  });
}
