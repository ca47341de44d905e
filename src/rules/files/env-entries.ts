import type { AddedLine } from '../../engine/types.ts';
import { nameKind } from '../secrets/value.ts';

/**
 * Whether a dotenv file's added lines read as a template under another name (`local.env` of dev
 * defaults, `BIG_QUERY_DATASET=<name>`, `PROJECT_ID="your-project-id"`): some value a placeholder
 * standing alone, and every line a comment, a blank, or an entry (`NAME=value`, `export NAME=value`)
 * whose value is empty, such a placeholder, or plainly no secret under a name that is no
 * credential's (the secrets rule's reading of names). Anything else (a line that is no entry, a
 * value that could be a key under any name, a file of plain values like `DEBUG=1` alone: a
 * machine's real configuration) and the env-file rule blocks as it always did.
 */
export function readsAsTemplate(lines: readonly AddedLine[]): boolean {
  let placeholder = false;
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '' || text.startsWith('#')) continue;
    const entry = ENTRY.exec(text);
    if (entry === null) return false;
    const value = unquoted(entry[2]!.trim());
    if (value === '') continue;
    // A placeholder stands alone (`<name>`, `your-project-id`): `Password2024!` holds a word of one and is a password.
    const stands = STANDS_IN.test(value);
    // Any other value must read as plainly no secret, whatever its name (`JWT_SIGNING`, `SALT`
    // and `DSN` hold keys under names the secrets rule does not call a credential's).
    if (!stands && (nameKind(entry[1]!) !== null || !PLAIN.test(value))) return false;
    placeholder ||= stands;
  }
  return placeholder;
}

const ENTRY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;
/** A whole value that stands in for one: `<…>`, `${…}`, `your-…`, `changeme`, `xxx`, `***`, `...`, `todo`. */
const STANDS_IN = /^(?:<[^<>]{1,80}>|\$\{[^{}]{1,80}\}|your[-_][\w.-]{0,60}|change[-_]?me|replace[-_]?me|x{3,}|X{3,}|\*{3,}|\.{3}|todo|tbd|placeholder)$/i;
/**
 * A value that is plainly no secret: a number, a yes/no, a lower-case word or name (`development`,
 * `us-central1`, `my-dataset`; no more than 16 characters with a digit, so no hex key passes), or a
 * web address without a user or password in it (`http://localhost:4200`).
 */
const PLAIN = /^(?:\d{1,10}|true|false|yes|no|on|off|[a-z][a-z_.-]{0,40}|[a-z][a-z0-9_.-]{0,15}|https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[\w./-]*)?)$/;

/** A value without its quotes, and without a comment after an unquoted one (`A=1 # note`). */
function unquoted(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2) {
    const end = value.indexOf(quote, 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  const comment = value.search(/\s#/);
  return comment === -1 ? value : value.slice(0, comment).trim();
}
