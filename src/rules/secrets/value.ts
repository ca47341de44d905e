import { shannon } from './entropy.ts';
import { uncommonPairs } from './english-bigrams.ts';

const PLACEHOLDER = /12345|abcdef|abc123|abc-def|\*{3,}|\.\.\.|changeme|change_me|change-me|replace_?me|^replace|your[_-]|^your|example|sample|placeholder|dummy|redacted|^insert|^todo|^tbd|^fixme|<[^>]*>|^\{.*\}$|\$\{|\{\{|\{%|#\{|%\(|\{[\w.-]{0,40}\}|^[a-z_.-]{0,40}\{[\w.]{1,40}\[['"]?[\w.-]{0,40}['"]?\]\}$|^(?:foo|bar|baz|qux)+\d{0,6}\W{0,2}$|^test1(?:2(?:3(?:4(?:56?)?)?)?)?\W{0,2}$|^test\d[_-][a-z]+\d{0,6}$|(?:^|[:=/@])%[sd](?:$|[:@/;&])|^__[A-Z0-9_]+__$|^@@?[A-Za-z_]+@@?$|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^none$|^null$|^nil$|^true$|^false$|^undefined$|^required$|^secret$|passw(?:or)?d|^token$|^test$|^admin$|^root$|^default$|^fake|^mock|^test[_-]|^hunter2$|^(?:0x)?deadbeef\d*$/i;
/** Filler runs are case-sensitive: "xXx" occurs by chance in random text, "xxxx" and "XXXX" do not. */
const FILLER = /xxx|XXX|000000|111111|(\d{4,})[-_.:]\1[-_.:]\1/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^(?:os\.|env\.|process\.|settings\.|config\.|self\.|secrets\.|vault:|!Ref|!Sub|!GetAtt|arn:|ssm:|sha\d*[-:]|md5:)/;
/** Brackets in an unquoted value are a call or an index; inside a string literal they are characters of it (Django keys). */
const BRACKETS = /\(|\)|\[|\]/;
/**
 * A module path, attribute chain or entry point (`._path.svnwc:SvnAuth`): names in snake_case or
 * CapWords joined by dots, not a token's segments (`Hq7x.Pz3k.Wm9v` mixes cases and digits).
 */
const DOTTED_NAME = /^[._]{0,2}(?:[a-z][a-z0-9_]{0,23}|[A-Z][A-Za-z]{0,23})(?:[.:]_{0,2}(?:[a-z][a-z0-9_]{0,23}|[A-Z][A-Za-z]{0,23})){2,}$/;
/** A whole literal that is a call or a lookup written as text (`get_secret("x")`, `ENV['X']`). */
const CALL_TEXT = /^[A-Za-z_$][\w.$]{0,80}(?:\(.*\)|\[.*\])$/;
const PATH = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)[\w.@-]{1,30}(?:[/\\][\w.@-]{1,30}){0,20}[/\\]?$|^[\w./-]{0,200}\.(?:pem|key|json|txt|crt|p12|yaml|yml|env|cfg|ini|toml)$|^[\w.-]{1,60}(?:\/[\w.-]{1,60}){1,20}\.(?:md|rst|html?|py|js|ts|css|xml|csv|ipynb|png|jpe?g|gif|svg)$/;
const URL = /^[a-z][a-z0-9+.-]{1,20}:\/\//i;
/** A web address after a word and a colon (`redash:https://localhost:5000/alerts/1`, an aggregation key): a URL's credentials are the URL rule's. */
const URL_INSIDE = /^[a-z][\w.-]{0,30}:https?:\/\/[\w.-]+(?::\d{1,5})?\//;
/** A package coordinate or file name that ends in a version: `jjwt-jackson-0.11.2`, `lib:1.2.3`. */
const VERSIONED = /^[A-Za-z][\w.-]*[-:@]v?\d+\.\d+(?:\.\d+)?(?:[-.][\w.]+)?$/;
const IPV4 = /(?:^|[^\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:$|[^\d.])/;

/** Public by design: Mapbox `pk.` tokens and Stripe publishable keys are meant for the browser. */
const PUBLIC_TOKEN = /^(?:pk\.eyJ|pk_(?:live|test)_)/;
/** A stored password hash (Django's `algorithm$iterations$salt$hash`, crypt's `$2b$`, `$argon2id$`, `$6$`): not the password. */
const PASSWORD_HASH = /^(?:pbkdf2_sha(?:1|256)|argon2|bcrypt(?:_sha256)?|scrypt|unsalted_(?:md5|sha1)|sha1|md5)\$|^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|y|7|scrypt|pbkdf2(?:-sha\d{1,3})?)\$/;
/** A Google app password: four groups of four random lower-case letters. */
const APP_PASSWORD = /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/;
const APP_PASSWORD_UNSPACED = /^[a-z]{16}$/;

/**
 * Base64 of a DER public key, as JWT libraries take one (`jwt.decode(t, "MFkwEwYH…", algorithms=
 * ["ES256"])`): a SubjectPublicKeyInfo is a SEQUENCE whose first element is the algorithm's
 * SEQUENCE, where a private key's (PKCS #1, PKCS #8, SEC 1) is its version, an INTEGER.
 */
export function isPublicKeyDer(v: string): boolean {
  if (v.length < 40 || v.charCodeAt(0) !== 77 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return false; // M
  const head = Buffer.from(v.slice(0, 12), 'base64');
  if (head[0] !== 0x30) return false;
  const length = head[1]!;
  return head[length < 0x80 ? 2 : 2 + (length & 0x7f)] === 0x30;
}

/**
 * Bitnami Sealed Secrets ciphertext (`encryptedData:` of a SealedSecret): base64 of a 2-byte length
 * of the RSA-encrypted session key (256 or 512 bytes), that key, then the AES-GCM payload. Encrypted
 * with the cluster's public key to be committed; random text starts with those two bytes once in 30,000.
 */
function isSealedSecret(v: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return false;
  const head = Buffer.from(v.slice(0, 4), 'base64');
  const keyLength = (head[0]! << 8) | head[1]!;
  return (keyLength === 256 || keyLength === 512) && (v.length * 3) / 4 > keyLength + 2 + 16;
}

function classes(v: string): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else {
      other = 1;
      // A letter past ASCII is a symbol and a letter of its case (`Пароль2024!` is as varied as
      // `Password2024!`; `jürgen1985` stays as varied as it was).
      if (c > 127 && LOWER_LETTER.test(v[i]!)) lower = 1;
      else if (c > 127 && UPPER_LETTER.test(v[i]!)) upper = 1;
    }
  }
  return lower + upper + digit + other;
}
const LOWER_LETTER = /\p{Ll}/u;
const UPPER_LETTER = /\p{Lu}/u;

/** The size of the alphabet a value is taken to be drawn from: hex, digits, letters and digits, or those and symbols. */
export function alphabetOf(v: string): number {
  return /^[0-9a-f]+$/i.test(v) ? 16 : /^[0-9]+$/.test(v) ? 10 : /^[A-Za-z0-9]+$/.test(v) ? 62 : 70;
}

/** Entropy relative to the most this length and alphabet could carry (1 = as random as possible). */
export function randomness(v: string): number {
  const max = Math.log2(Math.min(v.length, alphabetOf(v)));
  return max > 0 ? shannon(v) / max : 0;
}

/**
 * A Google app password written without its spaces: 16 lower-case letters that neither read as
 * words nor are made of English letter pairs (random draws pass as either ~9 % of the time;
 * `thequickbrownfox`, `postgrespostgres` and `helloworldhellow` are made of words), nor run along
 * a keyboard's row or the alphabet (`qwertyuiopasdfgh`, `nopqrstuvwxyzabc`). Letters are a word
 * under a password's name elsewhere: the caller asks this only where mail is sent (the name, the
 * line or the URL's host says so), where app passwords are used.
 */
export function isUnspacedAppPassword(v: string): boolean {
  return APP_PASSWORD_UNSPACED.test(v) && !looksLikeWords(v) && uncommonPairs(v) >= 4 && !runsAlong(v);
}

/** Keyboard rows (QWERTY, AZERTY, QWERTZ): five keys in a row along one of them is no random draw. */
const KEY_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn', 'qwertzuiop', 'yxcvbnm'];

/** Whether five letters in a row follow the alphabet or a keyboard's row. */
function runsAlong(v: string): boolean {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = (v.charCodeAt(i) - v.charCodeAt(i - 1) + 26) % 26 === 1 ? run + 1 : 1;
    if (run >= 5) return true;
  }
  for (let i = 0; i + 5 <= v.length; i++) {
    const five = v.slice(i, i + 5);
    if (KEY_ROWS.some((row) => row.includes(five))) return true;
  }
  return false;
}

/** Letter runs that read like words cover most of the value ("mysecretkey", "SuperSecret"). */
export function looksLikeWords(v: string): boolean {
  const segments = v.split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/).filter((s) => s.length > 0);
  let wordy = 0;
  for (const s of segments) {
    // A word is lower case, Capitalised or an acronym: `XCmu` and `NOq` are fragments of a random string.
    if (s.length < 3 || !/^[A-Z]?[a-z]+$|^[A-Z]+$/.test(s)) continue;
    const vowels = (s.match(/[aeiouy]/gi) ?? []).length / s.length;
    if (vowels >= 0.25 && vowels <= 0.7 && !/[^aeiouy]{4}/i.test(s)) wordy += s.length;
  }
  return wordy >= v.length * 0.7;
}

