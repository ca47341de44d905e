/**
 * Writes every gitleaks published example (true and false) as a file of a new git repository and
 * stages them, for comparing two builds' reports on them through the CLI (docs/performance.md,
 * round 6). Not shipped; holds no gitleaks content: it reads a gitleaks checkout at run time.
 *
 *   node --import tsx scripts/measure/gitleaks-example-files.ts --gitleaks DIR --out REPO [--seed N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { guessPath, loadExamples } from './gitleaks-examples.ts';

const args = process.argv.slice(2);
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const dir = value('--gitleaks') ?? process.env.GITLEAKS_DIR;
const out = value('--out');
if (!dir || !out) {
  console.error('gitleaks-example-files: give --gitleaks DIR and --out REPO');
  process.exit(2);
}
const { rules } = await loadExamples(dir, Number(value('--seed') ?? 1));
execFileSync('git', ['init', '-q', out]);
let files = 0;
for (const r of rules) {
  for (const [kind, examples] of [['tp', r.truePositives], ['fp', r.falsePositives]] as const) {
    examples.forEach((e, n) => {
      const path = join(out, r.rule, `${kind}${n}`, e.path ?? guessPath(e.text));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, e.text.endsWith('\n') ? e.text : `${e.text}\n`);
      files++;
    });
  }
}
execFileSync('git', ['-C', out, 'add', '-A']);
console.log(`${files} examples staged in ${out}`);
