/**
 * Milliseconds from an arbitrary start, for durations. Not `performance.now()`: the first touch of
 * the `performance` global loads perf_hooks (eight internal modules) on every run.
 */
export function nowMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}
