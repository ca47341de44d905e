import type { AddedLine } from '../../engine/types.ts';

/**
 * Values under `data:` of a Kubernetes Secret manifest (`kind: Secret`, before or after `data:`).
 * Each value is base64 of the secret itself, whatever its key is called (`extra`, `.dockercfg`,
 * `tls.key`), so they are judged by what they decode to, not by their name. Block scalars
 * (`key: |` then indented lines) are joined.
 */
export interface ManifestValue {
  /** Index of the line the value starts on, among the change's added lines. */
  line: number;
  start: number;
  key: string;
  value: string;
}

const KIND_SECRET = /^\s*["']?kind["']?\s*:\s*["']?secret["']?\s*$/i;
const DATA = /^(\s*)["']?data["']?\s*:\s*$/;
const ENTRY = /^(\s*)["']?(?<key>[\w.-]{1,253})["']?\s*:\s*(?:["']?(?<value>[A-Za-z0-9+/]{4,}={0,2})["']?|(?<block>[|>][-+]?))\s*$/;
const BLOCK_LINE = /^\s+([A-Za-z0-9+/]+={0,2})\s*$/;

/** Only YAML files are read; the cheap test on each line's first letter keeps others at no cost. */
export function isYamlPath(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

export function secretManifestValues(lines: readonly AddedLine[]): ManifestValue[] {
  if (!lines.some((l) => l.text.includes('ind') && KIND_SECRET.test(l.text))) return [];
  const out: ManifestValue[] = [];
  let dataIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    const data = DATA.exec(text);
    if (data) {
      dataIndent = data[1]!.length;
      continue;
    }
    if (dataIndent < 0 || text.trim() === '' || /^\s*#/.test(text)) continue;
    const entry = ENTRY.exec(text);
    const indent = text.length - text.trimStart().length;
    if (indent <= dataIndent) {
      dataIndent = -1; // the next key at data's level or above ends it
      continue;
    }
    if (!entry) continue;
    const key = entry.groups!.key!;
    if (entry.groups!.value !== undefined) {
      out.push({ line: i, start: text.indexOf(entry.groups!.value), key, value: entry.groups!.value });
      continue;
    }
    let joined = '';
    let j = i + 1;
    for (; j < lines.length && lines[j]!.number === lines[j - 1]!.number + 1; j++) {
      const body = BLOCK_LINE.exec(lines[j]!.text);
      if (!body || lines[j]!.text.length - lines[j]!.text.trimStart().length <= indent) break;
      joined += body[1];
    }
    if (joined !== '') out.push({ line: i + 1, start: lines[i + 1]!.text.length - lines[i + 1]!.text.trimStart().length, key, value: joined });
    i = j - 1;
  }
  return out;
}

/** Whether a Secret's value, decoded, is a secret: not a certificate or public key, not a placeholder. */
export function isManifestSecret(value: string, judgeText: (text: string) => boolean): boolean {
  const bytes = Buffer.from(value, 'base64');
  const text = bytes.toString('latin1');
  let printable = true;
  for (let i = 0; i < text.length && printable; i++) {
    const c = text.charCodeAt(i);
    printable = (c >= 32 && c <= 126) || c === 9 || c === 10 || c === 13;
  }
  if (!printable) return bytes.length >= 16; // binary key material (keystores, raw keys)
  if (/-----BEGIN (?:CERTIFICATE|PUBLIC KEY|X509 CRL)/.test(text)) return false;
  if (/"auths?"\s*:/.test(text)) return /"(?:auth|password|identitytoken)"\s*:\s*"[^"]{4,}"/.test(text); // .dockercfg, .dockerconfigjson
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  return judgeText(colon > 0 && !trimmed.includes('\n') ? trimmed.slice(colon + 1) : trimmed);
}
