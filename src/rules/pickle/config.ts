import { read, type ConfigSection } from '../../config/section.ts';

export interface PickleConfig {
  /**
   * Globals (`module.name`, or `module.*` for a whole module and its submodules) that a pickle may
   * import and still pass as a warning. null: not configured, every pickle blocks.
   */
  allowGlobals: string[] | null;
}

const KEYS = ['allow-globals'] as const;
const GLOBAL = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(\.\*)?$/;

export const pickleSection: ConfigSection<PickleConfig> = {
  name: 'pickle',
  defaults: () => ({ allowGlobals: null }),
  parse(table, fail) {
    read.onlyKeys(table, KEYS, '[pickle]', fail);
    let allowGlobals: string[] | null = null;
    if (table['allow-globals'] !== undefined) {
      allowGlobals = read.strings(table['allow-globals'], 'pickle.allow-globals', fail);
      for (const g of allowGlobals) {
        if (!GLOBAL.test(g)) fail(`"pickle.allow-globals" entry ${JSON.stringify(g)} is not "module.name" or "module.*"`);
      }
    }
    return { allowGlobals };
  },
};

export function globalAllowed(global: string, allow: readonly string[]): boolean {
  return allowEntryFor(global, allow) !== undefined;
}

/** The first allow-globals entry that covers the global. */
export function allowEntryFor(global: string, allow: readonly string[]): string | undefined {
  return allow.find((a) => (a.endsWith('.*') ? global.startsWith(a.slice(0, -1)) : global === a));
}
