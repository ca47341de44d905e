import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseConfigText } from '../config/load.ts';
import { defaultConfig, type GitwardConfig } from '../config/types.ts';
import { ConfigError } from '../engine/errors.ts';
import { gitOutput } from '../git/git-run.ts';

export { serverSettings, DEFAULT_TIMEOUT_SECONDS, type ServerSettings } from './section.ts';

/** `git config --get gitward.config` ('' when unset), asked without blocking: it needs no answer from any other query. */
export function configuredConfigPath(cwd?: string): Promise<string> {
  return gitOutput(['config', '--get', 'gitward.config'], { cwd, allowFail: true });
}

/**
 * The server's policy, from the server only: `--config`, else `git config gitward.config` (its
 * answer, from configuredConfigPath), else `gitward.toml` in the git dir, else the defaults.
 * Never the pushed work tree.
 */
export function serverConfigFrom(explicit: string | null, configuredPath: string, gitDir: string): GitwardConfig {
  let file = explicit;
  if (!file) {
    const configured = configuredPath.trim();
    if (configured) file = isAbsolute(configured) ? configured : join(gitDir, configured);
  }
  if (!file && existsSync(join(gitDir, 'gitward.toml'))) file = join(gitDir, 'gitward.toml');
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfigText(text, file) ?? defaultConfig();
}

/**
 * With `trust-pushed-config`, a pushed `.gitward.toml` may add exclusions, allow-lists, rule
 * levels and custom rules; the server's own `[server]` table and `inline-allow` always stay the
 * server's, and so do its custom rules: a pushed rule with one of their ids is ignored, and their
 * levels are the server's whatever the pushed `[rules]` says (by id or by category).
 */
/** Each server custom rule's level as the server alone would set it, so no pushed level can change it. */
function serverLevels(server: GitwardConfig): GitwardConfig['rules'] {
  const levels: GitwardConfig['rules'] = {};
  for (const rule of server.customRules) levels[rule.id] = server.rules[rule.id] ?? server.rules.secret ?? rule.severity;
  return levels;
}

export function withPushedConfig(server: GitwardConfig, pushedText: string | null, where: string): GitwardConfig {
  if (!pushedText) return server;
  const pushed = parseConfigText(pushedText, where);
  if (!pushed) return server;
  return {
    ...server,
    exclude: [...server.exclude, ...pushed.exclude],
    allowValues: [...server.allowValues, ...pushed.allowValues],
    allowPatterns: [...server.allowPatterns, ...pushed.allowPatterns],
    allowFingerprints: [...server.allowFingerprints, ...pushed.allowFingerprints],
    rules: { ...server.rules, ...pushed.rules, ...serverLevels(server) },
    customRules: [...server.customRules, ...pushed.customRules.filter((r) => !server.customRules.some((s) => s.id === r.id))],
  };
}
