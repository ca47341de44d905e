import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange, RawFinding } from '../src/engine/types.ts';
import { CARRIED_LINES } from '../src/git/diff-parser.ts';
import { requirementsDetector } from '../src/rules/requirements/detector.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { fileChangeOf } from './helpers/change.ts';

// A large requirements file reaches the detector in parts (FilePart, one per 256 KiB of added
// text), each judged against the whole file: the file is read and parsed once for all its parts,
// and each part reports the findings of its own lines, as the whole file in one change would.

const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** A hashed lock file with a problem every `every` requirements: unpinned (and unhashed), a look-alike, a hash on no requirement, an extra index. */
function lockFile(requirements: number, every: number, salt: string): string {
  const lines: string[] = [];
  for (let i = 0; i < requirements; i++) {
    const kind = i % every === every - 1 ? Math.floor(i / every) % 4 : -1;
    if (kind === 2) lines.push(`--hash=sha256:${hex(`${salt}orphan${i}`)}`);
    if (kind === 3) lines.push('--extra-index-url https://packages.example.test/simple');
    const name = kind === 1 ? 'reqeusts' : `internal-lib-${salt}-${i}`;
    if (kind === 0) lines.push(`${name}>=1`);
    else lines.push(`${name}==1.${i}.0 \\`, `    --hash=sha256:${hex(`${salt}${i}a`)} \\`, `    --hash=sha256:${hex(`${salt}${i}b`)}`);
    lines.push('    # via -r requirements.in');
  }
  return `${lines.join('\n')}\n`;
}

/** The whole-file change cut into parts of `size` added lines, each after the first starting again with the last CARRIED_LINES of the one before. */
function partsOf(whole: FileChange, size: number, blob: string, counter: { reads: number }): FileChange[] {
  const all = whole.addedLines;
  const parts: FileChange[] = [];
  for (let start = 0, index = 0; start < all.length; start += size, index++) {
    const carried = index === 0 ? 0 : Math.min(CARRIED_LINES, start);
    parts.push({
      ...whole,
      newBlob: blob,
      addedLines: all.slice(start - carried, start + size),
      part: { index, carried, first: all[0] },
      loadContent: (options) => {
        counter.reads++;
        return whole.loadContent(options);
      },
    });
  }
  return parts;
}

const summary = (findings: readonly RawFinding[]) => findings.map((f) => `${f.rule.id}@${f.line}:${f.key}`).sort();

async function scanParts(parts: readonly FileChange[]): Promise<RawFinding[]> {
  const findings: RawFinding[] = [];
  for (const part of parts) findings.push(...(await requirementsDetector.scan(part, ctx)));
  return findings;
}

test('the parts of a large requirements file read and parse it once, and report what the whole file in one change reports', async () => {
  const text = lockFile(600, 25, 'a');
  const whole = fileChangeOf('requirements.txt', text);
  const expected = summary(await requirementsDetector.scan(whole, ctx));
  assert.deepEqual(
    [...new Set(expected.map((f) => f.split('@')[0]))].sort(),
    ['requirement.extra-index-url', 'requirement.look-alike', 'requirement.missing-hash', 'requirement.unpinned'],
    'the file holds each kind of problem',
  );
  const counter = { reads: 0 };
  const parts = partsOf(whole, 300, 'a'.repeat(40), counter);
  assert.ok(parts.length >= 8, `${parts.length} parts`);
  assert.deepEqual(summary(await scanParts(parts)), expected);
  assert.equal(counter.reads, 1, 'one read for all the parts');

  // Another file's parts after it: read and judged on their own, not with the first file's entries.
  const other = fileChangeOf('requirements.txt', lockFile(400, 7, 'b'));
  const otherCounter = { reads: 0 };
  const otherFindings = summary(await scanParts(partsOf(other, 250, 'b'.repeat(40), otherCounter)));
  assert.deepEqual(otherFindings, summary(await requirementsDetector.scan(other, ctx)));
  assert.notDeepEqual(otherFindings, expected);
  assert.equal(otherCounter.reads, 1);
});
