import { CARRIED_LINES } from '../engine/parts.ts';
import { DEFAULT_LIMITS } from '../config/types.ts';
import { lineLength, windowedLine, windowStep } from '../engine/limits.ts';
import { recordLineFacts } from '../engine/line-facts.ts';
import { LineKeywords } from '../engine/line-keywords.ts';
import { pieceScanner } from '../engine/prescans.ts';
import type { AddedLine, ChangeStatus, CommitInfo, FilePart } from '../engine/types.ts';
import { NulFinder } from './nul-finder.ts';
import { headerPath } from './quoted-path.ts';
import { TextQueue } from './text-queue.ts';

/**
 * Incremental parser of `git diff|log --raw -p -z` output.
 *
 * Paths come from the NUL-separated raw records (exact bytes, never quoted). A two-way patch
 * section is paired with the next record in order (git prints one for every record), so the quoted
 * `diff --git` header is never parsed. A merge's dense combined diff (`--cc`) prints no section for a
 * file whose every hunk is one parent's lines taken as they were: its `diff --cc <path>` header is
 * paired with its record by path, and the records it passes over are handed out with no added line
 * (such a file adds nothing against every parent). Added lines are recognised by the hunk's line
 * prefixes; the `@@` header gives the new line numbers. Commit headers (log mode) start with \x01
 * and end with \x02.
 */

export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  status: ChangeStatus;
  score: number | null;
  /** A merge's combined diff (one old id per parent; oldBlob is the first parent's). */
  combined: boolean;
  /** A combined diff's old ids of the parents after the first. */
  otherParentBlobs?: string[];
  path: string;
  oldPath: string | null;
}

export interface ParsedFile {
  raw: RawEntry;
  binary: boolean;
  added: AddedLine[];
  /** Any hunk at all (a mode-only change has none). */
  hasPatch: boolean;
  /** A two-way diff's hunk headers (see FileChange.hunks). */
  hunks?: number[];
  /** Set on every part of a file whose added lines were handed out in parts (see PART_CHARS). */
  part?: FilePart;
  /**
   * A merge's added lines whose number may be short (see DiffParser.hunkText): how many lines each
   * may lie further on, at most. placeCombinedLines settles them against the new blob.
   */
  slack?: Map<AddedLine, number>;
  /** What the reading of the file could not do as it should, said when it is scanned (FileChange.notice). */
  notice?: string;
  /**
   * A new file's one hunk (`@@ -0,0 +1,N @@`), shared by all its parts: with every line 1…N among
   * the added lines it is the whole file (git/new-file-text.ts). Set for a two-way record that adds
   * the file; made unusable (lines -1) by a second hunk.
   */
  newFile?: NewFileHunk;
}

export interface NewFileHunk {
  /** N: the lines the hunk says the new file has; -1 when the patch was not one such hunk. */
  lines: number;
  /** False once git printed "\ No newline at end of file" after the last line. */
  endsWithNewline: boolean;
}

/**
 * Past this many added characters a file's lines are handed out as a part (see FilePart) and the
 * next part begins, so a 20 MB file is scanned while git is still printing it, never held whole.
 */
export const PART_CHARS = 256 * 1024;
export { CARRIED_LINES };
const CARRIED_LINE_CHARS = 4096;
/**
 * An added line held as bytes (text-queue.ts) is cut into the windows the scan cuts it into at the
 * default limits.max-line-length, as it comes (TextQueue.windowHeldLine); under another limit the
 * scan cuts the line's text itself.
 */
const WINDOW_SIZE = DEFAULT_LIMITS.maxLineLength;
const WINDOW_STEP = windowStep(WINDOW_SIZE);

export type DiffEvent =
  /** `message`: the commit's raw message, when the log's format prints it after the fields. */
  | { kind: 'commit'; commit: CommitInfo; message?: string }
  | { kind: 'file'; file: ParsedFile; commit: CommitInfo | null }
  | { kind: 'end-commit'; commit: CommitInfo };

const NUL = 0;
const LF = 10;
const START_COMMIT = 1;
const COLON = 58;

const HUNK = /^(@{2,}) -(\d+)(?:,(\d+))? (?:-\d+(?:,\d+)? )*\+(\d+)(?:,(\d+))? @{2,}/;

type State = 'between' | 'raw-path' | 'raw-path2' | 'patch';

