import type { BlobContent } from '../engine/types.ts';
import { GitError } from '../engine/errors.ts';
import { BlobWindow } from './blob-window.ts';
import { spawnGit } from './git-process.ts';

/**
 * Reads the head (and tail, when asked) of one large blob from its own `git cat-file blob`,
 * which streams the object instead of inflating it whole as `--batch` does. The child is stopped
 * as soon as the bytes asked for have arrived: a 64-byte sniff of a 200 MB model reads 64 KB.
 */
export function streamBlob(cwd: string | undefined, id: string, size: number, headBytes: number, tailBytes: number): Promise<BlobContent> {
  const window = new BlobWindow(size, headBytes, tailBytes);
  if (window.needed === 0) return Promise.resolve(window.result());
  const child = spawnGit(['cat-file', 'blob', id], cwd);
  child.stdin.on('error', () => undefined);
  child.stdin.end();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      child.stdout.destroy();
      if (child.exitCode === null) child.kill();
      resolve(window.result());
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      window.push(chunk.subarray(0, window.needed));
      if (window.needed === 0) finish();
    });
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(new GitError('cat-file blob', error.message));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new GitError('cat-file blob', stderr || `ended before the bytes asked for (exit ${signal ?? code})`));
    });
  });
}