export type NameKind = 'password' | 'secret' | null;

/**
 * Words that make any name a non-secret: the public half of a pair, database and map keys, form
 * fields, pagination cursors, the names (not values) of key vaults, test fixtures that say they
 * are fake (`invalidToken`, `nonMatchingToken`, `dummy_password`).
 */
const NOT_SECRET_WORD = /(?:^|_)(?:public|publishable|pub|pubkey|primary|foreign|schema|sort|partition|sequence|bucket|cache|lookup|idempotency|dedup|authenticity|page|next|cursor|continuation|translation|i18n|fake|dummy|mock|example|sample|invalid|wrong|bad|bogus|nonmatching|unmatched)(?:_|$)|key_?vault|non_?matching/;
const NOT_SECRET_NAME = /(?:^|_)(?:file|path|dir|env|length|len|type|name|url|uri|endpoint|header|field|prefix|expiry|expires|expiration|ttl|timeout|count|id|ids|policy|format|min|max|enabled|enable|required|label|hint|regex|pattern|key_id|param|mode|version|hash|digest|sha|checksum|salt_rounds|location|source|provider|method|mechanism|algorithm|alg|scheme|store|manager|class|size|limit|placeholder|example|event|input|prompt|message|msg|error|text|title|description|desc|help|widget|selector|locator|column|attr|attribute|property|callback|handler|ref|arn|alias|usage|variable|var|option|flag|uid_key)$|^(?:is|has|use|no|enable|show|max|min|num)_|tokeniz|tokens$|author(?!i[sz])|keyboard|keys$|keyword|monkey|turkey|hotkey|keycode|keychain|keyframe|passthrough|passenger|compass|bypass|password_reset|password_hash|hashed_password|secret_name|secret_ref|web_?socket_(?:key|accept)$|(?:^|_)(?:csrf|xsrf)(?:_?[a-z]{1,12})?_?token$|^(?:csrf|xsrf)$/;

