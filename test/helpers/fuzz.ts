import fc from 'fast-check';

/**
 * Settings for every property test: a FIXED seed so `npm test` is repeatable, and a run count
 * that can be raised to fuzz longer:
 *   GITWARD_FUZZ_RUNS=20000 GITWARD_FUZZ_SEED=$RANDOM node --import tsx --test test/fuzz*.test.ts test/property*.test.ts
 * A failure prints its seed and path; set GITWARD_FUZZ_SEED to that seed to replay it.
 */
export const FUZZ_SEED = process.env.GITWARD_FUZZ_SEED ? Number(process.env.GITWARD_FUZZ_SEED) : 20261123;
const FUZZ_SCALE = process.env.GITWARD_FUZZ_RUNS ? Number(process.env.GITWARD_FUZZ_RUNS) / 200 : 1;

/** fast-check parameters: `runs` is the default count for this property at scale 1. */
export function fuzzParams(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)), endOnFailure: true };
}

/** Bytes that tend to matter to a git patch parser, mixed with anything at all. */
export const hostileBytes = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      ':', '\0', '\n', '\x01', '\x02', '@@ -1 +1 @@\n', '@@@ -1 -1 +1,2 @@@\n', '+', '-', ' ', '\\ No newline at end of file\n',
      'diff --git a/x b/x\n', 'diff --cc x\n', 'Binary files a/x and b/x differ\n', '* Unmerged path x\n',
      ':100644 100644 ' + 'a'.repeat(40) + ' ' + 'b'.repeat(40) + ' M\0', ':000000 100644 ' + '0'.repeat(40) + ' ' + 'c'.repeat(40) + ' A\0',
      ':100644 100644 ' + 'a'.repeat(40) + ' ' + 'b'.repeat(40) + ' R087\0', 'path\0', '\r\n', '\xff\xfe', '\x01' + 'd'.repeat(40) + '\0\0n\0e\0s\x02',
    ).map((s) => new Uint8Array(Buffer.from(s, 'latin1'))),
  },
);

/** A stream of hostile pieces joined into one buffer. */
export const hostileStream = fc.array(hostileBytes, { maxLength: 40 }).map((parts) => Buffer.concat(parts.map((p) => Buffer.from(p))));
