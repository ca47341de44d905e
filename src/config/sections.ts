import type { ConfigSection } from './section.ts';
import { requirementsSection } from '../rules/requirements/config.ts';
import { serverSection } from '../server/section.ts';
import { pickleSection } from '../rules/pickle/config.ts';

/**
 * Every feature's config table. A feature adds its section here (one import, one entry).
 */
export const CONFIG_SECTIONS: ConfigSection<unknown>[] = [requirementsSection as ConfigSection<unknown>, serverSection as ConfigSection<unknown>, pickleSection as ConfigSection<unknown>];
