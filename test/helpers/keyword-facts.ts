import { KeywordScanner } from '../../src/rules/secrets/keyword-scan.ts';
import { PROVIDERS } from '../../src/rules/secrets/providers/index.ts';
import { FLAG_SETS, HINT_ENDS } from '../../src/rules/secrets/detector.ts';

/** Each provider row's keywords: the secrets rule's keyword groups. */
export const GROUPS = PROVIDERS.map((p) => p.keywords);

/** A keyword scanner of the built-in table, of its own (each test compares two). */
export function builtInScanner(): KeywordScanner {
  return new KeywordScanner(GROUPS, FLAG_SETS, HINT_ENDS);
}

/** What a keyword scan leaves: its groups, flags, word ends and overflow. */
export interface KeywordFacts {
  groups: number[];
  flags: number;
  ends: number[];
  overflow: boolean;
}

/** The facts of the scanner's last scan. */
export function factsOf(scanner: KeywordScanner): KeywordFacts {
  return { groups: [...scanner.groups.subarray(0, scanner.groupCount)], flags: scanner.flags, ends: [...scanner.ends.subarray(0, scanner.endCount)], overflow: scanner.endsOverflow };
}
