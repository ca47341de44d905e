import type { ChildProcess } from 'node:child_process';

/**
 * The git processes gitward started that are still running. When gitward is killed (a hook's
 * time limit, Ctrl-C) or fails, they are killed too: a git busy in a long computation would not
 * notice its reader had gone, and would keep running after the hook.
 */
const running = new Set<ChildProcess>();
/** Other work that must end with them: worker threads, each with its own git children. */
const stoppers = new Set<() => void>();

/** Runs `stop` when the git children are killed, until the returned function is called. */
export function stopWithGit(stop: () => void): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
}

/**
 * SIGKILL: gitward's git children only read (log, diff, cat-file), so there is nothing for them to
 * clean up, and a stopped child dies too.
 */
export function killGitChildren(): void {
  for (const stop of stoppers) stop();
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}
