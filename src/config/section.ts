import { ConfigError } from '../engine/errors.ts';
import type { GitwardConfig } from './types.ts';

/**
 * A config table owned by a feature (`[requirements]`, `[pickle]`, `[server]`, …). The feature
 * validates its own keys so the loader never has to know them; unknown keys are errors.
 */
export interface ConfigSection<T> {
  readonly name: string;
  defaults(): T;
  /** Validate a TOML table; throw ConfigError (via `fail`) naming the key on a bad value. */
  parse(table: Record<string, unknown>, fail: (problem: string) => never): T;
}

export function sectionOf<T>(config: GitwardConfig, section: ConfigSection<T>): T {
  const value = config.sections[section.name];
  return value === undefined ? section.defaults() : (value as T);
}

/** Small typed readers shared by every section's parser. */
export const read = {
  table(value: unknown, key: string, fail: (p: string) => never): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
      fail(`"${key}" must be a table`);
    }
    return value as Record<string, unknown>;
  },
  string(value: unknown, key: string, fail: (p: string) => never): string {
    if (typeof value !== 'string') fail(`"${key}" must be a string`);
    return value as string;
  },
  bool(value: unknown, key: string, fail: (p: string) => never): boolean {
    if (typeof value !== 'boolean') fail(`"${key}" must be true or false`);
    return value as boolean;
  },
  number(value: unknown, key: string, fail: (p: string) => never, min = 0): number {
    const n = typeof value === 'bigint' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min) fail(`"${key}" must be a number ≥ ${min}`);
    return n as number;
  },
  strings(value: unknown, key: string, fail: (p: string) => never): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      fail(`"${key}" must be a list of strings`);
    }
    return value as string[];
  },
  regexes(value: unknown, key: string, fail: (p: string) => never): RegExp[] {
    return read.strings(value, key, fail).map((source) => {
      try {
        return new RegExp(source);
      } catch (error) {
        return fail(`"${key}" has an invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
      }
    });
  },
  /** Rejects keys that the section does not know, naming them. */
  onlyKeys(table: Record<string, unknown>, known: readonly string[], where: string, fail: (p: string) => never): void {
    for (const key of Object.keys(table)) {
      if (!known.includes(key)) fail(`unknown key "${key}" in ${where} (known: ${known.join(', ')})`);
    }
  },
};

export function failer(file: string): (problem: string) => never {
  return (problem: string) => {
    throw new ConfigError(file, problem);
  };
}
