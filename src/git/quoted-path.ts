/**
 * A path as git prints it in a patch header: as it is, or, when it holds a control character, a
 * double quote or a backslash, between double quotes with C escapes (`\n`, `\t`, `\"`, `\\`, `\ooo`
 * octal). Bytes of 0x80 and above are printed as they are (NEUTRAL_CONFIG sets core.quotePath=false),
 * so the text decodes as the NUL-terminated raw path of the same file does.
 */
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '"': '"', '\\': '\\' };

export function headerPath(text: string): string {
  if (text.charCodeAt(0) !== 0x22 /* " */ || text.length < 2 || text.charCodeAt(text.length - 1) !== 0x22) return text;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i] ?? '';
    if (next >= '0' && next <= '7') {
      out += String.fromCharCode(parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else out += ESCAPES[next] ?? next;
  }
  return out;
}
