import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stagedSarif } from './helpers/sarif.ts';
import { fake, join } from '../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../src/rules/secrets/validity.ts';

// A provider row whose pattern starts with a literal (`ghp_`, `xox`) is tried at each place the
// literal stands, not searched from the first one on: a place where the pattern does not match
// (too short, glued to a word, a wrong letter after it) must not end the search, nor hide a token
// after it, in a short line or in a long line cut into windows.

const githubPat = () => withBase62Checksum(join('gh', 'p_'), fake.alnum(30));
const slackBot = () => `${join('xox', 'b-')}${fake.digits(12)}-${fake.digits(13)}-${fake.alnum(24)}`;

/** Places where each row's literal stands but its pattern does not match. */
const decoys = () => [join('gh', 'p_'), `x${join('gh', 'p_')}${fake.alnum(36)}`, `${join('gh', 'p_')}${fake.alnum(8)}`, join('xox', 'q-1'), `a${join('xox', 'b-')}${fake.digits(12)}`];

test('a provider token after places where its leading literal stands unmatched is found, in short and windowed lines', () => {
  const tokens: string[] = [];
  const token = (make: () => string) => {
    const t = make();
    tokens.push(t);
    return t;
  };
  // Short lines: decoys, then two tokens of each row with decoys between them.
  const short = [
    `a = "${decoys().join(' ')} ${token(githubPat)} ${decoys().join(',')} ${token(githubPat)}"`,
    `b = "${decoys().join(';')} ${token(slackBot)} ${decoys().join(' ')} ${token(slackBot)}"`,
  ];
  const shortTokens = tokens.splice(0);
  // A line of 2.5 MiB: decoys everywhere, tokens in the first, second and third windows.
  const filler = (n: number) => '{"id":1,"v":"abc"},'.repeat(Math.ceil(n / 19)).slice(0, n);
  const part = () => `${filler(700_000)}"${decoys().join('","')}","${token(githubPat)}","${decoys().join('","')}","${token(slackBot)}",`;
  const long = `[${part()}${part()}${part()}${filler(200_000)}"${decoys().join('","')}"]`;
  const results = stagedSarif({ 'config.py': `${short.join('\n')}\n`, 'data.min.json': `${long}\n` });
  const where = (uri: string) =>
    results
      // The decoys' random runs may read as high-entropy strings: only the two rows are compared.
      .filter((r) => r.uri === uri && (r.rule === 'secret.github-pat' || r.rule === 'secret.slack-bot-token'))
      .map((r) => [r.rule, r.line, r.column] as const)
      .sort((a, b) => a[1] - b[1] || a[2]! - b[2]!);
  const expected = (lines: string[], found: string[]) =>
    found
      .map((t) => {
        const line = lines.findIndex((l) => l.includes(t));
        return [t.startsWith('gh') ? 'secret.github-pat' : 'secret.slack-bot-token', line + 1, lines[line]!.indexOf(t) + 1] as const;
      })
      .sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  assert.deepEqual(where('config.py'), expected(short, shortTokens), JSON.stringify(results));
  assert.deepEqual(where('data.min.json'), expected([long], tokens), JSON.stringify(results));
});
