import type { AddedLine } from '../engine/types.ts';
import type { BlobReader } from './blob-reader.ts';
import type { ParsedFile } from './diff-parser.ts';

/**
 * A merge's added lines put at their true numbers. With no context (-U0) git's combined diff leaves
 * out a result line that every parent holds when removed lines stand before it, yet counts it in
 * the hunk header: the lines after it read one short, and the printed text alone cannot tell (the
 * same output comes from histories where nothing was left out). The parser marks how far each such
 * line may lie further on (ParsedFile.slack); the new blob says where it is: the first line within
 * reach holding that text. Rare (a merge that removed lines next to lines of its own), so the blob
 * is read only then; it is the blob the rules read next.
 */
export async function placeCombinedLines(file: ParsedFile, blobs: BlobReader): Promise<ParsedFile> {
  const slack = file.slack;
  // A submodule's lines ("Subproject commit …") are not content and are dropped anyway.
  if (!slack || file.raw.newMode === '160000') return file;
  const content = await blobs.read(file.raw.newBlob, {}, { text: true });
  if (!content) return file;
  const lines = content.head.toString('utf8').split('\n');
  const placed = file.added.map((line): AddedLine => {
    const reach = slack.get(line);
    if (reach === undefined) return line;
    for (let shift = 0; shift <= reach; shift++) {
      const at = line.number - 1 + shift;
      // A line past the blob's head (a file over the size limit) keeps its number.
      if (at >= lines.length - (content.complete ? 0 : 1)) break;
      const text = lines[at]!;
      if ((line.cr ? text.slice(0, -1) : text) === line.text) return shift === 0 ? line : { ...line, number: line.number + shift };
    }
    return line;
  });
  const { slack: _settled, ...rest } = file;
  return { ...rest, added: placed };
}
