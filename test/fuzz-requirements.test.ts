import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../src/config/types.ts';
import type { FileChange, RawFinding } from '../src/engine/types.ts';
import { requirementsDetector } from '../src/rules/requirements/detector.ts';
import { parseRequirementsFile } from '../src/rules/requirements/req-file.ts';
import type { RuleContext } from '../src/rules/types.ts';
import { fake } from '../src/rules/secrets/fake.ts';
import { fuzzParams } from './helpers/fuzz.ts';
import { fileChangeOf } from './helpers/change.ts';

const changeOf = (text: string, added?: ReadonlySet<number>) => fileChangeOf('requirements.txt', text, added);

const ctx: RuleContext = { config: defaultConfig(), notice: () => undefined };

async function scan(change: FileChange): Promise<RawFinding[]> {
  assert.ok(requirementsDetector.appliesTo(change, ctx) || change.addedLines.length === 0, 'the detector takes requirements.txt');
  return change.addedLines.length === 0 ? [] : await requirementsDetector.scan(change, ctx);
}

/** Everything a person may see of a finding. */
const shown = (f: RawFinding) => [f.message, f.snippet ?? '', ...(f.details ?? [])].join('\n');

/**
 * A finding points at an added line, or at the first line of a logical line (a `\` continuation)
 * one of whose physical lines was added: pip numbers a logical line by its first physical line.
 */
function assertPointsAtAddedLine(text: string, added: ReadonlySet<number> | null, findings: readonly RawFinding[]): void {
  const total = text.split('\n').length;
  const entries = parseRequirementsFile(text);
  const touched = (n: number) => added === null || added.has(n);
  for (const f of findings) {
    assert.ok(f.line !== null && Number.isInteger(f.line) && f.line >= 1 && f.line <= total, `line ${f.line} is outside the file`);
    if (touched(f.line)) continue;
    const entry = entries.find((e) => e.start === f.line);
    assert.ok(entry, `${f.rule.id} at line ${f.line}: neither added nor the start of a logical line`);
    let any = false;
    for (let n = entry.start; n <= entry.end; n++) any ||= touched(n);
    assert.ok(any, `${f.rule.id} at line ${f.line}: its logical line (${entry.start}-${entry.end}) has no added line`);
  }
}

// --- generators -------------------------------------------------------------------------------

/** A credential built at run time (never in the source), and URLs that carry it as userinfo. */
const SECRET = fake.alnum(28);
const secretUrl = fc.constantFrom(
  `https://user:${SECRET}@pypi.internal.test/simple`,
  `https://${SECRET}@pypi.internal.test/simple/`,
  `http://deploy:${SECRET}@10.0.0.7:8080/simple`,
  `git+https://ci:${SECRET}@git.internal.test/team/lib.git@main#egg=lib`,
  `https://u:${SECRET}@files.internal.test/pkg-1.0-py3-none-any.whl`,
);

const NAMES = ['requests', 'flask', 'Django', 'numpy', 'reqeusts', 'my_pkg', 'a', 'zope.interface', 'python-dateutil', 'x-y_z.w'];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/));
const extras = fc.array(fc.constantFrom('security', 'socks', 'dev', 'a-b'), { maxLength: 3 }).map((e) => (e.length ? `[${e.join(',')}]` : ''));
const suffixes = ['', 'rc1', '.post0', '.dev3', 'b2'];
const publicVersion = fc.tuple(fc.array(fc.nat(30), { minLength: 1, maxLength: 4 }), fc.constantFrom(...suffixes)).map(([parts, suffix]) => parts.join('.') + suffix);
/** A local version label (`+local.1`) is allowed only with `==`, `===` and `!=`. */
const version = fc.tuple(publicVersion, fc.constantFrom('', '', '+local.1')).map(([v, local]) => v + local);
const exactPin = fc.oneof({ weight: 5, arbitrary: version.map((v) => `==${v}`) }, { weight: 1, arbitrary: version.map((v) => `===${v}`) }, { weight: 1, arbitrary: version.map((v) => ` == ${v}`) });
const loosePin = fc.oneof(
  fc.constant(''),
  publicVersion.map((v) => `>=${v}`),
  fc.tuple(fc.nat(9), publicVersion).map(([major, v]) => `~=${major}.${v}`),
  fc.tuple(publicVersion, publicVersion).map(([a, b]) => `>=${a},<${b}`),
  fc.array(fc.nat(30), { minLength: 1, maxLength: 3 }).map((parts) => `==${parts.join('.')}.*`),
  version.map((v) => `!=${v}`),
);
const marker = fc.constantFrom('', ' ; python_version >= "3.8"', "; sys_platform == 'win32'", ' ; extra == "dev" and os_name != "nt"', ';platform_machine=="x86_64"');
const DIGEST_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
const hash = fc
  .constantFrom('sha256', 'sha384', 'sha512' as const)
  .chain((alg) => fc.uint8Array({ minLength: DIGEST_BYTES[alg], maxLength: DIGEST_BYTES[alg] }).map((d) => `--hash=${alg}:${Buffer.from(d).toString('hex')}`));
