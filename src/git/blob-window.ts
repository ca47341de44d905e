import type { BlobContent } from '../engine/types.ts';

/**
 * Collects the part of a blob a caller asked for while its bytes stream past: the first
 * `headBytes` and, when the blob is larger than that, the last `tailBytes`. Each kept byte is
 * copied once into a buffer of its final size, so a 200 MB blob costs no more than what is kept.
 */
export class BlobWindow {
  private readonly head: Buffer;
  private readonly tail: Buffer | null;
  private readonly tailStart: number;
  private received = 0;

  constructor(
    readonly size: number,
    private readonly headBytes: number,
    tailBytes: number,
  ) {
    this.head = Buffer.allocUnsafe(Math.min(size, headBytes));
    const wantsTail = tailBytes > 0 && size > headBytes;
    const tailLength = wantsTail ? Math.min(tailBytes, size) : 0;
    this.tail = wantsTail ? Buffer.allocUnsafe(tailLength) : null;
    this.tailStart = size - tailLength;
  }

  /** Bytes still to read before the result is known (the rest of the blob can be skipped). */
  get needed(): number {
    const end = this.tail ? this.size : this.head.length;
    return Math.max(0, end - this.received);
  }

  /** Takes the next bytes of the blob's body (never more than `size` in all). */
  push(body: Buffer): void {
    const offset = this.received;
    const end = offset + body.length;
    if (offset < this.head.length) body.copy(this.head, offset, 0, Math.min(body.length, this.head.length - offset));
    if (this.tail && end > this.tailStart) {
      const from = Math.max(0, this.tailStart - offset);
      body.copy(this.tail, offset + from - this.tailStart, from);
    }
    this.received = end;
  }

  result(): BlobContent {
    const complete = this.size <= this.headBytes;
    return { size: this.size, head: this.head, tail: complete ? null : this.tail, complete };
  }
}

/**
 * The part of an already held blob that a new request asks for, or null when what is held does
 * not cover it (a longer head, a tail that was not kept).
 */
export function narrow(held: BlobContent, headBytes: number, tailBytes: number): BlobContent | null {
  const { size } = held;
  if (held.complete) {
    if (size <= headBytes) return held;
    const tail = tailBytes > 0 ? held.head.subarray(size - Math.min(tailBytes, size)) : null;
    return { size, head: held.head.subarray(0, headBytes), tail, complete: false };
  }
  if (size <= headBytes || headBytes > held.head.length) return null;
  let tail: Buffer | null = null;
  if (tailBytes > 0) {
    const want = Math.min(tailBytes, size);
    if (!held.tail || held.tail.length < want) return null;
    tail = held.tail.subarray(held.tail.length - want);
  }
  return { size, head: held.head.subarray(0, headBytes), tail, complete: false };
}
