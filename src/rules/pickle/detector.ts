import type { FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import { lineHead } from '../../engine/limits.ts';
import type { Detector, RuleContext } from '../types.ts';
import { sectionOf } from '../../config/section.ts';
import { allowEntryFor, globalAllowed, pickleSection } from './config.ts';
import type { FoundPickle, Inspection } from './inspect.ts';

const FIX = 'Save data as JSON, MessagePack, Parquet/Arrow or CSV, arrays as plain `.npy` (no objects), and model weights as `.safetensors` or ONNX. Remove the file from the commit (`git rm --cached <file>`).';
const ALLOW = 'Two ways: list the globals a pickle may import under `[pickle] allow-globals` (e.g. `"collections.OrderedDict"`, `"torch._utils.*"`) to let pickles that import only those through as a warning, or list the file\'s path under `exclude` in .gitward.toml to stop checking a file you trust. A pickle importing a dangerous global always blocks, whatever allow-globals says.';

function rule(id: string, title: string, catches: string, doc: Partial<RuleMeta['doc']> = {}): RuleMeta {
  return {
    id: `pickle.${id}`,
    category: 'pickle-file',
    severity: 'block',
    title,
    doc: {
      catches,
      why: 'Loading a pickle runs whatever code its author chose: every global it imports is called with arguments of the author\'s choice (`os.system("…")` is one REDUCE away). A committed pickle reaches every clone, CI runner and server that loads it.',
      fix: FIX,
      allow: ALLOW,
      ...doc,
    },
  };
}

const RAW = rule('file', 'A pickle file is being committed', 'Raw pickles of every protocol (0–5), judged by content whatever the name (`.pkl`, `.joblib`, `.dill`, `weights.bin`, …), also gzip/zlib-compressed; every pickle of a file holding several back to back (PyTorch\'s legacy `torch.save` layout: five pickles, then raw storage bytes); malformed or truncated pickles are reported as such.');
const ARCHIVE = rule('archive', 'An archive holding a pickle (a PyTorch checkpoint, a zip or tar) is being committed', 'Zip and tar archives (also `.tar.gz`/`.tgz` and archives nested in archives) with a member that is a pickle, judged by content whatever its name: PyTorch `.pt`/`.pth`/`.ckpt`/`.bin` (`*/data.pkl`), TorchScript, `.npz`, a `data.txt` member holding a pickle.');
const NUMPY = rule('numpy-object', 'A NumPy array of Python objects (stored as a pickle) is being committed', '`.npy` files and `.npz` entries whose dtype holds objects (`|O`): their data is a pickle.');
const LIMIT = rule('archive-limit', 'An archive too large or too deeply nested to inspect (a zip bomb?) is being committed', 'Zip, tar and gzip archives (also nested ones) whose walk reaches a bound: more than 10,000 members, more than 256 MiB to decompress, archives nested more than 4 deep, or a zip whose declared sizes inflate past 1 GiB at more than 100 times its compressed size.', {
  why: 'gitward judges every archive member by its content; an archive it could not walk to the end may hide a pickle past the point where it stopped, and a decompression bomb stalls or crashes whatever opens it (CI, servers, scanners).',
  allow: 'If the archive is yours and trusted, list its path under `exclude` in .gitward.toml (or set `rules."pickle.archive-limit" = "warn"`).',
});
const UNOPENED: RuleMeta = {
  ...rule('unopened-archive', 'An archive gitward cannot open is being committed', 'A 7z or rar archive (by content) named like a model, pickle or archive file (`.7z`, `.rar`, `.pt`, `.bin`, `.pkl`, …), and a zip member named so that is encrypted or compressed with a method other than stored/deflate: gitward could not look inside, so a pickle there is unchecked (a warning).', {
    allow: 'If you know what the archive holds, list its path under `exclude` in .gitward.toml (or set `rules."pickle.unopened-archive" = "off"`); better, commit models as `.safetensors`.',
  }),
  severity: 'warn',
};
const LFS = rule('lfs-pointer', 'A Git LFS pointer to a pickle is being committed', 'A Git LFS pointer whose file name says pickle (`.pkl`, `.pickle`, `.pt`, `.pth`, `.ckpt`, `.joblib`, `.dill`, …): its content is not in git and could not be inspected.');

const STRONG_NAME = /\.(pkl|pickle|pck|pcl|joblib|dill)(\.(gz|z|zlib|bz2|xz|lz4))?$/i;
const MODEL_NAME = /\.(pt|pth|ckpt|bin|p|sav|npy|npz|model|pkl\w*|mar|pt2)$/i;
const LFS_NAME = /\.(pkl|pickle|pck|pcl|joblib|dill|pt|pth|ckpt|p|sav)(\.\w+)?$|(^|\/)pytorch_model[^/]*\.bin$/i;
const LFS_POINTER = /^version https:\/\/git-lfs\.[^/\s]+\/spec\/v1\b/;
/** First characters TEXT_PICKLE_START can match: a cheap necessary test (most files start otherwise). */
const TEXT_PICKLE_START_CHARS = new Set([...'(ciSVN\uFFFD\x80'].map((c) => c.charCodeAt(0)));
/** Every extension the three name patterns end with (or hold just before a last one). */
const NAME_EXTENSIONS = new Set([
  ...['pkl', 'pickle', 'pck', 'pcl', 'joblib', 'dill', 'gz', 'z', 'zlib', 'bz2', 'xz', 'lz4'],
  ...['pt', 'pth', 'ckpt', 'bin', 'p', 'sav', 'npy', 'npz', 'model', 'mar', 'pt2'],
]);

/**
 * A necessary condition for STRONG_NAME, MODEL_NAME or LFS_NAME, by string tests: the everyday
 * .py or .yaml path is settled without compiling those three patterns on every commit.
 */
export function mayHavePickleName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.startsWith('pytorch_model')) return true;
  const parts = name.split('.');
  const last = parts.length > 1 ? parts[parts.length - 1]! : null;
  const before = parts.length > 2 ? parts[parts.length - 2]! : null;
  return [last, before].some((ext) => ext !== null && (NAME_EXTENSIONS.has(ext) || ext.startsWith('pkl')));
}