export class DiffParser {
  private readonly queue = new TextQueue();
  private state: State = 'between';
  private pendingRaw: RawEntry[] = [];
  private partialRaw: RawEntry | null = null;
  private current: ParsedFile | null = null;
  private commit: CommitInfo | null = null;
  private inHunk = false;
  private prefixWidth = 1;
  private nextLine = 0;
  /** Added characters in the current part of the current file. */
  private partChars = 0;
  private partIndex = 0;
  /** The two-way record of a type change whose first section (the old side's deletion) was read. */
  private typeChangeSecondHalf: RawEntry | null = null;
  /** Lines of the current combined hunk that git may have left out before the next line (see hunkText). */
  private hunkSlack = 0;
  /** Removed lines of the current hunk since its last printed result line. */
  private removedRun = 0;
  /** The current file is a merge's, paired by a path another record of the merge also decodes to. */
  private pairedByAmbiguousPath = false;
  private readonly events: DiffEvent[] = [];
  /** The current file's added lines so far, as engine/line-facts.ts records them (kept as lines are added, see setCurrent). */
  private linesBytes = 0;
  private carriedBytes = 0;
  private longest = 0;
  /** The number the next line has when the lines so far are 1, 2, 3, …; 0 once they are not. */
  private nextNumber = 1;
  /** An added line of the current file (or part) may hold a NUL (engine/nul-text.ts): false while none does. */
  private mayHoldNul = false;
  private readonly nuls = new NulFinder();
  /** Every line from here on is an added line, with no prefix (see addEveryLine). */
  private everyLineAdded = false;
  /** The current file's added lines' keyword events, once one line had them (engine/line-keywords.ts). */
  private keywords: LineKeywords | null = null;

  /** @param headerEnd what ends a commit header: a log printing messages uses one no message can hold. */
  constructor(private readonly headerEnd = '\x02') {}

  /** Feeds a chunk; returns the events it completed. */
  push(chunk: Buffer): DiffEvent[] {
    this.queue.push(chunk);
    this.takeWindowedLine();
    this.drain(false);
    return this.events.splice(0);
  }

  /**
   * From here on every line is an added line of the current file as it is, with no prefix and no
   * line of any other kind: the body of a new file read from its blob (git/new-file-blob.ts), after
   * its record and its hunk header were pushed. Each line is taken as it would be from the patch
   * git prints of the file, where a `+` stands before it. False when no hunk is open.
   */
  addEveryLine(): boolean {
    if (!this.inHunk || !this.current || this.prefixWidth !== 1) return false;
    this.everyLineAdded = true;
    this.prefixWidth = 0;
    // Its hunk header's count was not git's: no whole text is made from these lines (NewFileTexts).
    if (this.current.newFile) this.current.newFile.lines = -1;
    return true;
  }

  /** End of stream: flushes what is left. */
  end(): DiffEvent[] {
    this.queue.finish();
    this.takeWindowedLine();
    this.drain(true);
    this.finishCommit();
    return this.events.splice(0);
  }

  private drain(final: boolean): void {
    for (;;) {
      const next = this.queue.peek();
      if (next === -1) return;
      if (this.state === 'raw-path' || this.state === 'raw-path2') {
        const path = this.queue.takeUntil('\0');
        if (path === null) return;
        this.takeRawPath(detached(path));
        continue;
      }
      // Hunk lines start with + - space or backslash, so \x01 at a line start is always a commit header
      // (a file's own line, once every line is added, may start with anything).
      if (next === START_COMMIT && !this.everyLineAdded) {
        const header = this.queue.takeUntil(this.headerEnd);
        if (header === null) return;
        this.finishCommit();
        this.startCommit(detached(header.slice(1)));
        this.state = 'between';
        continue;
      }
      if (this.state === 'between') {
        if (next === NUL || next === LF) {
          this.queue.skip();
          continue;
        }
        if (next === COLON) {
          const meta = this.queue.takeUntil('\0');
          if (meta === null) return;
          this.startRaw(detached(meta));
          continue;
        }
        this.state = 'patch';
      }
      if (this.inHunk && this.hunkLineInHead()) continue;
      let line = this.queue.takeUntil('\n');
      if (line === null) {
        if (this.inHunk && this.queue.holdsLongLine) this.windowLongLine();
        if (!final) return;
        line = this.queue.takeRest();
      }
      this.patchLine(line);
    }
  }

