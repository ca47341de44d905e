/** Push options (`git push -o key=value`), as git hands them to the hook. */
export function pushOptions(env: NodeJS.ProcessEnv = process.env): string[] {
  const count = Number(env.GIT_PUSH_OPTION_COUNT ?? 0);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const value = env[`GIT_PUSH_OPTION_${i}`];
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** The bypass reason from `-o gitward.bypass="<reason>"` (null when absent; "" when empty). */
export function bypassReason(options: readonly string[]): string | null {
  for (const option of options) {
    if (option === 'gitward.bypass') return '';
    if (option.startsWith('gitward.bypass=')) return option.slice('gitward.bypass='.length).trim();
  }
  return null;
}

const PUSHER_VARS = [
  'GL_USERNAME', 'GL_ID', 'GL_PROJECT_PATH',
  'GITEA_PUSHER_NAME', 'GITEA_PUSHER_EMAIL', 'GITEA_REPO_USER_NAME', 'GITEA_REPO_NAME',
  'GITHUB_USER_LOGIN', 'GITHUB_REPO_NAME',
  'REMOTE_USER', 'REMOTE_ADDR',
];

/** Who pushed, from the hosting platform's environment variables that are present. */
export function pusher(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PUSHER_VARS) if (env[name]) out[name] = env[name]!;
  return out;
}
