/**
 * Bytes arriving in chunks, decoded as UTF-8 a whole chunk at a time and taken out as text up to
 * an ASCII delimiter. Decoding is cut only after an ASCII byte, which is never part of a multi-byte
 * sequence nor swallowed by an invalid one, so the text of every piece is exactly what decoding
 * that piece's bytes alone would give (invalid bytes become U+FFFD the same way). Pieces are kept
 * as a list, so a 10 MB line arriving in 64 KB chunks is joined once, not once per chunk.
 */
import { isAscii } from 'node:buffer';
import { pieceScanner, windowPrescan } from '../engine/prescans.ts';
import { scratch } from '../engine/scratch.ts';
import { WindowRuns } from './window-runs.ts';

/** A line waiting for its end past this many characters is held as bytes (see TextQueue.raw). */
export const RAW_LINE_CHARS = 1 << 20;
/** Pieces whose lines are shorter than this are not scanned for keywords (see longLines). */
const MIN_SCANNED_LINE = 128;
/** How many lines from a piece's middle on longLines measures. */
const SAMPLED_LINES = 4;
/**
 * Pieces are scanned once this many bytes of long lines came one after another: the scan and the
 * replay run cold at first (interpreted, then baseline code), and a few pieces of a minified file
 * among 400 files of code cost more that way than they saved.
 */
const SCAN_AFTER = 512 * 1024;

/** A held line's text cut into windows as its bytes come (see TextQueue.windowHeldLine). */
interface Windowing {
  /** Bytes before the text (a patch line's prefix). */
  readonly skip: number;
  readonly size: number;
  readonly step: number;
  readonly texts: string[];
  /** Window k's scan made as its bytes came (see WindowRuns), where one was. */
  readonly scans: (object | undefined)[];
  /** Where the next window starts in the text. */
  next: number;
  /** Bytes of the held line so far. */
  bytes: number;
  /** The held piece holding byte `pieceStart` on, for the next window's first byte. */
  piece: number;
  pieceStart: number;
  /** Some byte so far is a NUL (one native search of each chunk as it comes). */
  nul: boolean;
}

/** A held line whose end came, its text in windows. */
export interface WindowedText {
  texts: string[];
  scans: (object | undefined)[];
  /** The text's length (bytes, all ASCII), the prefix and a trailing CR left out. */
  length: number;
  cr: boolean;
  /** Some of its bytes are NULs (seen as they came). */
  nul: boolean;
}

export class TextQueue {
  /** @param rawLineChars see RAW_LINE_CHARS (smaller in tests) */
  constructor(private readonly rawLineChars = RAW_LINE_CHARS) {}

