// Measures requirement.look-alike on two lists nobody here wrote (not shipped; see
// docs/pickle-and-requirements.md):
//  (a) published PyPI typosquats (test/requirements/published-typosquats.csv): the share flagged;
//  (b) the real project names of Debian's python3-* packages outside the bundled top list: the
//      share that warns (false alarms). The names come from `apt-cache search --names-only '^python3-'`
//      (python3-foo → foo, a `-dbg` suffix dropped), or from a file given with --debian <file>.
//  (c) with --held-out <file>: a second list of published typosquats, `name,target` a line, kept
//      outside the repository (the rows also in (a) are left out), to see whether what was tuned on
//      (a) holds on names it was not tuned on.
//  --no-protected measures without the protected names (src/rules/requirements/protected-names.ts),
//  to show what the ranking and the general signals reach alone.
// Usage: node --import tsx scripts/measure/look-alike.ts [--debian names.txt] [--held-out squats.csv] [--no-protected] [--verbose]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDataFile } from '../../src/rules/requirements/data-file.ts';
import { lookAlikeOf, parseTopPackages, TOP_PACKAGES_FILE } from '../../src/rules/requirements/look-alike.ts';
import { bundledTopPackages } from '../../src/rules/requirements/ranking-index.ts';
import { normalizeName } from '../../src/rules/requirements/pep508.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const debianFile = args.includes('--debian') ? args[args.indexOf('--debian') + 1] : null;
const heldOutFile = args.includes('--held-out') ? args[args.indexOf('--held-out') + 1] : null;

const top = args.includes('--no-protected') ? parseTopPackages(readFileSync(findDataFile(TOP_PACKAGES_FILE)!, 'utf8'), []) : bundledTopPackages();
if (!top) throw new Error('data/pypi-top-packages.tsv not found');

// (a) published typosquats; (c) the held-out list, measured the same way.
interface SquatFigures {
  flagged: number;
  count: number;
  knownTargets: number;
  flaggedKnownTargets: number;
  missed: string[];
  notSquats: string[];
}
function readSquats(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(',').map((f) => f.trim()));
}
function measureSquats(rows: string[][]): SquatFigures {
  const f: SquatFigures = { flagged: 0, count: 0, knownTargets: 0, flaggedKnownTargets: 0, missed: [], notSquats: [] };
  for (const [name, target] of rows) {
    const n = normalizeName(name);
    if (n === normalizeName(target) || top!.known.has(n)) {
      // Not a look-alike by PEP 503 (`my_package` is `my-package`), or itself a popular project.
      f.notSquats.push(`${name} (${n === normalizeName(target) ? 'same normalized name as' : 'itself in the top list, imitating'} ${target})`);
      continue;
    }
    f.count++;
    const found = lookAlikeOf(n, top!);
    const targetKnown = top!.known.has(normalizeName(target));
    if (targetKnown) f.knownTargets++;
    if (found) f.flagged++;
    if (found && targetKnown) f.flaggedKnownTargets++;
    if (!found) f.missed.push(`${name} → ${target}${targetKnown ? '' : ' (target not in the top list)'}`);
  }
  return f;
}
const published = readSquats(readFileSync(join(ROOT, 'test/requirements/published-typosquats.csv'), 'utf8'));
const a = measureSquats(published);
const inPublished = new Set(published.map(([name]) => normalizeName(name)));
const c = heldOutFile ? measureSquats(readSquats(readFileSync(heldOutFile, 'utf8')).filter(([name]) => !inPublished.has(normalizeName(name)))) : null;

// (b) Debian python3-* project names outside the top list. A binary package's name after `python3-`
// approximates the project's; where its source package (with or without `python-`) or the last part
// of its homepage is a listed project, that is the project (`python3-dateutil` is python-dateutil,
// `python3-openssl` is pyopenssl), so it is not an outside name.
interface DebianPackage {
  name: string;
  source: string | null;
  homepage: string | null;
}
function debianPackages(): DebianPackage[] {
  if (debianFile) return readFileSync(debianFile, 'utf8').split('\n').map((name) => ({ name: name.trim(), source: null, homepage: null }));
  const names = execFileSync('apt-cache', ['search', '--names-only', '^python3-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n !== '');
  const show = execFileSync('apt-cache', ['show', '--no-all-versions', ...names], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out: DebianPackage[] = [];
  for (const stanza of show.split(/\n\n+/)) {
    const field = (key: string) => new RegExp(`^${key}: *(\\S+)`, 'm').exec(stanza)?.[1] ?? null;
    const name = field('Package');
    if (name) out.push({ name, source: field('Source'), homepage: field('Homepage') });
  }
  return out;
}
const projects = new Set<string>();
let inTop = 0;
for (const pkg of debianPackages()) {
  const name = pkg.name.replace(/^python3-/, '').replace(/-dbg$/, '');
  if (name === '') continue;
  const candidates = [name, pkg.source, pkg.source?.replace(/^python3?-/, ''), pkg.homepage?.replace(/\/+$/, '').split('/').pop()]
    .filter((c): c is string => typeof c === 'string' && c !== '')
    .map(normalizeName);
  if (candidates.some((c) => top.known.has(c))) {
    inTop++;
    continue;
  }
  projects.add(normalizeName(name));
}
const warned: string[] = [];
for (const n of projects) {
  const found = lookAlikeOf(n, top);
  if (found) warned.push(`${n} → ${found}`);
}

const pct = (x: number, y: number) => `${((100 * x) / Math.max(y, 1)).toFixed(1)} %`;
const squatLines = (label: string, f: SquatFigures) => [
  `${label}: ${f.flagged} of ${f.count} flagged (${pct(f.flagged, f.count)}); ${f.notSquats.length} rows left out (not a different name once normalized, or itself a top project)`,
  `    of them imitating a project in the bundled top list: ${f.flaggedKnownTargets} of ${f.knownTargets} flagged (${pct(f.flaggedKnownTargets, f.knownTargets)})`,
];
console.log(squatLines('(a) published typosquats', a).join('\n'));
console.log(`(b) Debian python3-* projects outside the top list: ${warned.length} of ${projects.size} warn (${pct(warned.length, projects.size)}); ${inTop} packages are top projects`);
if (c) console.log(squatLines('(c) held-out typosquats', c).join('\n'));
if (verbose) {
  console.log(`\nleft out:\n  ${a.notSquats.join('\n  ')}`);
  console.log(`\nmissed:\n  ${a.missed.join('\n  ')}`);
  console.log(`\nDebian warnings:\n  ${warned.join('\n  ')}`);
  if (c) console.log(`\nheld-out left out:\n  ${c.notSquats.join('\n  ')}\n\nheld-out missed:\n  ${c.missed.join('\n  ')}`);
}
