/**
 * Compiled include/exclude regexes with upstream's matching rules: full match, a leading `!`
 * negates, and the literal pattern `.*` always matches (even before negation is applied).
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { translatePythonRegex } from "./python_regex.ts";

/** One compiled regex of an include or exclude list. */
export interface NameMatcher {
  /** The regex as given by the user (including any `!`). */
  readonly source: string;
  /** Whether the regex was negated with a leading `!`. */
  readonly negated: boolean;
  /** The full-match JavaScript regex, or null when the pattern is `.*` (matches everything). */
  readonly regex: RegExp | null;
}

/** Options of {@linkcode compileNameMatcher}. */
export interface NameMatcherOptions {
  /**
   * JavaScript pattern appended after the translated regex (inside the full-match anchors),
   * e.g. `(?:/[^\n]*)?` so that a dataset regex also matches descendants. Not applied to `.*`.
   * @default ""
   */
  suffix?: string;
}

/**
 * Compiles one Python-syntax regex (optionally `!`-negated) for full matching.
 *
 * @example
 * ```ts
 * import { compileNameMatcher, matchesName } from "./name_matcher.ts";
 * const m = compileNameMatcher("!.*_daily", "--exclude-snapshot-regex");
 * matchesName(m, "s1_hourly"); // true (negated)
 * ```
 * @param text The regex as typed.
 * @param option The option it came from, named in the error.
 * @param options A suffix to append (dataset regexes).
 * @returns The compiled matcher.
 * @throws {UsageError} If the regex is invalid or cannot be translated safely.
 */
export function compileNameMatcher(
  text: string,
  option: string,
  options: NameMatcherOptions = {},
): NameMatcher {
  const negated = text.startsWith("!");
  const body = negated ? text.slice(1) : text;
  if (body === ".*") return { source: text, negated, regex: null };
  const { pattern, flags } = translatePythonRegex(body, option);
  try {
    return {
      source: text,
      negated,
      regex: new RegExp(`^(?:(?:${pattern})${options.suffix ?? ""})$`, flags),
    };
  } catch (e) {
    throw new UsageError("Invalid regex", {
      option,
      value: text,
      hint: `Fix the regex (Python 're' syntax): ${(e as Error).message}`,
      cause: e,
    });
  }
}

/**
 * Whether `name` matches, honouring negation and the `.*` shortcut.
 *
 * @example
 * ```ts
 * import { compileNameMatcher, matchesName } from "./name_matcher.ts";
 * matchesName(compileNameMatcher("a.*", "--x"), "abc"); // true
 * matchesName(compileNameMatcher("a", "--x"), "abc"); // false (full match)
 * ```
 * @param matcher The compiled regex.
 * @param name The name to test.
 * @returns Whether it matches.
 */
export function matchesName(matcher: NameMatcher, name: string): boolean {
  const hit = matcher.regex === null || matcher.regex.test(name);
  return matcher.negated ? !hit : hit;
}

/**
 * Upstream's `is_included`: excluded if any exclude matches, else included if any include
 * matches, else excluded. An empty include list therefore includes nothing.
 *
 * @example
 * ```ts
 * import { compileNameMatcher, isIncluded } from "./name_matcher.ts";
 * const inc = [compileNameMatcher(".*", "--x")];
 * const exc = [compileNameMatcher("tmp.*", "--x")];
 * isIncluded("tmp1", { includes: inc, excludes: exc }); // false
 * isIncluded("data", { includes: inc, excludes: exc }); // true
 * ```
 * @param name The name to test.
 * @param lists The include matchers and the exclude matchers (excludes win).
 * @returns Whether the name is selected.
 */
export function isIncluded(name: string, lists: IncludeExcludeLists): boolean {
  if (lists.excludes.some((m) => matchesName(m, name))) return false;
  return lists.includes.some((m) => matchesName(m, name));
}

/** Include and exclude matchers of one filter step. */
export interface IncludeExcludeLists {
  /** A name is selected if one of these matches... */
  readonly includes: readonly NameMatcher[];
  /** ...and none of these. */
  readonly excludes: readonly NameMatcher[];
}
