/** An error the user can act on: printed as one clear message, exit code 2, no stack trace. */
export class GitwardError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'GitwardError';
  }
}

export class ConfigError extends GitwardError {
  constructor(readonly file: string, problem: string) {
    super(`config ${file}: ${problem}`, 'Fix the file, or run with --config pointing at a valid one.');
    this.name = 'ConfigError';
  }
}

export class GitError extends GitwardError {
  /** @param stdout what git printed before it failed (a query's first answers) */
  constructor(
    command: string,
    detail: string,
    readonly stdout = '',
  ) {
    super(`git ${command} failed: ${detail.trim() || 'no message'}`);
    this.name = 'GitError';
  }
}
