import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { simpleGit, type SimpleGit } from 'simple-git';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI; GITWARD_DIST points at a private build (see scripts/build.mjs). */
export const CLI = join(process.env.GITWARD_DIST ? resolve(ROOT, process.env.GITWARD_DIST) : join(ROOT, 'dist'), 'gitward.cjs');

const made: string[] = [];
after(() => {
  if (process.env.GITWARD_KEEP_TMP) return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test file ends. */
export function tempDir(prefix = 'gitward-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A private copy of the built CLI's folder (entries and chunks), for a test that takes a file out of it or changes one. */
export function copyOfBuild(): string {
  const dist = join(tempDir(), 'dist');
  cpSync(dirname(CLI), dist, { recursive: true });
  return dist;
}

/** An environment that isolates git from the machine's own config. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('gitward-home-');
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    NO_COLOR: '1',
    ...extra,
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages that may go to either. */
  output: string;
}

function toRun(result: SpawnSyncReturns<string>): Run {
  if (result.error) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { code: result.status ?? -1, stdout, stderr, output: stdout + stderr };
}

export class Repo {
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly dir: string, env?: NodeJS.ProcessEnv) {
    this.env = env ?? testEnv();
  }

  /** `git init` in a new temp folder (`objectFormat: 'sha256'` for SHA-256, `bare` for a server). */
  static init(options: { objectFormat?: 'sha1' | 'sha256'; bare?: boolean; env?: NodeJS.ProcessEnv } = {}): Repo {
    const repo = new Repo(tempDir(), options.env);
    const args = ['init', '-q', '-b', 'main'];
    if (options.objectFormat) args.push(`--object-format=${options.objectFormat}`);
    if (options.bare) args.push('--bare');
    repo.git(args);
    repo.git(['config', 'commit.gpgsign', 'false']);
    return repo;
  }

  /** Runs git; throws with its output when it fails unless `allowFail`. */
  /** `timeout` (ms) only turns a hang into a failure (code null); no test measures speed with it. */
  git(args: string[], options: { input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Run {
    const run = toRun(spawnSync('git', args, { cwd: this.dir, env: options.env ?? this.env, input: options.input, encoding: 'utf8', timeout: options.timeout }));
    if (run.code !== 0 && !options.allowFail) {
      throw new Error(`git ${args.join(' ')} failed (${run.code}):\n${run.output}`);
    }
    return run;
  }

  /**
   * simple-git on this repository, with this repository's environment: for tests that build
   * histories step by step. simple-git refuses an environment naming an editor, a pager, a prefix
   * or git's own config and program variables (npm sets some of them), and drops other GIT_*
   * variables unless allowed: those are left out, these allowed.
   */
  simple(): SimpleGit {
    const refused = /^(?:editor|visual|pager|prefix|ssh_askpass|git_(?:askpass|config|config_global|config_system|config_count|config_parameters|editor|exec_path|external_diff|pager|proxy_command|template_dir|sequence_editor|ssh|ssh_command))$/i;
    const env = Object.fromEntries(Object.entries(this.env).filter(([key]) => !refused.test(key)));
    const allowEnvironment = Object.keys(env).filter((key) => /^GIT_/i.test(key));
    return simpleGit({ baseDir: this.dir, allowEnvironment }).env(env);
  }

  /** Runs the built CLI in this repository. */
  gitward(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
    return toRun(
      spawnSync(process.execPath, [CLI, ...args], {
        cwd: options.cwd ?? this.dir,
        env: options.env ?? this.env,
        input: options.input,
        encoding: 'utf8',
      }),
    );
  }

  /** Writes files (creating folders) relative to the work tree. */
  write(files: Record<string, string | Buffer>): this {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this;
  }

  /** Writes, stages everything, and returns the staged scan as parsed JSON. */
  stageAndScan(files: Record<string, string | Buffer>, extraArgs: string[] = []): { run: Run; json: JsonReport } {
    this.write(files);
    this.git(['add', '-A']);
    const run = this.gitward(['scan', '--staged', '--format', 'json', ...extraArgs]);
    if (run.code === 2) throw new Error(`gitward failed:\n${run.output}`);
    return { run, json: JSON.parse(run.stdout) as JsonReport };
  }

  /** Installs a plain pre-commit hook that runs the built CLI. */
  installPreCommitHook(): this {
    const hook = join(this.dir, '.git', 'hooks', 'pre-commit');
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" scan --staged\n`);
    chmodSync(hook, 0o755);
    return this;
  }

  /** Installs, in a bare repository, the pre-receive hook a server runs: the built CLI. */
  installPreReceiveHook(): this {
    const hook = join(this.dir, 'hooks', 'pre-receive');
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive\n`);
    chmodSync(hook, 0o755);
    return this;
  }

  /** Writes files, stages them and runs a real `git commit` (through any installed hook). */
  commit(files: Record<string, string | Buffer>, message = 'change'): Run {
    this.write(files);
    this.git(['add', '-A']);
    return this.git(['commit', '-q', '-m', message], { allowFail: true });
  }

  /** Commits with hooks skipped (to set up history). */
  commitUnchecked(files: Record<string, string | Buffer>, message = 'setup'): string {
    this.write(files);
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
    return this.git(['rev-parse', 'HEAD']).stdout.trim();
  }

  /**
   * Concludes a merge of `branches` into the current branch (conflicts allowed) with `files` written
   * over what git merged, without hooks; returns the merge commit's id.
   */
  mergeUnchecked(branches: string[], files: Record<string, string | Buffer>, message: string): string {
    this.git(['merge', '-q', '--no-ff', '--no-commit', ...branches], { allowFail: true });
    this.write(files);
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--no-verify', '-m', message]);
    return this.git(['rev-parse', 'HEAD']).stdout.trim();
  }
}

export interface JsonFinding {
  rule: string;
  category: string;
  severity: 'block' | 'warn';
  path: string;
  line: number | null;
  commit: string | null;
  message: string;
  fingerprint: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  stats: Record<string, unknown> & { notices: string[] };
}
