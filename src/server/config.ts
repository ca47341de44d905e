import { isAbsolute, join } from 'node:path';
import { parseConfigText, present, readText } from '../config/load.ts';
import { defaultConfig, type GitwardConfig } from '../config/types.ts';
import { ConfigError, GitwardError } from '../engine/errors.ts';
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
  // Whatever is at gitward.toml (a dangling link, a folder) is meant as the policy: read or fail.
  if (!file && present(join(gitDir, 'gitward.toml'))) file = join(gitDir, 'gitward.toml');
  if (!file) return defaultConfig();
  return parseConfigText(readText(file), file) ?? defaultConfig();
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
  let pushed: GitwardConfig | null;
  try {
    pushed = parseConfigText(pushedText, where);
  } catch (error) {
    // The pusher, not the admin, fixes this one.
    if (error instanceof ConfigError) throw new GitwardError(error.message, 'Fix .gitward.toml in the pushed commit: this server reads it (trust-pushed-config).');
    throw error;
  }
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
