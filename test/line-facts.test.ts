import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiffParser, PART_CHARS, type DiffEvent } from '../src/git/diff-parser.ts';
import { lineFacts } from '../src/engine/line-facts.ts';
import { addedTextBytes, windowedLines } from '../src/engine/limits.ts';
import type { FileChange } from '../src/engine/types.ts';
import { fuzzParams } from './helpers/fuzz.ts';

// The diff parser records, per list of added lines it hands out, what the later passes would walk
// every line for (engine/line-facts.ts). Whatever the input and its chunking, each recorded fact is
// what walking the lines gives, so the passes that take the facts answer as they did.

function parseAll(bytes: Buffer, points: number[]): DiffEvent[] {
  const parser = new DiffParser();
  const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const events: DiffEvent[] = [];
  let at = 0;
  for (const p of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(at, p)));
    at = p;
  }
  events.push(...parser.end());
  return events;
}

/** Checks every file's recorded facts against its lines; returns how many files had facts. */
function checkFacts(events: DiffEvent[]): number {
  let checked = 0;
  for (const event of events) {
    if (event.kind !== 'file') continue;
    const lines = event.file.added;
    const facts = lineFacts(lines);
    if (facts === undefined) continue;
    checked++;
    const carried = event.file.part?.carried ?? 0;
    assert.equal(facts.carried, carried);
    assert.equal(facts.bytes, lines.reduce((sum, l) => sum + l.text.length + 1, 0));
    assert.equal(facts.carriedBytes, lines.slice(0, carried).reduce((sum, l) => sum + l.text.length + 1, 0));
    assert.equal(facts.longest, Math.max(0, ...lines.map((l) => l.text.length)));
    assert.equal(facts.numberedFromOne, lines.every((l, i) => l.number === i + 1));
    // Known ASCII only when every line is (false may be either: a byte past 0x7f anywhere before).
    if (facts.ascii) assert.ok(lines.every((l) => /^[\x00-\x7f]*$/.test(l.text)), 'a line past ASCII in lines said to be ASCII');
    // Known free of NULs only when every line is (engine/nul-text.ts then reads none of them).
    if (facts.nulFree) assert.ok(lines.every((l) => !l.text.includes('\0')), 'a line with a NUL in lines said to hold none');
    // The passes that take them: the same answers as walking a copy of the list (which has no facts).
    const copy = [...lines];
    assert.equal(lineFacts(copy), undefined);
    assert.equal(addedTextBytes(lines), addedTextBytes(copy));
    assert.equal(addedTextBytes(lines, carried), addedTextBytes(copy, carried));
    const change = { path: 'f', addedLines: lines } as unknown as FileChange;
    for (const max of [1000, 60_000]) {
      assert.deepEqual(windowedLines(change, max, () => {}).addedLines, windowedLines({ ...change, addedLines: copy }, max, () => {}).addedLines);
    }
  }
  return checked;
}

