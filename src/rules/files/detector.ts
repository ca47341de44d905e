import type { FileChange, RawFinding, RuleMeta } from '../../engine/types.ts';
import type { Detector } from '../types.ts';
import { endsWithAny } from '../../engine/file-names.ts';
import { readsAsTemplate } from './env-entries.ts';
import { basename, isEnvFile } from './names.ts';

const ENV_FILE: RuleMeta = {
  id: 'env-file.committed',
  category: 'env-file',
  severity: 'block',
  title: 'A .env file is being committed',
  doc: {
    catches: 'Adding or changing a dotenv file (`.env`, `.env.local`, `.env.production`, `prod.env`, `config/.env`). Templates (`.env.example`, `.sample`, `.template`, `.dist`, `.defaults`) pass and are still scanned for secrets. One whose added lines read as a template (some value a placeholder standing alone, such as `<name>` or `your-project-id`, and every other value empty or plainly no secret under a name that names no credential: a number, yes/no, a lower-case word, a web address without a user) warns instead of blocking.',
    why: '.env files hold the real configuration of a machine: database passwords, API keys, signing secrets. Once committed they reach every clone, fork and backup, and stay in history.',
    fix: 'Unstage it (`git rm --cached <file>`), add it to .gitignore, and commit a `.env.example` with placeholder values instead. Rotate any real value it held.',
    allow: 'If the file truly holds no secrets, list it under `exclude` in .gitward.toml, or rename it to a template name (`.env.example`).',
  },
};

function sensitive(id: string, title: string, why: string, fix: string): RuleMeta {
  return {
    id: `sensitive-file.${id}`,
    category: 'sensitive-file',
    severity: 'block',
    title,
    doc: {
      catches: title + '.',
      why,
      fix: `${fix} Unstage it with \`git rm --cached <file>\` and add it to .gitignore.`,
      allow: 'If it is a test fixture with no real secret, list its path under `exclude` in .gitward.toml.',
    },
  };
}

const PRIVATE_KEY_FILE = sensitive(
  'private-key',
  'A private key file is being committed',
  'A private key proves identity (SSH, TLS, code signing); anyone with a clone can impersonate its owner.',
  'Keep keys out of the repository (an SSH agent, a secret manager, the CI secret store); revoke this key and make a new one.',
);
const KEYSTORE = sensitive(
  'keystore',
  'A certificate store (PKCS#12, PFX, Java keystore) is being committed',
  'Key stores bundle private keys; their passwords are usually weak or sit next to them.',
  'Store it in a secret manager or the CI secret store; re-issue the certificate if it was real.',
);
const CREDENTIALS_FILE = sensitive(
  'credentials',
  'A credentials file is being committed',
  'Files such as .netrc, .pypirc, .htpasswd, .pgpass, .git-credentials and ~/.aws/credentials exist only to hold passwords and tokens.',
  'Keep it in your home folder or a secret manager; rotate what it holds.',
);
const NPMRC_TOKEN = sensitive(
  'npmrc-token',
  'An .npmrc with an auth token is being committed',
  'The token publishes packages as you: a leaked one lets anyone push a malicious release.',
  'Use `//registry/:_authToken=${NPM_TOKEN}` and supply the variable from the environment; revoke the token.',
);
const TFSTATE = sensitive(
  'terraform-state',
  'A Terraform state file is being committed',
  'State files hold every resource attribute in clear text, including generated passwords and keys.',
  'Use a remote backend (S3, GCS, Terraform Cloud) with encryption; never commit *.tfstate.',
);

const KEY_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'identity']);
const CREDENTIAL_NAMES = new Set(['.netrc', '_netrc', '.pypirc', '.htpasswd', '.pgpass', '.git-credentials', '.s3cfg', '.boto']);
// Endings of the lower-cased name, tested with endsWith (src/engine/file-names.ts says why).
const KEYSTORE_SUFFIXES = ['.p12', '.pfx', '.jks', '.keystore', '.jceks', '.bks', '.kdbx'];
const TFSTATE_SUFFIXES = ['.tfstate', '.tfstate.backup'];
const KEY_SUFFIXES = ['.pem', '.key', '.ppk', '.asc', '.gpg', '.pgp', '.der', '_rsa', '_ed25519'];
const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-/;
const NPM_AUTH = /(?:_authToken|_auth|_password)\s*=\s*(?!\s*\$\{)\S/;

/** The kind of sensitive file a path names, judged by name alone (content checks come later; exported for its test). */
export function byName(path: string): RuleMeta | 'check-key-content' | 'check-npmrc' | null {
  const name = basename(path);
  const lower = name.toLowerCase();
  if (KEY_NAMES.has(lower)) return PRIVATE_KEY_FILE;
  if (CREDENTIAL_NAMES.has(lower)) return CREDENTIALS_FILE;
  if (lower === 'credentials' && /(^|\/)\.aws\/credentials$/i.test(path)) return CREDENTIALS_FILE;
  if (endsWithAny(lower, KEYSTORE_SUFFIXES)) return KEYSTORE;
  if (endsWithAny(lower, TFSTATE_SUFFIXES)) return TFSTATE;
  if (lower === '.npmrc') return 'check-npmrc';
  if (endsWithAny(lower, KEY_SUFFIXES)) return 'check-key-content';
  return null;
}

function introduces(change: FileChange): boolean {
  if (change.status === 'D') return false;
  if (change.status === 'A' || change.status === 'C' || change.status === 'R' || change.status === 'T') return true;
  return change.addedLines.length > 0 || change.binary;
}

/** `.env` files and files that exist to hold credentials, judged by name and, where needed, content. */
export const fileDetector: Detector = {
  name: 'files',
  rules: [ENV_FILE, PRIVATE_KEY_FILE, KEYSTORE, CREDENTIALS_FILE, NPMRC_TOKEN, TFSTATE],
  appliesTo: (change) => change.newMode !== '120000' && change.newMode !== '160000' && introduces(change),
  async scan(change: FileChange): Promise<RawFinding[]> {
    if (isEnvFile(change.path)) {
      // A template under another name (placeholders, no credential) warns: keep real values out of it.
      if (!change.binary && readsAsTemplate(change.addedLines)) {
        return [{ rule: ENV_FILE, line: null, message: `${ENV_FILE.title}: ${basename(change.path)} (placeholders and no credential: a template? name it .env.example)`, key: 'env-file', severity: 'warn' }];
      }
      return [{ rule: ENV_FILE, line: null, message: `${ENV_FILE.title}: ${basename(change.path)}`, key: 'env-file' }];
    }
    const kind = byName(change.path);
    if (kind === null) return [];
    if (kind === 'check-npmrc') {
      const line = change.addedLines.find((l) => NPM_AUTH.test(l.text));
      return line ? [{ rule: NPMRC_TOKEN, line: line.number, message: NPMRC_TOKEN.title, key: 'npmrc' }] : [];
    }
    if (kind === 'check-key-content') {
      const content = await change.loadContent({ headBytes: 64 * 1024 });
      if (!content || !PRIVATE_KEY_BEGIN.test(content.head.toString('latin1'))) return [];
      return [{ rule: PRIVATE_KEY_FILE, line: null, message: PRIVATE_KEY_FILE.title, key: 'private-key-file' }];
    }
    return [{ rule: kind, line: null, message: kind.title, key: kind.id }];
  },
};
