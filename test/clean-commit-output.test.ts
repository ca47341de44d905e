import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, Repo, tempDir } from './helpers/git.ts';
import { fakeGithubPat } from './helpers/fake-tokens.ts';

// node makes process.stdout on first use (a terminal's or a pipe's stream costs ~1-2 ms): a commit
// with nothing to report must not make it, one with findings still prints. (process.stderr is made
// by node itself whenever a child's pipe closes.)

/** Records, in a file, whether the run made process.stdout. */
function streamRecorder(): { preload: string; made: () => string } {
  const folder = tempDir();
  const preload = join(folder, 'streams.cjs');
  const out = join(folder, 'made.txt');
  writeFileSync(
    preload,
    `const { appendFileSync } = require('node:fs');
const made = Object.getOwnPropertyDescriptor(process, 'stdout');
Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get() { appendFileSync(${JSON.stringify(out)}, 'stdout\\n'); return made.get.call(process); } });
appendFileSync(${JSON.stringify(out)}, 'started\\n');
`,
  );
  writeFileSync(out, '');
  return { preload, made: () => [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))].join(' ') };
}

test('a clean commit through the hook never makes process.stdout; a blocked one prints its report', () => {
  const plain = Repo.init();
  // The hook `gitward install` writes: `gitward scan` (the fast path's argument list).
  const hook = join(plain.dir, '.git', 'hooks', 'pre-commit');
  writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" scan\n`);
  chmodSync(hook, 0o755);
  const { preload, made } = streamRecorder();
  // The same repository, its hook's node started with the recorder.
  const repo = new Repo(plain.dir, { ...plain.env, NODE_OPTIONS: `--require ${preload}` });

  const clean = repo.commit({ 'app/models.py': 'import os\n\nTIMEOUT = 30\nNAME = os.environ["NAME"]\n', 'settings.yaml': 'server:\n  port: 8080\n' });
  assert.equal(clean.code, 0, clean.output);
  assert.equal(made(), 'started', 'the hook ran and did not make process.stdout');

  const token = fakeGithubPat();
  const blocked = repo.commit({ 'deploy.py': `TOKEN = "${token}"\n` });
  assert.notEqual(blocked.code, 0, 'the commit is refused');
  assert.match(blocked.output, /secret\.github-pat/);
  assert.match(made(), /stdout/, 'the report was printed');
});
