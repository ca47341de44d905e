// The secrets rule's keyword pass over the lines of long records can be made from the bytes of each
// piece of git's output as it comes (src/engine/line-keywords.ts): the piece is scanned once, and
// each added line cut whole from it replays the events inside its text. That must leave what
// scanning the line's text leaves (the same groups, flags, word ends and overflow), with or without
// a patch's `+` prefixes and CRs, through the diff parser in random chunks (held long lines too);
// and through the real CLI, a staged file of long records (read from its blob and from the diff,
// new and modified, CRLF, turning non-ASCII, with a custom rule), a history scan and a push must
// give the same report as without it (GITWARD_LINE_PRESCAN=0).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { lineFacts } from '../src/engine/line-facts.ts';
import { LineKeywords } from '../src/engine/line-keywords.ts';
import { setPrescans } from '../src/engine/prescans.ts';
import type { AddedLine, FileChange, RawFinding } from '../src/engine/types.ts';
import { DiffParser, type DiffEvent, type ParsedFile } from '../src/git/diff-parser.ts';
import { FLAG_SETS, secretDetector } from '../src/rules/secrets/detector.ts';
import { fake } from '../src/rules/secrets/fake.ts';
import { Repo } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';
import { jsonReport, prescanPair } from './helpers/json-report.ts';
import { builtInScanner, factsOf, GROUPS } from './helpers/keyword-facts.ts';

const whole = builtInScanner();
const pieces = builtInScanner();

const words = [...new Set([...GROUPS.flat(), ...FLAG_SETS.flat()])];
const bit = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(...words).map((w) => w.toUpperCase()),
  fc.constantFrom('=', '"', ':', ' ', '+', '{"key":"', 'password=', '://', 'a'.repeat(40), 'x'),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);
const line = fc.record({ text: fc.array(bit, { maxLength: 12 }).map((parts) => parts.join('')), cr: fc.boolean() });

/**
 * The lines as one piece of git's output (each after `prefix`, ended by its CR and a newline), the
 * piece scanned, and each line's scan replayed from its events: compared with scanning its text.
 */
function replayedAsScanned(lines: { text: string; cr: boolean }[], prefix: string): void {
  const piece = lines.map((l) => `${prefix}${l.text}${l.cr ? '\r' : ''}\n`).join('');
  const scanner = pieces.pieceScanner();
  assert.ok(scanner.usable);
  const events = scanner.scan(Buffer.from(piece, 'latin1'));
  const keywords = new LineKeywords(scanner);
  const added: AddedLine[] = lines.map((l, i) => ({ number: i + 1, text: l.text, ...(l.cr ? { cr: true } : {}) }));
  let at = prefix.length;
  lines.forEach((l, i) => {
    keywords.add(i, events, at, l.text.length, l.cr, prefix.length);
    at += l.text.length + (l.cr ? 1 : 0) + 1 + prefix.length;
  });
  assert.ok(pieces.owns(keywords));
  added.forEach((l, i) => {
    const from = keywords.read(added, i);
    assert.ok(from >= 0, `line ${i} is in a run`);
    pieces.replay(keywords.events, from, keywords.eventsEnd, keywords.lineStart);
    const replayed = factsOf(pieces);
    whole.scan(l.text);
    assert.deepEqual(replayed, factsOf(whole), `line ${i}: ${JSON.stringify(l.text)}`);
  });
}

test('a line scanned from its events in a piece leaves what scanning its text leaves', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.constantFrom('', '+', '++'), (lines, prefix) => replayedAsScanned(lines, prefix)),
    { numRuns: 400 },
  );
});

test('lines read out of order, or past, are found again; a line in no run has no events', () => {
  const scanner = pieces.pieceScanner();
  const texts = ['password = "x"', 'nothing', 'token: y'];
  const piece = texts.map((t) => `${t}\n`).join('');
  const events = scanner.scan(Buffer.from(piece, 'latin1'));
  const keywords = new LineKeywords(scanner);
  // Line 0 in no run (as a part's carried line), lines 1 and 2 in one.
  keywords.add(1, events, texts[0]!.length + 1, texts[1]!.length, false, 0);
  keywords.add(2, events, texts[0]!.length + texts[1]!.length + 2, texts[2]!.length, false, 0);
  const lines: AddedLine[] = texts.map((text, i) => ({ number: i + 1, text }));
  assert.equal(keywords.read(lines, 0), -1);
  for (const order of [[1, 2], [2], [1, 2, 1, 2]]) {
    for (const i of order) {
      const from = keywords.read(lines, i);
      assert.ok(from >= 0);
      pieces.replay(keywords.events, from, keywords.eventsEnd, keywords.lineStart);
      const replayed = factsOf(pieces);
      whole.scan(texts[i]!);
      assert.deepEqual(replayed, factsOf(whole), `line ${i}`);
    }
  }
  // Another scanner's events are not this one's to replay.
  assert.equal(whole.owns(keywords), false);
});

