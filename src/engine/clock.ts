import { GitwardError } from './errors.ts';

/**
 * Milliseconds from an arbitrary start, for durations. Not `performance.now()`: the first touch of
 * the `performance` global loads perf_hooks (eight internal modules) on every run.
 */
export function nowMs(): number {
  // Indexed, not destructured: an array pattern runs the iterator protocol (an iterator and a result
  // object per element), and the scan loop asks the time a few times per change (checkTime).
  const time = process.hrtime();
  return time[0] * 1000 + time[1] / 1e6;
}

/**
 * Today, for the rules that depend on the date (end-of-life Python). GITWARD_TODAY=YYYY-MM-DD pins
 * it: a CI run that must give the same answer next year, and the tests, set it.
 */
export function today(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.GITWARD_TODAY;
  if (pinned === undefined || pinned === '') return new Date();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(pinned) ? new Date(`${pinned}T12:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== pinned) {
    throw new GitwardError(`GITWARD_TODAY must be a date as YYYY-MM-DD, not "${pinned}"`);
  }
  return day;
}
