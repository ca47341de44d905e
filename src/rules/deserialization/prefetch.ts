import type { BlobReadOptions, FileChange } from '../../engine/types.ts';

/**
 * The read the deserialization detector makes, for the read-ahead (Detector.prefetch): the whole
 * new content of a changed Python file, as imports anywhere in it decide what a call means. A new
 * text file is left out: its patch holds all of it, and the detector settles nearly all of those
 * from the added lines without reading the blob.
 */
export function deserializationPrefetch(change: FileChange): BlobReadOptions | null {
  return change.status === 'A' && !change.binary ? null : {};
}
