import type { BlobReadOptions, FileChange } from '../../engine/types.ts';
import type { RuleContext } from '../types.ts';
import { isNotebook, mayHoldUnsafeCall, oldContentKnownClean, wordsInLines } from './module-words.ts';

/**
 * The read the deserialization detector makes, for the read-ahead (Detector.prefetch): the whole
 * new content of a changed Python file, as imports anywhere in it decide what a call means. A new
 * text file is left out: its patch holds all of it, and the detector settles nearly all of those
 * from the added lines without reading the blob.
 */
export function deserializationPrefetch(change: FileChange, ctx: RuleContext): BlobReadOptions | null {
  if (change.status === 'A' && !change.binary) return null;
  // A new version of a blob known clean, with clean added lines, is cleared without its blob.
  if (oldContentKnownClean(change, ctx.config) && !mayHoldUnsafeCall(wordsInLines(change.addedLines), isNotebook(change.path))) return null;
  return {};
}
