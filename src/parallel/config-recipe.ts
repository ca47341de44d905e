import { loadConfig } from '../config/load.ts';
import type { GitwardConfig } from '../config/types.ts';
import { serverConfigFrom, withPushedConfig } from '../server/config.ts';

/**
 * How the main thread got its config, for a worker thread to load the same one: a config holds
 * functions (custom rules' path matchers), which cannot be sent between threads.
 */
export type ConfigRecipe =
  /** loadConfig(explicit, topLevel): scan, pre-push. */
  | { kind: 'repository'; explicit: string | null; topLevel: string | null }
  /** The server's policy (pre-receive), with the pushed .gitward.toml when the server trusts it. */
  | { kind: 'server'; explicit: string | null; configured: string; gitDir: string; pushed?: { text: string | null; where: string } };

export function configFrom(recipe: ConfigRecipe): GitwardConfig {
  if (recipe.kind === 'repository') return loadConfig(recipe.explicit, recipe.topLevel);
  const server = serverConfigFrom(recipe.explicit, recipe.configured, recipe.gitDir);
  return recipe.pushed ? withPushedConfig(server, recipe.pushed.text, recipe.pushed.where) : server;
}
