/**
 * Bridges between what the jobrunner generates (upstream's argv, exactly) and what this bzfs
 * build implements. Today: `--daemon-frequency` only matters with a non-zero
 * `--daemon-lifetime`; while bzfs still rejects it as not implemented, it is dropped from
 * sub-jobs that have no `--daemon-lifetime`. The bridge switches itself off as soon as bzfs
 * lists the option as implemented.
 *
 * @module
 */
import { IMPLEMENTED_OPTIONS } from "../cli/unimplemented.ts";

/**
 * The bzfs arguments to run for a generated argv (without the program name).
 *
 * @example
 * ```ts
 * import { runnableArgs } from "./_compat.ts";
 * runnableArgs(["--daemon-frequency=minutely", "--", "a", "b"], new Set());
 * // ["--", "a", "b"]
 * ```
 * @param args Generated arguments.
 * @param implemented Attribute names bzfs implements.
 * @returns The arguments to run.
 */
export function runnableArgs(
  args: readonly string[],
  implemented: ReadonlySet<string> = IMPLEMENTED_OPTIONS,
): string[] {
  if (implemented.has("daemonFrequency")) return [...args];
  const end = args.indexOf("--");
  const opts = end < 0 ? args : args.slice(0, end);
  if (opts.some((a) => a.startsWith("--daemon-lifetime"))) return [...args];
  const keep = opts.filter((a) => !a.startsWith("--daemon-frequency="));
  return end < 0 ? keep : [...keep, ...args.slice(end)];
}
