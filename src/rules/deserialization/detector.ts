import { isAscii } from 'node:buffer';
import type { GitwardConfig } from '../../config/types.ts';
import { nameEndsWith } from '../../engine/file-names.ts';
import { basename } from '../files/names.ts';
import { earlierPartsEnd, firstLineOf, sortedAddedNumbers } from '../../engine/parts.ts';
import { firstWithin } from '../../engine/sorted.ts';
import { lineHead } from '../../engine/limits.ts';
import type { FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import type { Detector, RuleContext } from '../types.ts';
import { INTERESTING_LAST_PARTS, LINTED_CALLS, type Kind } from './judge.ts';
import type { Hit } from './scan-python.ts';
import { holdsForeignDeclaration, isNotebook, mayHoldUnsafeCall, memoryOf, rememberCalls, rememberClean, rememberedCalls, wordsIn, wordsInLines, wordsWithoutReading, type BlobCalls, type Words } from './module-words.ts';
import { deserializationPrefetch } from './prefetch.ts';
import { pythonSourceText, type Declared } from '../python/source-encoding.ts';

/** Words that name a kind's rule in an allow comment (RuleMeta.allowWords): the modules it reads. */
const ALLOW_WORDS: Partial<Record<Kind, readonly string[]>> = {
  pickle: ['pickle', 'cpickle', 'dill', 'cloudpickle', 'joblib', 'shelve', 'pandas'],
  marshal: ['marshal'],
  numpy: ['numpy', 'np'],
  torch: ['torch', 'pytorch'],
  yaml: ['yaml', 'pyyaml'],
  jsonpickle: ['jsonpickle'],
  keras: ['keras'],
};

function rule(kind: Kind, title: string, catches: string, fix: string): RuleMeta {
  const linted = LINTED_CALLS[kind];
  const codes = linted?.codes;
  return {
    // bandit's and ruff's codes name the rule too (`gitward:allow B301`).
    allowWords: [...(ALLOW_WORDS[kind] ?? []), ...(codes ? [codes.bandit, codes.ruff].filter((c) => c !== undefined).map((c) => c.toLowerCase()) : [])],
    id: `deserialization.${kind}`,
    category: 'unsafe-deserialization',
    severity: 'block',
    title,
    doc: {
      catches,
      why: 'Deserializing these formats can run arbitrary code chosen by whoever wrote the data: a pickle, a marshal blob, a YAML document with python tags, or a model file is a program, not data. Data that crosses a trust boundary (uploads, caches, downloads, shared buckets) becomes remote code execution.',
      fix,
      allow: `If the data is produced and read only by your own trusted code, add \`# gitward:allow deserialization\` on the line (say why in the comment).${codes ? ` A call bandit or ruff check too (${linted!.calls.map((c) => `\`${c}\``).join(', ')}) is allowed by their marker on its line: \`# nosec\`, \`# nosec ${codes.bandit}\`${codes.ruff ? ` or \`# noqa: ${codes.ruff}\`` : ''}.` : ''}`,
    },
  };
}

