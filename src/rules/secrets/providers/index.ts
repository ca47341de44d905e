import type { ProviderRule } from '../provider.ts';
import { aiProviders } from './ai.ts';
import { cloudProviders } from './cloud.ts';
import { commsProviders } from './comms.ts';
import { devtoolProviders } from './devtools.ts';
import { keyProviders } from './keys.ts';
import { paymentProviders } from './payments.ts';
import { vcsProviders } from './vcs.ts';
import { slackProviders } from './slack.ts';
import { serviceProviders } from './services.ts';
import { pythonStackProviders } from './python-stack.ts';

/**
 * The whole provider table. Split by family only to keep files small. Order matters where two
 * formats overlap on one span: the earlier (more specific) rule wins.
 */
export const PROVIDERS: readonly ProviderRule[] = [
  ...cloudProviders,
  ...keyProviders.filter((p) => p.id !== 'secret.jwt'),
  ...slackProviders,
  ...vcsProviders,
  ...aiProviders,
  ...commsProviders,
  // Before payments: a Clerk key next to its name is Clerk's, though it starts like Stripe's.
  ...pythonStackProviders,
  ...paymentProviders,
  ...devtoolProviders,
  ...serviceProviders,
  ...keyProviders.filter((p) => p.id === 'secret.jwt'),
];
