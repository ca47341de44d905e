// Prints the letter pairs common in English words, for src/rules/secrets/english-bigrams.ts:
// every pair that makes at least 0.02 % of the pairs inside the lower-case words (three letters or
// more) of a tree of text, by default CPython's standard library (its docstrings and comments).
//   node --import tsx scripts/english-bigrams.ts [/usr/lib/python3.11]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? '/usr/lib/python3.11';
const counts = new Map<string, number>();
let total = 0;
const walk = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.py')) {
      for (const [word] of readFileSync(path, 'utf8').matchAll(/(?<![A-Za-z_])[a-z]{3,}(?![A-Za-z_0-9])/g)) {
        for (let i = 0; i + 1 < word.length; i++) {
          const pair = word.slice(i, i + 2);
          counts.set(pair, (counts.get(pair) ?? 0) + 1);
          total++;
        }
      }
    }
  }
};
walk(root);
const common = [...counts].filter(([, n]) => n / total >= 0.0002).map(([pair]) => pair).sort();
console.log(`${common.length} pairs from ${total} in ${root}`);
console.log(common.join(''));
