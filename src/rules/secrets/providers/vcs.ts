import type { ProviderRule } from '../provider.ts';
import { prefixed } from '../provider.ts';
import { fake, fakeMore, join } from '../fake.ts';
import { hasBase62Checksum, hasDigit, withBase62Checksum } from '../validity.ts';
import { keyedRule, rule, type LazyRule } from './define.ts';

const GITHUB_ROTATE = 'Revoke it at GitHub → Settings → Developer settings (or the app/OAuth settings) and issue a new one.';
const GITLAB_ROTATE = 'Revoke it in GitLab (user, project or group settings → Access tokens) and create a new one.';

function github(kind: string, title: string, prefix: string): ProviderRule {
  return rule(
    `github-${kind}`,
    title,
    [`${prefix}_`],
    prefixed(`${prefix}_[A-Za-z0-9]{36}`),
    [() => `GITHUB_TOKEN = "${withBase62Checksum(join(prefix, '_'), fake.alnum(30))}"`, () => `  git clone https://${withBase62Checksum(join(prefix, '_'), fake.alnum(30))}@github.com/o/r.git`],
    // The last six characters are the CRC-32 of the thirty before them: a made-up body fails it.
    [`token = "${prefix}_xxxxxxxx"`, `prefix = "${prefix}_"`, `token = "${prefix}_${'x'.repeat(36)}"`, `note: ${join(prefix, '_', fake.alnum(36))} (no valid checksum)`],
    { minEntropy: 3, valid: hasBase62Checksum, rotate: GITHUB_ROTATE },
  );
}

function gitlab(kind: string, title: string, prefix: string, body: string, make: () => string): ProviderRule {
  return rule(
    `gitlab-${kind}`,
    title,
    [prefix.toLowerCase()],
    prefixed(`${prefix.replace(/\./g, '\\.')}${body}`),
    () => `GITLAB_TOKEN=${join(prefix.slice(0, 3), prefix.slice(3), make())}`,
    [`GITLAB_TOKEN=${prefix}xxxx`, `GITLAB_TOKEN=${prefix}`],
    { minEntropy: 3, rotate: GITLAB_ROTATE },
  );
}

