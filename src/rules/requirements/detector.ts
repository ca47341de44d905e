import { earlierPartsEnd, PerFile } from '../../engine/parts.ts';
import type { FileChange, RawFinding } from '../../engine/types.ts';
import type { GitwardConfig } from '../../config/types.ts';
import { sectionOf } from '../../config/section.ts';
import type { Detector, RuleContext } from '../types.ts';
import { isRequirementsFile, requirementsSection } from './config.ts';
import type { Entry } from './req-file.ts';
import { REQUIREMENT_RULES } from './rules.ts';

/** Requirements and constraints files: unpinned, unhashed, risky and look-alike requirements the change touches. */
export const requirementsDetector: Detector = {
  name: 'requirements',
  rules: REQUIREMENT_RULES,
  appliesTo: (change, ctx) =>
    change.status !== 'D' && change.addedLines.length > 0 && change.newMode !== '120000' && change.newMode !== '160000' && isRequirementsFile(change.path, ctx.config),
  readsNewText: (path, config) => isRequirementsFile(path, config),
  // scan reads the whole new text of every change it is given (readAndParse): read ahead, the scan
  // loop does not wait a round trip to git for each (a push's requirements files, version by version).
  prefetch: (change) => (change.newText !== undefined ? null : {}),
  async scan(change: FileChange, ctx: RuleContext): Promise<RawFinding[]> {
    const [parsed, { judgeRequirements }, { lookAlikeOf }, { bundledTopPackages }] = await Promise.all([
      parsedFile(change, ctx.config),
      import('./judge.ts'),
      import('./look-alike.ts'),
      import('./ranking-index.ts'),
    ]);
    if (!parsed) return [];
    if (!parsed.complete) {
      ctx.notice(`${change.path}: larger than max-file-bytes, requirements not checked`);
      return [];
    }
    const config = sectionOf(ctx.config, requirementsSection);
    const added = addedLineSet(change.addedLines);
    const before = earlierPartsEnd(change);
    const top = config.lookAlike ? bundledTopPackages() : null;
    if (config.lookAlike && !top) ctx.notice('look-alike requirement check skipped: the bundled data/pypi-top-packages.tsv was not found');
    const knownNames = config.knownNames.map((n) => n.toLowerCase().replace(/[-_.]+/g, '-'));
    return judgeRequirements(parsed.entries, {
      touched(start, end) {
        if (start <= before) return false;
        return added.firstIn(start, end) !== -1;
      },
      firstAdded(start, end) {
        const n = added.firstIn(start, end);
        return n === -1 ? start : n;
      },
      lookAlike: (name) => (top ? lookAlikeOf(name, top, knownNames) : null),
    });
  },
};

interface ParsedFile {
  /** False when the file is larger than max-file-bytes (then not parsed). */
  readonly complete: boolean;
  readonly entries: readonly Entry[];
}

/**
 * The parts of a large file (FilePart: one change per 256 KiB of added text) are each judged
 * against the whole file: it is read and parsed once, for its first part, not once per part
 * (which made the cost grow with the square of the file's size).
 */
const parsedParts = new PerFile<Promise<ParsedFile | null>>();

function parsedFile(change: FileChange, config: GitwardConfig): Promise<ParsedFile | null> {
  if (!change.part || change.newBlob === null) return readAndParse(change);
  return parsedParts.of(change.newBlob, config, () => readAndParse(change));
}

async function readAndParse(change: FileChange): Promise<ParsedFile | null> {
  // A new file's text made from its lines (git/new-file-text.ts): the blob's, without reading it.
  if (change.newText !== undefined) return { complete: true, entries: (await import('./req-file.ts')).parseRequirementsFile(change.newText) };
  const [content, { parseRequirementsFile }] = await Promise.all([change.loadContent(), import('./req-file.ts')]);
  if (!content) return null;
  if (!content.complete) return { complete: false, entries: [] };
  return { complete: true, entries: parseRequirementsFile(content.head.toString('utf8')) };
}

/** The added lines' numbers, asked for the first in a range. */
interface AddedLineSet {
  /** The first added line in [start, end], or -1. */
  firstIn(start: number, end: number): number;
}

/**
 * One byte per line between the first and last added line (a new file's 11,659 lines made a Set
 * of as many numbers and an iterator result per line, all of it young garbage the scavenges
 * copied); a Set when the lines are few and far apart.
 */
function addedLineSet(lines: FileChange['addedLines']): AddedLineSet {
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < lines.length; k++) {
    const n = lines[k]!.number;
    if (n < first) first = n;
    if (n > last) last = n;
  }
  // An entry outside [first, last] is not touched: a part of a large file holds a few of its entries.
  if (lines.length === 0) return { firstIn: () => -1 };
  if (last - first < 4 * lines.length + 1024) {
    const bits = new Uint8Array(last - first + 1);
    for (let k = 0; k < lines.length; k++) bits[lines[k]!.number - first] = 1;
    return {
      firstIn(start, end) {
        for (let n = Math.max(start, first), to = Math.min(end, last); n <= to; n++) if (bits[n - first] === 1) return n;
        return -1;
      },
    };
  }
  const set = new Set<number>();
  for (let k = 0; k < lines.length; k++) set.add(lines[k]!.number);
  return {
    firstIn(start, end) {
      for (let n = Math.max(start, first), to = Math.min(end, last); n <= to; n++) if (set.has(n)) return n;
      return -1;
    },
  };
}