const RULES: Record<Kind, RuleMeta> = {
  pickle: rule('pickle', 'Unsafe deserialization with pickle (or a pickle-based loader)', '`pickle`/`cPickle`/`_pickle`/`dill`/`cloudpickle` `load`/`loads`/`Unpickler`, `joblib.load`, `shelve.open`, `pandas.read_pickle`, through any import alias.', 'Use JSON, MessagePack, Protocol Buffers or Arrow/Parquet for data, and safetensors or ONNX for models. If you must read a pickle, only read ones you wrote yourself, and use an Unpickler whose `find_class` allows only known classes.'),
  marshal: rule('marshal', 'Unsafe deserialization with marshal', '`marshal.load` / `marshal.loads`.', 'marshal is for Python\'s own .pyc files; use JSON or MessagePack for data.'),
  numpy: rule('numpy', 'numpy.load with allow_pickle=True', '`numpy.load(…, allow_pickle=True)`.', 'Keep the default `allow_pickle=False` and store plain numeric arrays (`.npy`/`.npz`), or use Arrow/Parquet for mixed data.'),
  torch: rule('torch', 'torch.load without weights_only=True', '`torch.load(…)` without `weights_only=True` (or with `weights_only=False`).', 'Pass `weights_only=True` (the safe unpickler for tensors and plain containers), or store weights as safetensors (`safetensors.torch.load_file`).'),
  yaml: rule('yaml', 'yaml.load with an unsafe Loader', '`yaml.load`/`load_all` without a safe Loader or with `Loader`/`UnsafeLoader`/`FullLoader`/`CLoader`, `yaml.unsafe_load`, `yaml.full_load`.', 'Use `yaml.safe_load(…)` (or `Loader=yaml.SafeLoader` / `CSafeLoader`).'),
  jsonpickle: rule('jsonpickle', 'Unsafe deserialization with jsonpickle', '`jsonpickle.decode` / `jsonpickle.loads`, and its `Unpickler` (`jsonpickle.unpickler.Unpickler().restore(…)`).', 'jsonpickle rebuilds arbitrary objects; use plain `json.loads` and build your objects explicitly (dataclasses, pydantic).'),
  keras: rule('keras', 'Keras load_model with safe_mode=False', '`keras…load_model(…, safe_mode=False)`.', 'Keep `safe_mode=True` (the default); it refuses to deserialize lambda layers and arbitrary code.'),
  encoding: {
    id: 'deserialization.encoding',
    category: 'unsafe-deserialization',
    severity: 'block',
    title: 'Python source in an encoding gitward cannot read',
    doc: {
      catches: 'A Python file that declares (PEP 263, `# coding: …` on line 1 or 2) an encoding gitward cannot decode exactly as CPython does: a codec that changes ASCII text (`utf-7`, `unicode_escape`, `raw_unicode_escape`, `punycode`, `hz`, EBCDIC code pages, `shift_jis_2004`, `cp864`), or a multibyte code page (`shift_jis`, `gbk`, `euc-kr`, …) when the file holds bytes past ASCII (a multibyte sequence can hold an ASCII quote or backslash). A single-byte code page other than Latin-1 and cp1252 with bytes past ASCII is a warning (its letters differ, so a name may). Reported on the first added line. A file in UTF-8, Latin-1 or cp1252, or in ASCII under any of 345 codec names that read ASCII as itself (and `mbcs` on Windows), is read as usual.',
      why: 'Python decodes the whole file with the declared codec before running it: under `# coding: utf-7`, `+AHA-ickle.loads(data)` is `pickle.loads(data)`. Code that only the declared codec reveals would pass every check that reads the bytes as UTF-8.',
      fix: 'Save the file as UTF-8 and remove the declaration (or declare `utf-8`).',
      allow: 'If the encoding is really needed, add `# gitward:allow deserialization` on the first added line, and review the file as Python decodes it.',
    },
  },
};