/** The name patterns mayHavePickleName stands in front of (for its test). */
export const PICKLE_NAME_PATTERNS = [STRONG_NAME, MODEL_NAME, LFS_NAME] as const;
// Line 1 of a text file that could be a protocol 0 pickle (or a protocol 2+ one git took as text).
const TEXT_PICKLE_START = /^(?:\((?:dp|lp|tp|i|c|S'|V|I\d)|c[A-Za-z_][\w.]*$|i[A-Za-z_][\w.]*$|[SV]'|N\.|\uFFFD|\x80)/;
/** Enough for a tar header (its magic is at byte 257). */
const SNIFF_BYTES = 512;
const TAIL_BYTES = 64 * 1024;
const QUICK_BYTES = 64 * 1024;

/** gzip, tar (ustar magic), 7z or rar: an archive whose members are judged by content. */
function looksLikeArchive(h: Buffer): boolean {
  if (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b) return true;
  if (h.length >= 262 && h.toString('latin1', 257, 262) === 'ustar') return true;
  if (h.length >= 6 && h.toString('latin1', 0, 6) === '7z\xbc\xaf\x27\x1c') return true;
  return h.length >= 6 && h.toString('latin1', 0, 6) === 'Rar!\x1a\x07';
}

function introduces(change: FileChange): boolean {
  if (change.status === 'D' || change.newMode === '120000' || change.newMode === '160000') return false;
  return change.status !== 'M' || change.binary || change.addedLines.length > 0;
}

function describe(found: FoundPickle, ctx: RuleContext): { message: string; details: string[]; severity: 'block' | 'warn'; globals: string[] } {
  const scan = found.scan;
  const globals = scan?.globals ?? [];
  const dangerous: string[] = [];
  const { isDangerous } = dangerousCheck;
  for (const g of globals) if (isDangerous(g)) dangerous.push(g);
  const parts: string[] = [];
  if (!scan) parts.push(`content could not be inspected (${found.note ?? 'unreadable'})`);
  else {
    parts.push(`protocol ${scan.protocol}`);
    parts.push(globals.length > 0 ? `imports ${globals.slice(0, 12).join(', ')}${globals.length > 12 ? ` (+${globals.length - 12} more)` : ''}` : 'imports no globals');
    if (dangerous.length > 0) parts.push(`DANGEROUS: ${dangerous.slice(0, 8).join(', ')}`);
    if (scan.pickles > 1) parts.push(`${scan.pickles} pickles back to back, all read`);
    if (scan.error) parts.push(`malformed pickle (${scan.error}), still blocked`);
    else if (scan.truncated) parts.push(`truncated pickle${found.note ? ` (${found.note})` : ''}; globals beyond that point are not listed`);
    else if (found.note) parts.push(found.note);
  }
  const allow = sectionOf(ctx.config, pickleSection).allowGlobals;
  const clean = scan !== null && !scan.error && !scan.truncated && dangerous.length === 0;
  const severity = allow !== null && clean && globals.every((g) => globalAllowed(g, allow)) ? 'warn' : 'block';
  if (severity === 'warn') parts.push('every global is in [pickle] allow-globals');
  const overridden = allow === null ? [] : dangerous.flatMap((g) => {
    const entry = allowEntryFor(g, allow);
    return entry === undefined ? [] : [`${g} (allow-globals "${entry}")`];
  });
  if (overridden.length > 0) parts.push(`blocked although allowed: a dangerous global overrides allow-globals: ${overridden.slice(0, 4).join(', ')}`);
  else if (severity === 'block' && clean) {
    const missing = allow === null ? globals : globals.filter((g) => !globalAllowed(g, allow));
    if (missing.length > 0) parts.push(`${missing.slice(0, 4).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in [pickle] allow-globals; to let it through, list them under [pickle] allow-globals (a warning) or its path under exclude`);
    else parts.push('no global is known dangerous; to let it through, set [pickle] allow-globals (a pickle of plain data passes with any list, even empty, as a warning) or list its path under exclude');
  }
  return { message: parts.join('; '), details: globals.slice(0, 100).map((g) => (isDangerous(g) ? `${g} (dangerous)` : g)), severity, globals };
}

// Filled when the inspector is loaded, so the everyday commit does not pay for it.
const dangerousCheck: { isDangerous: (g: string) => boolean } = { isDangerous: () => false };

/** Pickle files, by content: raw pickles, PyTorch zips, NumPy object arrays, LFS pointers. */
export const pickleFileDetector: Detector = {
  name: 'pickle-files',
  rules: [RAW, ARCHIVE, NUMPY, LFS, LIMIT, UNOPENED],
  appliesTo(change) {
    if (!introduces(change)) return false;
    if (change.binary || (mayHavePickleName(change.path) && (STRONG_NAME.test(change.path) || MODEL_NAME.test(change.path) || LFS_NAME.test(change.path)))) return true;
    const first = change.addedLines[0];
    if (first === undefined || first.number !== 1) return false;
    // The head of a long line that came in windows (not its whole text, made on first read): a
    // `$` branch may then match where the whole line would not, which only lets the scan decide.
    const head = lineHead(first);
    return TEXT_PICKLE_START_CHARS.has(head.charCodeAt(0)) && TEXT_PICKLE_START.test(head);
  },
  async scan(change, ctx) {
    const strongName = STRONG_NAME.test(change.path);
    const modelName = strongName || MODEL_NAME.test(change.path);
    if (!change.binary && LFS_NAME.test(change.path)) {
      const first = change.addedLines[0];
      if (first && first.number === 1 && LFS_POINTER.test(first.text)) {
        return [{ rule: LFS, line: null, message: `${LFS.title}: the name says pickle; its content is stored outside git and could not be inspected`, key: 'lfs' }];
      }
    }
    const sniff = await change.loadContent({ headBytes: SNIFF_BYTES });
    if (!sniff) return [];
    const h = sniff.head;
    const zip = h.length >= 4 && h.readUInt32LE(0) === 0x04034b50;
    if (!modelName) {
      const { looksLikePickleStart } = await import('./parser.ts');
      const npy = h.length >= 6 && h[0] === 0x93 && h.toString('latin1', 1, 6) === 'NUMPY';
      if (!zip && !npy && !looksLikePickleStart(h) && !looksLikeArchive(h)) return [];
    }
    const maxBytes = ctx.config.limits.maxFileBytes;
    const { inspect, settledEarly } = await import('./inspect.ts');
    const { isDangerousGlobal } = await import('./dangerous.ts');
    dangerousCheck.isDangerous = isDangerousGlobal;
    const options = { strongName, maxBytes, cut: sniff.size > maxBytes, name: change.path };
    let result: Inspection | null = null;
    if (!zip && sniff.size > QUICK_BYTES && QUICK_BYTES < maxBytes) {
      // A raw pickle is judged from its first bytes when its opcodes run past max-file-bytes anyway
      // (a 50 MB BINBYTES8 payload): reading up to the limit could not change the answer.
      const quick = await change.loadContent({ headBytes: QUICK_BYTES });
      if (!quick) return [];
      const early = inspect({ size: quick.size, head: quick.head, tail: null }, options);
      if (settledEarly(early, Math.min(quick.size, maxBytes))) result = early;
    }
    if (!result) {
      // Only a zip's directory lives at the end: the tail of anything else is never looked at, and
      // asking for it would stream the whole blob.
      const content = sniff.complete ? sniff : await change.loadContent({ headBytes: maxBytes, tailBytes: zip ? TAIL_BYTES : 0 });
      if (!content) return [];
      result = inspect({ size: content.size, head: content.head, tail: content.tail }, options);
    }
    const findings: RawFinding[] = [];
    for (const text of result.limits) {
      findings.push({ rule: LIMIT, line: null, message: `${LIMIT.title.replace(/ is being committed$/, '')}: ${text}; gitward stopped there, still blocked`, key: `${LIMIT.id}:${text}` });
    }
    for (const u of result.unopened) {
      findings.push({ rule: UNOPENED, line: null, message: `${UNOPENED.title.replace(/ is being committed$/, '')}: ${u.where ? `${u.where} is ` : ''}${u.what}; gitward could not look inside, so a pickle in it is not checked`, key: `${UNOPENED.id}:${u.where}`, severity: 'warn' });
    }
    for (const found of result.pickles) {
      const d = describe(found, ctx);
      const ruleMeta = found.descr !== undefined ? NUMPY : found.container === 'zip' || found.container === 'tar' ? ARCHIVE : RAW;
      const what = found.descr !== undefined ? `NumPy object array (dtype ${found.descr})${found.where ? ` in ${found.where}` : ''}` : found.where ? `pickle ${found.where} in the archive` : found.container === 'compressed' ? 'compressed pickle' : 'pickle';
      findings.push({ rule: ruleMeta, line: null, message: `${ruleMeta.title} — ${what}: ${d.message}`, key: `${ruleMeta.id}:${found.where}:${d.globals.join(',')}`, details: d.details, severity: d.severity });
    }
    if (findings.length === 0 && result.note && strongName) {
      findings.push({ rule: RAW, line: null, message: `${RAW.title} — ${result.note}; still blocked`, key: 'unreadable' });
    }
    return findings;
  },
};
