// The text Python reads from a source file's bytes. A file may declare its encoding (PEP 263), and
// Python then decodes it with that codec: `# coding: utf-7` makes `+AHA-ickle.loads(b)` the call
// `pickle.loads(b)`, and `# coding: latin-1` makes the byte 0xAA the letter `ª` (NFKC: `a`). The
// rules must read what Python reads, or say that they cannot. Only codecs decoded here exactly are
// trusted (a platform's decoder of the same name decodes some bytes otherwise than CPython's codec,
// and which names it knows depends on the build).

/** The declaration (CPython's tokenizer): a comment line whose text holds `coding:` or `coding=` and a name. */
const DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line Python passes over before a declaration on line 2: blank, or only a comment. */
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?$/;

export interface Declared {
  /** The codec's name as written. */
  name: string;
  /** The line (1 or 2, as Python counts: CR, LF or CRLF end one) that declares it. */
  line: number;
}

/** Where the line starting at `from` ends (CR, LF or CRLF, as Python reads lines), and where the next begins. */
function lineAt(head: Buffer, from: number): { end: number; next: number } {
  for (let i = from; i < head.length; i++) {
    const c = head[i];
    if (c === 10) return { end: i, next: i + 1 };
    if (c === 13) return { end: i, next: head[i + 1] === 10 ? i + 2 : i + 1 };
  }
  return { end: head.length, next: -1 };
}

/** The encoding the source declares on line 1, or on line 2 after a blank or comment line 1 (null: none). */
export function declaredEncoding(head: Buffer): Declared | null {
  // Most files start with code: then line 1 declares nothing and line 2 does not count.
  let k = 0;
  while (head[k] === 32 || head[k] === 9 || head[k] === 12) k++;
  if (k < head.length && head[k] !== 35 && head[k] !== 10 && head[k] !== 13) return null;
  const first = lineAt(head, 0);
  const firstText = head.toString('latin1', 0, first.end);
  const match = DECLARATION.exec(firstText);
  if (match) return { name: match[1]!, line: 1 };
  if (first.next === -1 || !BLANK_OR_COMMENT.test(firstText)) return null;
  const second = lineAt(head, first.next);
  const again = DECLARATION.exec(head.toString('latin1', first.next, second.end));
  return again ? { name: again[1]!, line: 2 } : null;
}

/**
 * A codec's name as CPython looks it up: its tokenizer's get_normal_name (utf-8 and latin-1 with any
 * suffix), then encodings.normalize_encoding in lower case (runs of other characters than letters,
 * digits and `.` as one `_`).
 */
function normalName(name: string): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '');
  if (lower === 'utf_8' || lower.startsWith('utf_8_')) return 'utf_8';
  if (/^(latin_1|iso_8859_1|iso_latin_1)(_|$)/.test(lower)) return 'latin_1';
  return lower;
}

/** Python's names for its UTF-8, ASCII, Latin-1 and cp1252 codecs (encodings.aliases), decoded here exactly. */
const UTF8 = new Set(['utf_8', 'utf8', 'u8', 'utf', 'cp65001', 'utf8_ucs2', 'utf8_ucs4']);
const ASCII = new Set(['ascii', 'us_ascii', '646', 'us', 'ansi_x3.4_1968', 'ansi_x3_4_1968', 'ansi_x3.4_1986', 'cp367', 'csascii', 'ibm367', 'iso646_us', 'iso_646.irv_1991', 'iso_ir_6']);
const LATIN1 = new Set(['latin_1', 'iso8859_1', 'iso8859', 'latin', 'latin1', 'l1', 'cp819', '8859', 'ibm819', 'iso_ir_100', 'csisolatin1']);
const CP1252 = new Set(['cp1252', 'windows_1252', '1252']);
/**
 * The codec names (lower case, `_` for `-`) CPython 3.8, 3.12 and 3.13 accept in a declaration and
 * decode every ASCII byte but ESC with as itself, `\u0070`, `+AHA-` and `~{` too (measured:
 * scripts/measure/python-ascii-codecs.py; idna left out): a file of such bytes alone is read as it is.
 * Not in it: utf-7, the escape codecs, HZ, EBCDIC, cp864 (`%`), shift_jis_2004 (`\` is ¥).
 */
