import { earlierPartsEnd } from '../../engine/parts.ts';
import type { FileChange, RawFinding } from '../../engine/types.ts';
import { sectionOf } from '../../config/section.ts';
import type { Detector, RuleContext } from '../types.ts';
import { isRequirementsFile, requirementsSection } from './config.ts';
import { REQUIREMENT_RULES } from './rules.ts';

/** Requirements and constraints files: unpinned, unhashed, risky and look-alike requirements the change touches. */
export const requirementsDetector: Detector = {
  name: 'requirements',
  rules: REQUIREMENT_RULES,
  appliesTo: (change, ctx) =>
    change.status !== 'D' && change.addedLines.length > 0 && change.newMode !== '120000' && change.newMode !== '160000' && isRequirementsFile(change.path, ctx.config),
  async scan(change: FileChange, ctx: RuleContext): Promise<RawFinding[]> {
    const content = await change.loadContent();
    if (!content) return [];
    if (!content.complete) {
      ctx.notice(`${change.path}: larger than max-file-bytes, requirements not checked`);
      return [];
    }
    const [{ parseRequirementsFile }, { judgeRequirements }, { bundledTopPackages, lookAlikeOf }] = await Promise.all([
      import('./req-file.ts'),
      import('./judge.ts'),
      import('./look-alike.ts'),
    ]);
    const config = sectionOf(ctx.config, requirementsSection);
    const added = new Set(change.addedLines.map((l) => l.number));
    const before = earlierPartsEnd(change);
    const top = config.lookAlike ? bundledTopPackages() : null;
    if (config.lookAlike && !top) ctx.notice('look-alike requirement check skipped: the bundled data/pypi-top-packages.tsv was not found');
    const knownNames = config.knownNames.map((n) => n.toLowerCase().replace(/[-_.]+/g, '-'));
    return judgeRequirements(parseRequirementsFile(content.head.toString('utf8')), {
      touched(start, end) {
        if (start <= before) return false;
        for (let n = start; n <= end; n++) if (added.has(n)) return true;
        return false;
      },
      firstAdded(start, end) {
        for (let n = start; n <= end; n++) if (added.has(n)) return n;
        return start;
      },
      lookAlike: (name) => (top ? lookAlikeOf(name, top, knownNames) : null),
    });
  },
};