/** Names repeat across the lines of a change (`token`, `api_key`): their verdicts are kept, up to a bound. */
const NAME_CACHE_SIZE = 4096;
const nameKinds = new Map<string, NameKind>();
/** isNonSecretName's answers: a JSON dump asks about the same few keys for every record. */
const nonSecretNames = new Map<string, boolean>();

/** The verdict on a name from `cache`, or `judge`'s, kept. */
function remembered<T>(cache: Map<string, T>, rawName: string, judge: (rawName: string) => T): T {
  let answer = cache.get(rawName);
  if (answer !== undefined) return answer;
  answer = judge(rawName);
  if (cache.size >= NAME_CACHE_SIZE) cache.clear();
  // Kept as a copy of its own: the name is usually a slice of a 64 KB piece of git output.
  cache.set(rawName.length < 13 ? rawName : ` ${rawName}`.slice(1), answer);
  return answer;
}

/** What a key name says about its value. */
export function nameKind(rawName: string): NameKind {
  return remembered(nameKinds, rawName, judgeName);
}

function judgeName(rawName: string): NameKind {
  const name = words(rawName);
  if (NOT_SECRET_NAME.test(name) || NOT_SECRET_WORD.test(name)) return null;
  // A colour, a file format's magic, a model's path (`TOKEN_COLOR`, `OPENSSH_AUTH_MAGIC`,
  // `AUTH_USER_MODEL`), unless the name also says password or secret (`PASSWORD_MAGIC`).
  if (/(?:^|_)(?:colou?r|magic|model)$/.test(name) && !/pass|secret/.test(name)) return null;
  if (/(?:^|_)(?:password|passwd|pwd|pass|passphrase|pw)(?:_|$)|password/.test(name)) return 'password';
  if (/secret|token|(?:api_?key|apikey|access_?key|private_?key|signing_?key|encryption_?key|master_?key|auth_?key)(?:_|$)|credential|(?:^|_)creds?(?:_|$)|(?:^|_)auth(?:_|$)|authorization|client_?secret|bearer|(?:session_?key|webhook_?key|app_?key|secret_?key)(?:_|$)|_key$/.test(name)) return 'secret'; // `key` alone names map entries as often as keys
  return null;
}

