import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './helpers/git.ts';
import { RULES_DOC, renderRulesDoc } from '../scripts/rules-doc.ts';
import { allRuleNames, allRules } from '../src/rules/index.ts';

test('every rule has an id, a one-line title and a full doc', () => {
  const ids = new Set<string>();
  for (const rule of allRules()) {
    assert.match(rule.id, /^[a-z][a-z0-9-]*\.[a-z0-9.-]+$/, rule.id);
    assert.ok(!ids.has(rule.id), `duplicate rule id ${rule.id}`);
    ids.add(rule.id);
    assert.ok(rule.title.length > 0 && !rule.title.includes('\n'), `${rule.id} title`);
    for (const key of ['catches', 'why', 'fix'] as const) assert.ok(rule.doc[key].length > 10, `${rule.id} doc.${key}`);
  }
});

test('docs/rules.md is generated from the rules and up to date', () => {
  assert.equal(readFileSync(RULES_DOC, 'utf8'), renderRulesDoc(allRules()), 'run `npm run docs` to regenerate docs/rules.md');
  for (const rule of allRules()) assert.ok(readFileSync(RULES_DOC, 'utf8').includes(`### ${rule.id}\n`), rule.id);
});

/** Markdown links of a file: [text](target), without code spans. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

test('README: at most 25 KB, every link inside the repository resolves, and a link that leaves it goes to a public site', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(Buffer.byteLength(readme) <= 25 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
  for (const file of ['README.md', ...['rules', 'architecture', 'performance'].map((d) => `docs/${d}.md`)]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const target of links(text)) {
      if (/^https:\/\//.test(target)) {
        assert.doesNotMatch(target, /localhost|127\.0\.0\.1|\.internal\b|\.local\b/, `${file}: ${target}`);
        continue;
      }
      assert.doesNotMatch(target, /^[a-z]+:/i, `${file}: ${target} is neither https nor a file of the repository`);
      const path = target.split('#')[0]!;
      if (!path) continue;
      const full = resolve(dirname(join(ROOT, file)), path);
      assert.ok(full.startsWith(`${ROOT}/`) || full === ROOT, `${file}: ${target} leaves the repository`);
      assert.ok(existsSync(full), `${file}: ${target} does not exist`);
    }
  }
});

test("the names a config's [rules] is checked against are every rule's id and category", () => {
  // The secrets table gives its names without making its rows (detector.ts ruleNames).
  assert.deepEqual(allRuleNames().map((r) => `${r.id} ${r.category}`), allRules().map((r) => `${r.id} ${r.category}`));
});
