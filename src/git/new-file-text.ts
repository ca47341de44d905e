import { addedTextBytes } from '../engine/limits.ts';
import type { ParsedFile } from './diff-parser.ts';

/**
 * The new files whose whole text the scan reads (a requirements file is parsed whole), and the
 * most bytes it reads of one (limits.max-file-bytes: past it the rule says so and reads nothing).
 */
export interface NewTextWanted {
  wanted(path: string): boolean;
  readonly maxBytes: number;
}

/** A file of the diff to hand out, with its whole text when it was made from its lines. */
export interface FileWithText {
  readonly file: ParsedFile;
  readonly text?: string;
}

/**
 * A new file's patch prints every line of it: its text made from those lines is the blob's bytes
 * decoded as UTF-8 (lines end at an ASCII newline, and the diff parser decodes each line as its
 * bytes alone decode), so a rule that reads the whole file needs no second git process to read
 * the blob again. The parts of such a file (a large file is handed out in parts, FilePart) are
 * held until the diff has shown the last one, then handed out together, each with the text; at
 * most `maxBytes` of lines are held (past that the parts go on as they come, without a text, and
 * the rule reads the blob as before).
 */
export class NewFileTexts {
  private held: ParsedFile[] = [];
  private heldBytes = 0;

  constructor(private readonly want: NewTextWanted) {}

  /** The next file (or part) of the diff in; the files to hand out now, in order. */
  take(file: ParsedFile): FileWithText[] {
    const out: FileWithText[] = [];
    if (this.held.length > 0) {
      if (file.raw === this.held[0]!.raw) {
        this.hold(file, out);
        return out;
      }
      // Another file: the held one has been shown whole.
      this.release(out, true);
    }
    if (!this.wantsText(file)) out.push({ file });
    else if (file.part === undefined) out.push(withText([file], this.want.maxBytes));
    else this.hold(file, out);
    return out;
  }

  /** The end of the diff: what is still held, with its text. */
  end(): FileWithText[] {
    const out: FileWithText[] = [];
    this.release(out, true);
    return out;
  }

  private wantsText(file: ParsedFile): boolean {
    return file.newFile !== undefined && !file.binary && !file.raw.combined && (file.part === undefined || file.part.index === 0) && this.want.wanted(file.raw.path);
  }

  private hold(file: ParsedFile, out: FileWithText[]): void {
    this.held.push(file);
    this.heldBytes += addedTextBytes(file.added, file.part?.carried ?? 0);
    // Too large for the rule to read whole: no text, and the file streams on as it would have.
    // (+1: addedTextBytes counts a newline after the last line too, which the file may lack;
    // withText checks the text's exact size.)
    if (this.heldBytes > this.want.maxBytes + 1) this.release(out, false);
  }

  private release(out: FileWithText[], whole: boolean): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
    const text = whole ? withText(held, this.want.maxBytes).text : undefined;
    for (const file of held) out.push(text === undefined ? { file } : { file, text });
  }
}

/**
 * The parts of one new file (in order) with the file's text, when they hold each of its lines
 * 1…N once (besides the lines a part carries over from the one before) and none came in windows;
 * without a text otherwise, or when the text is larger than `maxBytes` in UTF-8.
 */
function withText(parts: readonly ParsedFile[], maxBytes: number): FileWithText {
  const file = parts[0]!;
  const text = newFileText(parts);
  if (text === undefined || text.length > maxBytes) return { file };
  // UTF-8 takes 1 to 3 bytes per UTF-16 code unit: count the bytes only when it may matter.
  if (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes) return { file };
  return { file, text };
}

function newFileText(parts: readonly ParsedFile[]): string | undefined {
  const hunk = parts[0]!.newFile;
  if (hunk === undefined || hunk.lines < 1) return undefined;
  // Made at its size (one more for the last newline): grown by push, an 11,659-line file's array
  // was copied on every growth (340 KB of young memory for a 93 KB array).
  let count = 1;
  for (const part of parts) count += part.added.length - (part.part?.carried ?? 0);
  const lines = new Array<string>(count);
  let next = 1;
  for (const part of parts) {
    if (part.newFile !== hunk) return undefined;
    const added = part.added;
    for (let i = part.part?.carried ?? 0; i < added.length; i++) {
      const line = added[i]!;
      if (line.number !== next || line.windows !== undefined) return undefined;
      lines[next - 1] = line.cr ? `${line.text}\r` : line.text;
      next++;
    }
  }
  if (next - 1 !== hunk.lines) return undefined;
  // The last newline joined in (an empty last element), not appended: `${text}\n` is a two-part
  // string that its reader's first search (the requirements parser's) copied whole into one (800 KB).
  if (hunk.endsWithNewline) lines[next - 1] = '';
  else lines.length = next - 1;
  return lines.join('\n');
}
