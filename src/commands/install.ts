import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitwardError } from '../engine/errors.ts';
import { gitSync } from '../git/git-process.ts';
import { repoInfo } from '../git/repo.ts';

/** First lines of every hook gitward writes; uninstall removes a hook only when it carries this. */
export const HOOK_MARK = '# gitward:managed-hook';

export type HookName = 'pre-commit' | 'pre-push' | 'commit-msg';

/** What each hook runs: the staged diff before a commit, the pushed commits before a push. */
const HOOK_COMMANDS: Record<HookName, string> = {
  'pre-commit': 'scan',
  'pre-push': 'pre-push "$@"',
  'commit-msg': 'commit-msg "$1"',
};

export interface InstallArgs {
  prePush?: boolean;
  commitMsg?: boolean;
  force?: boolean;
  cwd?: string;
}

/** The hooks folder git really uses: `--git-path hooks` honours core.hooksPath and worktrees. */
export function hooksDir(cwd?: string): string {
  repoInfo(cwd); // a clear "not inside a git repository" before anything else
  const base = resolve(cwd ?? process.cwd());
  const path = gitSync(['rev-parse', '--git-path', 'hooks'], { cwd }).trim();
  return isAbsolute(path) ? path : resolve(base, path);
}

/** The gitward running now (node and the built script), which the hook calls by absolute path. */
function selfCommand(): { node: string; script: string } {
  const script = process.argv[1] ? resolve(process.argv[1]) : fileURLToPath(import.meta.url);
  return { node: process.execPath, script };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function hookScript(hook: HookName): string {
  const { node, script } = selfCommand();
  const command = HOOK_COMMANDS[hook];
  return `#!/bin/sh
${HOOK_MARK} (${hook}) — written by \`gitward install\`; \`gitward uninstall\` removes it.
# Runs the gitward that installed it; if that one has moved, any gitward on PATH.
GITWARD_NODE=${shellQuote(node)}
GITWARD_CLI=${shellQuote(script)}
if [ -x "$GITWARD_NODE" ] && [ -f "$GITWARD_CLI" ]; then
  exec "$GITWARD_NODE" "$GITWARD_CLI" ${command}
fi
if command -v gitward >/dev/null 2>&1; then
  exec gitward ${command}
fi
echo "gitward: cannot run: $GITWARD_CLI is gone and no gitward is on PATH." >&2
echo "gitward: reinstall it and run \\\`gitward install\\\` again, or remove this hook: $0" >&2
exit 1
`;
}

export function isOurs(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').split('\n', 3).some((line) => line.startsWith(HOOK_MARK));
  } catch {
    return false;
  }
}

export async function runInstall(args: InstallArgs): Promise<number> {
  const dir = hooksDir(args.cwd);
  const hooks: HookName[] = ['pre-commit'];
  if (args.prePush) hooks.push('pre-push');
  if (args.commitMsg) hooks.push('commit-msg');
  // Check every hook before writing any, so a refusal leaves nothing half done.
  for (const hook of hooks) {
    const file = resolve(dir, hook);
    if (existsSync(file) && !isOurs(file) && !args.force) {
      throw new GitwardError(
        `${file} already exists and was not written by gitward; not overwriting it`,
        'Call gitward from that hook yourself (see README "Plain git hooks"), or run `gitward install --force` to replace it (the old one is kept as <hook>.gitward-backup).',
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const hook of hooks) {
    const file = resolve(dir, hook);
    if (existsSync(file) && !isOurs(file)) writeFileSync(`${file}.gitward-backup`, readFileSync(file));
    writeFileSync(file, hookScript(hook));
    chmodSync(file, 0o755);
    process.stdout.write(`gitward: installed ${file}\n`);
  }
  if (!args.prePush) process.stdout.write('gitward: `gitward install --pre-push` also checks the commits you push.\n');
  return 0;
}

export async function runUninstall(args: { cwd?: string }): Promise<number> {
  const dir = hooksDir(args.cwd);
  let removed = 0;
  for (const hook of Object.keys(HOOK_COMMANDS) as HookName[]) {
    const file = resolve(dir, hook);
    if (!existsSync(file)) continue;
    if (!isOurs(file)) {
      process.stdout.write(`gitward: left ${file} alone (not written by gitward)\n`);
      continue;
    }
    rmSync(file);
    removed++;
    process.stdout.write(`gitward: removed ${file}\n`);
    const backup = `${file}.gitward-backup`;
    if (existsSync(backup)) {
      writeFileSync(file, readFileSync(backup));
      chmodSync(file, 0o755);
      rmSync(backup);
      process.stdout.write(`gitward: restored the hook it replaced (${file})\n`);
    }
  }
  if (removed === 0) process.stdout.write(`gitward: no gitward hook in ${dirname(resolve(dir, 'x'))}\n`);
  return 0;
}
