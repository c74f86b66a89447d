/**
 * `--zfs-recv-o-*` / `--zfs-recv-x-*` for one send: reads the source dataset's properties with
 * `zfs get -s <sources>` (only when a group applies to this kind of send) and turns the selected
 * ones into `zfs receive -o NAME=VALUE` / `-x NAME` options.
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { compileNameMatcher, isIncluded } from "../filter/name_matcher.ts";
import { getPropertiesArgv, parseProperties, type PropertyValue } from "../zfs/get.ts";
import { isRawSendOpts, splitProgramOpts } from "../zfs/program_opts.ts";
import {
  DEFAULT_RECV_O_INCLUDE_REGEX,
  NEVER_RECEIVED_PROPERTIES,
  type PropertyTargets,
  recvPropertyOpts,
  targetsApply,
} from "../zfs/recv_props.ts";
import type { JobContext, PreparedHost } from "./context.ts";

interface GroupSpec {
  readonly targets: PropertyTargets;
  readonly sources: string;
  readonly includes: readonly string[];
  readonly excludes: readonly string[];
  readonly option: string;
}

/**
 * The `-o` and `-x` group settings from the options (an include list given with no values
 * selects nothing; not given, `-o` copies upstream's default list and `-x` nothing).
 *
 * @example
 * ```ts ignore
 * propertyGroups(config.options).o.includes; // [DEFAULT_RECV_O_INCLUDE_REGEX]
 * ```
 */
export function propertyGroups(o: BzfsOptionValues): { o: GroupSpec; x: GroupSpec } {
  return {
    o: {
      targets: o.zfsRecvOTargets,
      sources: o.zfsRecvOSources,
      includes: o.zfsRecvOIncludeRegex ?? [DEFAULT_RECV_O_INCLUDE_REGEX],
      excludes: o.zfsRecvOExcludeRegex,
      option: "--zfs-recv-o-include-regex",
    },
    x: {
      targets: o.zfsRecvXTargets,
      sources: o.zfsRecvXSources,
      includes: o.zfsRecvXIncludeRegex ?? [],
      excludes: o.zfsRecvXExcludeRegex,
      option: "--zfs-recv-x-include-regex",
    },
  };
}

function selector(g: GroupSpec): (name: string) => boolean {
  const lists = {
    includes: g.includes.map((r) => compileNameMatcher(r, g.option)),
    excludes: g.excludes.map((r) => compileNameMatcher(r, g.option.replace("include", "exclude"))),
  };
  return (name) => isIncluded(name, lists);
}

/**
 * The generated property options for one send of `srcDataset`.
 *
 * @example
 * ```ts ignore
 * await receivePropertyOptions("tank/a", { full: true, src, explicit }, ctx); // ["-o", "compression=lz4"]
 * ```
 * @param srcDataset The source dataset.
 * @param options Full or incremental, the source host, names already given explicitly.
 * @param ctx The run.
 * @returns Options to append to `zfs receive`.
 */
export async function receivePropertyOptions(
  srcDataset: string,
  options: {
    full: boolean;
    src: PreparedHost;
    explicit: { oNames: readonly string[]; xNames: readonly string[] };
  },
  ctx: JobContext,
): Promise<string[]> {
  const groups = propertyGroups(ctx.config.options);
  const active = (["o", "x"] as const).filter((k) =>
    groups[k].includes.length > 0 && targetsApply(groups[k].targets, options.full)
  );
  if (active.length === 0) return [];
  const props = new Map<string, Map<string, PropertyValue>>();
  for (const k of active) {
    const sources = groups[k].sources;
    if (props.has(sources)) continue;
    const r = await ctx.executor.run({
      argv: getPropertiesArgv(srcDataset, { sources }),
      remote: options.src.remote,
      readOnly: true,
      signal: ctx.signal,
    });
    props.set(sources, parseProperties(r.stdout));
  }
  const group = (k: "o" | "x") =>
    active.includes(k)
      ? {
        targets: groups[k].targets,
        select: selector(groups[k]),
        properties: props.get(groups[k].sources)!,
      }
      : undefined;
  const all = props.values().next().value as Map<string, PropertyValue>;
  return recvPropertyOpts({ o: group("o"), x: group("x") }, {
    full: options.full,
    isVolume: all.has("volsize"),
    explicit: options.explicit,
  });
}

/** Names given explicitly with `-o`/`-x` in `--zfs-recv-program-opt(s)`. */
export function explicitNames(o: BzfsOptionValues): { oNames: string[]; xNames: string[] } {
  const tokens = [...splitProgramOpts(o.zfsRecvProgramOpts), ...o.zfsRecvProgramOpt];
  const oNames: string[] = [];
  const xNames: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const take = (flag: string) => (t === flag ? tokens[++i] : t.slice(2)) ?? "";
    if (t.startsWith("-o")) oNames.push(take("-o").split("=", 1)[0]);
    else if (t.startsWith("-x")) xNames.push(take("-x"));
  }
  return { oNames, xNames: [...xNames, ...receivablePreserved(o)] };
}

/** Encryption properties that `zfs receive` can neither set nor exclude for a raw stream. */
const RAW_STREAM_FIXED = new Set(["encryption", "keyformat", "keylocation", "pbkdf2iters"]);

/**
 * The `--preserve-properties` that `zfs receive -x` accepts: properties zfs never receives
 * (`volsize`, `casesensitivity`, ...) and, for raw sends, the encryption properties fixed by the
 * stream are left out, since `-x` of them fails the receive (their values cannot come from the
 * source in a way `-x` could prevent).
 *
 * @example
 * ```ts ignore
 * receivablePreserved(options); // ["mountpoint", "sharenfs"] for mountpoint sharenfs encryption volsize
 * ```
 * @param o The options.
 * @returns The property names to pass as `-x`.
 */
export function receivablePreserved(o: BzfsOptionValues): string[] {
  const raw = isRawSendOpts(o.zfsSendProgramOpts);
  return o.preserveProperties.filter((p) =>
    !NEVER_RECEIVED_PROPERTIES.has(p) && !(raw && RAW_STREAM_FIXED.has(p))
  );
}