/** Python sources and notebooks, by name (what `/\.(py|pyw|pyi|ipynb)$/i` matches). */
const PYTHON_SUFFIXES = ['.py', '.pyw', '.pyi', '.ipynb'];
export const deserializationDetector: Detector = {
  name: 'deserialization',
  rules: Object.values(RULES),
  // By name only: a script named without .py (its shebang says Python) is judged wherever it moves.
  judgesPath: (path) => nameEndsWith(path, PYTHON_SUFFIXES),
  appliesTo(change: FileChange): boolean {
    if (change.status === 'D') return false;
    // A change that only deletes lines holds no finding, but is looked at so that its new blob is
    // known clean when its old one is (see wordsWithoutReading): the next version is then cleared too.
    if (nameEndsWith(change.path, PYTHON_SUFFIXES)) return change.addedLines.length > 0 || !change.binary;
    if (change.addedLines.length === 0) return false;
    // A script named without .py says so on line 1 (which a large file's later parts carry along).
    const first = firstLineOf(change);
    if (first !== undefined) return namesPython(lineHead(first));
    // An edit below line 1 of a script (no extension, or .cgi/.fcgi/.wsgi) that may touch a call: scan reads its shebang.
    return SCRIPT_NAME.test(basename(change.path)) && change.addedLines.some((line) => CALL_WORD.test(line.text));
  },
  prefetch: deserializationPrefetch,
  async scan(change, ctx): Promise<RawFinding[]> {
    const notebook = isNotebook(change.path);
    if (!nameEndsWith(change.path, PYTHON_SUFFIXES) && firstLineOf(change) === undefined) {
      const head = await change.loadContent({ headBytes: SHEBANG_BYTES });
      if (head === null || !pythonShebang(head.head)) return [];
    }
    if (change.addedLines.length === 0) {
      const words = wordsWithoutReading(change, ctx.config);
      // Deleting lines can make an unchanged line a call (the `"""` of a string, line 1 above a
      // coding declaration): the file is read unless its content cannot hold one.
      // (Not a file whose content is unchanged: a mode changed, a rename.)
      if (!comparable(change) || change.oldBlob === change.newBlob || (words !== null && !mayHoldUnsafeCall(words, notebook))) return [];
    } else if (change.part) {
      if (!newFileWordSoFar(change, notebook, ctx.config)) return [];
    } else {
      // The patch (and what is known of the old blob) shows what the new content holds: when it cannot hold an unsafe call, the blob is not read.
      const words = wordsWithoutReading(change, ctx.config);
      if (words !== null && !mayHoldUnsafeCall(words, notebook)) return [];
    }
    // A change that only deletes lines is read for calls an edit made (newAgainstOld): of a file read
    // in part there is nothing to tell, not even that it was read in part (it adds nothing).
    const deletesOnly = change.addedLines.length === 0;
    const calls = await unsafeCallsIn(change, notebook, ctx, !deletesOnly);
    if (!calls.hits || (deletesOnly && calls.partial)) return [];
    const added = sortedAddedNumbers(change);
    const before = earlierPartsEnd(change);
    // Each hit's first added line; a hit on no added line may still be new (newAgainstOld).
    const lines = calls.hits.map((hit) => (hit.firstLine <= before ? -1 : (firstWithin(added, hit.firstLine, hit.lastLine) ?? 0)));
    const unchanged = calls.hits.filter((_, k) => lines[k] === 0);
    const fresh = unchanged.length > 0 && comparable(change) && !calls.partial ? await newAgainstOld(change, notebook, unchanged, ctx.config) : null;
    const findings: RawFinding[] = [];
    let fileLines: TextLines | undefined;
    calls.hits.forEach((hit, k) => {
      // -1: the part before reported it.
      if (lines[k]! > 0) findings.push(finding(hit, lines[k]!));
      else if (lines[k] === 0 && fresh?.has(hit)) {
        // Its allow comment is on a line the change did not add: looked for in the file's text.
        const text = (fileLines ??= new TextLines(calls.text ?? ''));
        const found = finding(hit, hit.firstLine);
        findings.push({ ...found, details: [...(found.details ?? []), EDITED_ELSEWHERE], fileLines: (n) => text.line(n) });
      }
    });
    return findings;
  },
};

function finding(hit: Hit, line: number): RawFinding {
  const meta = RULES[hit.kind];
  return {
    rule: meta,
    line,
    message: `${meta.title}: ${hit.what} — ${meta.doc.fix.split('. ')[0].replace(/\.$/, '')}.`,
    // A call downgraded for a name bound nowhere is another finding than the call (a baseline of one must not allow the other).
    key: `${meta.id}:${hit.what}${hit.note !== undefined ? ':bound-nowhere' : ''}`,
    severity: hit.severity,
    ...(hit.linterCodes ? { linterCodes: hit.linterCodes } : {}),
    ...(hit.note ? { details: [hit.note] } : {}),
  };
}

const EDITED_ELSEWHERE = 'this line is unchanged: an edit elsewhere in the file (an import, a deleted line of a string or comment) made it this call';

/**
 * Whether the change's unsafe calls can be told apart from its old content's: a file's new version
 * with an old one and a two-way patch's hunks (not a merge, whose lines come from several parents,
 * nor a mode change, nor a part of a large file).
 */
function comparable(change: FileChange): boolean {
  return change.oldBlob !== null && change.hunks !== undefined && change.loadOldContent !== undefined && !change.binary && !change.merge && !change.part;
}

/**
 * Of the hits on no added line, those the old content did not hold at the line the patch says that
 * line was (kind and severity alike, counted: `a(); a()` on one line is two). An edit elsewhere can
 * make an unchanged line a call: `import json` made `import pickle as json` above `json.loads(b)`,
 * or the `"""` before it deleted. A file read in part (past limits.max-file-bytes), new or old,
 * tells nothing: none is new then. The old blob's calls are those the scan kept when it read that
 * blob as a new version (rememberCalls), else it is read.
 */