  private pieces: string[] = [];
  /**
   * Per piece, its keyword events (engine/line-keywords.ts) when its bytes were scanned as they
   * came (an ASCII chunk, while a scan runs), else null. Kept in step with `pieces`.
   */
  private scans: (Int32Array | null)[] = [];
  /** Bytes of the pieces of long lines (see longLines) that came one after another, up to the last. */
  private longRun = 0;
  /** Offset into pieces[0] of the first unread character. */
  private offset = 0;
  /** Pieces before this index are known not to hold the delimiter being looked for. */
  private searchedPieces = 0;
  private searchedFor = '';
  /** Trailing bytes of the last chunk after its last ASCII byte (an incomplete character, usually none). */
  private undecoded: Buffer | null = null;
  /**
   * A line longer than RAW_LINE_CHARS that has not ended yet: its bytes so far, kept as they came
   * (the decoded text before them re-encoded once), to be decoded once when its delimiter comes.
   * Decoded piece by piece, a 10 MB line's pieces were copied by every young-generation collection
   * while it lasted, then joined into a copy of their own.
   */
  private raw: Buffer[] | null = null;
  /** The byte that ends the line held in `raw`. */
  private rawDelimiter = 0;
  /** What windowHeldLine asked of the line held in `raw`, while it holds only ASCII. */
  private windowing: Windowing | null = null;
  /** The held line cut into windows, once its end came: for takeWindowedLine. */
  private windowed: WindowedText | null = null;
  /** The windows' prescans, fed the held line's bytes while it is being windowed (see WindowRuns). */
  private runs: WindowRuns | null = null;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.raw !== null) {
      const at = chunk.indexOf(this.rawDelimiter);
      if (at === -1) {
        this.raw.push(chunk);
        this.windowMore(chunk);
        return;
      }
      this.raw.push(chunk.subarray(0, at + 1));
      this.windowMore(chunk.subarray(0, at));
      if (!this.finishWindows()) {
        // The line ends in this chunk: decoded whole with its delimiter (an ASCII byte), so that the
        // line is the first piece's text up to its last character, cut without a copy.
        this.addPiece(this.decode(Buffer.concat(this.raw)), null);
      }
      this.raw = null;
      chunk = chunk.subarray(at + 1);
      if (chunk.length === 0) return;
    }
    let bytes = chunk;
    if (this.undecoded !== null) {
      bytes = Buffer.concat([this.undecoded, chunk]);
      this.undecoded = null;
    }
    let cut = bytes.length;
    while (cut > 0 && bytes[cut - 1]! >= 0x80) cut--;
    if (cut < bytes.length) this.undecoded = Buffer.from(bytes.subarray(cut));
    if (cut > 0) {
      const clean = !this.nonAscii;
      const text = this.decode(bytes, cut);
      this.addPiece(text, this.scanOf(bytes, cut, clean && !this.nonAscii));
    }
  }

  /** A chunk's bytes [0, end) scanned for keywords (see `scans`), when a scan runs and they are ASCII (`ascii`: known to be). */
  private scanOf(bytes: Buffer, end: number, ascii: boolean): Int32Array | null {
    const scanner = pieceScanner();
    if (scanner === null) return null;
    const piece = end === bytes.length ? bytes : bytes.subarray(0, end);
    this.longRun = longLines(piece) ? this.longRun + end : 0;
    return this.longRun > SCAN_AFTER && (ascii || isAscii(piece)) ? scanner.scan(piece) : null;
  }

  private addPiece(text: string, scan: Int32Array | null): void {
    this.pieces.push(text);
    this.scans.push(scan);
  }

  /**
   * The events of the head piece (see `scans`), for a line's text at `start` in it, whole there: null
   * when the piece was not scanned, or when the text does not begin where the automaton is at its
   * start (after a newline or a `+`, which no keyword holds, or at the piece's first character).
   */
  headEvents(start: number): Int32Array | null {
    const events = this.scans[0] ?? null;
    if (events === null || start === 0) return events;
    const before = this.pieces[0]!.charCodeAt(start - 1);
    return before === 0x0a || before === 0x2b ? events : null;
  }

  /**
   * Some text taken (or still to take) was decoded from bytes past 0x7f. While false, every line
   * the queue gave is ASCII: the windows of a held line are cut only from ASCII bytes, and all
   * other text is decoded here, one native check a chunk.
   */
  get sawNonAscii(): boolean {
    return this.nonAscii;
  }

  private nonAscii = false;

  /** bytes[0 … end) decoded, noting a byte past 0x7f (see sawNonAscii). */
  private decode(bytes: Buffer, end = bytes.length): string {
    if (!this.nonAscii && !isAscii(end === bytes.length ? bytes : bytes.subarray(0, end))) this.nonAscii = true;
    return bytes.toString('utf8', 0, end);
  }

  /** End of input: whatever bytes were held back are decoded as they are. */
  finish(): void {
    if (this.raw !== null && this.finishWindows()) this.raw = null;
    this.decodeRaw();
    if (this.undecoded === null) return;
    this.addPiece(this.decode(this.undecoded), null);
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
    if (this.raw !== null) {
      // A long line held as bytes holds no delimiter of its own kind; another is searched in its text.
      if (delimiter.charCodeAt(0) === this.rawDelimiter && delimiter.length === 1) return null;
      this.decodeRaw();
    }
    const found = this.search(delimiter);
    if (found === null && delimiter.length === 1 && delimiter.charCodeAt(0) < 0x80) this.holdLongLine(delimiter.charCodeAt(0));
    return found;
  }

  /**
   * After a search for a one-byte delimiter found none: when what waits is longer than
   * RAW_LINE_CHARS, it goes on as bytes (see `raw`). Its text is re-encoded once; decoding that
   * gives the same text (a U+FFFD that stood for invalid bytes comes back as U+FFFD).
   */
  private holdLongLine(delimiter: number): void {
    let waiting = -this.offset;
    for (const piece of this.pieces) waiting += piece.length;
    if (waiting < this.rawLineChars) return;
    this.raw = [this.encodeWaiting()];
    if (this.undecoded !== null) this.raw.push(this.undecoded);
    this.undecoded = null;
    this.rawDelimiter = delimiter;
    this.pieces = [];
    this.scans = [];
    this.offset = 0;
    this.searchedPieces = 0;
  }

  /**
   * The text waiting in the pieces, encoded as UTF-8 into one buffer piece by piece: joined into one
   * string first, the text cost a 1 MiB string of fresh memory and a copy more (see engine/scratch.ts).
   * A piece never ends inside a character (push cuts after an ASCII byte), so each encodes alone.
   */
  private encodeWaiting(): Buffer {
    const texts = this.offset === 0 ? this.pieces : [this.pieces[0]!.slice(this.offset), ...this.pieces.slice(1)];
    let bytes = 0;
    for (const text of texts) bytes += Buffer.byteLength(text, 'utf8');
    const out = Buffer.allocUnsafeSlow(bytes);
    let at = 0;
    for (const text of texts) at += out.write(text, at, 'utf8');
    return out;
  }

  /** Whether a line longer than the threshold is being held as bytes (see `raw`). */
  get holdsLongLine(): boolean {
    return this.raw !== null;
  }

  /** The first `count` bytes of the held line, as latin1 (a patch line's prefix). */
  heldLineStart(count: number): string {
    if (this.raw === null) return '';
    const first = this.raw[0]!;
    return (first.length >= count ? first : Buffer.concat(this.raw)).toString('latin1', 0, count);
  }

  /**
   * Asks that the held line's text (after `skip` prefix bytes) be cut into the windows of `size`
   * characters `step` apart that engine/limits.ts's windowedLines would cut it into, each decoded
   * as soon as its bytes and one more came: the 10 MB line of a minified file is decoded while git
   * still prints it, and never joined into one string unless a rule reads its whole text. Only a
   * line of ASCII bytes is cut so (its characters are its bytes); at its first other byte the line
   * goes on as before (decoded whole at its end). A line no longer than `size` is decoded whole.
   * The line, once ended, is taken with takeWindowedLine (and not by takeUntil).
   */
  windowHeldLine(skip: number, size: number, step: number): void {
    if (this.raw === null || this.windowing !== null || !this.raw.every((bytes) => isAscii(bytes))) return;
    const start = windowPrescan();
    this.runs = start === null ? null : new WindowRuns(start, size, step);
    let bytes = 0;
    let nul = false;
    for (const piece of this.raw) {
      this.feedRuns(piece, bytes, skip);
      bytes += piece.length;
      nul ||= piece.includes(0);
    }
    this.windowing = { skip, size, step, texts: [], scans: [], next: 0, bytes, piece: 0, pieceStart: 0, nul };
    this.cutWindows();
  }

  /** The held line in windows, once its end came (see windowHeldLine); null otherwise. */
  takeWindowedLine(): WindowedText | null {
    const line = this.windowed;
    this.windowed = null;
    return line;
  }

  /** More bytes of the held line (already in `raw`): the windows now complete are cut. */
  private windowMore(bytes: Buffer): void {
    const w = this.windowing;
    if (w === null) return;
    if (!isAscii(bytes)) {
      this.windowing = null;
      this.runs = null;
      return;
    }
    this.feedRuns(bytes, w.bytes, w.skip);
    w.bytes += bytes.length;
    w.nul ||= bytes.includes(0);
    this.cutWindows();
  }

  /** The windows' prescans fed the held line's bytes from `at` on (its `skip` prefix bytes left out). */
  private feedRuns(bytes: Buffer, at: number, skip: number): void {
    if (this.runs === null) return;
    const text = at >= skip ? bytes : bytes.subarray(Math.min(bytes.length, skip - at));
    if (text.length > 0) this.runs.feed(text);
  }

  /**
   * Cuts the next windows that cannot be the text's last: those ending before the least length the
   * text can have (its bytes so far, the prefix and a last byte that may be a CR the text leaves
   * out). The last window, which ends where the text does, is cut once the line's end came.
   */
  private cutWindows(): void {
    const w = this.windowing!;
    const least = w.bytes - w.skip - 1;
    while (w.next + w.size < least) {
      const text = this.heldText(w.skip + w.next, w.skip + w.next + w.size);
      w.texts.push(text);
      w.scans.push(this.runs?.cut(w.next, text));
      w.next += w.step;
    }
  }

  /**
   * The held line has ended (at its `w.bytes` bytes): its last windows are cut and it waits for
   * takeWindowedLine. False when it is not being windowed or is no longer than one window: it is
   * then decoded whole, as any held line.
   */
  private finishWindows(): boolean {
    const w = this.windowing;
    const runs = this.runs;
    this.windowing = null;
    this.runs = null;
    if (w === null) return false;
    let end = w.bytes;
    const cr = end > w.skip && this.heldByte(end - 1, w) === 0x0d;
    if (cr) end--;
    const length = end - w.skip;
    if (length <= w.size) return false;
    for (let start = w.next; start < length; start += w.step) {
      const text = this.heldText(w.skip + start, w.skip + Math.min(start + w.size, length), w);
      w.texts.push(text);
      // (A last window cut short has no scan: cut() checks that it took the whole window and no more.)
      w.scans.push(runs?.cut(start, text));
      if (start + w.size >= length) break;
    }
    this.windowed = { texts: w.texts, scans: w.scans, length, cr, nul: w.nul };
    return true;
  }

  /** Byte `at` of the held line. */
  private heldByte(at: number, w: Windowing): number {
    let start = w.pieceStart;
    for (let i = w.piece; i < this.raw!.length; i++) {
      const piece = this.raw![i]!;
      if (at < start + piece.length) return piece[at - start]!;
      start += piece.length;
    }
    return -1;
  }

  /** The held line's bytes [from, to) as text (ASCII: latin1 decodes them as UTF-8 would). */
  private heldText(from: number, to: number, w: Windowing = this.windowing!): string {
    const raw = this.raw!;
    // Windows start further on each time: the first piece holding `from` is looked for from the last one.
    while (w.pieceStart + raw[w.piece]!.length <= from) w.pieceStart += raw[w.piece++]!.length;
    const first = raw[w.piece]!;
    if (to - w.pieceStart <= first.length) return first.toString('latin1', from - w.pieceStart, to - w.pieceStart);
    // Put together in the shared scratch buffer (fresh memory is slow to touch; see engine/scratch.ts),
    // asked for twice the window: the keyword scan's UTF-16 copy of it then fits in what this touched.
    const joint = scratch(2 * (to - from));
    let filled = 0;
    let start = w.pieceStart;
    for (let i = w.piece; filled < to - from; i++) {
      const piece = raw[i]!;
      const a = Math.max(from, start) - start;
      const b = Math.min(to, start + piece.length) - start;
      filled += piece.copy(joint, filled, a, b);
      start += piece.length;
    }
    return joint.toString('latin1', 0, filled);
  }

  /** The held long line's bytes, decoded as one piece (the end of input, or a search for another delimiter). */
  private decodeRaw(): void {
    this.windowing = null;
    this.runs = null;
    if (this.raw === null) return;
    const bytes = Buffer.concat(this.raw);
    this.raw = null;
    // Its end may be an incomplete character that the next chunk completes: held back as push() does.
    let cut = bytes.length;
    while (cut > 0 && bytes[cut - 1]! >= 0x80) cut--;
    if (cut < bytes.length) this.undecoded = Buffer.from(bytes.subarray(cut));
    if (cut > 0) this.addPiece(this.decode(bytes, cut), null);
  }

  private search(delimiter: string): string | null {
    if (this.searchedFor !== delimiter) {
      this.searchedFor = delimiter;
      this.searchedPieces = 0;
    }
    for (let i = this.searchedPieces; i < this.pieces.length; i++) {
      const from = i === 0 ? this.offset : 0;
      const at = this.pieces[i]!.indexOf(delimiter, from);
      if (at !== -1) return this.cut(i, at, delimiter.length);
      if (delimiter.length > 1) {
        const spanning = this.takeSpanning(i, from, delimiter);
        if (spanning !== undefined) return spanning;
      }
      this.searchedPieces = i + 1;
    }
    return null;
  }

  /**
   * A delimiter of several characters may begin near the end of piece `i` and end in the pieces
   * after it. Their joint is searched (the end of piece i and the next few characters); a match
   * merges the pieces it spans into one and is cut there. null: the delimiter may still be
   * completed by text yet to come; undefined: piece i holds no start of one.
   */
  private takeSpanning(i: number, from: number, delimiter: string): string | null | undefined {
    const need = delimiter.length - 1;
    const piece = this.pieces[i]!;
    let next = '';
    let k = i + 1;
    while (k < this.pieces.length && next.length < need) next += this.pieces[k++]!;
    const start = Math.max(from, piece.length - need);
    const joint = piece.slice(start) + next.slice(0, need);
    const at = joint.indexOf(delimiter);
    if (at !== -1) {
      this.pieces.splice(i, k - i, this.pieces.slice(i, k).join(''));
      this.scans.splice(i, k - i, null);
      return this.cut(i, start + at, delimiter.length);
    }
    if (next.length < need) {
      // The pieces after i are all in the joint: what follows may complete a delimiter begun here.
      this.searchedPieces = i;
      return null;
    }
    return undefined;
  }

  /** Whatever is left (end of stream). */
  takeRest(): string {
    this.finish();
    if (this.pieces.length === 0) return '';
    const parts = this.pieces.map((p, i) => (i === 0 ? p.slice(this.offset) : p));
    this.pieces = [];
    this.scans = [];
    this.offset = 0;
    this.searchedPieces = 0;
    return parts.length === 1 ? parts[0]! : parts.join('');
  }

  private cut(index: number, at: number, length: number): string {
    let result: string;
    if (index === 0) {
      result = this.pieces[0]!.slice(this.offset, at);
    } else {
      const parts = [this.pieces[0]!.slice(this.offset)];
      for (let i = 1; i < index; i++) parts.push(this.pieces[i]!);
      parts.push(this.pieces[index]!.slice(0, at));
      result = parts.join('');
      this.pieces.splice(0, index);
      this.scans.splice(0, index);
    }
    // After the splice the delimiter is in the first piece, at the same place.
    this.consumeHeadThrough(at + length - 1);
    return result;
  }

  private dropFirst(): void {
    this.pieces.shift();
    this.scans.shift();
    this.offset = 0;
    this.searchedPieces = Math.max(0, this.searchedPieces - 1);
  }
}

/**
 * Whether a piece's lines are long enough to be scanned for keywords as it comes: the first
 * SAMPLED_LINES whole lines after its middle (the line the middle falls in is cut) are
 * MIN_SCANNED_LINE characters long or more on average. A short line's scan from its events saves
 * less than the work around it costs (code, ~35 characters a line: the 400-file commit took ~6 ms
 * more with every piece scanned than with these limits; NDJSON's 310-character records ~14 ms
 * less than with none; docs/performance.md, round 16).
 */
function longLines(piece: Buffer): boolean {
  const first = piece.indexOf(0x0a, piece.length >> 1);
  if (first === -1) return true;
  let at = first + 1;
  for (let k = 0; k < SAMPLED_LINES; k++) {
    at = piece.indexOf(0x0a, at);
    if (at === -1) return true;
    at++;
  }
  return at - (first + 1) >= SAMPLED_LINES * MIN_SCANNED_LINE;
}
