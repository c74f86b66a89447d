/**
 * Snapshot filters as data: a list of groups (OR-ed), each an ordered list of operators
 * (applied one after the other, AND-ed). Produced by `SnapshotFilterBuilder`, evaluated by
 * `filterSnapshots`.
 *
 * @module
 */

import type { NameMatcher } from "./name_matcher.ts";
import type { RankRange } from "./rank_range.ts";
import type { TimeRange } from "./time_range.ts";

/** Keeps snapshots whose short name matches an include regex and no exclude regex. */
export interface RegexFilterOp {
  /** Discriminator. */
  readonly type: "regex";
  /** Exclude matchers; any match drops the snapshot. */
  readonly excludes: readonly NameMatcher[];
  /** Include matchers (never empty: an empty list becomes `.*` when built). */
  readonly includes: readonly NameMatcher[];
}

/** Keeps snapshots created inside a time range (`null` = any time). */
export interface TimesFilterOp {
  /** Discriminator. */
  readonly type: "times";
  /** The range, or null for no constraint. */
  readonly range: TimeRange | null;
}

/** Keeps snapshots inside the time range OR inside each rank range (rank ranges AND-ed). */
export interface TimesAndRanksFilterOp {
  /** Discriminator. */
  readonly type: "timesAndRanks";
  /** The time range; never null here (null ranges become a {@linkcode TimesFilterOp}). */
  readonly range: TimeRange;
  /** One or more rank ranges, applied in order. */
  readonly ranks: readonly RankRange[];
}

/** One snapshot filter operator. */
export type SnapshotFilterOp = RegexFilterOp | TimesFilterOp | TimesAndRanksFilterOp;

/** One filter group: operators applied in order. */
export type SnapshotFilterGroup = readonly SnapshotFilterOp[];
