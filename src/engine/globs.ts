import type picomatch from 'picomatch';

/**
 * picomatch's matcher for `globs`, picomatch loaded on this first use instead of imported: only a
 * config with globs needs it, and an import loaded it at every start (~2 ms of every commit). A
 * plain `require` call: the bundle resolves it to the code kept apart from the everyday commit's
 * (scripts/build.mjs), and tsx provides `require` where the source runs (tests).
 */
export function globMatcher(globs: string[], options: picomatch.PicomatchOptions): picomatch.Matcher {
  return (require('picomatch') as typeof picomatch)(globs, options);
}
