/** The last path segment. */
export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

const TEMPLATE_SUFFIX = /\.(example|examples|sample|samples|template|templates|tmpl|tpl|dist|defaults?|schema|in|j2|jinja|jinja2|md|txt|vault|enc|encrypted|gpg|age|sops)$/i;

/**
 * A dotenv file that holds real values: `.env`, `.env.local`, `.env.production`, `prod.env`,
 * `config/.env`. Templates (`.env.example`, `.env.sample`, `prod.env.template`, …) and encrypted
 * forms are not.
 */
export function isEnvFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  // Every name this accepts holds ".env": most paths are settled without a regular expression.
  if (!name.includes('.env')) return false;
  if (TEMPLATE_SUFFIX.test(name) || /(^|[._-])(example|sample|template)([._-]|$)/.test(name)) return false;
  if (name === '.env' || name.startsWith('.env.')) return true;
  return /^[^.][^/]*\.env$/.test(name);
}

export function isEnvTemplate(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (name.startsWith('.env') || name.includes('.env.')) && !isEnvFile(path);
}
