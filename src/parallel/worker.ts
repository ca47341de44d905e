import { parentPort, workerData } from 'node:worker_threads';
import { GitwardError } from '../engine/errors.ts';
import { Scanner } from '../engine/scan.ts';
import type { CommitInfo, Finding } from '../engine/types.ts';
import { BlobReader } from '../git/blob-reader.ts';
import { listedCommitChanges } from '../git/log-source.ts';
import { DETECTORS } from '../rules/index.ts';
import { configFrom } from './config-recipe.ts';
import type { BatchOrder, BatchReply, WorkerSetup } from './messages.ts';

class PastDeadline extends Error {}

/**
 * A worker thread's life: loads the config as the main thread did, then scans each batch of
 * commits it is sent (its own `git log`, its own blob reader) and sends back what it found.
 * Batches come one at a time; the main thread ends the thread when the scan is over.
 */
export function serveScans(): void {
  const port = parentPort;
  if (!port) {
    process.stderr.write("gitward: error: --gitward-scan-worker is gitward's own, for its worker threads\n");
    process.exitCode = 2;
    return;
  }
  const setup = workerData as WorkerSetup;
  const config = configFrom(setup.recipe);
  const blobs = new BlobReader(setup.cwd, config.limits.maxFileBytes);
  let queue = Promise.resolve();
  port.on('message', (order: BatchOrder) => {
    queue = queue.then(async () => port.postMessage(await scanned(order)));
  });

  async function scanned(order: BatchOrder): Promise<BatchReply> {
    try {
      const findings: Finding[] = [];
      const commits = new Map<string, CommitInfo>();
      const scanner = new Scanner({ config, detectors: DETECTORS, started: setup.started, sink: (finding) => findings.push(finding) });
      const changes = listedCommitChanges(order.ids, setup.cwd, blobs, commits);
      await scanner.prescanning(async () => {
        for await (const change of scanner.ahead(changes)) {
          if (setup.deadline !== undefined && Date.now() > setup.deadline) throw new PastDeadline();
          await scanner.scanChange(change);
        }
      });
      const { notices, stats } = scanner.result();
      return { seq: order.seq, batch: { findings, notices, files: stats.files, addedLines: stats.addedLines, bytes: stats.bytes, commits: [...commits.values()] } };
    } catch (error) {
      if (error instanceof PastDeadline) return { seq: order.seq, deadline: true };
      const user = error instanceof GitwardError;
      const message = (error as Error)?.message ?? String(error);
      return { seq: order.seq, error: { message, user, ...(user && error.hint ? { hint: error.hint } : {}) } };
    }
  }
}
