import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, Repo } from './git.ts';

export const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;

/** This repository as a pre-commit hook repository: its sources (as they are now) committed in a fresh repo. */
export function hookRepo(): { dir: string; rev: string } {
  const repo = Repo.init();
  for (const entry of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'scripts', 'src', 'schemas', '.pre-commit-hooks.yaml', 'hooks', 'data']) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(repo.dir, entry), { recursive: true });
  }
  const rev = repo.commitUnchecked({}, 'hook repository');
  return { dir: repo.dir, rev };
}
