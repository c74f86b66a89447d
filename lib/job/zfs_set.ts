/**
 * `--zfs-set-*` (hidden group): after a successful receive, source properties selected by name
 * are applied to the destination dataset with one `zfs set NAME=VALUE ... DST` (upstream
 * `_zfs_set`). The source properties come from `zfs get -s <sources>` (default `local`); which
 * sends trigger it is `--zfs-set-targets` (default `full`). Without `--zfs-set-include-regex`
 * (or with it given no values) nothing is read or set.
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { compileNameMatcher, isIncluded } from "../filter/name_matcher.ts";
import { logger } from "../log/setup.ts";
import { getPropertiesArgv, parseProperties, type PropertyValue } from "../zfs/get.ts";
import { type PropertyTargets, targetsApply } from "../zfs/recv_props.ts";
import type { JobContext, PreparedHost } from "./context.ts";

/** The `--zfs-set-*` settings. */
export interface ZfsSetSpec {
  /** `--zfs-set-targets`. */
  readonly targets: PropertyTargets;
  /** `--zfs-set-sources`. */
  readonly sources: string;
  /** `--zfs-set-include-regex` (empty: nothing is set). */
  readonly includes: readonly string[];
  /** `--zfs-set-exclude-regex`. */
  readonly excludes: readonly string[];
}

/**
 * The `--zfs-set-*` settings from the options.
 *
 * @example
 * ```ts ignore
 * zfsSetSpec(config.options); // { targets: "full", sources: "local", includes: [], excludes: [] }
 * ```
 * @param o The run's options.
 * @returns The settings.
 */
export function zfsSetSpec(o: BzfsOptionValues): ZfsSetSpec {
  return {
    targets: o.zfsSetTargets,
    sources: o.zfsSetSources,
    // the flag given with zero values means "set nothing" (the parser may yield a non-array then)
    includes: Array.isArray(o.zfsSetIncludeRegex) ? o.zfsSetIncludeRegex : [],
    excludes: o.zfsSetExcludeRegex,
  };
}

/**
 * The `NAME=VALUE` assignments for `zfs set`: the properties whose name matches an include
 * regex and no exclude regex (full match, `!` negates), sorted by name (pure).
 *
 * @example
 * ```ts
 * import { zfsSetAssignments } from "./zfs_set.ts";
 * const props = new Map([
 *   ["compression", { value: "lz4", source: "local" }],
 *   ["com.example:tier", { value: "gold", source: "local" }],
 * ]);
 * zfsSetAssignments(props, { includes: [".*"], excludes: ["compression"] });
 * // ["com.example:tier=gold"]
 * ```
 * @param properties The source properties.
 * @param regexes Include and exclude regexes.
 * @returns The sorted assignments.
 * @throws {UsageError} On an invalid regex.
 */
export function zfsSetAssignments(
  properties: ReadonlyMap<string, PropertyValue>,
  regexes: { readonly includes: readonly string[]; readonly excludes: readonly string[] },
): string[] {
  const lists = {
    includes: regexes.includes.map((r) => compileNameMatcher(r, "--zfs-set-include-regex")),
    excludes: regexes.excludes.map((r) => compileNameMatcher(r, "--zfs-set-exclude-regex")),
  };
  return [...properties.keys()]
    .filter((name) => isIncluded(name, lists))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${properties.get(name)!.value}`);
}

/** The ends of a finished receive, for {@linkcode zfsSetAfterReceive}. */
export interface ZfsSetEnds {
  /** The source host. */
  readonly src: PreparedHost;
  /** The destination host. */
  readonly dst: PreparedHost;
  /** The source dataset. */
  readonly srcDataset: string;
  /** The destination dataset. */
  readonly dstDataset: string;
}

/**
 * Runs the post-receive `zfs set` for one successful send, when `--zfs-set-targets` covers this
 * kind of send and `--zfs-set-include-regex` selects anything: one `zfs get -s <sources>` on the
 * source, then one `zfs set` with every selected property on the destination (state-changing, so
 * under `--dryrun` it is only logged).
 *
 * @example
 * ```ts ignore
 * await runTransfer(spec, ends, ctx);
 * await zfsSetAfterReceive(ends, { full: true }, ctx);
 * ```
 * @param ends Hosts and datasets.
 * @param send Whether the send was full (else incremental).
 * @param ctx The run.
 * @throws {CommandError} When `zfs get` or `zfs set` fails.
 */
export async function zfsSetAfterReceive(
  ends: ZfsSetEnds,
  send: { readonly full: boolean },
  ctx: Pick<JobContext, "config" | "executor" | "signal">,
): Promise<void> {
  const spec = zfsSetSpec(ctx.config.options);
  if (spec.includes.length === 0 || !targetsApply(spec.targets, send.full)) return;
  const got = await ctx.executor.run({
    argv: getPropertiesArgv(ends.srcDataset, { sources: spec.sources }),
    remote: ends.src.remote,
    readOnly: true,
    signal: ctx.signal,
  });
  const assignments = zfsSetAssignments(parseProperties(got.stdout), spec);
  if (assignments.length === 0) return;
  logger("replicate").debug("Setting properties on {ds}: {props}", {
    ds: ends.dstDataset,
    props: assignments.join(" "),
  });
  await ctx.executor.run({
    argv: ["zfs", "set", ...assignments, ends.dstDataset],
    remote: ends.dst.remote,
    sudo: ends.dst.elevate,
    signal: ctx.signal,
  });
}
