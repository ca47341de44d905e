import type { ProviderRule } from '../provider.ts';
import { PROVIDER_COUNT, providerAt } from './rows.ts';

/** The whole provider table, every row made (the scan makes a row only on its first use: rows.ts). */
export const PROVIDERS: readonly ProviderRule[] = Array.from({ length: PROVIDER_COUNT }, (_, i) => providerAt(i));
