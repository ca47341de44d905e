import type { ProviderRule } from '../provider.ts';
import { cloudProviders } from './cloud.ts';

/** The whole provider table. Split by family only to keep files small. */
export const PROVIDERS: readonly ProviderRule[] = [...cloudProviders];
