import type { ProviderRule } from '../provider.ts';
import { fake, join } from '../fake.ts';

export const cloudProviders: ProviderRule[] = [
  {
    id: 'secret.aws-access-key-id',
    title: 'AWS access key id',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: /\b(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    minEntropy: 3,
    rotate: 'Deactivate the key in IAM (Security credentials) and create a new one.',
    positives: [() => `aws_access_key_id = ${join('AK', 'IA', fake.upper(16).replace(/[01890]/g, 'Q'))}`],
    negatives: ['aws_access_key_id = AKIAIOSFODNN7EXAMPL', 'key = AKIA_NOT_A_KEY'],
  },
  {
    id: 'secret.github-pat',
    title: 'GitHub personal access token (classic)',
    keywords: ['ghp_'],
    pattern: /\b(?<secret>ghp_[A-Za-z0-9]{36})\b/,
    minEntropy: 3,
    rotate: 'Revoke it at GitHub → Settings → Developer settings → Personal access tokens.',
    positives: [() => `GITHUB_TOKEN = "${join('gh', 'p_', fake.alnum(36))}"`],
    negatives: ['token = "ghp_xxxxxxxx"', 'prefix = "ghp_"'],
  },
];
