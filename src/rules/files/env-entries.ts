import type { AddedLine } from '../../engine/types.ts';
import { isPlaceholder, nameKind } from '../secrets/value.ts';

/**
 * Whether a dotenv file's added lines read as a template under another name (`local.env` of dev
 * defaults, `BIG_QUERY_DATASET=<name>`, `PROJECT_ID="your-project-id"`): some value a placeholder,
 * and every line a comment, a blank, or an entry (`NAME=value`, `export NAME=value`) whose name is
 * no credential's (the secrets rule's own reading of names: PASSWORD, SECRET_KEY, API_TOKEN, …) or
 * whose value is empty or a placeholder, and no value a URL with a password in it. Anything else (a
 * line that is no entry, a file of plain values like `DEBUG=1`: a machine's real configuration)
 * and the env-file rule blocks as it always did.
 */
export function readsAsTemplate(lines: readonly AddedLine[]): boolean {
  let placeholder = false;
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '' || text.startsWith('#')) continue;
    const entry = ENTRY.exec(text);
    if (entry === null) return false;
    const value = unquoted(entry[2]!.trim());
    if (URL_WITH_PASSWORD.test(value)) return false;
    const stands = value !== '' && isPlaceholder(value);
    if (nameKind(entry[1]!) !== null && value !== '' && !stands) return false;
    placeholder ||= stands;
  }
  return placeholder;
}

const ENTRY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:[^\s@/]+@/i;

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