  private startCommit(header: string): void {
    // Five fields; after a fifth NUL, the raw message (which may hold NULs of its own).
    let cut = -1;
    for (let n = 0; n < 5 && (cut = header.indexOf('\0', cut + 1)) !== -1; n++);
    const fields = cut === -1 ? header : header.slice(0, cut);
    const [id = '', parents = '', authorName = '', authorEmail = '', subject = ''] = fields.split('\0');
    this.commit = { id, parents: parents ? parents.split(' ') : [], authorName, authorEmail, subject };
    this.events.push(cut === -1 ? { kind: 'commit', commit: this.commit } : { kind: 'commit', commit: this.commit, message: header.slice(cut + 1) });
  }

  private finishCommit(): void {
    this.finishFile();
    this.passOver(this.pendingRaw.length);
    this.typeChangeSecondHalf = null;
    if (this.commit) this.events.push({ kind: 'end-commit', commit: this.commit });
    this.commit = null;
  }

  private startRaw(meta: string): void {
    // ":100644 100644 <old> <new> M". A merge's combined record has one colon, one mode and one id
    // per parent before the result's, one status letter per parent, and one path (the result's).
    let colons = 1;
    while (meta.charCodeAt(colons) === COLON) colons++;
    const fields = meta.slice(colons).split(' ');
    const statusField = fields[fields.length - 1];
    // Indexed loops: filter's callbacks (and a regular expression literal made at each call) cost
    // an allocation per field of every record of a long history.
    const ids: string[] = [];
    const modes: string[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (OBJECT_ID.test(field)) ids.push(field);
      else if (MODE.test(field)) modes.push(field);
    }
    const status = (statusField[0] ?? 'X') as ChangeStatus;
    const combined = ids.length > 2;
    const score = !combined && statusField.length > 1 ? Number(statusField.slice(1)) : null;
    this.partialRaw = {
      oldMode: modes[0] ?? '000000',
      newMode: modes[modes.length - 1] ?? '000000',
      oldBlob: ids[0] ?? '',
      newBlob: ids[ids.length - 1] ?? '',
      status,
      score,
      combined,
      ...(combined ? { otherParentBlobs: ids.slice(1, -1) } : {}),
      path: '',
      oldPath: null,
    };
    this.state = 'raw-path';
  }

  private takeRawPath(path: string): void {
    const raw = this.partialRaw!;
    // A combined record names the result's path alone, renamed against a parent or not.
    if (this.state === 'raw-path' && !raw.combined && (raw.status === 'R' || raw.status === 'C')) {
      raw.oldPath = path;
      this.state = 'raw-path2';
      return;
    }
    raw.path = path;
    this.pendingRaw.push(raw);
    this.partialRaw = null;
    this.state = 'between';
  }

  /** A merge's `diff --cc <path>`: its record, after the records of the merge's files printed with no patch. */
  private startCombinedFile(path: string): void {
    this.finishFile();
    // A path the list does not hold (never seen from git) takes the next record, as a two-way
    // patch does: its lines are still scanned. The parser never throws on any bytes (fuzz tests).
    this.passOver(Math.max(0, this.pendingRaw.findIndex((raw) => raw.path === path)));
    const raw = this.pendingRaw.shift();
    if (!raw) return;
    // Paths with bytes that are not UTF-8 may decode alike: the `index` line's result id decides.
    this.pairedByAmbiguousPath = path.includes('\uFFFD') && this.pendingRaw.some((other) => other.path === path);
    this.setCurrent(fileOf(raw));
  }

  /** Hands out the first `count` waiting records as files with no patch (nothing added, or nothing against every parent). */
  private passOver(count: number): void {
    for (let i = 0; i < count; i++) this.emit(fileOf(this.pendingRaw.shift()!));
  }

  /** `index <parent ids>..<result id>` of a file paired by an ambiguous path: moves on to the record holding that result. */
  private checkCombinedIndex(line: string): void {
    this.pairedByAmbiguousPath = false;
    const current = this.current!;
    const result = line.slice(line.lastIndexOf('..') + 2).trim();
    if (current.raw.newBlob === result) return;
    const at = this.pendingRaw.findIndex((raw) => raw.path === current.raw.path && raw.newBlob === result);
    if (at === -1) return;
    this.emit(current);
    this.passOver(at);
    this.setCurrent(fileOf(this.pendingRaw.shift()!));
  }

