import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanLinesForTest, scanWithoutForTest } from '../src/rules/secrets/detector.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { ASSIGNMENT_LEAD_FOR_TEST } from '../src/rules/secrets/assignment.ts';

// The generic assignment rule skips its regular expression on lines where no hint word can sit in
// the name of an assignment it would report. That pre-check must never change a finding: every
// line here is scanned with it and without it, and both must give the same findings.
const hint = fc.constantFrom('pass', 'PASSWD', 'pwd', 'pw', 'Pw', 'secret', 'Token', 'key', 'apiKey', 'auth', 'cred', 'bearer', 'count', 'x');
// Fillers make names near the 61-character limit; judge() reads only the part after the last dot.
const filler = fc.tuple(fc.nat({ max: 70 }), fc.constantFrom('ab_.-9Q', 'ab_-9Q')).map(([n, piece]) => piece.repeat(12).slice(0, n));
const short = fc.oneof({ arbitrary: fc.constantFrom('', 'db_', 'my', 'x.'), weight: 3 }, { arbitrary: filler, weight: 1 });
const name = fc.tuple(short, hint, short).map(([a, h, b]) => a + h + b);
const spaces = fc.constantFrom('', ' ', '  ', '    ', '     ', '      ', '\t', '\u00a0');
const operator = fc.constantFrom('=', ':', ':=', '=>', '==', '!=', ',', '', ' = ', '::=', ':::=', '?=', '+=', '.=', '??=', ' string = ', ': String = ', '>', '", "');
const value = fc.oneof(
  fc.constant(null).map(() => `"${join(fake.alnum(12), fake.base64url(20))}"`),
  fc.constant(null).map(() => join(fake.alnum(10), '#', fake.alnum(6))),
  fc.constant(null).map(() => `'${join('Kx9', '#mQ2v!', fake.alnum(4))}'`),
  fc.constantFrom('os.environ["X"]', 'get_token()', '"changeme"', '`' + 'Tr0ub4dor&3x' + '`', '</x>'),
  fc.constant(null).map(() => `b'${join(fake.alnum(12), '\\x8f', fake.base64url(12))}'`),
  fc.constant(null).map(() => `${join(fake.alnum(12), fake.base64url(22))}</password>`),
);
const assignment = fc
  .tuple(fc.constantFrom('', 'x = 1; ', '{"', 'ENV ', 'ARG ', '  ', 'self.', ';', '?', '&', '${', '<', '"', 'var ', 'String '), name, fc.constantFrom('', '"', "'", '`'), fc.constantFrom('', ']'), spaces, operator, spaces, value)
  .map((parts) => parts.join(''));
const line = fc.oneof(
  fc.array(assignment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' ')),
  fc.array(fc.oneof(hint, operator, spaces, value, fc.string({ maxLength: 6 })), { maxLength: 16 }).map((parts) => parts.join('')),
);
const path = fc.constantFrom('app.py', 'settings.yaml', 'Dockerfile', '.env', 'config.json', 'notes.txt', 'main.go', 'Makefile', 'web.config', 'App.java', 'Db.cs');

test('the assignment pre-check changes no finding (scanned with and without it)', () => {
  let generic = 0;
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), path, (lines, file) => {
      const without = scanWithoutForTest('assignment-precheck', file, lines);
      generic += without.filter((f) => f.rule.id === 'secret.generic-assignment').length;
      const shape = (findings: typeof without) => findings.map((f) => `${f.rule.id}@${f.line}:${f.column}`);
      assert.deepEqual(shape(scanLinesForTest(file, lines)), shape(without), JSON.stringify(lines.map((l) => l.replace(/[A-Za-z0-9]/g, 'a'))));
    }),
    { numRuns: 20000 },
  );
  // The comparison means something only if many lines are reported.
  assert.ok(generic > 500, `only ${generic} generic findings in the generated lines`);
});

// The assignment walk skips to just before each hint word, past a character its pattern cannot
// consume before a value (LEAD's complement), and judges only matches holding a hint word: lines
// of records whose other keys, values and separators make the whole walk resume inside values,
// stop at `{`, `/`, `;`, `(` or a non-ASCII letter, and meet hint words in keys and in values.
const key = fc.oneof(
  fc.constantFrom('id', 'type', 'status', 'msg', 'event', 'path', 'user_id', 'description', 'x.y', 'key.validate', 'keyName', 'token_count', 'public_key', 'csrf_token'),
  name,
);
const jsonValue = fc.oneof(
  value,
  fc.constantFrom('"token"', '"secret value."', '"/api/v1/keys/12"', '"Mozilla/5.0 (X11; Linux)"', '12', 'true', '"a=b;password=c"', '"k\u00e9y"', '"{x}"'),
  fc.constant(null).map(() => `"TOKEN=${join(fake.alnum(10), fake.base64url(14))}"`),
);
const separator = fc.constantFrom(',', ', ', ',"', '}', '},{', '{', ';', ' / ', '(', ') ', '\u00e9', ' ', '&', '?', '|', '\\');
const record = fc.array(fc.tuple(fc.constantFrom('"', "'", ''), key, fc.constantFrom('"', "'", ''), operator, spaces, jsonValue, separator), { minLength: 1, maxLength: 8 })
  .map((fields) => fields.map((f) => f.join('')).join(''));

test('the assignment walk over hint words changes no finding (records with many keys)', () => {
  let generic = 0;
  fc.assert(
    fc.property(fc.array(record, { minLength: 1, maxLength: 3 }), path, (lines, file) => {
      const without = scanWithoutForTest('assignment-precheck', file, lines);
      generic += without.filter((f) => f.rule.id === 'secret.generic-assignment').length;
      const shape = (findings: typeof without) => findings.map((f) => `${f.rule.id}@${f.line}:${f.column}:${f.secret}`);
      assert.deepEqual(shape(scanLinesForTest(file, lines)), shape(without), JSON.stringify(lines));
    }),
    { numRuns: 20000 },
  );
  assert.ok(generic > 500, `only ${generic} generic findings in the generated lines`);
});

test('LEAD holds exactly the characters the assignment pattern consumes before a value', () => {
  const lead = /^[A-Za-z0-9_.'"`[\]*?:<>=+!~,\s-]$/;
  const differ: string[] = [];
  for (let c = 0; c < 65536; c++) if ((ASSIGNMENT_LEAD_FOR_TEST[c] === 1) !== lead.test(String.fromCharCode(c))) differ.push(c.toString(16));
  assert.deepEqual(differ, []);
});
