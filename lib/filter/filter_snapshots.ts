/**
 * Evaluation of snapshot filter groups over one dataset's snapshot list, exactly as upstream:
 * the union of all groups, operators applied in order within a group, ranks counted among the
 * snapshots that reach the step, the input order preserved, and bookmarks handled per mode.
 *
 * @module
 */

import { isIncluded } from "./name_matcher.ts";
import { rankIndex } from "./rank_range.ts";
import type {
  RegexFilterOp,
  SnapshotFilterGroup,
  TimesAndRanksFilterOp,
  TimesFilterOp,
} from "./snapshot_filter_types.ts";
import { resolveTimeRange } from "./time_range.ts";

/** Options of {@linkcode filterSnapshots}. */
export interface FilterSnapshotsOptions {
  /** The run's fixed "now" in epoch milliseconds; relative times resolve against it. */
  now: number;
  /**
   * Return the snapshots NOT selected (`--delete-dst-snapshots-except`: select what to keep).
   * @default false
   */
  allExcept?: boolean;
  /**
   * Apply filters to bookmarks too (`--compare-snapshot-lists`): regexes see the name after `#`,
   * time ranges apply, ranks still count only snapshots. When false, bookmarks skip every
   * operator and are always returned.
   * @default false
   */
  filterBookmarks?: boolean;
  /**
   * Treat bookmarks exactly like snapshots, ranks included (`--delete-dst-snapshots=bookmarks`).
   * @default false
   */
  bookmarksAsSnapshots?: boolean;
}

/** The fields of a `SnapshotRecord` (lib/zfs/types.ts) that filtering reads. */
export interface FilterableSnapshot {
  /** Short name after `@` or `#`. */
  readonly name: string;
  /** Snapshot or bookmark. */
  readonly kind: "snapshot" | "bookmark";
  /** Creation time in Unix seconds. */
  readonly creation: number;
}

type Rec = FilterableSnapshot;

interface Ctx {
  readonly records: readonly Rec[];
  readonly isSnap: (r: Rec) => boolean;
  readonly filterBookmarks: boolean;
  readonly now: number;
}

/**
 * Filters a dataset's snapshots and bookmarks (sorted oldest first by `createtxg`).
 *
 * @example Latest 2 daily snapshots, bookmarks kept
 * ```ts
 * import { filterSnapshots } from "./filter_snapshots.ts";
 * import { SnapshotFilterBuilder } from "./snapshot_filter.ts";
 * const groups = new SnapshotFilterBuilder()
 *   .addIncludeRegex([".*_daily"], "--include-snapshot-regex")
 *   .addTimesAndRanks(["notime", "latest 2"], "--include-snapshot-times-and-ranks")
 *   .build();
 * const rec = (name: string, creation: number) =>
 *   ({ dataset: "tank", name, kind: "snapshot" as const, guid: name, createTxg: 1n, creation });
 * const out = filterSnapshots([rec("a_daily", 1), rec("b_daily", 2), rec("c_daily", 3)], groups, { now: 0 });
 * console.log(out.map((r) => r.name)); // ["b_daily", "c_daily"]
 * ```
 * @param records The dataset's snapshots and bookmarks, oldest first.
 * @param groups The filter groups (an empty list means one empty group: select everything).
 * @param options "now", except-mode and bookmark handling.
 * @returns The selected records (or, with `allExcept`, the others), in input order.
 */
export function filterSnapshots<T extends FilterableSnapshot>(
  records: readonly T[],
  groups: readonly SnapshotFilterGroup[],
  options: FilterSnapshotsOptions,
): T[] {
  const asSnap = options.bookmarksAsSnapshots ?? false;
  const filterBookmarks = options.filterBookmarks ?? false;
  const ctx: Ctx = {
    records,
    isSnap: (r) => asSnap || r.kind === "snapshot",
    filterBookmarks,
    now: options.now,
  };
  const selected = new Uint8Array(records.length);
  for (const group of groups.length === 0 ? [[]] : groups) {
    for (const i of applyGroup(ctx, group)) selected[i] = 1;
  }
  const allExcept = options.allExcept ?? false;
  return records.filter((r, i) =>
    (!filterBookmarks && !ctx.isSnap(r)) || ((selected[i] === 1) !== allExcept)
  );
}

function applyGroup(ctx: Ctx, group: SnapshotFilterGroup): number[] {
  let idx = ctx.records.map((_, i) => i);
  for (const op of group) {
    if (op.type === "regex") idx = applyRegex(ctx, idx, op);
    else if (op.type === "times") idx = applyTimes(ctx, idx, op);
    else idx = applyTimesAndRanks(ctx, idx, op);
  }
  return [...idx];
}

/** True if the record takes part in filtering (bookmarks only with `filterBookmarks`). */
function participates(ctx: Ctx, r: Rec): boolean {
  return ctx.filterBookmarks || ctx.isSnap(r);
}

function applyRegex(ctx: Ctx, idx: readonly number[], op: RegexFilterOp): number[] {
  return idx.filter((i) => {
    const r = ctx.records[i];
    return participates(ctx, r) && isIncluded(r.name, op);
  });
}

function applyTimes(ctx: Ctx, idx: readonly number[], op: TimesFilterOp): number[] {
  const [lo, hi] = resolveTimeRange(op.range, ctx.now);
  return idx.filter((i) => {
    const r = ctx.records[i];
    return participates(ctx, r) && lo <= r.creation && r.creation < hi;
  });
}

function applyTimesAndRanks(
  ctx: Ctx,
  start: readonly number[],
  op: TimesAndRanksFilterOp,
): number[] {
  const [loTime, hiTime] = resolveTimeRange(op.range, ctx.now);
  let idx: readonly number[] = start;
  let n = idx.filter((i) => ctx.isSnap(ctx.records[i])).length;
  for (const range of op.ranks) {
    let lo = rankIndex(range.lo, n);
    let hi = rankIndex(range.hi, n);
    if (lo > hi) [lo, hi] = [hi, lo];
    let rank = 0;
    let kept = 0;
    const out: number[] = [];
    for (const i of idx) {
      const r = ctx.records[i];
      const snap = ctx.isSnap(r);
      if (!participates(ctx, r)) continue;
      if ((snap && lo <= rank && rank < hi) || (loTime <= r.creation && r.creation < hiTime)) {
        out.push(i);
        if (snap) kept++;
      }
      if (snap) rank++;
    }
    idx = out;
    n = kept;
  }
  return [...idx];
}
