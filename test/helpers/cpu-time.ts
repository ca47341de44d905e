/**
 * CPU milliseconds this process has used so far. Ratio tests time with it, not with the wall
 * clock: on a machine shared with other work, wall time also counts the wait for a core, and one
 * stall between two timings skews their ratio (CI failed that way on a loaded 2-core machine).
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
