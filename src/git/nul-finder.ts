/**
 * Whether ranges of a text hold a NUL, asked for its lines in order: the next NUL is looked for
 * only once the lines have passed the last one found, so a piece's lines cost one search of the
 * piece (a native one), not one per line.
 */
export class NulFinder {
  private text: string | null = null;
  private from = 0;
  /** The first NUL of `text` at or after `from` (-1: none). */
  private at = -1;

  /** Whether text[start … end) holds a NUL. */
  holds(text: string, start: number, end: number): boolean {
    // Another text equal to the last one has its NULs where it has them: the answer holds for it
    // too. It is kept as the text, so that the next line's comparison is of one string with itself,
    // not of two equal pieces character by character.
    if (text !== this.text || start < this.from || (this.at !== -1 && this.at < start)) {
      this.from = start;
      this.at = text.indexOf('\0', start);
    }
    this.text = text;
    return this.at !== -1 && this.at < end;
  }
}
