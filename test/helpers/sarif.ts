import assert from 'node:assert/strict';
import { Repo } from './git.ts';

/** One SARIF result as the tests read it: where it is and what it says. */
export interface SarifPlace {
  rule: string;
  uri: string;
  line: number;
  column: number | undefined;
  message: string;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
}

/** The results of a `scan --format sarif` run's output, each at its first location. */
export function sarifPlaces(stdout: string): SarifPlace[] {
  const results = (JSON.parse(stdout) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
  return results.map((r) => {
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    return { rule: r.ruleId, uri: artifactLocation.uri, line: region.startLine, column: region.startColumn, message: r.message.text };
  });
}

/** `files` staged in a fresh repository and scanned with `--format sarif` (findings expected: exit 1). */
export function stagedSarif(files: Record<string, string>): SarifPlace[] {
  const repo = Repo.init();
  repo.write(files);
  repo.git(['add', '-A']);
  const run = repo.gitward(['scan', '--format', 'sarif']);
  assert.equal(run.code, 1, run.output);
  return sarifPlaces(run.stdout);
}
