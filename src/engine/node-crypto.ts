import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { lateBuiltin } from './builtins.ts';
// node:crypto (sixteen internal modules) is loaded on first use, not on every clean commit. Web
// Crypto's `globalThis.crypto` is no cheaper a way round: its first use loads node's crypto modules
// and the Web Crypto layer on top (~2.4 ms of CPU against ~0.7 ms for node:crypto's randomFillSync,
// median of 25 fresh processes). Nor is node:module's createRequire: importing node:module at load
// made every start compile it and the ES module loader it brings (~1 M instructions).
let loaded: typeof import('node:crypto') | null = null;

/** node:crypto, required the first time it is asked for. */
export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= lateBuiltin('node:crypto'));
}

/**
 * `bytes` random bytes in hex, from the kernel's /dev/urandom where there is one, else node:crypto.
 * The push reads its log with such a mark (log-source.ts) before its `git log` can start: loading
 * node:crypto for 16 bytes cost ~20 M instructions (~8 ms) on that path, the file read ~2 M.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  try {
    // Not blocking at open on a FIFO put there, and only the kernel's device: a regular file would give the same bytes each run.
    const fd = openSync('/dev/urandom', constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (fstatSync(fd).isCharacterDevice() && readSync(fd, buffer, 0, bytes, null) === bytes) return buffer.toString('hex');
    } finally {
      closeSync(fd);
    }
  } catch {
    // No /dev/urandom here (Windows, a sandbox without /dev): node:crypto gives them.
  }
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
