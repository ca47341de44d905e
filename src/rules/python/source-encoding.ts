// The text Python reads from a source file's bytes. A file may declare its encoding (PEP 263), and
// Python then decodes it with that codec: `# coding: utf-7` makes `+AHA-ickle.loads(b)` the call
// `pickle.loads(b)`, and `# coding: latin-1` makes the byte 0xAA the letter `ª` (NFKC: `a`). The
// rules must read what Python reads, or say that they cannot.

/** The declaration (CPython's tokenizer): a comment line whose text holds `coding:` or `coding=` and a name. */
const DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line Python passes over before a declaration on line 2: blank, or only a comment. */
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?$/;

export interface Declared {
  /** The codec's name as written. */
  name: string;
  /** The line (1 or 2) that declares it. */
  line: number;
}

/** The encoding the source declares on line 1, or on line 2 after a blank or comment line 1 (null: none). */
export function declaredEncoding(head: Buffer): Declared | null {
  // The declaration is ASCII; only the first two lines are looked at.
  const firstEnd = head.indexOf(10);
  const first = head.toString('latin1', 0, firstEnd === -1 ? Math.min(head.length, 1024) : Math.min(firstEnd, 1024));
  const match = DECLARATION.exec(first);
  if (match) return { name: match[1]!, line: 1 };
  if (firstEnd === -1 || !BLANK_OR_COMMENT.test(first.replace(/\r$/, ''))) return null;
  const secondEnd = head.indexOf(10, firstEnd + 1);
  const second = head.toString('latin1', firstEnd + 1, Math.min(secondEnd === -1 ? head.length : secondEnd, firstEnd + 1 + 1024));
  const again = DECLARATION.exec(second);
  return again ? { name: again[1]!, line: 2 } : null;
}

/** How CPython's tokenizer names a codec before looking it up (get_normal_name), then lower case with `_` as `-`. */
function normalName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (lower === 'utf-8' || lower.startsWith('utf-8-')) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(lower)) return 'iso-8859-1';
  return lower;
}

/** Names of Python's UTF-8, ASCII and Latin-1 codecs (and aliases), read without a decoder. */
const UTF8 = new Set(['utf-8', 'utf8', 'u8', 'utf', 'cp65001', 'ascii', 'us-ascii', '646', 'us']);
const LATIN1 = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin', 'l1', 'cp819', '8859', 'iso-ir-100', 'csisolatin1']);
/** Python's names for the Windows code pages the platform's decoders know by another name. */
const DECODER_NAMES = new Map([
  ...['cp932', 'ms932', 'mskanji', 'ms-kanji', 'windows-31j'].map((n) => [n, 'shift_jis'] as const),
  ...['cp936', 'ms936'].map((n) => [n, 'gbk'] as const),
  ...['cp949', 'ms949', 'uhc'].map((n) => [n, 'euc-kr'] as const),
  ...['cp950', 'ms950'].map((n) => [n, 'big5'] as const),
]);

/**
 * The text Python reads from the source's bytes: UTF-8 unless it declares another encoding, which
 * is decoded with the platform's decoder of that name. `unreadable` names a declared codec this
 * runtime has no decoder for that reads as Python's does (utf-7, unicode_escape, EBCDIC, HZ, …):
 * what Python runs from such a file cannot be read here.
 */
export function pythonSourceText(head: Buffer): { text: string; utf8: boolean } | { unreadable: Declared } {
  const declared = declaredEncoding(head);
  const name = declared === null ? 'utf-8' : normalName(declared.name);
  // A UTF-8 byte order mark is not part of the code (read as a name, it would hide an import).
  if (UTF8.has(name)) return { text: withoutBom(head.toString('utf8')), utf8: true };
  if (LATIN1.has(name)) return { text: head.toString('latin1'), utf8: false };
  for (const label of new Set([DECODER_NAMES.get(name) ?? name, name.replace(/-/g, ''), name.replace(/-/g, '_')])) {
    try {
      const decoder = new TextDecoder(label);
      // The WHATWG "replacement" decoder (hz-gb-2312, iso-2022-kr, …) gives one U+FFFD for all of it.
      if (decoder.encoding !== 'replacement') return { text: decoder.decode(head), utf8: false };
    } catch {
      // No decoder of that name.
    }
  }
  return { unreadable: declared! };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
