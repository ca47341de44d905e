import { GitError } from '../engine/errors.ts';
import { spawnGit } from './git-process.ts';

export interface GitRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A small git query run without blocking (gitSync's asynchronous twin): independent queries run
 * at the same time instead of one after the other. Rejects only when git cannot be started.
 */
export async function gitRun(args: readonly string[], cwd?: string, input?: string): Promise<GitRun> {
  const run = await gitRunBytes(args, cwd, input);
  return { code: run.code, stdout: run.stdout.toString('utf8'), stderr: run.stderr };
}

/** gitRun with the output as bytes (a path git prints need not be UTF-8). */
export function gitRunBytes(args: readonly string[], cwd?: string, input?: string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, cwd);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new GitError(args[0] ?? '', error.code === 'ENOENT' ? 'git is not installed or not on PATH' : error.message)),
    );
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

/** gitSync's contract, asynchronously: stdout, or GitError with git's message ('' on failure with allowFail). */
export async function gitOutput(args: readonly string[], options: { cwd?: string; input?: string; allowFail?: boolean } = {}): Promise<string> {
  const run = await gitRun(args, options.cwd, options.input);
  if (run.code === 0) return run.stdout;
  if (options.allowFail) return '';
  throw new GitError(args.join(' ').slice(0, 80), run.stderr, run.stdout);
}
