import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitwardError } from '../engine/errors.ts';
import { fake, join as joinPieces } from '../rules/secrets/fake.ts';
import { withBase62Checksum } from '../rules/secrets/validity.ts';
import { style, useColour } from '../report/style.ts';
import { count } from '../report/words.ts';
import { gitAt, hookScript } from './install.ts';

interface Step {
  title: string;
  files: Record<string, string>;
  expectBlocked: boolean;
}

/**
 * `gitward demo`: a throw-away repository with gitward's pre-commit hook, three real `git commit`s
 * (two refused, one let through) and their output. The fake token is random and assembled here at
 * run time; the folder is removed at the end.
 */
export async function runDemo(): Promise<number> {
  const s = style(useColour(process.stdout));
  const dir = mkdtempSync(join(tmpdir(), 'gitward-demo-'));
  // The hook's report is coloured as this terminal is. simple-git hands git this process's
  // environment without GIT_* variables (a demo run from a hook stays in its own repository).
  process.env[useColour(process.stdout) ? 'FORCE_COLOR' : 'NO_COLOR'] = '1';
  // The demo's own hook is named with -c core.hooksPath, which simple-git allows only when asked.
  const repo = gitAt(dir, { allowUnsafeHooksPath: true });
  // Each command's output, both streams, as the person at the terminal would see it.
  let output = '';
  repo.outputHandler((_command, stdout, stderr) => {
    for (const stream of [stdout, stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  });
  const git = async (args: string[]) => {
    output = '';
    try {
      await repo.raw(args);
      return { code: 0, output };
    } catch (error) {
      const exitCode = (error as { exitCode?: number }).exitCode;
      if (typeof exitCode !== 'number' && !output) throw new GitwardError(`git ${args[0]}: ${(error as Error).message}`, 'gitward demo needs git on PATH.');
      return { code: exitCode ?? 1, output: output || (error as Error).message };
    }
  };
  try {
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['config', 'user.name', 'gitward demo'],
      ['config', 'user.email', 'demo@example.invalid'],
      ['config', 'commit.gpgsign', 'false'],
    ]) {
      const run = await git(args);
      if (run.code !== 0) throw new GitwardError(`git ${args.join(' ')} failed in ${dir}: ${run.output.trim()}`);
    }
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, hookScript('pre-commit'));
    chmodSync(hook, 0o755);
    process.stdout.write(`${s.bold('gitward demo')} — a temporary repository with gitward's pre-commit hook: ${dir}\n`);

    const token = withBase62Checksum(joinPieces('gh', 'p_'), fake.alnum(30));
    const steps: Step[] = [
      { title: 'commit a settings file holding a GitHub token', files: { 'app/settings.py': `DEBUG = False\nGITHUB_TOKEN = "${token}"\n` }, expectBlocked: true },
      { title: 'commit a .env file', files: { '.env': 'DATABASE_URL=postgres://app@db/app\n' }, expectBlocked: true },
      { title: 'commit clean code that reads the token from the environment', files: { 'app/settings.py': 'import os\n\nDEBUG = False\nGITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n' }, expectBlocked: false },
    ];
    let surprises = 0;
    for (const [i, step] of steps.entries()) {
      await git(['rm', '-rq', '--cached', '--ignore-unmatch', '.']);
      for (const [path, content] of Object.entries(step.files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
        await git(['add', '--', path]);
      }
      process.stdout.write(`\n${s.bold(`${i + 1}. ${step.title}`)}\n${s.dim(`$ git commit -m "step ${i + 1}"`)}\n`);
      // The user's global core.hooksPath (husky, a company template) must not hide the demo's hook.
      const run = await git(['-c', `core.hooksPath=${join(dir, '.git', 'hooks')}`, 'commit', '-q', '-m', `step ${i + 1}`]);
      const indented = run.output.trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
      if (indented.trim()) process.stdout.write(`${indented}\n`);
      const blocked = run.code !== 0;
      process.stdout.write(blocked ? `${s.red('→ refused: nothing was committed')}\n` : `${s.green('→ committed')}\n`);
      for (const path of Object.keys(step.files)) rmSync(join(dir, path), { force: true });
      if (blocked !== step.expectBlocked) surprises++;
    }
    process.stdout.write(`\nTry it in your own repository: ${s.bold('gitward install')} (or see the README for the pre-commit framework and husky).\n`);
    if (surprises > 0) {
      throw new GitwardError(`the demo did not go as expected (${count(surprises, 'step')} differed)`, 'Run `gitward scan` in a repository to check your set-up.');
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