const ASCII_TRANSPARENT = new Set([
  // Windows only (the ANSI and OEM code pages, each ASCII-based; an error elsewhere), not measured here.
  'mbcs', 'dbcs', 'oem',
  '1125', '1250', '1251', '1252', '1253', '1254', '1255', '1256', '1257', '1258', '437', '646',
  '775', '850', '852', '855', '857', '858', '860', '861', '862', '863', '865', '866', '869',
  '8859', '932', '936', '949', '950', 'ansi_x3.4_1968', 'ansi_x3.4_1986', 'ansi_x3_4_1968',
  'arabic', 'ascii', 'asmo_708', 'big5', 'big5_hkscs', 'big5_tw', 'big5hkscs', 'charmap',
  'chinese', 'cp1006', 'cp1051', 'cp1125', 'cp1250', 'cp1251', 'cp1252', 'cp1253', 'cp1254',
  'cp1255', 'cp1256', 'cp1257', 'cp1258', 'cp1361', 'cp154', 'cp367', 'cp437', 'cp65001', 'cp720',
  'cp737', 'cp775', 'cp819', 'cp850', 'cp852', 'cp855', 'cp856', 'cp857', 'cp858', 'cp860',
  'cp861', 'cp862', 'cp863', 'cp865', 'cp866', 'cp866u', 'cp869', 'cp874', 'cp932', 'cp936',
  'cp949', 'cp950', 'cp_gr', 'cp_is', 'csascii', 'csbig5', 'csibm855', 'csibm857', 'csibm858',
  'csibm860', 'csibm861', 'csibm863', 'csibm865', 'csibm866', 'csibm869', 'csiso2022jp',
  'csiso58gb231280', 'csisolatin1', 'csisolatin2', 'csisolatin3', 'csisolatin4', 'csisolatin5',
  'csisolatin6', 'csisolatinarabic', 'csisolatincyrillic', 'csisolatingreek', 'csisolatinhebrew',
  'cskoi8r', 'cspc775baltic', 'cspc850multilingual', 'cspc862latinhebrew', 'cspc8codepage437',
  'cspcp852', 'csptcp154', 'csshiftjis', 'cyrillic', 'cyrillic_asian', 'ecma_114', 'ecma_118',
  'elot_928', 'euc_cn', 'euc_jis2004', 'euc_jis_2004', 'euc_jisx0213', 'euc_jp', 'euc_kr', 'euccn',
  'eucgb2312_cn', 'eucjis2004', 'eucjisx0213', 'eucjp', 'euckr', 'gb18030', 'gb18030_2000',
  'gb2312', 'gb2312_1980', 'gb2312_80', 'gbk', 'greek', 'greek8', 'hebrew', 'hkscs', 'hp_roman8',
  'ibm1051', 'ibm1125', 'ibm367', 'ibm437', 'ibm775', 'ibm819', 'ibm850', 'ibm852', 'ibm855',
  'ibm857', 'ibm858', 'ibm860', 'ibm861', 'ibm862', 'ibm863', 'ibm865', 'ibm866', 'ibm869',
  'iso2022_jp', 'iso2022_jp_1', 'iso2022_jp_2', 'iso2022_jp_2004', 'iso2022_jp_3',
  'iso2022_jp_ext', 'iso2022jp', 'iso2022jp_1', 'iso2022jp_2', 'iso2022jp_2004', 'iso2022jp_3',
  'iso2022jp_ext', 'iso646_us', 'iso8859', 'iso8859_1', 'iso8859_10', 'iso8859_11', 'iso8859_13',
  'iso8859_14', 'iso8859_15', 'iso8859_16', 'iso8859_2', 'iso8859_3', 'iso8859_4', 'iso8859_5',
  'iso8859_6', 'iso8859_7', 'iso8859_8', 'iso8859_9', 'iso_2022_jp', 'iso_2022_jp_1',
  'iso_2022_jp_2', 'iso_2022_jp_2004', 'iso_2022_jp_3', 'iso_2022_jp_ext', 'iso_646.irv_1991',
  'iso_8859_1', 'iso_8859_10', 'iso_8859_10_1992', 'iso_8859_11', 'iso_8859_11_2001',
  'iso_8859_13', 'iso_8859_14', 'iso_8859_14_1998', 'iso_8859_15', 'iso_8859_16',
  'iso_8859_16_2001', 'iso_8859_1_1987', 'iso_8859_2', 'iso_8859_2_1987', 'iso_8859_3',
  'iso_8859_3_1988', 'iso_8859_4', 'iso_8859_4_1988', 'iso_8859_5', 'iso_8859_5_1988',
  'iso_8859_6', 'iso_8859_6_1987', 'iso_8859_7', 'iso_8859_7_1987', 'iso_8859_8',
  'iso_8859_8_1988', 'iso_8859_9', 'iso_8859_9_1989', 'iso_celtic', 'iso_ir_100', 'iso_ir_101',
  'iso_ir_109', 'iso_ir_110', 'iso_ir_126', 'iso_ir_127', 'iso_ir_138', 'iso_ir_144', 'iso_ir_148',
  'iso_ir_157', 'iso_ir_166', 'iso_ir_199', 'iso_ir_226', 'iso_ir_58', 'iso_ir_6', 'jisx0213',
  'johab', 'koi8_r', 'koi8_t', 'koi8_u', 'korean', 'ks_c_5601', 'ks_c_5601_1987', 'ks_x_1001',
  'ksc5601', 'ksx1001', 'kz1048', 'kz_1048', 'l1', 'l10', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8',
  'l9', 'latin', 'latin1', 'latin10', 'latin2', 'latin3', 'latin4', 'latin5', 'latin6', 'latin7',
  'latin8', 'latin9', 'latin_1', 'mac_arabic', 'mac_centeuro', 'mac_croatian', 'mac_cyrillic',
  'mac_farsi', 'mac_greek', 'mac_iceland', 'mac_latin2', 'mac_roman', 'mac_romanian',
  'mac_turkish', 'maccentraleurope', 'maccyrillic', 'macgreek', 'maciceland', 'macintosh',
  'maclatin2', 'macroman', 'macturkish', 'ms1361', 'ms932', 'ms936', 'ms949', 'ms950', 'ms_kanji',
  'mskanji', 'palmos', 'pt154', 'ptcp154', 'r8', 'rk1048', 'roman8', 'ruscii', 's_jis',
  'shift_jis', 'shiftjis', 'sjis', 'strk1048_2002', 'thai', 'tis620', 'tis_620', 'tis_620_0',
  'tis_620_2529_0', 'tis_620_2529_1', 'u8', 'u_jis', 'uhc', 'ujis', 'us', 'us_ascii', 'utf',
  'utf8', 'utf8_ucs2', 'utf8_ucs4', 'utf_8', 'utf_8_sig', 'windows_1250', 'windows_1251',
  'windows_1252', 'windows_1253', 'windows_1254', 'windows_1255', 'windows_1256', 'windows_1257',
  'windows_1258', 'x_mac_japanese', 'x_mac_korean', 'x_mac_simp_chinese', 'x_mac_trad_chinese',
]);

