import type { ConfigSection } from './section.ts';
import { requirementsSection } from '../rules/requirements/config.ts';
import { serverSection } from '../server/config.ts';

/**
 * Every feature's config table. A feature adds its section here (one import, one entry).
 */
export const CONFIG_SECTIONS: ConfigSection<unknown>[] = [requirementsSection as ConfigSection<unknown>];
