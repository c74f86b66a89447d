/**
 * `--exclude-dataset-property NAME` (upstream `filter_datasets_by_exclude_property`): after the
 * regex filters, each selected dataset's effective (possibly inherited) value of a ZFS user
 * property decides whether it and its subtree take part.
 *
 * - empty, `-` (unset) or `true` (any case): include;
 * - `false` (any case): exclude the dataset and its whole subtree (never reconsidered below);
 * - anything else: a comma-separated host list; include iff the local hostname equals one of the
 *   (trimmed) entries, else exclude with subtree;
 * - a dataset missing from the listing (deleted by a third party meanwhile): warn and skip its
 *   subtree.
 *
 * The values come from ONE `zfs list -t filesystem,volume -Hp -o name,NAME [-r] ROOT` per side,
 * not one call per dataset as upstream does; the decision itself is the pure
 * {@linkcode decideExcludeByProperty}.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import type { Executor } from "../exec/executor.ts";
import { logger } from "../log/setup.ts";
import { isAbsentMessage } from "../zfs/errors.ts";
import { lines } from "../zfs/list.ts";
import type { JobContext, PreparedHost } from "./context.ts";

/** Why one dataset was kept or dropped. */
export interface ExcludePropertyEvent {
  /** The dataset. */
  readonly dataset: string;
  /** `include`, `exclude` (with its subtree) or `vanished` (not listed; subtree skipped). */
  readonly kind: "include" | "exclude" | "vanished";
  /** The property value seen (absent for `vanished`). */
  readonly value?: string;
  /** Extra detail for host-list decisions, upstream style. */
  readonly reason: string;
}

/** Result of {@linkcode decideExcludeByProperty}. */
export interface ExcludePropertyDecision {
  /** The datasets that stay, in input order. */
  readonly included: string[];
  /** One event per dataset that was evaluated (descendants of a dropped dataset get none). */
  readonly events: ExcludePropertyEvent[];
}

function underSkipped(dataset: string, skipped: ReadonlySet<string>): boolean {
  for (let i = dataset.indexOf("/"); i >= 0; i = dataset.indexOf("/", i + 1)) {
    if (skipped.has(dataset.slice(0, i))) return true;
  }
  return skipped.has(dataset);
}

/**
 * Whether a property value says "replicate here".
 *
 * @example
 * ```ts
 * import { propertyAllows } from "./exclude_property.ts";
 * propertyAllows("-", "h1"); // true
 * propertyAllows("FALSE", "h1"); // false
 * propertyAllows("h0, h1", "h1"); // true
 * ```
 * @param value The effective property value as `zfs list` prints it.
 * @param hostname The local host name.
 * @returns True to include.
 */
export function propertyAllows(value: string, hostname: string): boolean {
  const v = value.trim();
  if (v === "" || v === "-" || v.toLowerCase() === "true") return true;
  if (v.toLowerCase() === "false") return false;
  return v.split(",").some((h) => h.trim() === hostname);
}

/**
 * Applies the property values to sorted, regex-selected datasets (pure). An excluded or vanished
 * dataset's descendants are skipped even when a sibling such as `a/b-c` sorts between `a/b` and
 * `a/b/c` (upstream's "last skipped root" check would re-admit `a/b/c` there).
 *
 * @example
 * ```ts
 * import { decideExcludeByProperty } from "./exclude_property.ts";
 * const values = new Map([["t/a", "-"], ["t/a/b", "false"], ["t/a/b/c", "true"], ["t/a/d", "h1"]]);
 * decideExcludeByProperty(["t/a", "t/a/b", "t/a/b/c", "t/a/d"], values, "h1").included;
 * // ["t/a", "t/a/d"]
 * ```
 * @param sortedDatasets Selected datasets, parents before children (byte order).
 * @param values Effective value per dataset; a missing entry means the dataset vanished.
 * @param hostname The local host name.
 * @returns The kept datasets and the events to log.
 */
export function decideExcludeByProperty(
  sortedDatasets: readonly string[],
  values: ReadonlyMap<string, string>,
  hostname: string,
): ExcludePropertyDecision {
  const included: string[] = [];
  const events: ExcludePropertyEvent[] = [];
  const skipped = new Set<string>();
  for (const dataset of sortedDatasets) {
    if (underSkipped(dataset, skipped)) continue;
    const value = values.get(dataset);
    if (value === undefined) {
      events.push({ dataset, kind: "vanished", reason: "" });
      skipped.add(dataset);
      continue;
    }
    const v = value.trim();
    const isHostList = !(v === "" || v === "-" || ["true", "false"].includes(v.toLowerCase()));
    const reason = isHostList ? `, localhostname: ${hostname}, hostnames: ${v}` : "";
    if (propertyAllows(v, hostname)) {
      included.push(dataset);
      events.push({ dataset, kind: "include", value: v, reason });
    } else {
      events.push({ dataset, kind: "exclude", value: v, reason });
      skipped.add(dataset);
    }
  }
  return { included, events };
}

