import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { DiffParser, type DiffEvent } from '../src/git/diff-parser.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { Repo } from './helpers/git.ts';
import { fuzzParams, hostileStream } from './helpers/fuzz.ts';

function parseAll(chunks: Buffer[]): DiffEvent[] {
  const parser = new DiffParser();
  const events: DiffEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

function cut(bytes: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of sorted) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}

test('property: any bytes, cut anywhere, parse without throwing and give the same events as one chunk', () => {
  fc.assert(
    fc.property(fc.oneof(hostileStream, fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a))), fc.array(fc.nat(), { maxLength: 30 }), (bytes, points) => {
      const whole = JSON.stringify(parseAll([bytes]));
      const pieces = JSON.stringify(parseAll(cut(bytes, points)));
      assert.equal(pieces, whole);
      const bytewise = JSON.stringify(parseAll([...bytes].map((b) => Buffer.from([b]))));
      assert.equal(bytewise, whole);
    }),
    fuzzParams(300),
  );
});

test('property: every added line the parser reports comes from a "+" line of a hunk, numbered from its @@ header', () => {
  const line = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\n\r]/g, ''));
  const hunk = fc.record({ start: fc.integer({ min: 1, max: 500 }), removed: fc.array(line, { maxLength: 3 }), added: fc.array(line, { maxLength: 5 }) });
  fc.assert(
    fc.property(fc.array(hunk, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 10 }), (hunks, points) => {
      const id = 'e'.repeat(40);
      let text = `:100644 100644 ${'a'.repeat(40)} ${id} M\0file.py\0diff --git a/file.py b/file.py\nindex 1..2 100644\n--- a/file.py\n+++ b/file.py\n`;
      const expected: { number: number; text: string }[] = [];
      for (const h of hunks) {
        text += `@@ -${h.start},${h.removed.length} +${h.start},${h.added.length} @@\n`;
        for (const r of h.removed) text += `-${r}\n`;
        h.added.forEach((a, i) => {
          text += `+${a}\n`;
          expected.push({ number: h.start + i, text: a });
        });
      }
      const events = parseAll(cut(Buffer.from(text), points));
      const files = events.filter((e) => e.kind === 'file');
      assert.equal(files.length, 1);
      const added = files[0].kind === 'file' ? files[0].file.added.map((l) => ({ number: l.number, text: l.text })) : [];
      assert.deepEqual(added, expected);
    }),
    fuzzParams(300),
  );
});

/** Name bytes a pusher may choose: quotes, backslashes, tabs, newlines, invalid UTF-8, leading dashes, dots. */
const nameByte = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x61, max: 0x7a }) },
  { weight: 4, arbitrary: fc.constantFrom(0x22, 0x27, 0x5c, 0x09, 0x0a, 0x0d, 0x20, 0x2d, 0x2e, 0x3a, 0x40, 0x2b, 0x24, 0x01, 0x7f) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
);
const segment = fc
  .array(nameByte, { minLength: 1, maxLength: 12 })
  .map((bytes) => Buffer.from(bytes))
  .filter((b) => {
    const s = b.toString('latin1');
    return s !== '.' && s !== '..' && s.toLowerCase() !== '.git' && !s.includes('/');
  });
const hostilePath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => Buffer.concat(segments.flatMap((s, i) => (i === 0 ? [s] : [Buffer.from('/'), s]))));

test('property (real repositories): any file name keeps its exact path; findings point at the real added line and never hold the secret', () => {
  fc.assert(
    fc.property(fc.uniqueArray(hostilePath, { minLength: 1, maxLength: 6, selector: (b) => b.toString('utf8') }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }), (paths, filler) => {
      // Paths where one is a folder of another cannot both exist.
      const names = paths.filter((p, i) => !paths.some((q, j) => j !== i && (p.toString('latin1').startsWith(`${q.toString('latin1')}/`) || q.toString('latin1').startsWith(`${p.toString('latin1')}/`))));
      const repo = Repo.init();
      const planted = new Map<string, { secret: string; line: number }>();
      for (const name of names) {
        const secret = join('AK', 'IA', fake.upper(16).replace(/[0189]/g, 'Q'));
        const lines = [...filler.map((f) => f.replace(/[\r\n]/g, ' ')), `key = "${secret}"`];
        const full = Buffer.concat([Buffer.from(`${repo.dir}/`), name]);
        mkdirSync(parentOf(full), { recursive: true });
        writeFileSync(full, `${lines.join('\n')}\n`);
        planted.set(name.toString('utf8'), { secret, line: lines.length });
      }
      repo.git(['add', '-A']);
      const run = repo.gitward(['scan', '--format', 'json']);
      assert.ok(run.code === 0 || run.code === 1, run.output);
      const report = JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number }[] };
      const found = report.findings.filter((f) => f.rule === 'secret.aws-access-key-id');
      assert.deepEqual(found.map((f) => f.path).sort(), [...planted.keys()].sort());
      for (const f of found) assert.equal(f.line, planted.get(f.path)?.line);
      for (const { secret } of planted.values()) assert.ok(!run.output.includes(secret), 'a planted secret was printed');
    }),
    fuzzParams(12),
  );
});

/** The parent folder of a path given as bytes (a Buffer, so invalid UTF-8 survives). */
function parentOf(full: Buffer): Buffer {
  return full.subarray(0, full.lastIndexOf(0x2f));
}
