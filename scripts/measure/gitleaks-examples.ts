/**
 * How many of gitleaks' published per-rule examples gitward blocks: the true examples each
 * gitleaks rule must find, and the false ones it must not. Not shipped (scripts/ is outside the
 * package's "files"); holds no gitleaks content: it reads a gitleaks checkout at run time.
 *
 *   node --import tsx scripts/measure/gitleaks-examples.ts [--gitleaks DIR] [--seed N]
 *        [--misses] [--false-blocks] [--rule ID] [--json]
 *
 * DIR is a gitleaks clone or bare git directory (default: $GITLEAKS_DIR). Each example is the
 * added content of one new file, named as the example suggests (its syntax), scanned by every
 * detector with the default configuration; "blocked" means at least one finding of severity
 * block. A false example counts only when it is not also a true example of another rule.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/types.ts';
import { Scanner } from '../../src/engine/scan.ts';
import { DETECTORS } from '../../src/rules/index.ts';
import { fileChangeOf } from '../../test/helpers/change.ts';
import { GoExamples, type Example, type RuleExamples } from './go-examples.ts';
import { seeded } from './regex-sample.ts';

const RULES_DIR = 'cmd/generate/config/rules';
const MAIN = 'cmd/generate/config/main.go';

function readSources(dir: string): { files: { name: string; text: string }[]; main: string } {
  const bare = existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'));
  if (bare) {
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const names = git('ls-tree', '--name-only', `HEAD:${RULES_DIR}`).split('\n').filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
    return { files: names.map((name) => ({ name, text: git('show', `HEAD:${RULES_DIR}/${name}`) })), main: git('show', `HEAD:${MAIN}`) };
  }
  const names = readdirSync(join(dir, RULES_DIR)).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
  return { files: names.map((name) => ({ name, text: readFileSync(join(dir, RULES_DIR, name), 'utf8') })), main: readFileSync(join(dir, MAIN), 'utf8') };
}

/** A file name for an example whose syntax gitleaks does not name, guessed from its text. */
export function guessPath(text: string): string {
  const t = text.trim();
  if (/^<\?php|\$\w+\s*(?:\.?=|=>)|define\(\s*['"]/.test(t)) return 'config.php';
  if (/^</.test(t) || /<\/\w[\w:.-]*>/.test(t)) return 'config.xml';
  if (/^[{[]/.test(t) && /"\s*:/.test(t)) return 'config.json';
  if (/^(?:package |func |import \(|var \w+ (?:string|=)|\w+ := )/m.test(t)) return 'main.go';
  if (/^\s*(?:curl|export|wget)\s/m.test(t) || /^#!/.test(t)) return 'script.sh';
  if (/^\s*(?:ENV|ARG|FROM|RUN)\s/m.test(t)) return 'Dockerfile';
  if (/^\s*(?:const|let|var)\s+\w+\s*=|require\(|=>\s*\{|\bnew \w+\(/m.test(t)) return 'config.js';
  if (/^\s*(?:public|private|String|final)\s/m.test(t)) return 'Config.java';
  if (/^\s*[\w.-]+:\s+\S/m.test(t) && !/[;{}]\s*$/m.test(t)) return 'config.yaml';
  if (/^\s*[\w.-]+\s*=\s*\S/m.test(t)) return 'config.ini';
  return 'example.txt';
}

export interface Outcome {
  rule: string;
  kind: 'tp' | 'fp';
  path: string;
  text: string;
  blocked: boolean;
  /** Rule ids of the blocking findings. */
  by: string[];
}

export async function loadExamples(dir: string, seed: number): Promise<{ rules: RuleExamples[]; failures: string[] }> {
  const { files, main } = readSources(dir);
  const reader = new GoExamples(seeded(seed));
  reader.load(files);
  const names = [...main.matchAll(/rules\.(\w+)\(\)/g)].map((m) => m[1]!);
  reader.runAll(names);
  return { rules: reader.rules, failures: reader.failures };
}

async function blockedBy(example: Example): Promise<{ path: string; by: string[] }> {
  const path = example.path ?? guessPath(example.text);
  const scanner = new Scanner({ config: defaultConfig(), detectors: DETECTORS });
  await scanner.scanChange(fileChangeOf(path, example.text.endsWith('\n') ? example.text : `${example.text}\n`));
  return { path, by: scanner.result().findings.filter((f) => f.severity === 'block').map((f) => f.rule) };
}

export async function measure(rules: RuleExamples[]): Promise<Outcome[]> {
  const trueTexts = new Map<string, Set<string>>();
  for (const r of rules) for (const e of r.truePositives) (trueTexts.get(e.text) ?? trueTexts.set(e.text, new Set()).get(e.text)!).add(r.rule);
  const out: Outcome[] = [];
  for (const r of rules) {
    for (const e of r.truePositives) out.push({ rule: r.rule, kind: 'tp', text: e.text, blocked: false, ...(await blockedBy(e)) });
    for (const e of r.falsePositives) {
      const owners = trueTexts.get(e.text);
      if (owners && [...owners].some((o) => o !== r.rule)) continue; // another rule's true example
      out.push({ rule: r.rule, kind: 'fp', text: e.text, blocked: false, ...(await blockedBy(e)) });
    }
  }
  for (const o of out) o.blocked = o.by.length > 0;
  return out;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
}

/** One line, secrets shortened, for reading misses without printing a whole token. */
function shown(text: string): string {
  const one = text.replace(/\n/g, '\\n');
  return one.length > 160 ? `${one.slice(0, 157)}...` : one;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const k = args.indexOf(flag);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const dir = value('--gitleaks') ?? process.env.GITLEAKS_DIR;
  if (!dir) {
    console.error('gitleaks-examples: give --gitleaks DIR (a gitleaks clone or bare git directory) or set GITLEAKS_DIR');
    process.exit(2);
  }
  const seed = Number(value('--seed') ?? 1);
  const only = value('--rule');
  const { rules, failures } = await loadExamples(dir, seed);
  for (const f of failures) console.error(`not read: ${f}`);
  const outcomes = (await measure(rules)).filter((o) => !only || o.rule === only);
  if (args.includes('--json')) {
    console.log(JSON.stringify(outcomes, null, 1));
    return;
  }
  const tps = outcomes.filter((o) => o.kind === 'tp');
  const fps = outcomes.filter((o) => o.kind === 'fp');
  const tpBlocked = tps.filter((o) => o.blocked).length;
  const fpBlocked = fps.filter((o) => o.blocked).length;
  if (args.includes('--misses')) {
    const byRule = new Map<string, Outcome[]>();
    for (const o of tps) if (!o.blocked) (byRule.get(o.rule) ?? byRule.set(o.rule, []).get(o.rule)!).push(o);
    for (const [rule, misses] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
      const total = tps.filter((o) => o.rule === rule).length;
      console.log(`\n${rule}: ${misses.length}/${total} missed`);
      for (const m of misses) console.log(`  [${m.path}] ${shown(m.text)}`);
    }
  }
  if (args.includes('--false-blocks')) {
    for (const o of fps.filter((x) => x.blocked)) console.log(`FALSE BLOCK ${o.rule} by ${o.by.join(',')} [${o.path}] ${shown(o.text)}`);
  }
  console.log(`gitleaks rules read: ${rules.length} (${failures.length} not read)`);
  console.log(`true examples blocked:  ${tpBlocked}/${tps.length} = ${percent(tpBlocked, tps.length)}`);
  console.log(`false examples blocked: ${fpBlocked}/${fps.length} = ${percent(fpBlocked, fps.length)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
