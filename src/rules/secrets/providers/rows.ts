import type { ProviderRule } from '../provider.ts';
import type { LazyRule } from './define.ts';
import { aiProviders } from './ai.ts';
import { cloudProviders } from './cloud.ts';
import { commsProviders } from './comms.ts';
import { devtoolProviders } from './devtools.ts';
import { jwtProvider, keyProviders } from './keys.ts';
import { paymentProviders } from './payments.ts';
import { vcsProviders } from './vcs.ts';
import { slackProviders } from './slack.ts';
import { serviceProviders } from './services.ts';
import { pythonStackProviders } from './python-stack.ts';

/**
 * The whole provider table. Split by family only to keep files small. Order matters where two
 * formats overlap on one span: the earlier (more specific) rule wins.
 */
const ROWS: readonly LazyRule[] = [
  ...cloudProviders,
  ...keyProviders,
  ...slackProviders,
  ...vcsProviders,
  ...aiProviders,
  ...commsProviders,
  // Before payments: a Clerk key next to its name is Clerk's, though it starts like Stripe's.
  ...pythonStackProviders,
  ...paymentProviders,
  ...devtoolProviders,
  ...serviceProviders,
  jwtProvider,
];

export const PROVIDER_COUNT = ROWS.length;

const made: (ProviderRule | undefined)[] = [];

/** Row `i` of the table, made on its first use and the same object after. */
export function providerAt(i: number): ProviderRule {
  return (made[i] ??= ROWS[i]!());
}
