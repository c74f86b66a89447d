/**
 * Lifecycle decisions: period anchors, snapshot names, which snapshots are due, `zfs snapshot`
 * batching, and which destination snapshots, bookmarks and datasets to delete. Everything here
 * is pure; the caller lists, decides with these functions, then runs the argv lists.
 *
 * @example
 * ```ts
 * import { snapshotBatches, snapshotsDue } from "./mod.ts";
 * const { due } = snapshotsDue(["tank/a"], new Map(), {
 *   plan: [{ org: "bzfs", target: "onsite", period: "adhoc", count: 1 }],
 *   now: Date.parse("2025-01-01T00:00:00Z"),
 *   timeZone: "UTC",
 * });
 * snapshotBatches(due); // [["zfs", "snapshot", "tank/a@bzfs_onsite_2025-01-01_00:00:00_adhoc"]]
 * ```
 *
 * @module
 */

export * from "./create_plan.ts";
export * from "./delete_datasets.ts";
export * from "./delete_snapshots.ts";
export * from "./due.ts";
export * from "./period_anchors.ts";
export * from "./snapshot_batches.ts";
export * from "./snapshot_names.ts";
export * from "./strftime.ts";
export * from "./time_zone.ts";
// Types from shared modules that this API exposes (so the public surface is documented whole).
export type { SnapshotKind, SnapshotRecord } from "../zfs/types.ts";
export type { DestroyOptions, ZfsProgramOption } from "../zfs/mutate.ts";
export type { Period, PeriodUnit } from "../plan/period.ts";
export type { PlanEntry } from "../plan/plan.ts";
