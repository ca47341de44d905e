import type { GitwardConfig } from '../config/types.ts';
import type { BlobReadOptions, FileChange, RawFinding, RuleMeta } from '../engine/types.ts';
import type { Prescans } from '../engine/prescans.ts';

export interface RuleContext {
  readonly config: GitwardConfig;
  /** Notices for people (a file skipped, a line too long): shown, never blocking. */
  notice(message: string): void;
}

/** What names a rule: all that `[rules]` and `gitward rules NAME` select by (rules/names.ts). */
export type RuleName = Pick<RuleMeta, 'id' | 'category' | 'allowWords'>;
/**
 * A detector owns one or more rules and turns a FileChange into findings. Pure: its only I/O is
 * the change's own loader.
 */
export interface Detector {
  readonly name: string;
  readonly rules: readonly RuleMeta[];
  /** The rules' names alone, where making `rules` costs more (the secrets table); `rules` otherwise. */
  readonly ruleNames?: readonly RuleName[];
  /** Also run on commit and tag messages (changes with a `location`); only the secret rules do. */
  readonly messages?: boolean;
  /**
   * Optional, for a detector that judges a file's content by its path (a Python file, a
   * requirements file): whether it judges files at this path. A rename from a path it does not
   * judge into one it does hands it every line of the file, not only the lines the diff adds
   * (engine/moved-in.ts). Must be cheap.
   */
  judgesPath?(path: string, config: GitwardConfig): boolean;
  /** Cheap test on the path/status; detectors that do not apply are never called. */
  appliesTo(change: FileChange, ctx: RuleContext): boolean;
  scan(change: FileChange, ctx: RuleContext): RawFinding[] | Promise<RawFinding[]>;
  /**
   * Optional, for a detector that reads blobs: "scan will likely call `change.loadContent(options)`"
   * (null: it will not). Asked only when appliesTo is true, before the change is scanned, so that
   * the read is already under way (engine/read-ahead.ts). A hint: a wrong answer costs time, never
   * a different result. Must be cheap and must not call ctx.notice.
   */
  prefetch?(change: FileChange, ctx: RuleContext): BlobReadOptions | null;
  /**
   * Optional: "scan reads the whole text of a new file at this path" (it takes FileChange.newText
   * when there is one, else reads the blob), so that a source which holds every line of a new file
   * may give it (git/new-file-text.ts). Must be cheap.
   */
  readsNewText?(path: string, config: GitwardConfig): boolean;
  /**
   * What git's readers may do for this detector while they read, for this config (see
   * engine/prescans.ts): the detector's scan then takes their results.
   */
  prescans?(config: GitwardConfig): Prescans;
}

/** Generic "how to allow" text used when a rule has no special advice. */
export function defaultAllowText(ruleId: string): string {
  return (
    `Add a comment \`gitward:allow ${ruleId}\` on the line, or list the path under \`exclude\`, ` +
    `the value under \`allow-values\`, or set \`rules."${ruleId}" = "warn"\` (or "off") in .gitward.toml.`
  );
}
