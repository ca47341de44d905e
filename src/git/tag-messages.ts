import { CatFileBatch, readObject } from './cat-file-batch.ts';
import { withoutSignature } from './message-source.ts';

export interface TagMessage {
  /** The tag object's id. */
  id: string;
  /** The name in the tag object (`tag v1.0`). */
  name: string;
  message: string;
}

/** A tag of a tag of … deeper than this is not followed (git itself peels at most a handful in practice). */
const MAX_DEPTH = 16;

/**
 * The annotated tags among `ids`, and the tags those point to in turn, each once with its message
 * (a signature block dropped). Types are asked first (`--batch-check`), so no blob or commit named
 * by an id is read; then the tag objects in one `--batch`.
 */
export async function tagMessages(ids: readonly string[], cwd?: string): Promise<TagMessage[]> {
  if (ids.length === 0) return [];
  const check = new CatFileBatch('--batch-check', cwd);
  const read = new CatFileBatch('--batch', cwd);
  const found: TagMessage[] = [];
  const seen = new Set<string>();
  try {
    let next = [...new Set(ids)];
    for (let depth = 0; depth < MAX_DEPTH && next.length > 0; depth++) {
      const types = await Promise.all(next.map((id) => readObject(check, id)));
      const tags = next.filter((id, i) => types[i]?.type === 'tag' && !seen.has(id));
      for (const id of tags) seen.add(id);
      const bodies = await Promise.all(tags.map((id) => readObject(read, id)));
      next = [];
      tags.forEach((id, i) => {
        const tag = parseTag(bodies[i]?.body ?? Buffer.alloc(0));
        found.push({ id, name: tag.name, message: withoutSignature(tag.message) });
        if (tag.type === 'tag' && tag.object) next.push(tag.object);
      });
    }
  } finally {
    check.close();
    read.close();
  }
  return found;
}

/** `object <id>\ntype <type>\ntag <name>\ntagger …\n\n<message>`. */
function parseTag(body: Buffer): { object: string | null; type: string | null; name: string; message: string } {
  const text = body.toString('utf8');
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const field = (key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(head)?.[1] ?? null;
  return { object: field('object'), type: field('type'), name: field('tag') ?? '', message: end === -1 ? '' : text.slice(end + 2) };
}
