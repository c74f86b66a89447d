/**
 * Plain records describing ZFS objects as listed by `zfs list`. Every pure planner (filters,
 * replication, deletion, monitoring) takes these, never a host or an executor.
 *
 * @module
 */

/** Whether a listed object is a snapshot (`ds@name`) or a bookmark (`ds#name`). */
export type SnapshotKind = "snapshot" | "bookmark";

/**
 * One snapshot or bookmark of one dataset, as listed by
 * `zfs list -t snapshot,bookmark -Hp -o guid,createtxg,creation,name`.
 *
 * @example
 * ```ts
 * import type { SnapshotRecord } from "./types.ts";
 * const s: SnapshotRecord = {
 *   dataset: "tank/a", name: "s1", kind: "snapshot", guid: "123", createTxg: 10n, creation: 1700000000,
 * };
 * ```
 */
export interface SnapshotRecord {
  /** Full dataset name, e.g. `tank/a`. */
  readonly dataset: string;
  /** Short name after `@` or `#`, e.g. `prod_onsite_2024-01-01_00:00:00_daily`. */
  readonly name: string;
  /** Snapshot or bookmark. */
  readonly kind: SnapshotKind;
  /** ZFS GUID as a decimal string (64-bit, so not a JS number). */
  readonly guid: string;
  /** Transaction group of creation; orders snapshots oldest first. */
  readonly createTxg: bigint;
  /** Creation time in Unix seconds. */
  readonly creation: number;
}

/**
 * The full name of a snapshot or bookmark record: `dataset@name` or `dataset#name`.
 *
 * @example
 * ```ts
 * import { fullName } from "./types.ts";
 * fullName({ dataset: "tank/a", name: "s1", kind: "snapshot" }); // "tank/a@s1"
 * ```
 * @param r The record.
 * @returns `dataset@name` or `dataset#name`.
 */
export function fullName(r: Pick<SnapshotRecord, "dataset" | "name" | "kind">): string {
  return `${r.dataset}${r.kind === "snapshot" ? "@" : "#"}${r.name}`;
}

/** One dataset (filesystem or volume) as listed by `zfs list -t filesystem,volume`. */
export interface DatasetRecord {
  /** Full dataset name. */
  readonly name: string;
  /** `snapshots_changed` in Unix seconds, when the pool has it (OpenZFS >= 2.2), else undefined. */
  readonly snapshotsChanged?: number;
}