  private patchLine(line: string): void {
    if (this.everyLineAdded) {
      this.noteNul(line);
      this.hunkText(line, 0, line.length);
      return;
    }
    const first = line.charCodeAt(0);
    if (this.inHunk) {
      if (first === 0x2b /* + */ || first === 0x2d /* - */ || first === 0x20 || first === 0x5c /* \ */) {
        this.hunkLine(line);
        return;
      }
      this.inHunk = false;
    }
    if (first === 0x40 /* @ */) {
      const match = HUNK.exec(line.length > 200 ? line.slice(0, 200) : line);
      if (match && this.current) {
        this.prefixWidth = match[1].length - 1;
        this.nextLine = Number(match[4]);
        // A two-way diff's hunks, for what the old content's lines became (FileChange.hunks).
        if (match[1].length === 2) (this.current.hunks ??= []).push(Number(match[2]), match[3] === undefined ? 1 : Number(match[3]), Number(match[4]), match[5] === undefined ? 1 : Number(match[5]));
        this.hunkSlack = 0;
        this.removedRun = 0;
        this.inHunk = true;
        this.noteNewFileHunk(this.current, match[1].length, match[5]);
        this.current.hasPatch = true;
        return;
      }
    }
    if (first === 0x64 /* d */) {
      if (startsWith(line, 'diff --git ')) {
        // A type change (symlink or submodule to file, or back) is one record but two sections:
        // the old side deleted, then the new side created. The second goes on the same file, which
        // is handed out once (its binary mark is the new side's).
        if (this.typeChangeSecondHalf && this.current?.raw === this.typeChangeSecondHalf) {
          this.typeChangeSecondHalf = null;
          this.inHunk = false;
          this.current.binary = false;
          return;
        }
        this.finishFile();
        const raw = this.pendingRaw.shift();
        this.typeChangeSecondHalf = raw && changesType(raw) ? raw : null;
        this.setCurrent(raw ? fileOf(raw) : null);
        return;
      }
      if (startsWith(line, 'diff --cc ')) return this.startCombinedFile(headerPath(line.slice(10)));
      if (startsWith(line, 'diff --combined ')) return this.startCombinedFile(headerPath(line.slice(16)));
    }
    if (first === 0x69 /* i */ && this.pairedByAmbiguousPath && startsWith(line, 'index ')) {
      this.checkCombinedIndex(line);
      return;
    }
    if (first === 0x42 /* B */ && startsWith(line, 'Binary files ') && this.current) {
      this.current.binary = true;
      return;
    }
    if (first === 0x2a /* * */ && startsWith(line, '* Unmerged path ')) {
      this.finishFile();
      this.pendingRaw.shift();
    }
    // Anything else is an extended header line (index, mode, rename, ---/+++): nothing to keep.
  }

  /**
   * A hunk line read in place from the queue's first piece: only the added text is sliced out (a
   * removed or context line costs no string at all). False when the line is not whole in that piece
   * or is not a +, - or context line; then the general path takes it.
   */
  private hunkLineInHead(): boolean {
    const queue = this.queue;
    const end = queue.lineEndInHead();
    if (end < 0) return false;
    const head = queue.head;
    const start = queue.headOffset;
    const first = head.charCodeAt(start);
    if (first !== 0x2b /* + */ && first !== 0x2d /* - */ && first !== 0x20 && !this.everyLineAdded) return false;
    // The head piece's keyword events for an added line's text, asked before the line is consumed:
    // consuming its last line drops the piece, and the head is then the next piece.
    const added = first === 0x2b || this.everyLineAdded;
    const events = added ? queue.headEvents(start + this.prefixWidth) : null;
    if (added && !this.mayHoldNul && this.nuls.holds(head, start, end)) this.mayHoldNul = true;
    queue.consumeHeadThrough(end);
    this.hunkText(head, start, end, events);
    return true;
  }

  /** A new file's hunk header (see ParsedFile.newFile): its line count, or unusable when it is not the first hunk. */
  private noteNewFileHunk(file: ParsedFile, ats: number, count: string | undefined): void {
    if (file.hasPatch) {
      if (file.newFile) file.newFile.lines = -1;
      return;
    }
    const raw = file.raw;
    if (ats === 2 && raw.status === 'A' && raw.oldMode === '000000' && !raw.combined) {
      file.newFile = { lines: count === undefined ? 1 : Number(count), endsWithNewline: true };
    }
  }

