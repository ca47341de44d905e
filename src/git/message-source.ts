import { textLine } from '../engine/binary-text.ts';
import type { FileChange, MessageLocation } from '../engine/types.ts';

/**
 * A commit's or an annotated tag's message as a change the secret rules read: every line is an
 * added line, numbered from 1, and there is no path (findings say "commit message" instead).
 */
export function messageChange(location: MessageLocation, text: string, object: string | null): FileChange {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const addedLines = lines.map((line, i) => textLine(i + 1, line));
  return {
    path: '',
    location,
    oldPath: null,
    status: 'A',
    oldMode: null,
    newMode: null,
    oldBlob: null,
    newBlob: null,
    binary: false,
    addedLines,
    commit: object,
    loadContent: () => Promise.resolve(null),
  };
}

/** `git commit -v` puts the staged diff (removed lines too) below this line; git drops it from the message. */
const SCISSORS = /^.{1,2} -{24} >8 -{24}\r?$/m;

/** The message `git commit` will record, from the file the commit-msg hook is given: what is above the scissors line. */
export function aboveScissors(text: string): string {
  const at = SCISSORS.exec(text);
  return at ? text.slice(0, at.index) : text;
}

/** A signed tag's message ends with its signature block: armour, not words anyone wrote. */
const SIGNATURE = /^-----BEGIN (?:PGP|SSH|SIGNED) (?:SIGNATURE|MESSAGE)-----\r?$/m;

export function withoutSignature(text: string): string {
  const at = SIGNATURE.exec(text);
  return at ? text.slice(0, at.index) : text;
}
