import type { RuleMeta } from '../engine/types.ts';
import type { Detector } from './types.ts';
import { secretDetector } from './secrets/detector.ts';
import { fileDetector } from './files/detector.ts';

/**
 * Every detector, in the order findings are reported. A new category adds one line here.
 */
export const DETECTORS: readonly Detector[] = [fileDetector, secretDetector];

export function allRules(): RuleMeta[] {
  return DETECTORS.flatMap((d) => d.rules);
}

export function findRule(id: string): RuleMeta | undefined {
  return allRules().find((r) => r.id === id);
}