/** Names whose value is a key even when it is shaped like an id: Pinecone, Heroku and others issue UUIDs as API keys. */
export function namesKeyOrSecret(rawName: string): boolean {
  return /(?:^|_)(?:api_?key|apikey|access_?key|secret_?key|secret|api_?token|auth_?token|x_api_key)$/.test(words(rawName));
}

/** The name's words in snake case: `apiToken` and `API-TOKEN` are both `api_token`. */
function words(rawName: string): string {
  return rawName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * A name that says its value is not a secret although it holds a credential word (`public_key`,
 * `csrf_token`, `primaryKey`): its value gets no high-entropy warning either.
 */
export function isNonSecretName(rawName: string): boolean {
  return remembered(nonSecretNames, rawName, (raw) => {
    const name = words(raw);
    return CREDENTIAL_WORD.test(name) && (NOT_SECRET_NAME.test(name) || NOT_SECRET_WORD.test(name));
  });
}
/** The detector's hint words: a name without one is no credential's, and says nothing of its value. */
const CREDENTIAL_WORD = /pass|pwd|secret|token|key|auth|cred|bearer/;

/** A placeholder's words or filler (`changeme`, `password123`, `your-key`, `${TOKEN}`, `xxxx`), by every secret rule alike. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || FILLER.test(value) || ESCAPED_VARIABLE.test(value);
}
/** An escaped shell variable, `\$CLIENT_ID_SECRET` (upper case, as variables are named: `\$Kx9…` is a password starting with `$`). */
const ESCAPED_VARIABLE = /^\\\$[A-Z_][A-Z0-9_]*$/;

/**
 * A string literal's `\xHH`, `\uHHHH` and `\UHHHHHHHH` escapes decoded (Python, JavaScript, C#):
 * `p\xe4ssword` in a test's source is the text `pässword`.
 */
export function escapesDecoded(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/g, (whole, x?: string, u?: string, big?: string) => {
    const code = parseInt(x ?? u ?? big!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Each letter without its accents (`pässwörd` → `password`: decomposed, the marks dropped), for word tests written for ASCII. */
export function withoutAccents(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFD').replace(/\p{M}+/gu, '');
}

/**
 * `%XX` escapes decoded (a URL's or a form's encoding). A `%` that starts no escape (`$%&`) stays
 * as it is, and so does a run of escapes that is no UTF-8 (`%E0%A4%A`).
 */
export function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * A CapWords name after an acronym (`SSECustomerKey`, boto's parameter for an S3 header): the words
 * after it must read as words (looksLikeWords), which a random run of letters does not.
 */
function acronymThenWords(text: string): boolean {
  const m = /^[A-Z]{2,6}((?:[A-Z][a-z]+){1,6})$/.exec(text);
  return m !== null && looksLikeWords(m[1]!);
}

/**
 * Words joined by `_`, `-` or `.`, an identifier rather than a key (`hidden_v1_to_v2`, fastapi's
 * tests), maybe with a small count after them (`challenge-123`, aiohttp's): each part a word, a
 * version (`v1`), a digit or a short word (`to`, `of`), one a word of three letters or more. A
 * random part (`x9k2m`, `q7`) or a year (`my_secret_2024`) is neither.
 */
function wordsAndCount(v: string): boolean {
  if (wordParts(v)) return true;
  const uncounted = v.replace(/[-_.]?\d{1,3}$/, '');
  return uncounted !== v && wordParts(uncounted);
}

function wordParts(v: string): boolean {
  if (!/^[A-Za-z]+(?:[-_.][A-Za-z0-9]+)*$/.test(v)) return false;
  const parts = v.split(/[-_.]/);
  return parts.every((part) => SHORT_PART.test(part) || (part.length >= 3 && /^[A-Za-z]+$/.test(part) && looksLikeWords(part))) && parts.some((part) => part.length >= 3);
}
const SHORT_PART = /^(?:v\d{1,2}|\d|to|of|in|on|at|by|as|is|or|if|no|up|an|a)$/;

/** `0012_alter_user_first_name_max_length`, `0002_auto_20160321_1448`: a number from 0001, then words and numbers. */
function isMigrationName(v: string): boolean {
  if (!/^0\d{3}_[a-z0-9_]+$/.test(v)) return false;
  return v.slice(5).split('_').every((part) => /^\d*$/.test(part) || part.length <= 3 || looksLikeWords(part) || uncommonPairs(part) * 4 < part.length);
}

/** `__AnetApixmlv1schemaAnetApiSchema_xsd_ArrayOfLong`: a private name of three parts or more, its letters in English pairs (a random one's are not). */
function isPrivateName(v: string): boolean {
  if (!/^__[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+){2,}$/.test(v)) return false;
  const letters = v.replace(/[^A-Za-z]+/g, '').toLowerCase();
  // Few digits (`v1` of a schema's version): a random one has a sixth of them.
  return (v.match(/\d/g)?.length ?? 0) * 10 < v.length && uncommonPairs(letters) * 4 < letters.length;
}

/** Whether `v` is a stored password hash (see PASSWORD_HASH). */
export function isPasswordHash(v: string): boolean {
  return PASSWORD_HASH.test(v);
}

/** How many pairs of matching quotes wrap the text (`"'x'"` is one, `'x` none), leaving something inside. */
function quotePairs(v: string): number {
  let n = 0;
  while (2 * n + 2 < v.length && (v[n] === "'" || v[n] === '"') && v[v.length - 1 - n] === v[n]) n++;
  return n;
}

/** Two or more `%XX` escapes making up at least half of the text. */
function mostlyEscapes(text: string): boolean {
  const escapes = text.match(/%[0-9A-Fa-f]{2}/g)?.length ?? 0;
  return escapes >= 2 && escapes * 3 * 2 >= text.length;
}

/** Why a literal assigned to a credential-like name is not a secret, or null when it looks like one. */
export function notSecretReason(value: string, kind: 'password' | 'secret', quoted = false): string | null {
  const v = value.trim();
  // A value that is mostly escapes is judged as what it encodes too (`%60%7B%7D` is three
  // characters). Not one with an escape here and there: `%` is a character of many passwords, and
  // a random one holding `%7C` must not turn into a "pattern". Each decoding is shorter, so this ends.
  if (mostlyEscapes(v)) {
    // A broken escape (`%E0%A4%A`) decodes to nothing: the text stays as it is.
    const decoded = percentDecoded(v);
    const reason = decoded === v ? null : notSecretReason(decoded, kind, quoted);
    if (reason !== null) return reason;
  }
  // A literal that is itself quoted (`"'X-Greeting'"`, a test's expected repr) is judged as what it
  // quotes, all its pairs of quotes taken off at once (a recursion per pair overflowed the stack).
  const quotes = quotePairs(v);
  if (quotes > 0) return notSecretReason(v.slice(quotes, v.length - quotes), kind, quoted);
  if (v.length < (kind === 'password' ? 8 : 12)) return 'short';
  if (isPlaceholder(v)) return 'placeholder';
  if (UUID.test(v)) return 'uuid';
  if (PUBLIC_TOKEN.test(v) || isPublicKeyDer(v)) return 'public';
  if (isPasswordHash(v)) return 'hash';
  if (v.length >= 360 && isSealedSecret(v)) return 'encrypted';
  if (URL.test(v) || URL_INSIDE.test(v)) return 'url';
  if (PATH.test(v)) return 'path';
  if (CODE.test(v) || (quoted ? CALL_TEXT.test(v) : BRACKETS.test(v)) || (kind === 'secret' && DOTTED_NAME.test(v))) return 'code';
  // A number with a check letter (`861643125754056E`, Adyen's 16-character PSP references).
  if (/^\d+$/.test(v) || /^[\d.:-]+$/.test(v) || /^\d{15}[A-Z]$/.test(v)) return 'number';
  // A migration's name (`0012_alter_user_first_name_max_length`, Django's dependencies) or a
  // private Python name of several parts (`__AnetApiSchema_xsd_webCheckOutDataType`, pyxb's bindings).
  if (isMigrationName(v) || isPrivateName(v)) return 'identifier';
  // A regular expression (`[A-Za-z0-9]{60,120}`) or a list of alternatives (`upstash|qstash`).
  if (/\[[^\]]{1,80}\][{*+?]/.test(v) || /^[\w.-]+(?:\|[\w.-]+)+$/.test(v)) return 'pattern';
  if (kind === 'password' && APP_PASSWORD.test(v)) return null; // random groups often read like words: the shape decides
  if (/\s/.test(v) && (kind === 'secret' || v.split(/\s+/).length >= 3)) return 'sentence'; // keys and tokens hold no space
  if (IPV4.test(v)) return 'address';
  if (VERSIONED.test(v)) return 'version';
  if (/^(.)\1+$/.test(v) || new Set(v).size < 5) return 'repetitive';
  // Words of another script (`HTTP-заголовок`): letters only, most of them past ASCII (not a random
  // mix of cases with one accent in it); keys and tokens never are.
  if (/^\p{L}[\p{L}\p{M}]*(?:[\s'’-]\p{L}[\p{L}\p{M}]*)*$/u.test(v) && 2 * (v.match(/[^\x00-\x7f]/g)?.length ?? 0) >= (v.match(/\p{L}/gu)?.length ?? 0)) return 'words';
  if (/^_{0,2}[a-z]+(?:[._-][a-z]+)*_{0,2}$/.test(v) || /^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(v) || /^[A-Z_]+$/.test(v) || acronymThenWords(v)) return 'words';
  if (kind === 'password') {
    if (classes(v) >= 3) return null;
    if (classes(v) === 2 && v.length >= 12 && randomness(v) > 0.75 && !looksLikeWords(v)) return null;
    return 'weak';
  }
  if (/^[0-9a-f]{40}$/i.test(v)) return null;
  // (Under a password's name, `sunshine_42` and `football-123` are passwords a person chose: not asked there.)
  if (wordsAndCount(v)) return 'words';
  // Words with digits and a symbol under a secret's name are a password chosen by a person
  // (`Orangemaple06$`); with separators (`xoxe.xoxp-1-SOMEVALUE`) they are an identifier or a placeholder.
  if (v.length >= 10 && v.length <= 64 && classes(v) === 4 && !/[._\-/:\s]/.test(v)) return null;
  if (looksLikeWords(v)) return 'words';
  if (classes(v) < 2 && !/^[0-9a-f]+$/i.test(v)) return 'one-class';
  return randomness(v) >= 0.7 ? null : 'low-entropy';
}

/**
 * The text a base64 value stands for when it decodes to printable ASCII (a Kubernetes Secret's
 * `data:`, a Basic auth header, base64 of a password), else null. Random bytes almost never decode
 * to printable text (each byte has a 37 % chance), so a key that is base64 of random bytes stays
 * as it is.
 */
export function base64Text(v: string): string | null {
  if (v.length < 8 || v.length % 4 !== 0 || !BASE64.test(v)) return null;
  const bytes = Buffer.from(v, 'base64');
  const text = bytes.toString('latin1');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return null;
    // Past ASCII: text in another script (`Basic` of a Cyrillic login) is well-formed UTF-8 with
    // no control character, which random bytes almost never are (a byte past 0x7f must start or
    // continue a sequence: ~1 in 4 chances for each).
    if (c > 126) return utf8Text(bytes);
  }
  return text;
}

function utf8Text(bytes: Buffer): string | null {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  return /[\x00-\x1f\x7f-\x9f\ufffd]/.test(text) ? null : text;
}
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
