import type { AddedLine } from '../../engine/types.ts';

/**
 * The shapes in which a credential is written next to its name, in every syntax gitward reads:
 * one parser of "name, separator, value", shared by all languages, plus the few shapes where the
 * name and the value are not side by side (an XML element split over lines, a `name:`/`value:`
 * pair, a Terraform variable's default, an Authorization header, `curl -u`). Each candidate is
 * handed to a judge that decides by the name and the randomness of the value.
 */

/** One name/value candidate. `start` is the value's offset in its line, `line` that line's index in the change. */
export interface Candidate {
  name: string;
  value: string;
  start: number;
  line: number;
  quoted: boolean;
  /** Sent as a header or a login: an id-shaped value (a UUID) is a credential there too. */
  header?: boolean;
  /** In double quotes and holding a `$NAME` or `${…}`: a shell expands it (the judge asks only of a shell script). */
  expands?: boolean;
}

/** Returns whether the name was a credential's, reported or not (then the parser skips past its value). */
export type Judge = (c: Candidate) => boolean;

// name, an optional closing quote or bracket (`"password":`, `ENV['TOKEN'] =`), an optional type
// (Go `var name string =`, Java/C# `String name =`: either word can be the name; Kotlin/TS
// `name: String =`), the operator of any syntax (make's `::=`/`:::=`/`?=`/`+=`, PHP `.=`/`??=`,
// `=>`, YAML `:`, a call's `,`; spaces before it as aligned by `terraform fmt` or gofmt), then a quoted literal (with escapes and a b/r/u/f prefix) or a bare value.
const NAME = String.raw`(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,60})(?<close>['"\x60]?\]?)`;
// After a quote, the "type" is the next attribute: of a name/value pair (`<Property Id="DB_PASSWORD"
// Value="v"/>`, `<meta name="api-key" content="v">`) or one named like a credential itself
// (`host="db" password="v"`: both words are judged), but never one that labels or links:
// `href="#api-auth" class="x"` is no credential assigned.
const LABEL_ATTRIBUTE = String.raw`(?:class|id|href|src|rel|type|style|title|target|alt|lang|dir|role|for|tabindex|width|height|align|method|action|charset|media|sizes|srcset|loading|colspan|rowspan|scope|xmlns|onclick|name|key|pattern|placeholder|helperText|hint|autocomplete|label|title|minlength|maxlength|required)`;
const TYPED = String.raw`(?:(?:(?<!['"\x60\]])|(?<=['"\x60\]])(?!\s{1,4}${LABEL_ATTRIBUTE}\s{0,4}=))\s{1,4}(?<second>[A-Za-z_*[\]][\w.*[\]]{0,40})\s{0,4}(?==[^=>~])|\s{0,4}\??:\s{0,4}[A-Za-z_][\w.<>[\]?]{0,40}\s{0,4}(?==[^=>~]))?`;
const OP = String.raw`\s{0,40}(?<op>:{1,3}=|\?\?=|[?+.]=|=>|==|!=|=~|=|:|,)\s{0,4}`;
const VALUE = String.raw`(?<value>[bBrRuUfF]{0,2}(?:"(?:[^"\\\n]|\\.){1,300}"|'(?:[^'\\\n]|\\.){1,300}'|\x60(?:[^\x60\\]|\\.){1,300}\x60)|[^\s"'\x60,;)\\]{1,300})`;
export const ASSIGNMENT = new RegExp(NAME + TYPED + OP + VALUE, 'g');
/**
 * The same pattern with numbered groups, which the parser reads (a match builds no `groups`
 * object: a 1 MiB window of minified JSON makes ~10,000 matches): 1 name, 2 close, 3 second, 4 op, 5 value.
 */