async function newAgainstOld(change: FileChange, notebook: boolean, unchanged: readonly Hit[], config: GitwardConfig): Promise<Set<Hit>> {
  const old = await oldCallKeys(change, notebook, config);
  if (old === null) return new Set();
  const left = new Map<string, number>();
  for (const key of old) left.set(key, (left.get(key) ?? 0) + 1);
  const was = oldLines(change.hunks!);
  const fresh = new Set<Hit>();
  for (const hit of unchanged) {
    const line = was(hit.firstLine);
    const key = line === null ? null : callKey(hit, line);
    const count = key === null ? 0 : (left.get(key) ?? 0);
    if (count > 0) left.set(key!, count - 1);
    else fresh.add(hit);
  }
  return fresh;
}

/**
 * The old content's line that the new content's line `line` was, by the hunks (see
 * FileChange.hunks); null for a line the hunks added. Each hunk before it shifts it by the lines it
 * removed less those it added; a hunk that adds nothing stands after its new start line.
 */
export function oldLineOf(hunks: readonly number[], line: number): number | null {
  return oldLines(hunks)(line);
}

/**
 * oldLineOf for one file's lines asked in ascending order (its calls): the hunks are walked once
 * for all of them, not once for each (a file of many calls and many hunks would cost their product).
 */
export function oldLines(hunks: readonly number[]): (line: number) => number | null {
  let k = 0;
  let shift = 0;
  let last = 0;
  return (line) => {
    if (line < last) [k, shift] = [0, 0];
    last = line;
    for (; k < hunks.length; k += 4) {
      const removed = hunks[k + 1]!;
      const start = hunks[k + 2]!;
      const added = hunks[k + 3]!;
      if (added > 0 && line >= start && line < start + added) return null;
      if (added === 0 ? start >= line : start + added > line) break;
      shift += removed - added;
    }
    return line + shift;
  };
}

/** A call as newAgainstOld matches it: its kind, severity and first line (in the old content's numbering). */
function callKey(hit: Hit, line: number): string {
  return `${hit.kind}\0${hit.severity}\0${line}`;
}

/** The call keys of the change's old content as the rule read it there (none where it was no Python); null when it cannot be read whole. */
async function oldCallKeys(change: FileChange, notebook: boolean, config: GitwardConfig): Promise<readonly string[] | null> {
  const oldPath = change.oldPath ?? change.path;
  const kept = rememberedCalls(config, change.oldBlob!, notebook);
  if (kept !== undefined) return kept.shebang || nameEndsWith(oldPath, PYTHON_SUFFIXES) ? kept.keys : [];
  const old = await change.loadOldContent!();
  if (!old?.complete) return null;
  const before = await callsInContent(old.head, notebook);
  const keys = callKeysOf(before.hits);
  rememberCalls(config, change.oldBlob, notebook, { keys, shebang: pythonShebang(old.head) });
  // The old content was no Python where it was (`tool` without a shebang, given one now): it held no call.
  return pythonShebang(old.head) || nameEndsWith(oldPath, PYTHON_SUFFIXES) ? keys : [];
}

function callKeysOf(hits: readonly Hit[] | null): string[] {
  return hits === null ? [] : hits.map((hit) => callKey(hit, hit.firstLine));
}

/** A script's name: no extension, or one that says only "a program run by its #! line". */
const SCRIPT_NAME = /^[^.]+$|\.(?:cgi|fcgi|wsgi)$/;
/**
 * What an edit of a script must hold to be read (the blob's shebang, then its calls): a name an
 * unsafe loader has, an argument that makes one unsafe, or an import (which may make a call one).
 */
const CALL_WORD = new RegExp(String.raw`\b(?:${[...INTERESTING_LAST_PARTS, 'import', 'weights_only', 'allow_pickle', 'safe_mode', 'Loader'].join('|')})\b`);
// A shebang line is short: the first 4 KiB of the blob tell.
const SHEBANG_BYTES = 4096;

/** Whether a blob's first line is a shebang naming Python (see appliesTo). */
function pythonShebang(head: Buffer): boolean {
  const end = head.indexOf(0x0a);
  return namesPython(head.toString('latin1', 0, end === -1 ? head.length : end));
}

/** A `#!` line that runs Python: `python3`, `pypy3`, or `uv run` (a script with inline dependencies). */
function namesPython(first: string): boolean {
  return first.startsWith('#!') && /python|pypy|\buv run\b/.test(first);
}

/** A text's lines by number (1-based, cut at `\n`), found on first use without cutting the whole text. */
class TextLines {
  private starts: number[] | null = null;
  constructor(private readonly text: string) {}