/** NDJSON records of ~300 characters, `count` of them, with secrets built at run time every `every` records. */
function records(count: number, every: number, cr = false): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let record = `{"id":${i},"name":"widget ${i}","tags":["alpha","beta","gamma"],"note":"${'lorem ipsum dolor sit amet '.repeat(8)}"`;
    if (i % every === 0) {
      const kind = (i / every) % 4;
      if (kind === 0) record += `,"token":"${fakeGithubPat()}"`;
      else if (kind === 1) record += `,"password":"${fake.alnum(12)}Q7x"`;
      else if (kind === 2) record += `,"url":"https://admin:${fake.alnum(14)}@db.internal.example.org/x"`;
      else record += `,"api_key":"${fake.alnum(40)}"`;
    }
    out.push(`${record}}${cr ? '\r' : ''}`);
  }
  return `${out.join('\n')}\n`;
}


const USED = /debug: the keywords of \d+ files' \(or parts'\) lines were found in git's bytes as they came/;

/** The staged scan with and without the pieces' scans: the same report; the run with them returned. */
const bothWays = (repo: Repo, read: string, expectTaken = true) => prescanPair(repo, read, { GITWARD_LINE_PRESCAN: '0' }, USED, expectTaken);

const findings = (json: string) => (JSON.parse(json) as { findings: Array<{ rule: string }> }).findings;

test('a staged file of long records reports the same with its lines scanned from the pieces git printed', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n', 'data/old.ndjson': records(3000, 41) }, 'root');
  // A new file (read from its blob, or from the diff), a CRLF one, and the old one modified (its
  // records between the old ones: a patch of + lines among - lines).
  repo.write({ 'data/events.ndjson': records(5000, 37), 'data/crlf.ndjson': records(2500, 29, true), 'data/old.ndjson': records(4000, 23) });
  repo.git(['add', '-A']);
  for (const read of ['blob', 'diff']) {
    const scanned = bothWays(repo, read);
    assert.match(scanned.stderr, USED, `${read}: the pieces' events were taken`);
    assert.equal(scanned.code, 1);
    const rules = new Set(findings(scanned.json).map((f) => f.rule));
    for (const rule of ['secret.github-pat', 'secret.generic-assignment']) assert.ok(rules.has(rule), `${read}: ${rule} among ${[...rules].join(', ')}`);
  }
});

test('a file of long records that turns non-ASCII, and a custom keyword holding "+", report the same', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  const text = records(4000, 31);
  const cut = text.indexOf('\n', text.length >> 1);
  repo.write({ 'data/mixed.ndjson': `${text.slice(0, cut)}\n{"caf\u00e9":"\u00e9t\u00e9"}${text.slice(cut)}` });
  repo.git(['add', '-A']);
  assert.match(bothWays(repo, 'blob').stderr, USED);
  // A custom rule whose keyword holds a `+`: a patch's prefix could then be part of a word, so no piece is scanned.
  repo.write({ '.gitward.toml': `[[custom-rules]]\nid = "custom.acme-token"\ntitle = "ACME token"\nregex = '(?<secret>acme\\+[a-z0-9]{12})'\nkeywords = ["acme+"]\n` });
  repo.git(['add', '-A']);
  const custom = bothWays(repo, 'blob', false);
  assert.doesNotMatch(custom.stderr, USED);
});

test('short lines of code are scanned from their text: no piece is scanned for them', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  const code = Array.from({ length: 30_000 }, (_, i) => (i % 50 === 0 ? `password = "${fake.alnum(10)}Zq9"` : `value_${i} = compute(${i})`)).join('\n');
  repo.write({ 'app/module.py': `${code}\n` });
  repo.git(['add', '-A']);
  const scanned = bothWays(repo, 'blob', false);
  assert.doesNotMatch(scanned.stderr, USED);
  assert.equal(scanned.code, 1);
});

/** A minified JSON line of `length` characters with `token` planted at `at`. */
function minifiedLine(length: number, at: number, token: string): string {
  const filler = '{"id":12,"name":"widget","tags":["a","b"],"ok":true},';
  const line = filler.repeat(Math.ceil(length / filler.length)).slice(0, length);
  return line.slice(0, at) + token + line.slice(at + token.length);
}

const WINDOWS_USED = /debug: \d+ windows of long lines were scanned for keywords as they came/;

