import { nodeCrypto } from './node-crypto.ts';

/** SHA-256 of a text or bytes, in hex (node:crypto loaded on the first hash, not on every clean commit). */
export function sha256Hex(text: string | Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(text).digest('hex');
}

/**
 * The only form in which a secret ever leaves the engine: a short prefix and the length.
 * Short values show less, so that at most a quarter of any value is visible.
 */
export function redact(secret: string): string {
  const visible = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}…(${secret.length} chars)`;
}

/** Stable identity of a finding; a one-way hash, so it never reveals the value. */
export function fingerprint(ruleId: string, path: string, identity: string): string {
  return sha256Hex(`${ruleId}\0${path}\0${identity}`).slice(0, 32);
}

/** Replaces every occurrence of each secret in a text by its redacted form. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(redact(secret));
  }
  return out;
}
