import { earlierPartsEnd, PerFile, sortedAddedNumbers } from '../../engine/parts.ts';
import { firstWithin } from '../../engine/sorted.ts';
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
  judgesPath: (path, config) => isRequirementsFile(path, config),
  appliesTo: (change, ctx) =>
    change.status !== 'D' && change.addedLines.length > 0 && change.newMode !== '120000' && change.newMode !== '160000' && isRequirementsFile(change.path, ctx.config),
  readsNewText: (path, config) => isRequirementsFile(path, config),
  // scan reads the whole new text of every change it is given (readAndParse): read ahead, the scan
  // loop does not wait a round trip to git for each (a push's requirements files, version by version).
  prefetch: (change) => (change.newText !== undefined ? null : {}),
  async scan(change: FileChange, ctx: RuleContext): Promise<RawFinding[]> {
    const config = sectionOf(ctx.config, requirementsSection);
    // Asked first: the ranking file is read on node's thread pool while the file is parsed here.
    const ranking = config.lookAlike ? import('./ranking-index.ts').then((m) => m.bundledTopPackagesAhead()) : null;
    // Awaited only when the file is judged (as before, a damaged ranking fails only such a scan): never an unhandled rejection.
    ranking?.catch(() => undefined);
    const [parsed, { judgeRequirements, normalizeName }, { lookAlikeOf }] = await Promise.all([parsedFile(change, ctx.config), import('./judge.ts'), import('./look-alike.ts')]);
    if (!parsed) return [];
    if (!parsed.complete) {
      ctx.notice(`${change.path}: larger than max-file-bytes, requirements not checked`);
      return [];
    }
    const added = sortedAddedNumbers(change);
    const before = earlierPartsEnd(change);
    const top = ranking === null ? null : await ranking;
    if (config.lookAlike && !top) ctx.notice('look-alike requirement check skipped: the bundled data/pypi-top-packages.tsv was not found');
    const knownNames = config.knownNames.map(normalizeName);
    return judgeRequirements(parsed.entries, {
      touched: (start, end) => start > before && firstWithin(added, start, end) !== undefined,
      firstAdded: (start, end) => firstWithin(added, start, end) ?? start,
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