const requirementOption = fc.oneof(hash, fc.constantFrom('-Ck=v', '--config-settings=k=v', "--config-settings 'a=b c'"));

/** Options and odd lines that stand on their own. */
const optionLine = fc.oneof(
  secretUrl.map((u) => `--index-url ${u}`),
  secretUrl.map((u) => `-i ${u}`),
  secretUrl.map((u) => `--extra-index-url=${u}`),
  secretUrl.map((u) => `--extra-index ${u}`),
  secretUrl.map((u) => `-f ${u}`),
  secretUrl.map((u) => `--find-links "${u}"`),
  secretUrl.map((u) => `-e ${u}`),
  fc.tuple(name, secretUrl).map(([n, u]) => `${n} @ ${u}`),
  secretUrl,
  fc.constantFrom('--trusted-host pypi.internal.test', '--require-hashes', '--pre', '-r other.txt', '-c constraints.txt', '--no-binary :all:', './local/pkg', '-e .', ''),
  fc.constantFrom('# a comment', '   # indented comment', '--bogus-option x', '--hash=md5:abc', 'name[unclosed', "--index-url 'unclosed"),
);

/** One requirement as a logical line split into physical lines with `\` continuations. */
function requirementLines(pin: fc.Arbitrary<string>) {
  return fc
    .record({ name, extras, pin, marker, options: fc.array(requirementOption, { maxLength: 3 }), split: fc.array(fc.boolean(), { maxLength: 4 }), comment: fc.boolean() })
    .map((r) => {
      const head = `${r.name}${r.extras}${r.pin}${r.marker}`;
      // A marker runs to the end of the requirement text, so options after it need a space first.
      const pieces = [head, ...r.options];
      const lines: string[] = [];
      let current = pieces[0];
      pieces.slice(1).forEach((p, i) => {
        if (r.split[i]) {
          lines.push(`${current} \\`);
          current = `    ${p}`;
        } else current += ` ${p}`;
      });
      lines.push(current + (r.comment ? '  # why this version' : ''));
      return { lines, hashed: r.options.some((o) => o.startsWith('--hash=')), exact: r.pin.trim().startsWith('==') || r.pin.startsWith('===') };
    });
}

const anyRequirement = requirementLines(fc.oneof(exactPin, loosePin));

/** Pieces that matter to a requirements parser, mixed with anything at all. */
const hostilePiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.nat(3000).map((n) => 'x'.repeat(n)) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '\n', '\r\n', '\r', '\\', '\\\n', ' \\\r\n', '#', ' #', '--hash=', '--hash=sha256:', '@', ' @ ', '[', ']', ';', '; ', '==', '===', '>=', '~=', ',', '*',
      '-e ', '-r ', '-i ', '--', '-', '=', '"', "'", '\t', ' ', '\u2028', '\uFEFF', 'é', '😀', '\0', 'git+', 'https://', 'file:', '://', '#egg=', '&', '?',
      '--index-url ', '--extra-index-url ', '--trusted-host ', '--require-hashes', '--config-settings ', '(', ')', 'python_version', '<', '"3.8"', ' and ', ' or ',
    ),
  },
  { weight: 2, arbitrary: secretUrl },
);
const hostileText = fc.array(hostilePiece, { maxLength: 40 }).map((p) => p.join(''));

// --- properties ---------------------------------------------------------------------------------

test('property: any text scans without throwing; findings point at added lines and never show the planted credential', async () => {
  await fc.assert(
    fc.asyncProperty(hostileText, fc.option(fc.array(fc.nat(40), { maxLength: 10 }), { nil: null }), async (text, addedList) => {
      const added = addedList === null ? null : new Set(addedList.map((n) => n + 1));
      const findings = await scan(changeOf(text, added ?? undefined));
      assertPointsAtAddedLine(text, added, findings);
      for (const f of findings) assert.ok(!shown(f).includes(SECRET), `${f.rule.id} shows the planted credential: ${f.message}`);
    }),
    fuzzParams(400),
  );
});

test('property: structured files (requirements, options, continuations, CRLF) never throw, never show the credential', async () => {
  const line = fc.oneof({ weight: 3, arbitrary: anyRequirement.map((r) => r.lines) }, { weight: 2, arbitrary: optionLine.map((l) => [l]) });
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.array(fc.nat(30), { maxLength: 6 }), async (groups, crlf, addedList) => {
      const text = groups.flat().join(crlf ? '\r\n' : '\n') + '\n';
      const added = addedList.length === 0 ? null : new Set(addedList.map((n) => n + 1));
      const findings = await scan(changeOf(text, added ?? undefined));
      assertPointsAtAddedLine(text, added, findings);
      for (const f of findings) assert.ok(!shown(f).includes(SECRET), `${f.rule.id} shows the planted credential: ${f.message}`);
    }),
    fuzzParams(300),
  );
});