  private hunkLine(line: string): void {
    if (line.charCodeAt(0) === 0x5c) {
      // "\ No newline at end of file": in a new file's patch it follows the last line.
      if (this.current?.newFile) this.current.newFile.endsWithNewline = false;
      return;
    }
    this.noteNul(line);
    this.hunkText(line, 0, line.length);
  }

  /**
   * A line the general path took (one cut by a chunk's end, the last one, a long one decoded whole:
   * few) may hold a NUL: see mayHoldNul. The fast path asks its NulFinder instead.
   */
  private noteNul(line: string): void {
    if (!this.mayHoldNul && line.includes('\0')) this.mayHoldNul = true;
  }

  /**
   * The hunk line text[start … end): counts it and keeps it when every parent's column says added.
   * `events`: the keyword events of the queue's piece `text` is, when it was scanned (see noteKeywords).
   */
  private hunkText(text: string, start: number, end: number, events: Int32Array | null = null): void {
    const width = this.prefixWidth;
    let removed = false;
    let allPlus = end - start >= width;
    for (let i = start; i < start + width && i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2d) removed = true;
      if (c !== 0x2b) allPlus = false;
    }
    if (removed) {
      this.removedRun++;
      return;
    }
    // A combined diff with no context (-U0) prints removed lines before the result line they stand
    // at, and leaves that line out when it is in every parent: the hunk header counts it, nothing
    // shows it. Each removed line may end such a group, so after n removed lines the next line may
    // lie up to n further on than counted.
    const number = this.resultLineNumber();
    // Combined diffs: only lines new against every parent are what the merge itself introduced.
    if (!allPlus || !this.current) return;
    let textEnd = end;
    let cr = false;
    if (textEnd > start + width && text.charCodeAt(textEnd - 1) === 0x0d) {
      textEnd--;
      cr = true;
    }
    const added = text.slice(start + width, textEnd);
    // Its keyword events, when it is whole in a piece the queue scanned (engine/line-keywords.ts).
    if (events !== null) this.noteKeywords(events, start + width, added.length, cr);
    this.addLine(cr ? { number, text: added, cr } : { number, text: added }, added.length);
  }

  /**
   * The line about to be added is the text at `start` of a piece whose keyword events are `events`:
   * it goes in a run of them. (Noted before addLine, which may hand out the part it ends.)
   */
  private noteKeywords(events: Int32Array, start: number, length: number, cr: boolean): void {
    const keywords = (this.keywords ??= this.newKeywords());
    keywords?.add(this.current!.added.length, events, start, length, cr, this.prefixWidth);
  }

  /** The number of the hunk's next result line, the removed lines before it counted as slack (see hunkText). */
  private resultLineNumber(): number {
    if (this.removedRun > 0) {
      if (this.prefixWidth > 1) this.hunkSlack += this.removedRun;
      this.removedRun = 0;
    }
    return this.nextLine++;
  }

  private addLine(line: AddedLine, length: number): void {
    const file = this.current!;
    file.added.push(line);
    this.linesBytes += length + 1;
    if (length > this.longest) this.longest = length;
    if (this.nextNumber !== 0) this.nextNumber = line.number === this.nextNumber ? this.nextNumber + 1 : 0;
    if (this.hunkSlack > 0) (file.slack ??= new Map()).set(line, this.hunkSlack);
    this.partChars += length + 1;
    if (this.partChars >= PART_CHARS) this.emitPart();
  }

  /** The current file's first line with keyword events: its list of them, by the scanner that found them (null: none runs). */
  private newKeywords(): LineKeywords | null {
    const scanner = pieceScanner();
    return scanner === null ? null : new LineKeywords(scanner);
  }

  /**
   * A hunk line the queue holds as bytes (longer than its threshold): when it is an added line of
   * the current file (every prefix column a +), the queue cuts it into windows as it comes.
   */
  private windowLongLine(): void {
    const width = this.prefixWidth;
    if (this.current && this.queue.heldLineStart(width) === '+'.repeat(width)) this.queue.windowHeldLine(width, WINDOW_SIZE, WINDOW_STEP);
  }

  /** The long added line the queue cut into windows, once it ended: taken as hunkText takes an added line. */
  private takeWindowedLine(): void {
    const windowed = this.queue.takeWindowedLine();
    if (windowed === null) return;
    const number = this.resultLineNumber();
    if (!this.current) return;
    if (windowed.nul) this.mayHoldNul = true;
    const windows = { size: WINDOW_SIZE, step: WINDOW_STEP, length: windowed.length, texts: windowed.texts, scans: windowed.scans };
    this.addLine(windowedLine(number, windows, windowed.cr), windowed.length);
  }

  /** Hands out the current file's lines so far as one part and goes on with the next. */
  private emitPart(): void {
    const file = this.current!;
    const first = file.part?.first ?? file.added[0];
    this.emit({ ...file, part: { index: this.partIndex, carried: file.part?.carried ?? 0, first } });
    // Short lines only: a 10 MB minified line is scanned once, not again in the next part.
    const carried: AddedLine[] = [];
    for (let i = file.added.length - 1; i >= 0 && carried.length < CARRIED_LINES && lineLength(file.added[i]!) <= CARRIED_LINE_CHARS; i--) {
      carried.unshift(file.added[i]!);
    }
    this.partIndex++;
    this.partChars = 0;
    this.setCurrent({ raw: file.raw, binary: false, added: carried, hasPatch: true, part: { index: this.partIndex, carried: carried.length, first }, ...(file.slack ? { slack: file.slack } : {}), ...(file.newFile ? { newFile: file.newFile } : {}) });
  }

  private finishFile(): void {
    this.inHunk = false;
    this.removedRun = 0;
    this.pairedByAmbiguousPath = false;
    // A last part holding only lines the part before had is nothing new.
    if (this.current && !(this.current.part && this.current.added.length === this.current.part.carried)) this.emit(this.current);
    this.setCurrent(null);
    this.partChars = 0;
    this.partIndex = 0;
  }

  private emit(file: ParsedFile): void {
    // The current file's list is complete once handed out (a part's too: the next part is a new list).
    if (file.added === this.current?.added && file.added.length > 0) {
      recordLineFacts(file.added, {
        bytes: this.linesBytes,
        carried: file.part?.carried ?? 0,
        carriedBytes: this.carriedBytes,
        longest: this.longest,
        numberedFromOne: this.nextNumber !== 0,
        // Until the queue decodes a byte past 0x7f every line is ASCII: one native check a chunk, no pass a line.
        ascii: !this.queue.sawNonAscii,
        nulFree: !this.mayHoldNul,
        keywords: this.keywords ?? undefined,
      });
    }
    this.events.push({ kind: 'file', file, commit: this.commit });
  }

  /** The file whose added lines come next (null: none), its line facts started from the lines it carries over. */
  private setCurrent(file: ParsedFile | null): void {
    this.current = file;
    this.keywords = null;
    this.linesBytes = 0;
    this.longest = 0;
    this.nextNumber = 1;
    this.mayHoldNul = false;
    for (const line of file?.added ?? []) {
      const length = lineLength(line);
      // (Carried lines are short: their text is made already.)
      if (line.text.includes('\0')) this.mayHoldNul = true;
      this.linesBytes += length + 1;
      if (length > this.longest) this.longest = length;
      if (this.nextNumber !== 0) this.nextNumber = line.number === this.nextNumber ? this.nextNumber + 1 : 0;
    }
    this.carriedBytes = this.linesBytes;
  }
}

/**
 * A copy of a piece of decoded output that does not keep the whole decoded chunk alive: a slice
 * would, and commit headers and paths outlive their chunk (kept per commit for the whole push).
 * Slicing a fresh concatenation makes the engine copy the characters into a string of their own.
 */
function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/** A record's file before any of its patch is read. */
function fileOf(raw: RawEntry): ParsedFile {
  return { raw, binary: false, added: [], hasPatch: false };
}

/** A two-way record between a file, a symlink and a submodule (git prints two sections for it). */
function changesType(raw: RawEntry): boolean {
  return raw.oldMode !== '000000' && raw.newMode !== '000000' && raw.oldMode.slice(0, 3) !== raw.newMode.slice(0, 3);
}

/** A full object id, sha1 or sha256 (the null id too). */
export const OBJECT_ID = /^[0-9a-f]{40,64}$/;
/** A raw record's file mode (six octal digits). */
const MODE = /^[0-7]{6}$/;

function startsWith(line: string, prefix: string): boolean {
  return line.startsWith(prefix);
}
