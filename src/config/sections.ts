import type { ConfigSection } from './section.ts';

/**
 * Every feature's config table. A feature adds its section here (one import, one entry).
 */
export const CONFIG_SECTIONS: ConfigSection<unknown>[] = [];
