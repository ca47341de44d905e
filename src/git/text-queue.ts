/**
 * Bytes arriving in chunks, decoded as UTF-8 a whole chunk at a time and taken out as text up to
 * an ASCII delimiter. Decoding is cut only after an ASCII byte, which is never part of a multi-byte
 * sequence nor swallowed by an invalid one, so the text of every piece is exactly what decoding
 * that piece's bytes alone would give (invalid bytes become U+FFFD the same way). Pieces are kept
 * as a list, so a 10 MB line arriving in 64 KB chunks is joined once, not once per chunk.
 */
export class TextQueue {
  private pieces: string[] = [];
  /** Offset into pieces[0] of the first unread character. */
  private offset = 0;
  /** Pieces before this index are known not to hold the delimiter being looked for. */
  private searchedPieces = 0;
  private searchedFor = '';
  /** Trailing bytes of the last chunk after its last ASCII byte (an incomplete character, usually none). */
  private undecoded: Buffer | null = null;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    let bytes = chunk;
    if (this.undecoded !== null) {
      bytes = Buffer.concat([this.undecoded, chunk]);
      this.undecoded = null;
    }
    let cut = bytes.length;
    while (cut > 0 && bytes[cut - 1]! >= 0x80) cut--;
    if (cut < bytes.length) this.undecoded = Buffer.from(bytes.subarray(cut));
    if (cut > 0) this.pieces.push(bytes.toString('utf8', 0, cut));
  }

  /** End of input: whatever bytes were held back are decoded as they are. */
  finish(): void {
    if (this.undecoded === null) return;
    this.pieces.push(this.undecoded.toString('utf8'));
    this.undecoded = null;
  }

  /** Next character code without consuming it, or -1 when nothing decoded is buffered. */
  peek(): number {
    return this.pieces.length === 0 ? -1 : this.pieces[0]!.charCodeAt(this.offset);
  }

  /** Consumes one character. */
  skip(): void {
    this.offset++;
    if (this.offset >= this.pieces[0]!.length) this.dropFirst();
  }

  /**
   * The fast path for the many short lines of a patch: where the next line ends in the first
   * decoded piece, the index of its newline in `head` (the line is head[offset … end)); -1 when it
   * runs on into the next piece (then `takeUntil` joins it). Nothing is consumed or copied.
   */
  lineEndInHead(): number {
    const head = this.pieces[0];
    return head === undefined ? -1 : head.indexOf('\n', this.offset);
  }

  /** The first decoded piece and the offset of the first unread character in it. */
  get head(): string {
    return this.pieces[0] ?? '';
  }

  get headOffset(): number {
    return this.offset;
  }

  /** Consumes the first piece up to and including index `end` (the delimiter just taken). */
  consumeHeadThrough(end: number): void {
    this.offset = end + 1;
    this.searchedPieces = 0;
    if (this.offset >= this.pieces[0]!.length) this.dropFirst();
  }

  /** Everything up to (not including) the delimiter, consuming the delimiter; null when incomplete. */
  takeUntil(delimiter: string): string | null {
    if (this.searchedFor !== delimiter) {
      this.searchedFor = delimiter;
      this.searchedPieces = 0;
    }
    for (let i = this.searchedPieces; i < this.pieces.length; i++) {
      const at = this.pieces[i]!.indexOf(delimiter, i === 0 ? this.offset : 0);
      if (at === -1) {
        this.searchedPieces = i + 1;
        continue;
      }
      return this.cut(i, at);
    }
    return null;
  }

  /** Whatever is left (end of stream). */
  takeRest(): string {
    this.finish();
    if (this.pieces.length === 0) return '';
    const parts = this.pieces.map((p, i) => (i === 0 ? p.slice(this.offset) : p));
    this.pieces = [];
    this.offset = 0;
    this.searchedPieces = 0;
    return parts.length === 1 ? parts[0]! : parts.join('');
  }

  private cut(index: number, at: number): string {
    let result: string;
    if (index === 0) {
      result = this.pieces[0]!.slice(this.offset, at);
    } else {
      const parts = [this.pieces[0]!.slice(this.offset)];
      for (let i = 1; i < index; i++) parts.push(this.pieces[i]!);
      parts.push(this.pieces[index]!.slice(0, at));
      result = parts.join('');
      this.pieces.splice(0, index);
    }
    this.consumeHeadThrough(at);
    return result;
  }

  private dropFirst(): void {
    this.pieces.shift();
    this.offset = 0;
    this.searchedPieces = Math.max(0, this.searchedPieces - 1);
  }
}
