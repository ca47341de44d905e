// The high-entropy warning's thresholds, pinned with strings of a stated entropy made by
// entropy-string (from a seeded generator, so every run sees the same strings). The rule reports a
// token of 32+ characters whose measured entropy is at least 4.5 bits a character and 85% of what
// its alphabet could carry (62 letters and digits: 5.95 bits), or 96% of what a random string of
// its length and alphabet measures on average. So 6 bits a character is reported, 5 bits (just
// under 85%) and 4 bits never are, and neither is a random string under 32 characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CharSet, Entropy, charset32 } from 'entropy-string';
import { Repo } from './helpers/git.ts';

const RULE = 'secret.high-entropy-string';

/** mulberry32: a small seeded generator of bytes for entropy-string's stringWithBytes. */
function seededBytes(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

function strings(count: number, bits: number, charset: CharSet, seed: number, keep: (s: string) => boolean = () => true): string[] {
  const entropy = new Entropy({ bits, charset });
  const bytes = seededBytes(seed);
  const out: string[] = [];
  while (out.length < count) {
    const s = entropy.stringWithBytes(bytes(entropy.bytesNeeded()));
    if (keep(s)) out.push(s);
  }
  return out;
}

/** Scans one staged Python file holding each string on a line of its own; returns the lines the rule reported. */
function reportedLines(values: string[]): Set<number> {
  const repo = Repo.init();
  const content = values.map((v, i) => `VALUE_${i} = "${v}"\n`).join('');
  const { json } = repo.stageAndScan({ 'values.py': content });
  return new Set(json.findings.filter((f) => f.rule === RULE).map((f) => f.line!));
}

/** 64 characters (6 bits each) a key may hold: letters, digits, `+` and `=` (no `/`, `-` or `_`, whose runs read as paths). */
const KEY64 = new CharSet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=');

test('6 bits a character (768-bit strings, 128 characters): every one is reported', () => {
  // No `=` inside: `name=value` reads as a flag or query string, whose value alone is judged.
  const values = strings(40, 768, KEY64, 1, (s) => !s.includes('='));
  assert.ok(values.every((v) => v.length === 128));
  const lines = reportedLines(values);
  assert.equal(lines.size, values.length, `reported ${lines.size} of ${values.length}`);
});

test('6 bits a character, 32 to 72 characters: at least 85 % reported (a short sample of a random key measures under 85 % of its alphabet)', () => {
  // Against 85 % of log2 of the alphabet alone, 24, 33, 32 and 33 of each 40 were reported.
  for (const [bits, seed] of [[192, 11], [336, 12], [384, 13], [432, 14]] as const) {
    const values = strings(40, bits, KEY64, seed, (s) => !s.includes('='));
    const lines = reportedLines(values);
    assert.ok(lines.size >= 34, `${values[0]!.length} characters: reported ${lines.size} of ${values.length}`);
  }
});

test('5 bits a character (32 characters, mixed case and digits): never reported, however long', () => {
  const values = [...strings(20, 256, charset32, 6), ...strings(20, 512, charset32, 7), ...strings(20, 1024, charset32, 8)];
  assert.ok(values.every((v) => v.length >= 52 && /[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v)));
  assert.deepEqual([...reportedLines(values)], []);
});

test('4 bits a character or less (16 or 8 characters, mixed case and digits): never reported, however long', () => {
  const sixteen = new CharSet('aB3dE5gH7jK9mN2p');
  const eight = new CharSet('aB3dE5gH');
  const values = [...strings(20, 256, sixteen, 2), ...strings(20, 512, sixteen, 3), ...strings(20, 192, eight, 4)];
  assert.ok(values.every((v) => v.length >= 64));
  assert.deepEqual([...reportedLines(values)], []);
});

test('6 bits a character but shorter than 32 characters: not reported', () => {
  const values = strings(40, 180, KEY64, 5); // 30 characters
  assert.ok(values.every((v) => v.length === 30));
  assert.deepEqual([...reportedLines(values)], []);
});