/** Source hosting and CI. */
export const vcsProviders: LazyRule[] = [
  () => github('pat', 'GitHub personal access token (classic)', 'ghp'),
  () => github('oauth-token', 'GitHub OAuth access token', 'gho'),
  () => github('app-user-token', 'GitHub App user-to-server token', 'ghu'),
  () => github('app-installation-token', 'GitHub App installation token', 'ghs'),
  () => github('refresh-token', 'GitHub refresh token', 'ghr'),
  () => rule(
    'github-fine-grained-pat',
    'GitHub fine-grained personal access token',
    ['github_pat_'],
    prefixed('github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
    () => `GH_TOKEN=${join('github', '_pat_', fake.alnum(22), '_', fake.alnum(59))}`,
    ['GH_TOKEN=github_pat_xxx', 'prefix = "github_pat_"'],
    { minEntropy: 3, rotate: GITHUB_ROTATE },
  ),
  () => gitlab('pat', 'GitLab personal/project/group access token', 'glpat-', '[A-Za-z0-9_.-]{20,64}', () => fake.base64url(20)),
  () => gitlab('pipeline-trigger-token', 'GitLab pipeline trigger token', 'glptt-', '[a-f0-9]{40}', () => fake.hex(40)),
  () => gitlab('runner-token', 'GitLab runner authentication token', 'glrt-', '[A-Za-z0-9_.-]{20,64}', () => fake.base64url(20)),
  () => gitlab('runner-registration-token', 'GitLab runner registration token', 'GR1348941', '[A-Za-z0-9_-]{20}', () => fake.base64url(20)),
  () => gitlab('deploy-token', 'GitLab deploy token', 'gldt-', '[A-Za-z0-9_-]{20,64}', () => fake.base64url(20)),
  () => gitlab('feed-token', 'GitLab feed token', 'glft-', '[A-Za-z0-9_-]{20,64}', () => fake.base64url(20)),
  () => gitlab('oauth-secret', 'GitLab OAuth application secret', 'gloas-', '[A-Za-z0-9_-]{64}', () => fake.base64url(64)),
  () => gitlab('scim-token', 'GitLab SCIM token', 'glsoat-', '[A-Za-z0-9_-]{20,64}', () => fake.base64url(20)),
  () => gitlab('agent-token', 'GitLab agent for Kubernetes token', 'glagent-', '[A-Za-z0-9_-]{50,64}', () => fake.base64url(50)),
  () => gitlab('incoming-mail-token', 'GitLab incoming mail token', 'glimt-', '[A-Za-z0-9_-]{25}', () => fake.base64url(25)),
  () => gitlab('ci-build-token', 'GitLab CI/CD job token', 'glcbt-', '[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}', () => join(fake.alnum(3), '_', fake.base64url(20))),
  () => rule(
    'bitbucket-app-password',
    'Bitbucket app password / API token',
    ['atbb', 'atctt3'],
    prefixed('(?:ATBB[A-Za-z0-9]{32}|ATCTT3[A-Za-z0-9_=-]{180,200})'),
    () => `BITBUCKET_APP_PASSWORD=${join('AT', 'BB', fake.alnum(32))}`,
    ['ATBB'],
    { minEntropy: 3.5 },
  ),
  () => keyedRule('bitbucket-client-secret', 'Bitbucket OAuth client secret', 'bitbucket', '[A-Za-z0-9=_-]{64}', 'BITBUCKET_CLIENT_SECRET', () => fake.base64url(64), { minEntropy: 3.5 }),
  () => rule(
    'atlassian-api-token',
    'Atlassian API token',
    ['atatt3'],
    prefixed('ATATT3[A-Za-z0-9_=-]{180,200}'),
    () => `JIRA_API_TOKEN=${join('ATA', 'TT3', fake.base64url(186))}`,
    ['ATATT3xxx'],
    { minEntropy: 4, rotate: 'Revoke it at id.atlassian.com → Security → API tokens.' },
  ),
  () => keyedRule('atlassian-api-token-legacy', 'Atlassian API token (legacy form)', 'atlassian|confluence|jira', '[A-Za-z0-9]{24}', 'JIRA_API_TOKEN', () => join(fake.alnum(11), '7', fake.alnum(12)), {
    minEntropy: 3.5,
    // Random 24 characters hold a digit; a run of identifiers does not.
    valid: hasDigit,
    negatives: ['listConfluenceSpaces,readConfluencePageTitles'],
  }),
  () => keyedRule('travis-token', 'Travis CI access token', 'travis', '[A-Za-z0-9]{22}', 'TRAVIS_TOKEN', () => fake.alnum(22), { minEntropy: 3.5 }),
  () => keyedRule('circleci-token', 'CircleCI personal API token', 'circleci|circle_token', '(?:CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}|[a-f0-9]{40})', 'CIRCLE_TOKEN', () => fake.hex(40), { minEntropy: 3 }),
  () => rule(
    'buildkite-token',
    'Buildkite API access token',
    ['bkua_'],
    prefixed('bkua_[a-f0-9]{40}'),
    () => `BUILDKITE_API_TOKEN=${join('bk', 'ua_', fake.hex(40))}`,
    ['bkua_'],
    { minEntropy: 3 },
  ),
  () => rule(
    'sourcegraph-token',
    'Sourcegraph access token',
    ['sgp_'],
    prefixed('sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}'),
    [() => `SRC_ACCESS_TOKEN=${join('sg', 'p_', fake.hex(16), '_', fake.hex(40))}`, () => `token: ${join('sg', 'p_local_', fake.upperHex(40))}`, () => `x = "${join('sg', 'p_', fake.hex(40))}"`],
    ['sgp_xxx', `sgp_${'0'.repeat(40)}`],
    { minEntropy: 3 },
  ),
  () => rule(
    'sonarqube-token',
    'SonarQube token',
    ['squ_', 'sqp_', 'sqa_'],
    prefixed('sq[upa]_[a-f0-9]{40}'),
    () => `SONAR_TOKEN=${join('sq', 'p_', fake.hex(40))}`,
    ['SONAR_TOKEN=sqp_'],
    { minEntropy: 3 },
  ),
  () => keyedRule('snyk-token', 'Snyk API token', 'snyk', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'SNYK_TOKEN', () => join(fake.hex(8), '-', fake.hex(4), '-4', fake.hex(3), '-a', fake.hex(3), '-', fake.hex(12)), { minEntropy: 3 }),
  () => rule(
    'octopus-deploy-api-key',
    'Octopus Deploy API key',
    ['api-'],
    prefixed('API-[A-Z0-9]{26}'),
    () => `OCTOPUS_API_KEY=${join('AP', 'I-', fake.upper(26))}`,
    ['API-VERSION', 'API-KEY-HERE'],
    { minEntropy: 3.5 },
  ),
  () => rule(
    'harness-pat',
    'Harness personal access or service account token',
    ['pat.', 'sat.'],
    // <pat|sat>.<account id>.<token id>.<secret>
    prefixed(String.raw`[ps]at\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}`),
    [() => `HARNESS_TOKEN=${join('pa', 't.', fake.base64url(22), '.', fake.hex(24), '.', fake.alnum(20))}`, () => `token: ${join('sa', 't.', fake.base64url(22), '.', fake.alnum(24), '.', fake.alnum(20))}`],
    ['pat.xyz'],
    { minEntropy: 3.5 },
  ),
  () => rule(
    'nuget-api-key',
    'NuGet API key',
    ['oy2'],
    prefixed('oy2[a-z0-9]{43}'),
    () => `NUGET_API_KEY=${join('oy', '2', fake.lower(43))}`,
    ['oy2'],
    { minEntropy: 3.5 },
  ),
];
