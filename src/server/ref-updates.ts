import { GitwardError } from '../engine/errors.ts';

export interface RefUpdate {
  oldId: string;
  newId: string;
  ref: string;
}

/** Parses pre-receive stdin: one `<old> <new> <ref>` line per updated ref. */
export function parseRefUpdates(text: string, zeroId: string): RefUpdate[] {
  const out: RefUpdate[] = [];
  const idPattern = new RegExp(`^[0-9a-f]{${zeroId.length}}$`);
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [oldId, newId, ref] = line.trim().split(/\s+/);
    if (!ref || !idPattern.test(oldId) || !idPattern.test(newId)) {
      throw new GitwardError(`unexpected ref update line on stdin: ${JSON.stringify(line.slice(0, 200))}`,
        'pre-receive reads "<old-id> <new-id> <ref>" lines, as git gives them.');
    }
    out.push({ oldId, newId, ref });
  }
  return out;
}

/**
 * The new ids on ref-update lines that look like object ids (not the zero id), taken before the
 * repository's hash is known so that peeling them (peelEach in git/peel.ts) can start beside the
 * other start-up queries.
 * parseRefUpdates still judges every line.
 */
export function candidateIds(text: string): string[] {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const newId = line.trim().split(/\s+/)[1] ?? '';
    if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(newId) && /[1-9a-f]/.test(newId)) ids.add(newId);
  }
  return [...ids];
}
