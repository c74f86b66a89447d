/**
 * Builds the snapshot filter groups of a run from the order-sensitive options, in command-line
 * order (regexes, times and ranks, group markers).
 *
 * @module
 */
import { NotImplementedOptionError } from "../errors.ts";
import { SnapshotFilterBuilder } from "./snapshot_filter.ts";
import type { SnapshotFilterGroup } from "./snapshot_filter_types.ts";

/** One snapshot filter option occurrence, in command-line order. */
export interface FilterArg {
  /** Attribute name, e.g. `includeSnapshotRegex`. */
  readonly attr: string;
  /** The occurrence's values. */
  readonly values: readonly string[];
}

/**
 * The filter groups for the given occurrences.
 *
 * @example
 * ```ts
 * import { snapshotFilterGroups } from "./snapshot_filters.ts";
 * const groups = snapshotFilterGroups([{ attr: "includeSnapshotRegex", values: [".*_daily"] }]);
 * console.log(groups.length); // 1
 * ```
 * @param events The snapshot filter occurrences, in order.
 * @returns The groups.
 * @throws {UsageError} On a bad regex, time or rank.
 */
export function snapshotFilterGroups(
  events: readonly FilterArg[],
): SnapshotFilterGroup[] {
  let b = new SnapshotFilterBuilder();
  for (const ev of events) {
    switch (ev.attr) {
      case "includeSnapshotRegex":
        b = b.addIncludeRegex(ev.values, "--include-snapshot-regex");
        break;
      case "excludeSnapshotRegex":
        b = b.addExcludeRegex(ev.values, "--exclude-snapshot-regex");
        break;
      case "includeSnapshotTimesAndRanks":
        b = b.addTimesAndRanks(ev.values, "--include-snapshot-times-and-ranks");
        break;
      case "newSnapshotFilterGroup":
        b = b.newGroup();
        break;
      default:
        throw new NotImplementedOptionError(
          `--${ev.attr.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        );
    }
  }
  return b.build();
}