/**
 * The multibyte codecs among ASCII_TRANSPARENT (and the UTF and Windows ones): past ASCII, a
 * sequence of theirs may hold an ASCII quote or backslash. The others decode one byte to one
 * character, so a byte past ASCII can only change a name (CPython's letters differ by code page).
 */
const MULTIBYTE = /^(?:(?:cp|ms)?(?:932|936|949|950|1361)|shift_?jis\w*|s_?jis\w*|sjis\w*|csshiftjis|euc\w*|ujis|u_jis|gb\w*|chinese|csiso58gb231280|iso_ir_58|big5\w*|csbig5|hkscs|johab|uhc|ks\w*|korean|iso2022\w*|iso_2022\w*|csiso2022\w*|jisx0213|windows_31j|mskanji|ms_kanji|x_mac_(?:japanese|korean|simp_chinese|trad_chinese)|mbcs|dbcs|oem|utf\w*|u8|cp65001)$/;

/** cp1252's characters for 0x80-0x9F (Python's table; U+FFFD where its codec has none and refuses the byte). */
const CP1252_HIGH = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function cp1252(head: Buffer): string {
  const latin = head.toString('latin1');
  return /[\x80-\x9f]/.test(latin) ? latin.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : latin;
}

/** Whether every byte is ASCII and none is ESC (which starts an ISO-2022 sequence) or `~{` (HZ's). */
function plainAscii(head: Buffer): boolean {
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c >= 0x80 || c === 0x1b || (c === 0x7e && head[i + 1] === 0x7b)) return false;
  }
  return true;
}

/**
 * The text Python reads from the source's bytes: UTF-8 unless it declares another encoding.
 * ASCII, Latin-1 and cp1252 are decoded here; a codec that reads ASCII bytes as ASCII is read so
 * when the file holds nothing else. Anything else is `unreadable`: what Python runs from it cannot
 * be told from its bytes here. `severity` 'block' for a codec that changes ASCII text (utf-7,
 * unicode_escape, EBCDIC, …) or a multibyte code page's bytes past ASCII; 'warn' for a single-byte
 * code page's (they can change only which characters are letters, so a name: worth a look).
 */
export function pythonSourceText(head: Buffer): { text: string; utf8: boolean } | { unreadable: Declared; severity: 'block' | 'warn' } {
  const declared = declaredEncoding(head);
  const name = declared === null ? 'utf_8' : normalName(declared.name);
  // A UTF-8 byte order mark is not part of the code (read as a name, it would hide an import).
  if (UTF8.has(name) || ASCII.has(name)) return { text: withoutBom(head.toString('utf8')), utf8: true };
  if (LATIN1.has(name)) return { text: head.toString('latin1'), utf8: false };
  if (CP1252.has(name)) return { text: cp1252(head), utf8: false };
  const asciiBased = ASCII_TRANSPARENT.has(name) || ASCII_TRANSPARENT.has(name.replace(/\./g, '_'));
  if (asciiBased && plainAscii(head)) return { text: head.toString('latin1'), utf8: false };
  return { unreadable: declared!, severity: asciiBased && !MULTIBYTE.test(name) ? 'warn' : 'block' };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