test('property: a requirement pinned with == and carrying a --hash is never reported as unpinned (nor unparseable)', async () => {
  const pinned = requirementLines(exactPin).filter((r) => r.hashed);
  // Neighbours in a file with no --require-hashes: other requirements (some hashed), comments, index options.
  const neighbour = fc.oneof(anyRequirement.map((r) => r.lines), fc.constantFrom(['# pinned below'], [''], ['--index-url https://pypi.internal.test/simple'], ['-r base.txt']));
  await fc.assert(
    fc.asyncProperty(fc.array(neighbour, { maxLength: 5 }), pinned, fc.array(neighbour, { maxLength: 5 }), fc.boolean(), async (before, target, after, crlf) => {
      const start = before.flat().length + 1;
      const text = [...before.flat(), ...target.lines, ...after.flat()].join(crlf ? '\r\n' : '\n') + '\n';
      const findings = await scan(changeOf(text));
      const here = findings.filter((f) => f.line === start).map((f) => f.rule.id);
      assert.ok(!here.includes('requirement.unpinned'), `reported unpinned: ${JSON.stringify(target.lines)}`);
      assert.ok(!here.includes('requirement.unparseable'), `reported unparseable: ${JSON.stringify(target.lines)} ${JSON.stringify(findings.map((f) => f.message))}`);
    }),
    fuzzParams(300),
  );
});

test('property: a requirement with no exact pin is always reported (unpinned, or missing-hash when it has a --hash)', async () => {
  const loose = requirementLines(loosePin);
  await fc.assert(
    fc.asyncProperty(loose, async (target) => {
      const text = target.lines.join('\n') + '\n';
      const ids = (await scan(changeOf(text))).filter((f) => f.line === 1).map((f) => f.rule.id);
      assert.ok(ids.includes(target.hashed ? 'requirement.missing-hash' : 'requirement.unpinned'), `${JSON.stringify(text)} gave ${ids.join(', ')}`);
    }),
    fuzzParams(200),
  );
});

test('regression: a URL line holding two credentialed URLs shows neither credential (safeUrl hid only the first)', async () => {
  // Found by the first property: `https://u:<pw>@h/x https://u:<pw>@h/y` printed the second password.
  const text = `https://u:${SECRET}@files.internal.test/a.whl https://user:${SECRET}@pypi.internal.test/simple\n`;
  const findings = await scan(changeOf(text));
  assert.ok(findings.some((f) => f.rule.id === 'requirement.url-unpinned'));
  for (const f of findings) assert.ok(!shown(f).includes(SECRET), f.message);
});

test('regression: an unparseable line whose parse error quotes it from "://" on shows no credential', async () => {
  // Found by the first property: `htps://u:<pw>@host/…` is no URL to pip, so it is parsed as a name and
  // the error quoted `"://u:<pw>@host…"`, a fragment without its scheme that hideCredentials let through.
  for (const text of [`htps://user:${SECRET}@pypi.internal.test/simple\n`, `xxxxxhttps://u:${SECRET}@files.internal.test/a.whl\n`]) {
    const findings = await scan(changeOf(text));
    assert.ok(findings.some((f) => f.rule.id === 'requirement.unparseable'), text);
    for (const f of findings) assert.ok(!shown(f).includes(SECRET), f.message);
  }
});

test('regression: a VCS URL whose #egg= name holds a credentialed URL shows no credential', async () => {
  // Found by the first property: the #egg= name (any text up to `&`) went into the url-unpinned and
  // look-alike messages as written.
  for (const text of [`git+https://git.internal.test/lib.git@main#egg=https://user:${SECRET}@pypi.internal.test/simple\n`, `-e git+https://h/r.git#egg=lib https://u:${SECRET}@h\n`]) {
    const findings = await scan(changeOf(text));
    assert.ok(findings.length > 0, text);
    for (const f of findings) assert.ok(!shown(f).includes(SECRET), f.message);
  }
});

test('hostile shapes: very long tokens, runs of backslashes, brackets and hashes finish and report unparseable lines', async () => {
  for (const text of [
    `${'\\'.repeat(50_000)}\n`,
    `requests${'['.repeat(50_000)}\n`,
    `--hash=${'sha256:'.repeat(10_000)}\n`,
    `a==1 ${'#'.repeat(50_000)}\n`,
    `${'a'.repeat(200_000)}==1\n`,
    `x @ https://user:${SECRET}@h/${'@'.repeat(20_000)}\n`,
    `${'-e '.repeat(10_000)}\n`,
    `${'a==1 \\\n'.repeat(5_000)}`,
    `${' \\\r\n'.repeat(5_000)}--hash=sha256:${'0'.repeat(64)}\r\n`,
  ]) {
    const findings = await scan(changeOf(text));
    assertPointsAtAddedLine(text, null, findings);
    for (const f of findings) {
      assert.ok(f.message.length < 2000, `${f.rule.id}: a message of ${f.message.length} characters`);
      assert.ok(!shown(f).includes(SECRET));
    }
  }
});

test('a finding on a continued requirement points at the line the change added, not its unchanged first line', async () => {
  // `flask \` (unchanged) + `  --config-settings=x` (added): the requirement is judged whole, reported on line 2.
  const text = 'flask \\\n  --config-settings=x\n';
  const findings = await scan(changeOf(text, new Set([2])));
  assert.ok(findings.length > 0);
  for (const f of findings) assert.equal(f.line, 2, `${f.rule.id} at line ${f.line}`);
});
