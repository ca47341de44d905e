import { prefixed } from '../provider.ts';
import { fake, join } from '../fake.ts';
import { rule, type LazyRule } from './define.ts';

const SLACK_ROTATE = 'Revoke it at api.slack.com → Your apps → the app → OAuth & Permissions (or Incoming Webhooks).';
const X = 'xo';

/**
 * Slack's token kinds (api.slack.com, "Token types"), one rule each: the shape after the prefix
 * differs by kind, and a placeholder that only starts like a token (`xoxb-your-token`) matches none.
 */
export const slackProviders: LazyRule[] = [
  () => rule(
    'slack-bot-token',
    'Slack bot token',
    ['xox'],
    // Current bot tokens carry two numeric ids and 24 characters; older ones one id.
    prefixed('xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-[A-Za-z0-9]{20,34}|[A-Za-z0-9]{18,26})'),
    [
      () => `SLACK_BOT_TOKEN=${join(X, 'xb-', fake.digits(12), '-', fake.digits(13), '-', fake.alnum(24))}`,
      () => `"bot_token": "${join(X, 'xb-', fake.digits(11), '-', fake.alnum(24))}"`,
    ],
    [`SLACK_BOT_TOKEN=${join(X, 'xb-your-token')}`, join(X, 'xb-42-short1'), join(X, 'xb-', X, 'xb-the-bot-token-here'), join(X, 'xb-botname-botname'), `token = "${join(X, 'xb-', 'x'.repeat(12), '-', 'x'.repeat(12))}"`],
    { minEntropy: 3, rotate: SLACK_ROTATE },
  ),
  () => rule(
    'slack-user-token',
    'Slack user token',
    ['xox'],
    prefixed('xox[pe]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{28,34}'),
    [
      () => `slack_token: "${join(X, 'xp-', fake.digits(12), '-', fake.digits(12), '-', fake.digits(13), '-', fake.hex(32))}"`,
      () => `url = "https://files.slack.com/f.png?t=${join(X, 'xe-', fake.digits(13), '-', fake.digits(13), '-', fake.digits(13), '-', fake.hex(32))}"`,
    ],
    ['"user": "xoxp-9876543210"', `"short_ids": "${join(X, 'xp-', '4321-4321-4321-', fake.hex(32))}"`, `x = "${join(X, 'xp-', fake.digits(12), '-', fake.digits(12), '-', fake.digits(12), '-', '#'.repeat(20))}"`],
    { minEntropy: 2.5, rotate: SLACK_ROTATE },
  ),
  () => rule(
    'slack-workspace-token',
    'Slack legacy workspace access or refresh token',
    ['xox'],
    prefixed('xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,14}(?:-[0-9A-Za-z-]{6,260})?'),
    [() => `"access_token": "${join(X, 'xa-2-', fake.digits(9), '-', fake.digits(11), '-', fake.digits(13), '-', fake.hex(18))}"`, () => `refresh: ${join(X, 'xr-1-', fake.alnum(12))}`],
    ['https://example.org/xoxa-club/xoxa-club.io/README.md', 'xoxa-2-'],
    // Workspace ids are numbers like 3111111111111: a run of one digit is no sign of a placeholder here.
    { minEntropy: 2.5, allowRepeats: true, rotate: SLACK_ROTATE },
  ),
  () => rule(
    'slack-legacy-token',
    'Slack legacy (xoxo/xoxs) token',
    ['xox'],
    prefixed('xox[os]-[0-9]{4,14}-[0-9]{4,14}-[0-9]{4,14}-[a-fA-F0-9]{10,64}'),
    () => `"access_token": "${join(X, 'xs-', fake.digits(12), '-', fake.digits(9), '-', fake.digits(10), '-', fake.hex(10))}"`,
    ['https://example.org/img/2019-100-xoxo-conference-2.jpg', 'BAND-XOXO-poster-k-12345678-640-480.jpg'],
    { minEntropy: 2.5, rotate: SLACK_ROTATE },
  ),
  () => rule(
    'slack-config-access-token',
    'Slack app configuration access token',
    ['xox'],
    prefixed(String.raw`xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{140,180}`),
    () => `SLACK_CONFIG_TOKEN=${join(X, 'xe.xoxp-1-', fake.alnum(164))}`,
    [join(X, 'xe.', X, 'xp-1-PutYourConfigTokenHere'), join(X, 'xe.', X, 'xp-1-SOMETOKENVALUE'), join(X, 'xe.', X, 'xp-1-pending')],
    { minEntropy: 3.5, rotate: SLACK_ROTATE },
  ),
  () => rule(
    'slack-config-refresh-token',
    'Slack app configuration refresh token',
    ['xox'],
    prefixed('xoxe-[0-9]-[A-Za-z0-9]{130,160}'),
    () => `"refresh_token": "${join(X, 'xe-1-', fake.alnum(146))}"`,
    ['xoxe-1-yyy', 'XoXe-Radio, Music and Talk, 3:15, 20190101'],
    { minEntropy: 3.5, rotate: SLACK_ROTATE },
  ),
];
