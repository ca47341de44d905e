/** "1 commit", "3 commits", "2 baseline entries": a count with its noun in the right number. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${grouped(n)} ${n === 1 ? noun : plural}`;
}

/**
 * A whole number with thousands separators, as `toLocaleString('en-US')` writes it ("5,531"),
 * without its first call's cost (~50 ms loading the locale data, on every run that reports a count).
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * What a scan of commits read, in one form for every door that reads commits (range, history,
 * pre-push, pre-receive): "3 commits (pushed)", "1 commit (range main..HEAD)".
 */
export function commitScope(commits: number, what: string): string {
  return `${count(commits, 'commit')} (${what})`;
}

/**
 * Rule titles and messages speak of a change ("… is being committed"); a whole-file scan reads
 * what the tree holds, so its findings say "… is in the tree".
 */
export function inTreeWording(text: string): string {
  return text.replace(/\bis being committed\b/g, 'is in the tree');
}

/** Splits text into lines of at most `width` columns, at spaces (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** The width to lay text out in: the terminal's, or 80 columns when the output is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}
