import type { RuleMeta } from '../engine/types.ts';
import type { Detector, RuleName } from './types.ts';
import { secretDetector } from './secrets/detector.ts';
import { fileDetector } from './files/detector.ts';
import { requirementsDetector } from './requirements/detector.ts';
import { pythonVersionDetector } from './python-version/detector.ts';
import { pickleFileDetector } from './pickle/detector.ts';
import { deserializationDetector } from './deserialization/detector.ts';

/**
 * Every detector, in the order findings are reported. A new category adds one line here.
 */
export const DETECTORS: readonly Detector[] = [fileDetector, secretDetector, requirementsDetector, pythonVersionDetector, pickleFileDetector, deserializationDetector];

export function allRules(): RuleMeta[] {
  return DETECTORS.flatMap((d) => d.rules);
}

/** Every rule's id and category, for checking the names a config gives (rules/names.ts). */
export function allRuleNames(): RuleName[] {
  return DETECTORS.flatMap((d) => d.ruleNames ?? d.rules);
}

export function findRule(id: string): RuleMeta | undefined {
  return allRules().find((r) => r.id === id);
}
