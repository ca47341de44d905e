import type { GitwardConfig } from '../../config/types.ts';
import { read, sectionOf, type ConfigSection } from '../../config/section.ts';
import { lowerCaseName } from '../../engine/file-names.ts';
import { globMatcher } from '../../engine/globs.ts';

export interface RequirementsConfig {
  /** Path globs of pip requirements and constraints files. */
  files: string[];
  /** Warn about names that imitate a popular PyPI project (see look-alike.ts). */
  lookAlike: boolean;
  /** Normalized names never reported as look-alikes (your own internal packages). */
  knownNames: string[];
}

export const DEFAULT_REQUIREMENT_FILES = [
  '**/requirements*.txt',
  '**/*requirements.txt',
  '**/requirements/*.txt',
  '**/constraints*.txt',
];

/**
 * DEFAULT_REQUIREMENT_FILES as one regex (same matches as picomatch with dot and nocase). Each of its
 * names ends with `.txt`, tested first: most commits never compile it (src/engine/file-names.ts).
 */
export const DEFAULT_FILES_PATTERN = /(?:^|\/)(?:requirements[^/]*\.txt|[^/]*requirements\.txt|requirements\/[^/]*\.txt|constraints[^/]*\.txt)$/i;

export const requirementsSection: ConfigSection<RequirementsConfig> = {
  name: 'requirements',
  defaults: () => ({ files: [...DEFAULT_REQUIREMENT_FILES], lookAlike: true, knownNames: [] }),
  parse(table, fail) {
    read.onlyKeys(table, ['files', 'look-alike', 'known-names'], '[requirements]', fail);
    const config = requirementsSection.defaults();
    if (table.files !== undefined) config.files = read.strings(table.files, 'requirements.files', fail);
    if (table['look-alike'] !== undefined) config.lookAlike = read.bool(table['look-alike'], 'requirements.look-alike', fail);
    if (table['known-names'] !== undefined) config.knownNames = read.strings(table['known-names'], 'requirements.known-names', fail);
    return config;
  },
};

// One compiled matcher per config object: appliesTo runs for every changed file.
const matchers = new WeakMap<GitwardConfig, (path: string) => boolean>();

export function isRequirementsFile(path: string, config: GitwardConfig): boolean {
  let match = matchers.get(config);
  if (!match) {
    const files = sectionOf(config, requirementsSection).files;
    const isDefault = files.length === DEFAULT_REQUIREMENT_FILES.length && files.every((f, i) => f === DEFAULT_REQUIREMENT_FILES[i]);
    // Compiling globs costs ~5 ms on every commit; the defaults have this exact regex equivalent.
    match = isDefault ? (p: string) => lowerCaseName(p).endsWith('.txt') && DEFAULT_FILES_PATTERN.test(p) : globMatcher(files, { dot: true, nocase: true });
    matchers.set(config, match);
  }
  return match(path);
}
