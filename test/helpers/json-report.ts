import assert from 'node:assert/strict';
import type { Repo } from './git.ts';

/**
 * The repository's staged scan as JSON (GITWARD_DEBUG on, `env` added), without its duration, so
 * that two runs' reports compare as text; exit 2 fails the test.
 */
export function jsonReport(repo: Repo, env: Record<string, string>, args: string[] = ['scan', '--format', 'json']): { code: number | null; json: string; stderr: string } {
  const run = repo.gitward(args, { env: { ...repo.env, GITWARD_DEBUG: '1', ...env } as NodeJS.ProcessEnv });
  assert.notEqual(run.code, 2, run.output);
  const json = JSON.parse(run.stdout) as { stats: Record<string, unknown> };
  delete json.stats.durationMs;
  return { code: run.code, json: JSON.stringify(json), stderr: run.stderr };
}
