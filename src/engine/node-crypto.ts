import { createRequire } from 'node:module';

// node:crypto (sixteen internal modules) is loaded on first use, not on every clean commit; so is
// the require that loads it (~0.3 ms). Web Crypto's `globalThis.crypto` is no cheaper a way round:
// its first use loads node's crypto modules and the Web Crypto layer on top (~2.4 ms of CPU against
// ~0.7 ms for node:crypto's randomFillSync, median of 25 fresh processes).
let loaded: typeof import('node:crypto') | null = null;

/** node:crypto, required the first time it is asked for. */
export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
