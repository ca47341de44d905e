import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { ConfigError } from '../engine/errors.ts';
import type { ConfiguredSeverity } from '../engine/types.ts';
import { defaultConfig, type GitwardConfig } from './types.ts';
import { failer, read } from './section.ts';
import { CONFIG_SECTIONS } from './sections.ts';
import { allRuleNames } from '../rules/index.ts';
import { ruleNameHint, selectRules } from '../rules/names.ts';
import { parseCustomRules } from '../rules/secrets/custom.ts';
import { customMeta } from '../rules/secrets/detector.ts';

const TOP_KEYS = ['exclude', 'allow-values', 'allow-patterns', 'allow-fingerprints', 'inline-allow', 'rules', 'limits', 'custom-rules'];
const SEVERITIES: readonly ConfiguredSeverity[] = ['block', 'warn', 'off'];

/** Parses the TOML text of a config file. Data only: nothing in it is ever run. */
export function parseConfigText(text: string, file: string, pyproject = false): GitwardConfig | null {
  const fail = failer(file);
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    // The parser's own line and column, and its reason without the document's prefix.
    const e = error as Error & { line?: number; column?: number };
    const message = (e.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    const where = e.line !== undefined ? `line ${e.line}, column ${e.column ?? 1}: ` : '';
    return fail(`not valid TOML: ${where}${message}`);
  }
  let table: Record<string, unknown> = doc;
  if (pyproject) {
    const tool = doc.tool as Record<string, unknown> | undefined;
    if (!tool || typeof tool !== 'object' || tool.gitward === undefined) return null;
    table = read.table(tool.gitward, 'tool.gitward', fail);
  }
  return configFromTable(table, file);
}

export function configFromTable(table: Record<string, unknown>, file: string): GitwardConfig {
  const fail = failer(file);
  const config = defaultConfig();
  config.source = file;
  const sectionNames = CONFIG_SECTIONS.map((s) => s.name);
  read.onlyKeys(table, [...TOP_KEYS, ...sectionNames], 'the config', fail);
  if (table.exclude !== undefined) config.exclude = read.strings(table.exclude, 'exclude', fail);
  if (table['allow-values'] !== undefined) config.allowValues = read.strings(table['allow-values'], 'allow-values', fail);
  if (table['allow-patterns'] !== undefined) config.allowPatterns = read.regexes(table['allow-patterns'], 'allow-patterns', fail);
  if (table['allow-fingerprints'] !== undefined) {
    config.allowFingerprints = read.strings(table['allow-fingerprints'], 'allow-fingerprints', fail);
  }
  if (table['inline-allow'] !== undefined) config.inlineAllow = read.bool(table['inline-allow'], 'inline-allow', fail);
  // Custom rules first: [rules] may set their levels too.
  if (table['custom-rules'] !== undefined) config.customRules = parseCustomRules(table['custom-rules'], fail);
  if (table.rules !== undefined) {
    const rules = read.table(table.rules, 'rules', fail);
    const known = [...allRuleNames(), ...config.customRules.map(customMeta)];
    const spelled = new Map<string, string>();
    for (const [id, value] of Object.entries(rules)) {
      if (typeof value !== 'string' || !SEVERITIES.includes(value as ConfiguredSeverity)) {
        fail(`rules."${id}" must be one of ${SEVERITIES.join(', ')}`);
      }
      // A typo here would silently leave a rule as it was: every key must name rules.
      const selection = selectRules(id, known);
      if (!selection) fail(`[rules]: unknown rule or category "${id}"${ruleNameHint(id, known)}`);
      const key = selection!.category ?? id;
      if (spelled.has(key)) fail(`[rules]: "${id}" and "${spelled.get(key)}" name the same category "${key}"; keep one`);
      spelled.set(key, id);
      config.rules[key] = value as ConfiguredSeverity;
    }
  }
  if (table.limits !== undefined) readLimits(read.table(table.limits, 'limits', fail), config, fail);
  for (const section of CONFIG_SECTIONS) {
    if (table[section.name] !== undefined) {
      config.sections[section.name] = section.parse(read.table(table[section.name], section.name, fail), fail);
    }
  }
  return config;
}

/** `[limits]`: each key, its config name and the smallest value that still lets a scan work. */
const LIMIT_KEYS = [
  { key: 'max-file-bytes', field: 'maxFileBytes', min: 1024 },
  { key: 'max-line-length', field: 'maxLineLength', min: 256 },
  { key: 'max-push-bytes', field: 'maxPushBytes', min: 1024 },
  { key: 'timeout-seconds', field: 'timeoutSeconds', min: 0 },
] as const;

function readLimits(limits: Record<string, unknown>, config: GitwardConfig, fail: (p: string) => never): void {
  read.onlyKeys(limits, LIMIT_KEYS.map((l) => l.key), '[limits]', fail);
  for (const { key, field, min } of LIMIT_KEYS) {
    if (limits[key] !== undefined) config.limits[field] = Math.floor(read.number(limits[key], `limits.${key}`, fail, min));
  }
}

/** A config file's text; one that is there but cannot be read (a folder, no permission) is an error. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'is a folder, not a file'
      : code === 'ENOENT' ? (present(file) ? 'is a symbolic link to nothing' : 'does not exist')
      : code === 'EACCES' ? 'cannot be read (permission denied)'
      : `cannot be read: ${code ?? (error as Error).message}`;
    throw new ConfigError(file, why);
  }
}

/** The path is there, whatever it is: unlike existsSync, true for a symbolic link to nothing. */
export function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The config for a scan: an explicit file (must exist), else `.gitward.toml` at the top of the
 * work tree, else `[tool.gitward]` in `pyproject.toml`, else the defaults.
 */
export function loadConfig(explicit: string | null, topLevel: string | null): GitwardConfig {
  if (explicit) {
    const pyproject = explicit.endsWith('pyproject.toml');
    const config = parseConfigText(readText(explicit), explicit, pyproject);
    if (!config) throw new ConfigError(explicit, 'has no [tool.gitward] table');
    return config;
  }
  if (topLevel) {
    const own = join(topLevel, '.gitward.toml');
    if (present(own)) return parseConfigText(readText(own), '.gitward.toml') ?? defaultConfig();
    const pyproject = join(topLevel, 'pyproject.toml');
    if (present(pyproject)) {
      const config = parseConfigText(readText(pyproject), 'pyproject.toml', true);
      if (config) return config;
    }
  }
  return defaultConfig();
}