  /** Line `n` (a CR before its newline kept), or undefined past the end. */
  line(n: number): string | undefined {
    const starts = (this.starts ??= lineStarts(this.text));
    if (n < 1 || n > starts.length) return undefined;
    return this.text.slice(starts[n - 1]!, n < starts.length ? starts[n]! - 1 : this.text.length);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/**
 * A source Python decodes with a codec gitward cannot: found on every line (the first added one is
 * reported; git's lines, which a lone CR does not end, so not from the declaration's line on).
 */
function unreadableHit(declared: Declared, severity: 'block' | 'warn'): Hit {
  return { kind: 'encoding', what: `coding: ${declared.name}`, severity, firstLine: 1, lastLine: Number.MAX_SAFE_INTEGER };
}

/** The memory of the file whose parts are being scanned, started afresh for another blob. */
function partsOf(change: FileChange, notebook: boolean, config: GitwardConfig) {
  return memoryOf(config).parts.of(change.newBlob ?? '', notebook, () => ({ wordSeen: false, calls: null }));
}

/**
 * For a part of a large new file: false while neither this part nor one before it holds a module
 * word, so the blob is read only once one does. Known limit: a call in an earlier part through a
 * name imported only further down (`p.loads` above a later `import pickle as p`) is not seen.
 */
function newFileWordSoFar(change: FileChange, notebook: boolean, config: GitwardConfig): boolean {
  if (change.status !== 'A' || change.binary || change.newBlob === null) return true;
  const parts = partsOf(change, notebook, config);
  parts.wordSeen ||= mayHoldUnsafeCall(wordsInLines(change.addedLines), notebook);
  return parts.wordSeen;
}

/** The unsafe calls of the change's new content; the parts of a large file read and tokenize their blob once. */
async function unsafeCallsIn(change: FileChange, notebook: boolean, ctx: RuleContext, tell = true): Promise<BlobCalls> {
  let calls: Promise<BlobCalls>;
  if (change.part && change.newBlob !== null) {
    const parts = partsOf(change, notebook, ctx.config);
    calls = parts.calls ??= readUnsafeCalls(change, notebook, ctx.config, false);
  } else {
    calls = readUnsafeCalls(change, notebook, ctx.config, true);
  }
  const read = await calls;
  if (read.partial && tell) ctx.notice(`${change.path}: larger than limits.max-file-bytes; only its first part was checked for unsafe deserialization`);
  return read;
}

/** `keepText`: the text the hits are in is kept with them (not for a large file's parts, which share the read). */
async function readUnsafeCalls(change: FileChange, notebook: boolean, config: GitwardConfig, keepText: boolean): Promise<BlobCalls> {
  const content = await change.loadContent();
  if (!content) return { hits: null, partial: false };
  const read = await callsInContent(content.head, notebook);
  if (content.complete && read.words !== undefined && !holdsForeignDeclaration(read.text!)) rememberClean(config, change.newBlob, read.words);
  // Its calls, for the next version of the file (newAgainstOld): not a large file's parts' shared read.
  if (content.complete && keepText && read.hits !== null) rememberCalls(config, change.newBlob, notebook, { keys: callKeysOf(read.hits), shebang: pythonShebang(content.head) });
  // (A head without a module word is no partial answer to tell of, as before.)
  return { hits: read.hits, partial: read.hits !== null && !content.complete, ...(keepText && read.hits !== null && read.text !== undefined ? { text: read.text } : {}) };
}

/** The unsafe calls of a blob's bytes as Python reads them, with the text they are in and its words (not of a source it cannot read). */
async function callsInContent(bytes: Buffer, notebook: boolean): Promise<{ hits: Hit[] | null; text?: string; words?: Words }> {
  // A notebook is JSON (UTF-8); a Python file may declare another encoding (PEP 263).
  const source = notebook ? { text: bytes.toString('utf8'), utf8: true } : pythonSourceText(bytes);
  if ('unreadable' in source) return { hits: [unreadableHit(source.unreadable, source.severity)] };
  const { text } = source;
  // Bytes all ASCII decode (as UTF-8) to a text all ASCII, and any other byte to a character past 0x7f.
  const words = wordsIn(text, source.utf8 ? isAscii(bytes) : undefined);
  if (!mayHoldUnsafeCall(words, notebook)) return { hits: null, text, words };
  const { findUnsafeCalls } = await import('./scan-python.ts');
  return { hits: findUnsafeCalls(text, notebook), text, words };
}