test('property: the line facts of added and modified files, large ones in parts, are what walking the lines gives', () => {
  const line = fc.oneof({ weight: 2, arbitrary: fc.stringMatching(/^[ -~]{0,40}$/) }, { weight: 1, arbitrary: fc.constantFrom('café = 1', 'x = "\u00e9"', 'ｎｐ', 'ok', '\0k\0e\0y\0', 'a = 1\0', '\0') }, { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 130_000 }).map((n) => 'x'.repeat(n)) }, { weight: 6, arbitrary: fc.integer({ min: 2000, max: 4096 }).map((n) => 'y'.repeat(n)) });
  const hunk = fc.record({ start: fc.integer({ min: 1, max: 40 }), removed: fc.nat({ max: 2 }), added: fc.array(line, { minLength: 2, maxLength: 120, size: 'max' }) });
  // A plain file's lines are ASCII (its non-ASCII lines made so).
  const file = fc.record({ added: fc.boolean(), plain: fc.boolean(), hunks: fc.array(hunk, { minLength: 1, maxLength: 3 }) });
  let parts = 0;
  let fromOne = 0;
  let ascii = 0;
  let nulFree = 0;
  let nuls = 0;
  fc.assert(
    fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (files, points) => {
      let raw = '';
      let patch = '';
      files.forEach((f, k) => {
        const path = `f${k}.py`;
        raw += `:${f.added ? '000000' : '100644'} 100644 ${(f.added ? '0' : 'a').repeat(40)} ${'e'.repeat(40)} ${f.added ? 'A' : 'M'}\0${path}\0`;
        patch += `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
        // An added file's one hunk starts at line 1; a modified file's hunks go on from wherever.
        let next = 1;
        for (const h of f.added ? f.hunks.slice(0, 1) : f.hunks) {
          const start = f.added ? 1 : next + h.start;
          patch += `@@ -${start},${f.added ? 0 : h.removed} +${start},${h.added.length} @@\n`;
          if (!f.added) for (let r = 0; r < h.removed; r++) patch += '-old\n';
          for (const a of h.added) patch += `+${f.plain ? a.replace(/[^\x00-\x7f]/g, '?') : a}\n`;
          next = start + h.added.length;
        }
      });
      const events = parseAll(Buffer.from(raw + patch), points);
      checkFacts(events);
      for (const e of events) {
        if (e.kind !== 'file') continue;
        if (e.file.part && e.file.part.carried > 0) parts++;
        if (lineFacts(e.file.added)?.numberedFromOne) fromOne++;
        if (lineFacts(e.file.added)?.ascii) ascii++;
        if (lineFacts(e.file.added)?.nulFree) nulFree++;
        else if (e.file.added.some((l) => l.text.includes('\0'))) nuls++;
      }
    }),
    fuzzParams(100),
  );
  assert.ok(parts > 20 && fromOne > 50 && ascii > 20 && nulFree > 20 && nuls > 20, `parts carrying lines ${parts}, numbered from one ${fromOne}, ASCII ${ascii}, free of NULs ${nulFree}, holding NULs ${nuls} (PART_CHARS ${PART_CHARS})`);
});

test('an added line holding a NUL is seen however git cuts its output: whole in a chunk, across chunks, a long line cut into windows, the last line; in a patch and in a blob', () => {
  const head = (count: number) => `:000000 100644 ${'0'.repeat(40)} ${'e'.repeat(40)} A\0f.reg\0diff --git a/f.reg b/f.reg\n--- /dev/null\n+++ b/f.reg\n@@ -0,0 +1,${count} @@\n`;
  const diff = (lines: string[]) => Buffer.from(head(lines.length) + lines.map((l) => `+${l}\n`).join(''));
  // A new file read from its blob (git/new-file-blob.ts): its record and hunk header, then its bytes as they are.
  const blob = (lines: string[], points: number[]) => {
    const parser = new DiffParser();
    const events = parser.push(Buffer.from(head(lines.length)));
    assert.ok(parser.addEveryLine());
    const bytes = Buffer.from(lines.join('\n'));
    let at = 0;
    for (const p of [...points, bytes.length]) {
      events.push(...parser.push(bytes.subarray(at, p)));
      at = p;
    }
    return [...events, ...parser.end()];
  };
  const long = 'x'.repeat(3 << 20);
  const cases: [string, string[], boolean][] = [
    ['no NUL', ['a = 1', 'b = 2', long], true],
    ['UTF-16 after ASCII', ['a = 1', '\0k\0e\0y\0', 'b = 2'], false],
    ['a NUL at a line end', ['a = 1', 'b = 2\0'], false],
    ['a NUL at the end of a long line', ['a = 1', `${long}\0`], false],
    ['a NUL at the start of a long line', ['a = 1', `\0${long}`], false],
    ['a NUL in the last line', ['a = 1', 'b = 2', 'k\0e\0y\0'], false],
  ];
  for (const [name, lines, free] of cases) {
    const bytes = diff(lines);
    for (const size of [1, 3, 64, 65536, bytes.length]) {
      if (size < 64 && bytes.length > 100_000) continue;
      const points = Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) => k * size);
      for (const [read, events] of [['patch', () => parseAll(bytes, points)], ['blob', () => blob(lines, points)]] as const) {
        const files = events().filter((e) => e.kind === 'file');
        assert.ok(files.length > 0, name);
        const facts = files.map((e) => lineFacts(e.file.added));
        assert.ok(facts.every((f) => f !== undefined), `${name}, ${read}, chunks of ${size}: facts`);
        assert.equal(facts.every((f) => f!.nulFree), free, `${name}, ${read}, chunks of ${size}`);
      }
    }
  }
});
