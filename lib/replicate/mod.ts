/**
 * Replication planning for one dataset pair: the latest common snapshot, conflicts and the
 * `--force*` options, full, incremental and resumed sends, and bookmarks to create. Pure: it takes
 * listed snapshot records and options, and returns a plan as data.
 *
 * @example Plan and inspect
 * ```ts
 * import { planReplication } from "./mod.ts";
 * const rec = (dataset: string, name: string, n: number) =>
 *   ({ dataset, name, kind: "snapshot" as const, guid: String(n), createTxg: BigInt(n), creation: n });
 * const plan = planReplication({
 *   srcDataset: "tank/a", dstDataset: "backup/a",
 *   src: [rec("tank/a", "s1", 1)], selectedGuids: new Set(["1"]), dst: null,
 * });
 * if (plan.kind === "replicate") console.log(plan.actions.map((a) => a.type)); // ["full", "bookmarks"]
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./common_snapshot.ts";
export * from "./incremental_steps.ts";
export * from "./bookmarks.ts";
export * from "./conflict.ts";
export * from "./resume.ts";
export * from "./plan.ts";
export * from "./describe.ts";
// Types from shared modules that this API exposes (so the public surface is documented whole).
export type { SnapshotKind, SnapshotRecord } from "../zfs/types.ts";
export { ReplicationConflictError } from "../errors.ts";