/**
 * The `zfs list` argv that reads the property of a whole tree at once.
 *
 * @example
 * ```ts
 * import { excludePropertyListArgv } from "./exclude_property.ts";
 * excludePropertyListArgv("tank/a", "com.example:backup", { recursive: true });
 * // ["zfs", "list", "-t", "filesystem,volume", "-Hp", "-o", "name,com.example:backup", "-r", "tank/a"]
 * ```
 * @param root The root dataset.
 * @param property The user property.
 * @param options Recursion.
 * @returns The argv.
 */
export function excludePropertyListArgv(
  root: string,
  property: string,
  options: { recursive: boolean },
): string[] {
  return [
    "zfs",
    "list",
    "-t",
    "filesystem,volume",
    "-Hp",
    "-o",
    `name,${property}`,
    ...(options.recursive ? ["-r"] : []),
    root,
  ];
}

/**
 * Parses `zfs list -Hp -o name,PROP` output into a map.
 *
 * @example
 * ```ts
 * import { parsePropertyList } from "./exclude_property.ts";
 * parsePropertyList("tank/a\t-\ntank/a/b\tfalse\n").get("tank/a/b"); // "false"
 * ```
 * @param stdout The command output.
 * @returns Value per dataset name.
 */
export function parsePropertyList(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(stdout)) {
    const tab = line.indexOf("\t");
    if (tab < 0) out.set(line, "");
    else out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

/** Where the datasets live, for {@linkcode applyExcludeDatasetProperty}. */
export interface ExcludePropertySide {
  /** The host. */
  readonly host: Pick<PreparedHost, "remote">;
  /** The root dataset of this side. */
  readonly root: string;
  /** `src` or `dst`, for the "Third party deleted" warning. */
  readonly location: "src" | "dst";
}

/** Seams of {@linkcode applyExcludeDatasetProperty}. */
export interface ApplyExcludePropertyOptions {
  /** Local host name. @default Deno.hostname() */
  readonly hostname?: string;
}

function localHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

/**
 * Filters regex-selected datasets by `--exclude-dataset-property` (a no-op without the option):
 * one `zfs list` of the side's tree, then {@linkcode decideExcludeByProperty}.
 *
 * @example
 * ```ts ignore
 * const selected = await applyExcludeDatasetProperty(
 *   filterDatasets(names, root, { filter, skipParent }),
 *   { host: hosts.src, root, location: "src" },
 *   ctx,
 * );
 * ```
 * @param selected Regex-selected datasets, sorted.
 * @param side Host and root.
 * @param ctx The run (options, executor, signal).
 * @param options Seams.
 * @returns The datasets that stay.
 * @throws {BzfsError} When the listing fails for another reason than a missing dataset.
 */
export async function applyExcludeDatasetProperty(
  selected: readonly string[],
  side: ExcludePropertySide,
  ctx: Pick<JobContext, "config" | "executor" | "signal">,
  options: ApplyExcludePropertyOptions = {},
): Promise<string[]> {
  const property = ctx.config.options.excludeDatasetProperty;
  if (property === undefined || selected.length === 0) return [...selected];
  const values = await listPropertyValues(ctx.executor, side, property, {
    recursive: ctx.config.options.recursive,
    signal: ctx.signal,
  });
  const decision = decideExcludeByProperty(selected, values, options.hostname ?? localHostname());
  const log = logger("filter");
  for (const e of decision.events) {
    if (e.kind === "vanished") {
      log.warn(`Third party deleted ${side.location}: {ds}`, { ds: e.dataset });
    } else {
      log.debug(`${e.kind === "include" ? "Including" : "Excluding"} b/c dataset prop: {ds}{r}`, {
        ds: e.dataset,
        r: e.reason,
      });
    }
  }
  return decision.included;
}

async function listPropertyValues(
  executor: Executor,
  side: ExcludePropertySide,
  property: string,
  options: { recursive: boolean; signal: AbortSignal },
): Promise<Map<string, string>> {
  const r = await executor.run({
    argv: excludePropertyListArgv(side.root, property, options),
    remote: side.host.remote,
    readOnly: true,
    check: false,
    signal: options.signal,
  });
  if (r.code === 0) return parsePropertyList(r.stdout);
  if (isAbsentMessage(r.stderr)) return new Map();
  throw new BzfsError(
    `Cannot read --exclude-dataset-property ${property} of ${side.root}: ${r.stderr.trim()}`,
  );
}
