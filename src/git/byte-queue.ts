/**
 * Bytes arriving in chunks, taken out up to a delimiter. Chunks are kept as a list, so a 10 MB
 * line arriving in 64 KB pieces is copied once, not once per piece.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Offset into chunks[0] of the first unread byte. */
  private offset = 0;
  /** Chunks before this index are known not to hold the delimiter being looked for. */
  private searchedChunks = 0;
  private searchedFor = -1;

  push(chunk: Buffer): void {
    if (chunk.length > 0) this.chunks.push(chunk);
  }

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  /** Next byte without consuming it, or -1 when nothing is buffered. */
  peek(): number {
    return this.chunks.length === 0 ? -1 : this.chunks[0][this.offset];
  }

  /** Consumes one byte. */
  skip(): void {
    this.offset++;
    if (this.offset >= this.chunks[0].length) this.dropFirst();
  }

  /** Everything up to (not including) the delimiter, consuming the delimiter; null when incomplete. */
  takeUntil(delimiter: number): Buffer | null {
    if (this.searchedFor !== delimiter) {
      this.searchedFor = delimiter;
      this.searchedChunks = 0;
    }
    for (let i = this.searchedChunks; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      const at = chunk.indexOf(delimiter, i === 0 ? this.offset : 0);
      if (at === -1) {
        this.searchedChunks = i + 1;
        continue;
      }
      return this.cut(i, at);
    }
    return null;
  }

  /** Whatever is left (end of stream). */
  takeRest(): Buffer {
    if (this.chunks.length === 0) return Buffer.alloc(0);
    const parts = this.chunks.map((c, i) => (i === 0 ? c.subarray(this.offset) : c));
    this.chunks = [];
    this.offset = 0;
    this.searchedChunks = 0;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private cut(chunkIndex: number, at: number): Buffer {
    let result: Buffer;
    if (chunkIndex === 0) {
      result = this.chunks[0].subarray(this.offset, at);
    } else {
      const parts = [this.chunks[0].subarray(this.offset)];
      for (let i = 1; i < chunkIndex; i++) parts.push(this.chunks[i]);
      parts.push(this.chunks[chunkIndex].subarray(0, at));
      result = Buffer.concat(parts);
      this.chunks.splice(0, chunkIndex);
    }
    this.offset = at + 1;
    this.searchedChunks = 0;
    if (this.offset >= this.chunks[0].length) this.dropFirst();
    return result;
  }

  private dropFirst(): void {
    this.chunks.shift();
    this.offset = 0;
    this.searchedChunks = Math.max(0, this.searchedChunks - 1);
  }
}