const ASSIGNMENT_NUMBERED = new RegExp(ASSIGNMENT.source.replace(/\(\?<[a-z]+>/g, '('), 'g');

/** `<password>v</password>` on one line (Maven settings.xml, .NET config, plist-like files). */
const XML_ELEMENT = /<(?<name>[A-Za-z_][\w.:-]{0,60})(?:\s[^<>]{0,200})?>(?<value>[^<>\n]{1,300})<\/\k<name>\s*>/g;
/**
 * `<add key="ClearTextPassword" value="v"/>`, `{"name": "API_TOKEN", "value": "v"}`, `@ConfigProperty(name = "x", defaultValue = "v")`.
 * It starts at the word `key` or `name`, not at an optional quote before it (`(?<![\w-])["']?(?:key|name)`
 * was the same test: a quote is never \w or -, so the word is preceded by neither either way): every
 * match ends where, and holds the groups, it did, and the regex engine can look for the word's first
 * letters instead of trying the lookbehind at every character (~1/3 less time on a 1 MiB window of
 * minified JSON). test/pair-pattern.test.ts checks it against the old form on generated lines.
 */
export const PAIR = /(?<![\w-])(?:key|name)["']?\s{0,2}[=:]\s{0,2}["'](?<name>[\w.-]{1,61})["'][^<>]{0,40}?(?<![\w-])["']?(?:value|defaultValue|default)["']?\s{0,2}[=:]\s{0,2}(?<value>"[^"]{1,300}"|'[^']{1,300}')/g;
/** An Authorization header with its scheme (curl -H, HTTP files, code). */
const AUTH_HEADER = /(?<![\w-])(?:proxy-)?authorization["']?\s{0,4}[:=]\s{0,4}["']?(?<scheme>basic|bearer|token)\s{1,4}(?<value>[A-Za-z0-9+/=._~-]{8,500})/gi;
/** A header given to curl and its kin: `-H "X-Api-Key: v"`, `--header 'Authorization: Api-Token v'`. */
const CURL_HEADER = /(?:^|\s)(?:-H|--header)(?:\s{1,4}|=)["'](?<name>[A-Za-z][\w-]{0,60})\s{0,2}:\s{0,4}(?:(?<scheme>[A-Za-z][\w-]{1,20})\s{1,4})?(?<value>[^\s"']{6,500})/g;
/** `curl -u user:password`, `--user "user:password"`, `-u key:` (an API key as the user). */
const CURL_USER = /(?:^|\s)(?:-u|--user)(?:\s{1,4}|=)(?<q>["']?)(?<user>[^\s:"']{0,100})(?:\k<q>)?:["']?(?<value>[^\s"']{0,200})/g;
/** Schemes whose `scheme://…` after `-u` is another tool's URL argument, not a user and password. */
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'file', 'git', 'ssh', 's3', 'ws', 'wss']);

/**
 * A login with the password as the second argument: `server.login("user", "v")`, Go's
 * `req.SetBasicAuth(u, "v")` and `c.Login(u, "v")`, `HTTPBasicAuth(user, "v")`,
 * `aiohttp.BasicAuth("u", "v")`, superagent's `.auth("u", "v")`, `auth=("user", "v")` (requests, httpx).
 */
const LOGIN_CALL =
  /(?:(?<![\w])(?:login|authenticate)\s{0,2}\(|(?:BasicAuth|DigestAuth|ProxyAuth)\s{0,2}\(|\.auth\s{0,2}\(|(?<![\w-])auth\s{0,2}=\s{0,2}[([])[^,\n]{1,120},\s{0,4}(?<value>"(?:[^"\\\n]|\\.){1,200}"|'(?:[^'\\\n]|\\.){1,200}')/gi;

/**
 * A JWT signed or checked with a literal key, the key as the second argument: PyJWT's and
 * python-jose's `jwt.encode(payload, "k", algorithm="HS256")` and `jwt.decode(t, "k", …)`,
 * Node's `jwt.sign(payload, "k")` and `jwt.verify(t, "k")`. The first argument may be a dict or
 * object literal without nested brackets (`{"sub": uid, "exp": t}`).
 */
const JWT_CALL =
  /(?<![\w])jwt\.(?:encode|decode|sign|verify)\s{0,2}\((?:\s{0,4}\{[^{}\n]{0,200}\}|[^,\n(){}]{1,120}),\s{0,4}(?<value>"(?:[^"\\\n]|\\.){1,200}"|'(?:[^'\\\n]|\\.){1,200}')/gi;

/** keyring's `set_password("service", "user", "v")`: the password is the third argument. */
const KEYRING_CALL = /(?<![\w])set_password\s{0,2}\([^,\n]{1,120},[^,\n]{1,120},\s{0,4}(?<value>"(?:[^"\\\n]|\\.){1,200}"|'(?:[^'\\\n]|\\.){1,200}')/g;

/** Only called on lines holding `login(`, `auth(`, `auth=(`, `jwt.` or `set_password(`. */
export function loginsIn(text: string, lineIndex: number, judge: Judge): void {
  quotedArguments(LOGIN_CALL, 'password', true, text, lineIndex, judge);
  if (/jwt/i.test(text)) quotedArguments(JWT_CALL, 'jwt_signing_key', false, text, lineIndex, judge);
  if (text.includes('set_password')) quotedArguments(KEYRING_CALL, 'password', false, text, lineIndex, judge);
}

/**
 * A command-line option's default: argparse's `add_argument("--api-key", default="v")`, click's
 * `@click.option("--password", "-p", default="v")`. The option's long name is the credential's.
 */
const OPTION_DEFAULT =
  /(?:add_argument|option|Option)\s{0,2}\(\s{0,4}(?:["']-\w["']\s{0,4},\s{0,4})?["']--(?<name>[A-Za-z][\w-]{0,60})["'][^()\n]{0,200}?(?<![\w])default\s{0,2}=\s{0,2}(?<value>"(?:[^"\\\n]|\\.){1,200}"|'(?:[^'\\\n]|\\.){1,200}')/g;

/** Only called on lines holding a hint word. */
export function optionDefaultsIn(text: string, lineIndex: number, judge: Judge): void {
  if (text.includes('default')) quotedArguments(OPTION_DEFAULT, null, false, text, lineIndex, judge);
}

/** Judges each quoted `value` that `call` finds as the credential `name` names (null: the match's `name` group). */
function quotedArguments(call: RegExp, name: string | null, header: boolean, text: string, lineIndex: number, judge: Judge): void {
  call.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = call.exec(text)) !== null) {
    const raw = m.groups!.value!;
    judge({ name: name ?? m.groups!.name!, value: raw.slice(1, -1), start: m.index + m[0].length - raw.length + 1, line: lineIndex, quoted: true, header });
  }
}

/** A line that names a credential whose value comes on the next lines. */
const LABEL =
  /^\s*(?:-\s{1,4})?["']?(?:name|key)["']?\s{0,2}[:=]\s{0,2}["']?(?<name>[\w.-]{1,80})["']?,?\s*$|^\s*variable\s{1,4}"(?<tf>[\w-]{1,80})"\s*\{\s*$|^\s*<(?<xml>[A-Za-z_][\w.:-]{0,60})(?:\s[^<>]{0,200})?>\s*$/;
/**
 * What each of LABEL's forms starts with after the line's blanks: `-`, a quote, `name` or `key`;
 * `variable`; `<`. Most lines start otherwise and skip LABEL, whose first run compiles it (~1 ms of
 * a commit's start-up, for a line that holds a hint word such as `token`).
 */
const LABEL_START = /^\s*[-"'nkv<]/;
const VALUE_LINE = /^\s*["']?value["']?\s{0,2}[:=]\s{0,2}(?<value>"[^"]{1,300}"|'[^']{1,300}'|[^\s"'#]{1,300})\s*,?\s*$/;
const TF_DEFAULT = /^\s*default\s{0,40}=\s{0,4}(?<value>"[^"]{1,300}")\s*$/;
const XML_TEXT = /^\s*(?<value>[^<>\s][^<>]{0,300}?)\s*(?:<\/(?<close>[\w.:-]{1,61})\s*>\s*)?$/;

/** b B r R u U f F: a string literal's prefix letters (a test per match, without a regex). */
function isStringPrefix(c: number): boolean {
  return c === 98 || c === 66 || c === 114 || c === 82 || c === 117 || c === 85 || c === 102 || c === 70;
}

function unquote(value: string): { text: string; quoted: boolean; offset: number } {
  let i = 0;
  while (i < 2 && isStringPrefix(value.charCodeAt(i))) i++;
  const q = value[i];
  if ((q === '"' || q === "'" || q === '`') && value.length >= i + 2 && value.endsWith(q)) return { text: value.slice(i + 1, -1), quoted: true, offset: i + 1 };
  return { text: value, quoted: false, offset: 0 };
}

/**
 * Whether the character at `at`, just before a name, makes a bare value in code a literal: a
 * connection string's `;` (`"Server=db;Password=v;"`), a query's `?` or `&`, a template default's
 * `${` (`${key:default}`; a `{` alone opens an object literal, `{entityKey:i.default.string}` in
 * minified JavaScript). A quote is not one: `'password = x'` in code is text about a password as
 * often as one.
 */
export function bareLiteralContext(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === 63 || c === 38 || c === 59 || (c === 123 && text.charCodeAt(at - 1) === 36); // ? & ; ${
}

/**
 * A libpq connection string: `host=db user=app password=v dbname=x`, pairs separated by single
 * spaces and no commas (keyword arguments, `host=H, user=U`, are code, not one).
 */
const LIBPQ_PAIR = /(?:^|[\s"'`])(?:host|hostaddr|user|dbname|port|sslmode)=[^\s=,;()"'`]{1,200} [a-z_]{1,20}=/;
/** The last line asked about, and its answer: asked once per candidate, tested once per line. */
let libpqText = '';
let libpqAnswer = false;

function isLibpqLine(text: string): boolean {
  if (text !== libpqText) {
    libpqText = text;
    libpqAnswer = LIBPQ_PAIR.test(text);
  }
  return libpqAnswer;
}

/** Whether a name after character `before` can start a libpq pair: after a space or a quote, on a line holding pairs. */
export function libpqNameContext(text: string, before: number): boolean {
  return (before === 32 || before === 34 || before === 39 || before === 96) && isLibpqLine(text);
}

/** `password=v` with no space around `=`, ended by a space, a quote or the line's end, in a libpq connection string. */
function libpqContext(text: string, nameAt: number, op: string, matched: string): boolean {
  const after = text.charCodeAt(nameAt + matched.length);
  const ended = Number.isNaN(after) || after === 32 || after === 34 || after === 39 || after === 96;
  return op === '=' && ended && !/\s=|=\s/.test(matched) && libpqNameContext(text, text.charCodeAt(nameAt - 1));
}

/**
 * Where the line's hint words (and `pw`) end, ascending (the keyword scanner's `ends`): every name
 * the judge can call a credential's holds one. `complete` false: only the first `count` are known.
 */
export interface HintEnds {
  ends: Int32Array;
  count: number;
  complete: boolean;
}

/**
 * 1 for each character ASSIGNMENT can consume between a match's start and its value's text (the
 * name, a closing quote or bracket, a type, spaces, the operator, a string prefix and an opening
 * quote): [A-Za-z0-9_.'"`[\]*?:<>=+!~,-] and the characters of \s. The walk below relies on a
 * character outside this set never lying inside that stretch.
 */
const LEAD = new Uint8Array(65536);
for (let c = 0; c < 128; c++) LEAD[c] = /[A-Za-z0-9_.'"`[\]*?:<>=+!~,\s-]/.test(String.fromCharCode(c)) ? 1 : 0;
for (const c of [0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) LEAD[c] = 1;
export { LEAD as ASSIGNMENT_LEAD_FOR_TEST };

/**
 * Every "name op value" of the line, by the shared parser. A candidate's value is resumed into
 * when its name is no credential's (`{"config": "TOKEN=v"}`), skipped when it was judged.
 *
 * With `hints`, only the matches that can hold a credential's name are looked for and judged, with
 * the same findings as the whole walk: a match without a hint word between its start and its value
 * is not judged (the judge would say "no credential" and touch nothing), and the walk jumps ahead
 * to the last point P before the next hint word where either the character before P is outside
 * LEAD, or it is a quote and a name can start at P. Up to its value (where an unjudged match
 * resumes) no match of the whole walk can stretch over P: a quote inside that stretch is the
 * name's closing quote, followed by no name character, or the value's opening quote, the
 * stretch's last character. So the whole walk, too, searches from some point at or before P and
 * finds its next match at or after it (the two walks meet there), and a match whose name holds
 * the hint word cannot start before P.
 */
export function assignmentsIn(text: string, lineIndex: number, codeFile: boolean, judge: Judge, hints: HintEnds | null = null): void {
  ASSIGNMENT_NUMBERED.lastIndex = 0;
  let m: RegExpExecArray | null;
  let k = 0; // hints.ends[k] is the first hint end after the walk's position
  let scanned = 0; // characters before this were looked at by an earlier backward search
  let safe = 0; // a position just after a character outside LEAD (0: none found yet)
  for (;;) {
    let from = ASSIGNMENT_NUMBERED.lastIndex;
    if (hints !== null) {
      const ends = hints.ends;
      while (k < hints.count && (ends[k]! <= from || !mayEndName(text, ends[k]!))) k++;
      if (k === hints.count) {
        if (hints.complete) return; // no hint word after this point: no credential's name either
        hints = null; // past the known ends: the whole walk from here
      } else {
        const end = ends[k]!;
        if (end > scanned) {
          const floor = Math.max(scanned, from);
          for (let i = end - 1; i >= floor; i--) {
            const c = text.charCodeAt(i);
            if (LEAD[c] === 0 || (isQuote(c) && isNameStart(text.charCodeAt(i + 1)))) {
              safe = i + 1;
              break;
            }
          }
          scanned = end;
        }
        if (safe > from) ASSIGNMENT_NUMBERED.lastIndex = from = safe;
      }
    }
    if ((m = ASSIGNMENT_NUMBERED.exec(text)) === null) return;
    const name = m[1]!;
    const close = m[2]!;
    const second = m[3];
    const op = m[4]!;
    const raw = m[5]!;
    const valueAt = m.index + m[0].length - raw.length;
    const { text: unquoted, quoted, offset } = unquote(raw);
    const resume = valueAt + (quoted ? offset : 0);
    if (hints !== null && !hintWithin(hints, k, m.index, valueAt)) {
      // No credential's name here: as judged and found none (the value is read on from its start).
      ASSIGNMENT_NUMBERED.lastIndex = second !== undefined && !quoted && libpqNameContext(text, 32) ? m.index + name.length : resume;
      continue;
    }
    // `"NAME", "value"` (setProperty, put, tuples): the name is a whole quoted string, not the tail of one.
    const wholeName = text.charAt(m.index - 1) === close.charAt(0);
    // In a run of three strings or more (`["password", "sslcertFile", "sslkeyFile"]`, a list of field
    // names), a value of letters and separators only is the next name, not a value: a random key or
    // password holds a digit (`redis.set("session_token", "<token>", "EX", 60)` is still read).
    if (op === '==' || op === '!=' || op === '=~' || (op === ',' && (!/['"`]/.test(close) || !wholeName || !quoted || /\s/.test(unquoted) || (NAME_SHAPED.test(unquoted) && inRunOfStrings(text, m.index - 1, valueAt + raw.length))))) {
      ASSIGNMENT_NUMBERED.lastIndex = resume;
      continue;
    }
    if (second !== undefined && !quoted && libpqNameContext(text, 32)) {
      // `user=app password=v` in a connection string is two pairs, not `Type name = v`: read on from the second name.
      ASSIGNMENT_NUMBERED.lastIndex = m.index + name.length;
      continue;
    }
    // A Python f-string's fields are computed: only its literal text is judged
    // (`f"raw_metrics/{'/'.join(parts)}"` is a path; `f"<key>{n}"` still holds a key).
    const fString = quoted && F_STRING_PREFIX.test(raw.slice(0, offset - 1));
    let value = fString ? withoutFields(unquoted) : unquoted;
    if (!quoted) {
      const before = m.index > 0 ? text.charCodeAt(m.index - 1) : 0;
      if (codeFile && !bareLiteralContext(text, m.index - 1) && !libpqContext(text, m.index, op, m[0])) {
        ASSIGNMENT_NUMBERED.lastIndex = resume;
        continue;
      }
      if (before === 63 || before === 38) value = value.split('&')[0]!; // a URL query: ?password=v&next=1
      if (before === 123 && value.endsWith('}')) value = value.slice(value.startsWith('-') ? 1 : 0, -1); // ${name:default}, ${NAME:-default}
    }
    const start = valueAt + offset + Math.max(0, unquoted.indexOf(value));
    // The second word of `var name Type =` / `Type name =` is judged too, except for a bare value in code.
    const own = afterEscape(text, m.index, name);
    // Of `name Type =` (Go's order), the first word is a name only where the second reads as a
    // type: in prose, "you need to pass custom_attributes='…'" is no declaration of `pass`.
    // After a quote the second word is the next attribute, and the first is judged as ever.
    const ownJudged = second === undefined || close !== '' || GO_TYPE.test(second);
    const secondJudged = second !== undefined && (quoted || !codeFile) && /^[A-Za-z_]\w*$/.test(second);
    const names = ownJudged ? (secondJudged ? [own, second!] : [own]) : secondJudged ? [second!] : [];
    let credential = false;
    const expands = quoted && raw.charAt(offset - 1) === '"' && SHELL_EXPANSION.test(unquoted);
    for (const n of names) if (judge({ name: n, value, start, line: lineIndex, quoted, ...(expands ? { expands } : {}) })) credential = true;
    ASSIGNMENT_NUMBERED.lastIndex = credential ? m.index + m[0].length : resume;
  }
}

const F_STRING_PREFIX = /[fF]/;

/**
 * The longest literal piece of an f-string between its fields (innermost fields first, so one
 * holding braces goes whole; `{{` and `}}` stand for braces): what could be a key written into it.
 */
function withoutFields(text: string): string {
  let out = text.replace(/\{\{|\}\}/g, '');
  for (let before = ''; before !== out; ) [before, out] = [out, out.replace(/\{[^{}]*\}/g, '\0')];
  return longestPiece(out);
}

/** The longest literal piece of a shell word between its expansions (`$NAME` in upper case, `${…}`). */
export function withoutExpansions(text: string): string {
  return longestPiece(text.replace(EXPANSIONS, '$1\0'));
}

/** The longest piece between expansions (NULs here), but for a URL's start whose host is one (`name@https://$VAULT.…`). */
function longestPiece(text: string): string {
  let longest = '';
  for (const piece of text.split('\0')) if (piece.length > longest.length && !piece.endsWith('://')) longest = piece;
  return longest;
}
/** An unescaped `${` or an environment variable's `$NAME` (upper case, as they are named): what a shell expands inside double quotes; `$ybnK…` in a password is read as written. */
const SHELL_EXPANSION = /(^|[^\\])\$(?:\{[^}]*\}|[A-Z_][A-Z0-9_]*(?![A-Za-z0-9_]))/;
const EXPANSIONS = new RegExp(SHELL_EXPANSION.source, 'g');

/** A Go type a credential is declared with: `string`, `[]byte`, `*string`, an exported or a package's type (`Secret`, `config.Key`). */
const GO_TYPE = /^(?:\*|\[\d*\])*(?:string|byte|rune|any|[A-Za-z_]\w*\.[A-Za-z_]\w*|[A-Z]\w*)$/;

/**
 * Whether the pair whose name's quote is at `quote` and whose value ends at `end` is in a run of
 * three strings or more: a string and a `,` before the name, or a `,` and a string after the value.
 */
function inRunOfStrings(text: string, quote: number, end: number): boolean {
  let i = quote - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (text.charCodeAt(i) === 44) {
    do i--;
    while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9));
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 96) return true; // " ' `
  }
  MORE_STRINGS.lastIndex = end;
  return MORE_STRINGS.test(text);
}
const MORE_STRINGS = /\s{0,4},\s{0,4}[bBrRuUfF]{0,2}["'\x60]/y;
/** A field's or a package's name: letters, `_`, `-` and `.`, no digit. */
const NAME_SHAPED = /^[A-Za-z_][A-Za-z_.-]*$/;

/**
 * The name without the letter of an escape before it: in text inside a string (a JSON search
 * index of docs, a `"…\nSECRET_KEY=…"` literal), `\nSECRET_KEY` is a newline and `SECRET_KEY`.
 */
function afterEscape(text: string, at: number, name: string): string {
  if (name.length < 2 || !ESCAPE_LETTERS.includes(name[0]!)) return name;
  let slashes = 0;
  while (at - slashes > 0 && text.charCodeAt(at - slashes - 1) === 92) slashes++;
  return slashes % 2 === 1 ? name.slice(1) : name;
}
const ESCAPE_LETTERS = 'nrtbfv';

/**
 * What ASSIGNMENT reads after a name (or a typed declaration's second word) up to its operator:
 * a closing quote or bracket, a type, spaces (those before a type's `=` too), the operator.
 */
export const AFTER_NAME = new RegExp(String.raw`['"\x60]?\]?` + TYPED.replace(/\(\?<[a-z]+>/g, '(?:') + String.raw`\s{0,48}(?::{1,3}=|\?\?=|[?+.]=|=>|==|!=|=~|=|:|,)`, 'y');

/** [A-Za-z0-9_.-], the characters of an ASSIGNMENT name. */
export function isAssignmentNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45;
}

/** [A-Za-z0-9_.*[\]-]: characters of a name or of a typed declaration's second word. */
function isNameRunChar(c: number): boolean {
  return isAssignmentNameChar(c) || c === 42 || c === 91 || c === 93;
}

/**
 * Whether a hint word ending at `end` can lie in the name (or second word) of an ASSIGNMENT
 * match: that name runs on from the word through name characters and ends where AFTER_NAME
 * matches, at most 61 characters on. No name can end before a letter, a digit or `_` (nothing
 * that may follow a name starts with one), so only the run's end and its other characters are tried.
 */
function mayEndName(text: string, end: number): boolean {
  for (let p = end; p <= end + NAME_RUN_MAX && p <= text.length; p++) {
    const c = text.charCodeAt(p);
    const inRun = isNameRunChar(c);
    if (!inRun || !isWordChar(c)) {
      AFTER_NAME.lastIndex = p;
      if (AFTER_NAME.test(text)) return true;
    }
    if (!inRun) return false;
  }
  return false;
}
const NAME_RUN_MAX = 61;

/** [A-Za-z0-9_] */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** " ' ` */
export function isQuote(c: number): boolean {
  return c === 34 || c === 39 || c === 96;
}

/** [A-Za-z_]: the first character of an ASSIGNMENT name (false past the end: NaN). */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Whether a hint word ends in (start, end]; ends[k…] are the ends after the walk's position. */
function hintWithin(hints: HintEnds, k: number, start: number, end: number): boolean {
  const ends = hints.ends;
  while (k < hints.count && ends[k]! <= start) k++;
  return k < hints.count ? ends[k]! <= end : !hints.complete;
}

/** XML elements and key/value attribute pairs on one line. */
export function pairsIn(text: string, lineIndex: number, judge: Judge): void {
  if (text.includes('</')) {
    XML_ELEMENT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = XML_ELEMENT.exec(text)) !== null) {
      const value = m.groups!.value!;
      judge({ name: m.groups!.name!, value: value.trim(), start: m.index + m[0].indexOf('>') + 1 + (value.length - value.trimStart().length), line: lineIndex, quoted: true });
    }
  }
  // PAIR's second half names `value`, `defaultValue` or `default` (case-sensitive): without either word it cannot match.
  if (!text.includes('value') && !text.includes('default')) return;
  const found = (m: RegExpExecArray) => {
    const raw = m.groups!.value!;
    judge({ name: m.groups!.name!, value: raw.slice(1, -1), start: m.index + m[0].length - raw.length + 1, line: lineIndex, quoted: true });
  };
  if (text.length >= PAIR_NEAR_MIN) {
    pairsNearValueWords(text, found);
    return;
  }
  PAIR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PAIR.exec(text)) !== null) found(m);
}

/** From this length a line's pairs are looked for only near its value words (pairsNearValueWords). */
const PAIR_NEAR_MIN = 1024;
/** PAIR, tried at one place. */
const PAIR_AT = new RegExp(PAIR.source, 'y');
/**
 * The farthest a PAIR match's value word (`value`, `defaultValue`, `default`) starts after the
 * match's own start: `name` 4, a quote, 2 blanks, `=`, 2 blanks, a quote, the name's 61, a quote,
 * the 40 between and a quote (each one UTF-16 code unit).
 */
const PAIR_SPAN = 114;
/** A word searched for that does not occur again. */
const NONE = -2;

function orNone(at: number): number {
  return at === -1 ? NONE : at;
}

/**
 * The next `default` at or after `from`, or -1. Found by its `fault`: indexOf looks for a word's
 * first letter first, and `d` is common in JSON where `f` is not (10 MB of minified JSON: 4.9 ms
 * for `default`, 1.4 ms for `fault`).
 */
function nextDefault(text: string, from: number): number {
  for (let at = text.indexOf('fault', from + 2); at !== -1; at = text.indexOf('fault', at + 1)) {
    if (text.charCodeAt(at - 2) === 0x64 /* d */ && text.charCodeAt(at - 1) === 0x65 /* e */) return at - 2;
  }
  return -1;
}

/**
 * PAIR's matches in `text`, in order, as its global search gives them. A match starts at `key` or
 * `name` at most PAIR_SPAN before a value word, so only there is it tried (in increasing order,
 * none before the last match's end): on a 1 MiB window of minified JSON, where `name` is everywhere
 * and a value word rare, the global search tried the pattern at every `key` and `name`. The words
 * are found with indexOf: a loop over the characters near each value word ran mostly unoptimized
 * (called once a window) and cost more than the search it saved. test/pair-pattern.test.ts holds
 * the two to the same matches on generated lines.
 */
export function pairsNearValueWords(text: string, each: (m: RegExpExecArray) => void): void {
  /** No match starts before this: the last match's end, or the place after the last one tried. */
  let next = 0;
  let value = text.indexOf('value');
  let word = nextDefault(text, 0);
  // The next `key` and `name` at or after `next`, each searched for natively and once through the
  // text (-1: not searched yet, NONE: no more).
  let key = -1;
  let name = -1;
  while (value !== -1 || word !== -1) {
    let at: number;
    if (word === -1 || (value !== -1 && value < word)) {
      at = value;
      value = text.indexOf('value', value + 1);
    } else {
      at = word;
      word = nextDefault(text, word + 1);
    }
    next = Math.max(next, at - PAIR_SPAN);
    for (;;) {
      if (key !== NONE && key < next) key = orNone(text.indexOf('key', next));
      if (name !== NONE && name < next) name = orNone(text.indexOf('name', next));
      const start = key === NONE ? name : name === NONE ? key : Math.min(key, name);
      if (start < 0 || start > at) break;
      PAIR_AT.lastIndex = start;
      const m = PAIR_AT.exec(text);
      if (m === null) {
        next = start + 1;
        continue;
      }
      each(m);
      // A match is never empty; the next starts at or after its end.
      next = m.index + m[0].length;
    }
    next = Math.max(next, at + 1);
  }
}

/** Authorization headers, curl's -H and -u: the name is the header's, or implied by the shape. */
export function headersIn(text: string, lineIndex: number, authorization: boolean, curl: boolean, judge: Judge): void {
  let m: RegExpExecArray | null;
  if (authorization) {
    AUTH_HEADER.lastIndex = 0;
    while ((m = AUTH_HEADER.exec(text)) !== null) {
      const value = m.groups!.value!;
      const start = m.index + m[0].length - value.length;
      judge({ name: m.groups!.scheme!.toLowerCase() === 'basic' ? 'basic_auth' : 'bearer_token', value, start, line: lineIndex, quoted: true, header: true });
    }
  }
  if (!curl) return;
  CURL_HEADER.lastIndex = 0;
  while ((m = CURL_HEADER.exec(text)) !== null) {
    const { name = '', scheme, value = '' } = m.groups!;
    const start = m.index + m[0].length - value.length;
    const basic = scheme !== undefined && scheme.toLowerCase() === 'basic';
    judge({ name: basic ? 'basic_auth' : name, value, start, line: lineIndex, quoted: true, header: true });
  }
  CURL_USER.lastIndex = 0;
  while ((m = CURL_USER.exec(text)) !== null) {
    const { user = '', value = '' } = m.groups!;
    // `-u 'http://host/schema.xsd'` (pyxb's, and many tools' `-u URL`): a URL, not `user:password`.
    if (value.startsWith('//') && URL_SCHEMES.has(user.toLowerCase())) continue;
    if (value !== '') judge({ name: 'password', value, start: m.index + m[0].length - value.length, line: lineIndex, quoted: true, header: true });
    else if (user !== '') judge({ name: 'api_key', value: user, start: m.index + m[0].lastIndexOf(user), line: lineIndex, quoted: true, header: true });
  }
}

/**
 * A line that names a credential whose value follows on the next added lines: `<password>` then
 * the value then `</password>`; `- name: API_TOKEN` then `value: v`; `variable "db_password" {`
 * then `default = "v"`. Only consecutive added lines are read.
 */
export function labelledValue(lines: readonly AddedLine[], index: number, judge: Judge): void {
  const text = lines[index]!.text;
  const label = LABEL_START.test(text) ? LABEL.exec(text) : null;
  if (!label) return;
  const next = (k: number): AddedLine | null => {
    const line = lines[index + k];
    return line !== undefined && line.number === lines[index]!.number + k ? line : null;
  };
  const { name, tf, xml } = label.groups!;
  if (name !== undefined) {
    const line = next(1);
    const m = line ? VALUE_LINE.exec(line.text) : null;
    if (m) emit(name, m.groups!.value!, line!.text.lastIndexOf(m.groups!.value!), index + 1, judge);
  } else if (tf !== undefined) {
    for (let k = 1; k <= 8; k++) {
      const line = next(k);
      if (!line || /^\s*\}/.test(line.text)) return;
      const m = TF_DEFAULT.exec(line.text);
      if (m) return void emit(tf, m.groups!.value!, line.text.lastIndexOf(m.groups!.value!), index + k, judge);
    }
  } else if (xml !== undefined) {
    const line = next(1);
    const m = line ? XML_TEXT.exec(line.text) : null;
    if (!m) return;
    const closed = m.groups!.close === xml || (next(2) !== null && next(2)!.text.trim() === `</${xml}>`);
    if (closed) judge({ name: xml, value: m.groups!.value!, start: line!.text.indexOf(m.groups!.value!), line: index + 1, quoted: true });
  }
}

function emit(name: string, raw: string, at: number, line: number, judge: Judge): void {
  const { text, quoted, offset } = unquote(raw);
  judge({ name, value: text, start: at + offset, line, quoted });
}
