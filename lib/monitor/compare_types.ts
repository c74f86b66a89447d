/**
 * Data shapes of `--compare-snapshot-lists`: the input records per dataset, the output rows, and
 * the per-dataset summary statistics.
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";

/** Where a snapshot exists: only on the source, only on the destination, or on both (`all`). */
export type CompareLocation = "src" | "dst" | "all";

/** The values of `--compare-snapshot-lists`: the locations to report, joined by `+` in this order. */
export type CompareChoice =
  | "src"
  | "dst"
  | "all"
  | "src+dst"
  | "src+all"
  | "dst+all"
  | "src+dst+all";

/**
 * A listed snapshot or bookmark plus its `written` property, as listed by
 * `zfs list -Hp -o creation,guid,createtxg,written,name`.
 *
 * @example
 * ```ts
 * import type { CompareRecord } from "./compare_types.ts";
 * const r: CompareRecord = {
 *   dataset: "tank/src/foo", name: "s1", kind: "snapshot", guid: "123", createTxg: 10n,
 *   creation: 1700000000, written: "24576",
 * };
 * ```
 */
export interface CompareRecord extends SnapshotRecord {
  /** Raw `written` bytes as listed; `-` for bookmarks. @default {"-"} */
  readonly written?: string;
}

/** One dataset's listed snapshots (and, on the source, bookmarks), in any order. */
export interface DatasetSnapshots {
  /** Full dataset name, under the side's root dataset. */
  readonly dataset: string;
  /** Its snapshots and bookmarks. */
  readonly records: readonly CompareRecord[];
}

/** One data row of the snapshot TSV, before formatting. */
export interface CompareRow {
  /** The category. */
  readonly location: CompareLocation;
  /** Creation in Unix seconds (of the source entry for `all`). */
  readonly creation: number;
  /** Creation transaction group. */
  readonly createTxg: bigint;
  /** Full name minus the root dataset, e.g. `/foo@s1`, `@s1`, `/foo#b1`. */
  readonly relName: string;
  /** The GUID shared by both sides for `all`. */
  readonly guid: string;
  /** The destination root for `dst` rows, the source root otherwise. */
  readonly rootDataset: string;
  /** Dataset name minus the root dataset (empty for the root itself). */
  readonly relDataset: string;
  /** Full name, e.g. `tank/src/foo@s1`. */
  readonly name: string;
  /** Raw `written` bytes, or `-`. */
  readonly written: string;
}

/** Counts of one category within one dataset. */
export interface CompareCategoryStats {
  /** Number of rows. */
  readonly count: number;
  /** Sum of `written` (a `-` counts as 0). */
  readonly written: bigint;
  /** Rows after the latest common (`all`) row. */
  readonly countSinceCommon: number;
  /** Sum of `written` after the latest common row. */
  readonly writtenSinceCommon: bigint;
  /** The last row of this category in TSV order, if any. */
  readonly latest?: CompareRow;
  /** The first row of this category in TSV order, if any. */
  readonly oldest?: CompareRow;
}

/** The per-dataset statistics logged after its rows. */
export interface CompareSummary {
  /** The relative dataset (empty for the root). */
  readonly relDataset: string;
  /** The categories that were selected, in the log order `all`, `src`, `dst`. */
  readonly selected: readonly CompareLocation[];
  /** Statistics per category (zero for categories that were not selected). */
  readonly stats: Readonly<Record<CompareLocation, CompareCategoryStats>>;
}

/** The comparison of one relative dataset, as yielded by `compareSnapshotLists`. */
export interface DatasetComparison {
  /** The relative dataset (empty for the root). */
  readonly relDataset: string;
  /** The full source dataset, if the source side has it. */
  readonly srcDataset?: string;
  /** The full destination dataset, if the destination side has it. */
  readonly dstDataset?: string;
  /** Its TSV rows of the selected categories, in TSV order. */
  readonly rows: readonly CompareRow[];
  /** Its statistics. */
  readonly summary: CompareSummary;
}
