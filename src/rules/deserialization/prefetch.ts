import type { BlobReadOptions, FileChange } from '../../engine/types.ts';
import type { RuleContext } from '../types.ts';
import { isNotebook, mayHoldUnsafeCall, wordsWithoutReading } from './module-words.ts';

/**
 * The read the deserialization detector makes, for the read-ahead (Detector.prefetch): the whole
 * new content of a changed Python file, as imports anywhere in it decide what a call means. A new
 * text file is left out: its patch holds all of it, and the detector settles nearly all of those
 * from the added lines without reading the blob. What the patch tells of the new content is
 * remembered here already (see wordsWithoutReading).
 */
export function deserializationPrefetch(change: FileChange, ctx: RuleContext): BlobReadOptions | null {
  const words = wordsWithoutReading(change, ctx.config);
  if ((change.status === 'A' && !change.binary) || change.addedLines.length === 0) return null;
  // A new version of a blob known clean, with clean added lines, is cleared without its blob.
  return words !== null && !mayHoldUnsafeCall(words, isNotebook(change.path)) ? null : {};
}
