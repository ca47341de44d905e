import { dirname, isAbsolute, join } from 'node:path';
import { lateBuiltin } from '../engine/builtins.ts';
import { GitwardError } from '../engine/errors.ts';
import type { Finding } from '../engine/types.ts';
import type { RefUpdate } from './ref-updates.ts';

export interface AuditEvent {
  /**
   * rejected: blocking findings; bypass-refused: blocking findings and a bypass that was not
   * allowed (the reason says why); bypass: let through by a push option; timeout-… / error-…:
   * the scan did not finish, and the server's on-timeout / on-error decided.
   */
  event: 'rejected' | 'bypass' | 'bypass-refused' | 'timeout-rejected' | 'timeout-accepted' | 'error-rejected' | 'error-accepted';
  repository: string;
  refs: readonly RefUpdate[];
  commits: number;
  pusher: Record<string, string>;
  reason: string;
  /** The reason the pusher gave with `-o gitward.bypass=…`, when one was asked for. */
  bypassRequested?: string;
  findings: readonly Finding[];
}

/** The audit log could not be written: said as such, never as "could not scan the push". */
export class AuditWriteError extends GitwardError {
  constructor(file: string, why: string) {
    super(`could not write the audit log ${file}: ${why}`, 'Ask the server admin to fix [server] audit-log (the folder must exist or be creatable, and be writable).');
    this.name = 'AuditWriteError';
  }
}

/** Where the audit log of a repository is: relative paths are relative to the git dir. */
export function auditFile(logPath: string, gitDir: string): string {
  return isAbsolute(logPath) ? logPath : join(gitDir, logPath);
}

/**
 * Appends one JSON line: rule ids and fingerprints, never a value. Asynchronous, so the hook's
 * time limit still holds if the file system stalls.
 */
export async function audit(logPath: string, gitDir: string, event: AuditEvent): Promise<void> {
  const file = auditFile(logPath, gitDir);
  const line = {
    time: new Date().toISOString(),
    event: event.event,
    repository: event.repository,
    refs: event.refs.map((r) => ({ ref: r.ref, old: r.oldId, new: r.newId })),
    commits: event.commits,
    pusher: event.pusher,
    reason: event.reason,
    ...(event.bypassRequested !== undefined ? { bypassRequested: event.bypassRequested } : {}),
    rules: [...new Set(event.findings.map((f) => f.rule))],
    findings: event.findings.map((f) => ({ rule: f.rule, commit: f.commit, path: f.path, line: f.line, fingerprint: f.fingerprint })),
  };
  // Loaded here, not with the hook: a push let through writes no line, and node:fs/promises with
  // what it brings (readline, watchers, streams of files) cost every push ~7 M instructions.
  const fs = lateBuiltin('node:fs/promises');
  try {
    await makeFolders(fs, dirname(file));
    await fs.appendFile(file, `${JSON.stringify(line)}\n`);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new AuditWriteError(file, e.code === 'EISDIR' ? 'it is a folder' : e.code === 'EACCES' ? 'permission denied' : (e.code ?? e.message));
  }
}

/**
 * Creates the missing folders above the log one at a time. Not `mkdir({ recursive: true })`: under
 * /proc (and other file systems that refuse mkdir with ENOENT) Node's recursive mkdir loops for
 * ever at full CPU; here each step either works or fails with its own reason.
 */
async function makeFolders(fs: typeof import('node:fs/promises'), folder: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      if (!(await fs.stat(dir)).isDirectory()) throw new Error(`${dir} is not a folder`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(dir);
      if (dirname(dir) === dir) break;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await fs.mkdir(dir);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') continue;
      throw new Error(`cannot create the folder ${dir} (${e.code ?? e.message})`);
    }
  }
}