test('a history scan and a push read long records and a long line the same with the prescans as without', () => {
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n' }, 'root');
  repo.commitUnchecked({ 'data/events.ndjson': records(5000, 37), 'static/bundle.min.json': `${minifiedLine(2_300_000, 1_500_000, `"token":"${fakeGithubPat()}"`)}\n` }, 'data');
  const off = { GITWARD_LINE_PRESCAN: '0', GITWARD_WINDOW_PRESCAN: '0' };
  // --history
  const history = (env: Record<string, string>) => {
    const run = jsonReport(repo, env, ['scan', '--history', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    return run;
  };
  const without = history(off);
  const withScans = history({});
  assert.doesNotMatch(without.stderr, USED);
  assert.match(withScans.stderr, USED);
  assert.match(withScans.stderr, WINDOWS_USED);
  assert.equal(withScans.json, without.json);
  assert.ok(findings(withScans.json).some((f) => f.rule === 'secret.github-pat'));
  // A real push into a server with the pre-receive hook: refused with the same report either way.
  const server = Repo.init({ bare: true }).installPreReceiveHook();
  const push = (env: Record<string, string>) => {
    const run = repo.git(['push', server.dir, 'main:main'], { allowFail: true, env: { ...repo.env, GITWARD_DEBUG: '1', ...env } as NodeJS.ProcessEnv });
    assert.notEqual(run.code, 0, run.output);
    const said = run.stderr.split('\n').filter((line) => line.startsWith('remote:'));
    return { report: said.filter((line) => !/debug:|scanned in| ms\b/.test(line)).join('\n'), stderr: run.stderr };
  };
  const pushedWithout = push(off);
  const pushedWith = push({});
  assert.doesNotMatch(pushedWithout.stderr, USED);
  assert.match(pushedWith.stderr, USED);
  assert.equal(pushedWith.report, pushedWithout.report);
  assert.match(pushedWith.report, /github-pat/);
});

test('a line held as bytes past 1 MiB, then decoded whole, keeps no events of the piece after it', () => {
  // The held line's last piece ends with its newline; the rest of that chunk is the next piece,
  // scanned. Consuming the line drops its piece: its events must be asked for before (a review
  // found the next piece's taken, and the token below reported as a high-entropy string only).
  const record = (i: number) => `{"id":${i},"name":"widget ${i}","note":"${'lorem ipsum dolor sit amet '.repeat(10)}"}`;
  const repo = Repo.init();
  repo.commitUnchecked({ 'README.md': 'x\n', '.gitward.toml': '[limits]\nmax-line-length = 4194304\n' }, 'root');
  const before = Array.from({ length: 4000 }, (_, i) => record(i)).join('\n');
  const long = `\u00e9${'x'.repeat(700_000)} "token":"${fakeGithubPat()}" ${'y'.repeat(800_000)}`;
  const after = Array.from({ length: 4000 }, (_, i) => record(i + 5000)).join('\n');
  repo.write({ 'data/events.ndjson': `${before}\n${long}\n${after}\n` });
  repo.git(['add', '-A']);
  for (const read of ['diff', 'blob']) {
    const scanned = bothWays(repo, read);
    assert.match(scanned.stderr, USED);
    assert.deepEqual(
      findings(scanned.json).map((f) => `${f.rule}:${(f as { line?: number }).line}`),
      ['secret.github-pat:4001'],
      read,
    );
  }
});

test('a 1 MiB line whose newline starts the next chunk: its part has no events of that chunk', () => {
  setPrescans(secretDetector.prescans!(null as never));
  try {
    const zeros = '0'.repeat(40);
    const head = `:000000 100644 ${zeros} ${'1'.repeat(40)} A\0data.ndjson\0diff --git a/data.ndjson b/data.ndjson\nnew file mode 100644\n--- /dev/null\n+++ b/data.ndjson\n@@ -0,0 +1,301 @@\n`;
    const line = `${'x'.repeat(500_000)} "token":"${fakeGithubPat()}" `.padEnd(1 << 20, 'y');
    const first = Buffer.from(`${head}+${line}`);
    const second = Buffer.from(`\n${Array.from({ length: 300 }, (_, i) => `+{"id":${i},"note":"${'lorem ipsum dolor sit amet '.repeat(10)}"}\n`).join('')}`);
    const parser = new DiffParser();
    const files: ParsedFile[] = [];
    const take = (events: DiffEvent[]) => events.forEach((e) => e.kind === 'file' && files.push(e.file));
    for (let at = 0; at < first.length; at += 65536) take(parser.push(first.subarray(at, at + 65536)));
    take(parser.push(second));
    take(parser.end());
    const found = files.flatMap((f) => secretDetector.scan({ path: 'data.ndjson', addedLines: f.added } as unknown as FileChange, { config: null, notice: () => undefined } as never) as RawFinding[]);
    assert.deepEqual(found.map((f) => `${f.rule.id}:${f.line}`), ['secret.github-pat:1']);
    // The records after it were scanned from their piece's events.
    assert.ok(files.some((f) => lineFacts(f.added)?.keywords !== undefined));
  } finally {
    setPrescans(null);
  }
});

test('property: through the diff parser in random chunks, every line scanned from its events matches its text', () => {
  // Two-way and combined diffs (every prefix mix), blob reads, CRs, "\ No newline" marks and a line
  // held as bytes past 1 MiB, cut into random chunks: each line that has events replays to what a
  // second scanner finds in its text.
  const scanner = builtInScanner();
  const own = scanner.pieceScanner();
  const zeros = '0'.repeat(40);
  const cases: { lines: number; replayed: number } = { lines: 0, replayed: 0 };
  setPrescans({ window: null, pieces: own });
  try {
    for (let seed = 1; seed <= 6; seed++) {
      let s = seed;
      const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
      const below = (n: number) => Math.floor(random() * n);
      const pick = <T,>(list: readonly T[]): T => list[below(list.length)]!;
      const text = () => {
        let out = '';
        for (let n = 30 + below(80); n > 0; n--) {
          const r = random();
          out += r < 0.3 ? pick(words) : r < 0.35 ? pick(words).toUpperCase() : pick(['=', '"', ':', ' ', '+', '-', 'abc', 'xyzzy ', '://', '{"key":"', 'lorem ipsum ', '\t']);
        }
        return out;
      };
      const eol = () => (random() < 0.1 ? '\r\n' : '\n');
      const blob = seed % 3 === 0;
      const combined = seed % 3 === 1;
      let head = '';
      let body = '';
      if (blob) {
        head = `:000000 100644 ${zeros} ${'1'.repeat(40)} A\0f\0diff --git a/f b/f\nnew file mode 100644\n--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n`;
        while (body.length < 900_000) body += text() + eol();
        // Held as bytes, and (not ASCII) decoded whole once its newline comes, with more lines after it.
        body += `\u00e9${'k'.repeat(1_500_000)} token\n`;
        for (const end = body.length + 300_000; body.length < end; ) body += text() + eol();
      } else {
        body = combined ? `::100644 100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} ${'c'.repeat(40)} MM\0f\0diff --cc f\nindex aaaa,bbbb..cccc\n--- a/f\n+++ b/f\n` : `:100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} M\0f\0diff --git a/f b/f\nindex aaaa..bbbb 100644\n--- a/f\n+++ b/f\n`;
        let held = false;
        for (let h = 0; h < 3; h++) {
          body += combined ? `@@@ -1,5 -1,5 +${1 + h * 100_000},7 @@@\n` : `@@ -1,5 +${1 + h * 100_000},7 @@\n`;
          for (let size = 0; size < 300_000; ) {
            const line = (combined ? pick(['++', '++', '++', '+ ', ' +', '  ', '--']) : pick(['+', '+', '+', '-', ' '])) + text() + eol();
            body += line;
            size += line.length;
            if (random() < 0.002) body += '\\ No newline at end of file\n';
            // In the middle of the second hunk, an added line held as bytes (see the blob's).
            if (h === 1 && !held && size >= 150_000) {
              body += `${combined ? '++' : '+'}\u00e9${'q'.repeat(1_500_000)} password = "x"\n`;
              held = true;
            }
          }
        }
      }
      const parser = new DiffParser();
      const files: ParsedFile[] = [];
      const take = (events: DiffEvent[]) => events.forEach((e) => e.kind === 'file' && files.push(e.file));
      if (blob) {
        take(parser.push(Buffer.from(head)));
        assert.ok(parser.addEveryLine());
      }
      const bytes = Buffer.from(body);
      // A chunk ends 50 bytes before the held line's newline: the next holds its end and more lines.
      const heldEnd = bytes.indexOf(0x0a, bytes.indexOf(Buffer.from('\u00e9')));
      for (let at = 0; at < bytes.length; ) {
        let n = random() < 0.5 ? 65536 : 1 + below(70_000);
        if (at < heldEnd - 50 && at + n > heldEnd - 50) n = heldEnd - 50 - at;
        take(parser.push(bytes.subarray(at, at + n)));
        at += n;
      }
      take(parser.end());
      for (const file of files) {
        const keywords = lineFacts(file.added)?.keywords;
        if (keywords === undefined) continue;
        assert.ok(scanner.owns(keywords));
        file.added.forEach((line, i) => {
          cases.lines++;
          const from = keywords.read(file.added, i);
          if (from < 0) return;
          cases.replayed++;
          scanner.replay(keywords.events, from, keywords.eventsEnd, keywords.lineStart);
          const replayed = factsOf(scanner);
          whole.scan(line.text);
          assert.deepEqual(replayed, factsOf(whole), `seed ${seed}, line ${i}: ${JSON.stringify(line.text.slice(0, 60))}`);
        });
      }
    }
  } finally {
    setPrescans(null);
  }
  // Most lines were replayed, not scanned: the property is about something.
  assert.ok(cases.replayed > cases.lines / 2, `${cases.replayed} of ${cases.lines} lines replayed`);
});
