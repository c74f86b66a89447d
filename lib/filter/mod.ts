/**
 * Dataset and snapshot filters: durations, time and rank ranges, Python-regex translation,
 * snapshot filter groups (built in command-line order, evaluated per dataset) and dataset
 * include/exclude selection.
 *
 * @example
 * ```ts
 * import { filterSnapshots, SnapshotFilterBuilder } from "./mod.ts";
 * const groups = new SnapshotFilterBuilder().addIncludeRegex(["prod_.*"], "--include-snapshot-regex").build();
 * filterSnapshots([], groups, { now: Date.now() });
 * ```
 *
 * @module
 */

export * from "./dataset_filter.ts";
export * from "./duration.ts";
export * from "./filter_snapshots.ts";
export * from "./iso_datetime.ts";
export * from "./name_matcher.ts";
export * from "./python_regex.ts";
export * from "./rank_range.ts";
export * from "./snapshot_filter.ts";
export * from "./snapshot_filter_types.ts";
export * from "./time_range.ts";
export * from "./times_and_ranks.ts";
