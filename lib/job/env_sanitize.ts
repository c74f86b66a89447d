/**
 * `--include-envvar-regex` / `--exclude-envvar-regex`: at startup, every environment variable
 * whose full name matches an exclude regex and no include regex is removed from this process's
 * environment, so that no child process (zfs, ssh, sudo, the send/receive pipeline) inherits it.
 * Regexes use Python syntax with upstream's rules (full match, leading `!` negates, `.*` matches
 * everything). Only variable names are ever reported, never values.
 *
 * @module
 */
import { BzfsError, UsageError } from "../errors.ts";
import { compileNameMatcher, isIncluded, type NameMatcher } from "../filter/name_matcher.ts";

/** The part of `Deno.env` this module needs (a seam for tests). */
export interface MutableEnv {
  /** All variables. */
  toObject(): Record<string, string>;
  /** Removes one variable. */
  delete(name: string): void;
}

/** The two regex lists, as given on the command line. */
export interface EnvvarRegexes {
  /** `--include-envvar-regex`: names that are kept even if excluded. */
  readonly include: readonly string[];
  /** `--exclude-envvar-regex`: names to remove. */
  readonly exclude: readonly string[];
}

/**
 * An `--include-envvar-regex` / `--exclude-envvar-regex` value is not a valid regex. Exit status 3,
 * as upstream reports a bad regex after parsing.
 *
 * @example
 * ```ts
 * import { EnvvarRegexError } from "./env_sanitize.ts";
 * const e = new EnvvarRegexError("Invalid regex", { cause: new Error("unbalanced parenthesis") });
 * console.log(e.message); // "Invalid regex"
 * ```
 */
export class EnvvarRegexError extends BzfsError {}

function compileAll(regexes: readonly string[], option: string): NameMatcher[] {
  return regexes.map((r) => {
    try {
      return compileNameMatcher(r, option);
    } catch (e) {
      const message = e instanceof UsageError ? e.message : `${option}: Invalid regex: ${r}`;
      throw new EnvvarRegexError(message, { cause: e });
    }
  });
}

/**
 * The names that the regexes remove (sorted), without touching anything.
 *
 * @example
 * ```ts
 * import { envvarsToRemove } from "./env_sanitize.ts";
 * envvarsToRemove(["LD_PRELOAD", "PATH", "LD_KEEP"], { exclude: ["LD_.*"], include: ["LD_KEEP"] });
 * // ["LD_PRELOAD"]
 * ```
 * @param names Variable names.
 * @param regexes The include and exclude lists.
 * @returns The names to remove.
 * @throws {EnvvarRegexError} If a regex is invalid.
 */
export function envvarsToRemove(names: Iterable<string>, regexes: EnvvarRegexes): string[] {
  if (regexes.exclude.length === 0 && regexes.include.length === 0) return [];
  // upstream calls is_included(name, exclude_regexes, include_regexes): the exclude list plays
  // the role of "includes" (what is selected for removal) and the include list vetoes.
  const lists = {
    includes: compileAll(regexes.exclude, "--exclude-envvar-regex"),
    excludes: compileAll(regexes.include, "--include-envvar-regex"),
  };
  return [...names].filter((name) => isIncluded(name, lists)).sort();
}

/**
 * Removes the matching variables from `env` (by default this process's environment, which every
 * child process inherits) and returns their names.
 *
 * @example
 * ```ts
 * import { sanitizeEnv } from "./env_sanitize.ts";
 * const vars: Record<string, string> = { LD_PRELOAD: "/evil.so", PATH: "/usr/bin" };
 * const env = { toObject: () => ({ ...vars }), delete: (n: string) => delete vars[n] };
 * sanitizeEnv({ exclude: ["LD_.*"], include: [] }, { env }); // ["LD_PRELOAD"]
 * console.log(Object.keys(vars)); // ["PATH"]
 * ```
 * @param regexes The include and exclude lists.
 * @param options The environment to change.
 * @returns The names removed (values are never returned or logged).
 * @throws {EnvvarRegexError} If a regex is invalid (nothing is removed then).
 */
export function sanitizeEnv(
  regexes: EnvvarRegexes,
  options: { env?: MutableEnv } = {},
): string[] {
  const env = options.env ?? Deno.env;
  const names = envvarsToRemove(Object.keys(env.toObject()), regexes);
  for (const name of names) env.delete(name);
  return names;
}
