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

/**
 * The staged scan read as `read` (GITWARD_STAGED_READ) with a prescan switched off (`off`: its
 * env) and on: the same report and exit code; the run with it is returned. `taken`, the debug
 * line saying the prescan was taken, is never in the run without it. With `expectTaken`, a run
 * with it that lacks the line is run again (up to 5 runs): on a loaded machine git's diff may
 * print before the scan began, and what was parsed then goes without the prescan (the same report,
 * held here each time); the caller asserts the line on the run returned.
 */
export function prescanPair(repo: Repo, read: string, off: Record<string, string>, taken: RegExp, expectTaken = false): { code: number | null; json: string; stderr: string } {
  const without = jsonReport(repo, { GITWARD_STAGED_READ: read, ...off });
  assert.doesNotMatch(without.stderr, taken);
  for (let run = 1; ; run++) {
    const withPrescan = jsonReport(repo, { GITWARD_STAGED_READ: read });
    assert.equal(withPrescan.json, without.json, `${read}: the same report`);
    assert.equal(withPrescan.code, without.code);
    if (!expectTaken || taken.test(withPrescan.stderr) || run === 5) return withPrescan;
  }
}
