/**
 * `--compare-snapshot-lists`: compares the snapshots of a source and a destination dataset tree
 * by GUID, one relative dataset at a time. Streaming: both sides are consumed as sequences of
 * per-dataset lists sorted by relative dataset name, and only one dataset's entries are held in
 * memory at once, so a tree with 100,000 snapshots never needs them all twice.
 *
 * @module
 */

import { filterSnapshots } from "../filter/filter_snapshots.ts";
import type { SnapshotFilterGroup } from "../filter/snapshot_filter_types.ts";
import { compareDataset, isTemporaryBookmark } from "./compare_dataset.ts";
import type {
  CompareChoice,
  CompareLocation,
  CompareRecord,
  DatasetComparison,
  DatasetSnapshots,
} from "./compare_types.ts";

/** Snapshot filters applied per dataset (bookmarks take part, as upstream's `filter_bookmarks`). */
export interface CompareFilter {
  /** The snapshot filter groups (an empty list selects everything). */
  readonly groups: readonly SnapshotFilterGroup[];
  /** The run's "now" in epoch milliseconds, for relative time ranges. */
  readonly now: number;
}

/** Options of {@linkcode compareSnapshotLists}. */
export interface CompareOptions {
  /** The source root dataset, e.g. `tank1/src`. */
  readonly srcRoot: string;
  /** The destination root dataset, e.g. `tank2/dst`. */
  readonly dstRoot: string;
  /** Which categories to report. @default {"src+dst+all"} */
  readonly choice?: CompareChoice;
  /** Count source bookmarks as present (false = `--no-use-bookmark`). @default {true} */
  readonly useBookmark?: boolean;
  /** Snapshot filters; absent = select everything. */
  readonly filter?: CompareFilter;
}

/** A source of per-dataset lists, sync (arrays) or async (listing as it goes). */
export type DatasetStream = Iterable<DatasetSnapshots> | AsyncIterable<DatasetSnapshots>;

/**
 * The selected categories of a choice, in upstream's log order (`all`, `src`, `dst`).
 *
 * @example
 * ```ts
 * import { selectedLocations } from "./compare.ts";
 * selectedLocations("src+all"); // ["all", "src"]
 * ```
 * @param choice A `--compare-snapshot-lists` value.
 * @returns The locations it selects.
 */
export function selectedLocations(choice: CompareChoice): CompareLocation[] {
  const items = new Set(choice.split("+"));
  return (["all", "src", "dst"] as const).filter((loc) => items.has(loc));
}

/**
 * The dataset name relative to its root: `tank1/src/foo` under `tank1/src` is `/foo`, the root
 * itself is the empty string.
 *
 * @example
 * ```ts
 * import { relativeDataset } from "./compare.ts";
 * relativeDataset("tank1/src/foo", "tank1/src"); // "/foo"
 * relativeDataset("tank1/src", "tank1/src"); // ""
 * ```
 * @param dataset A dataset at or below `root`.
 * @param root The root dataset.
 * @returns The part of `dataset` after `root`.
 * @throws {RangeError} If `dataset` is not `root` or below it.
 */
export function relativeDataset(dataset: string, root: string): string {
  if (dataset !== root && !dataset.startsWith(root + "/")) {
    throw new RangeError(`Dataset ${dataset} is not under root dataset ${root}`);
  }
  return dataset.slice(root.length);
}

/**
 * The entries of one dataset that take part in the comparison, keyed by GUID: bookmarks dropped
 * unless allowed, filters applied (temporary bookmarks bypass them), and one entry per GUID (a
 * snapshot wins over a bookmark with the same GUID, else the first listed).
 *
 * @example
 * ```ts
 * import { comparableEntries } from "./compare.ts";
 * const rec = (name: string, kind: "snapshot" | "bookmark", guid: string) =>
 *   ({ dataset: "tank/a", name, kind, guid, createTxg: 1n, creation: 1 });
 * const m = comparableEntries([rec("b1", "bookmark", "7"), rec("s1", "snapshot", "7")], { bookmarks: true });
 * console.log([...m.values()].map((r) => r.name)); // ["s1"]
 * ```
 * @param records One dataset's listed snapshots and bookmarks.
 * @param options Whether bookmarks count, and the filter.
 * @returns The entries by GUID.
 */
export function comparableEntries(
  records: readonly CompareRecord[],
  options: { bookmarks: boolean; filter?: CompareFilter },
): Map<string, CompareRecord> {
  const listed = options.bookmarks ? records : records.filter((r) => r.kind === "snapshot");
  const regular = listed.filter((r) => !isTemporaryBookmark(r));
  const regularGuids = new Set(regular.map((r) => r.guid));
  const tmp = listed.filter((r) => isTemporaryBookmark(r) && !regularGuids.has(r.guid));
  const sorted = [...regular].sort((a, b) => cmpBigint(a.createTxg, b.createTxg));
  const kept = options.filter
    ? filterSnapshots(sorted, options.filter.groups, {
      now: options.filter.now,
      filterBookmarks: true,
    })
    : sorted;
  const byGuid = new Map<string, CompareRecord>();
  for (const r of [...kept, ...tmp]) {
    const prev = byGuid.get(r.guid);
    if (prev === undefined || (prev.kind === "bookmark" && r.kind === "snapshot")) {
      byGuid.set(r.guid, r);
    }
  }
  return byGuid;
}

/**
 * Compares two trees, yielding one {@linkcode DatasetComparison} per relative dataset in the union
 * of both sides (datasets without snapshots included), in ascending relative-name order.
 *
 * Each side must yield its datasets sorted by name (so relative names ascend); a dataset may
 * appear once per side.
 *
 * @example Snapshot only on the source
 * ```ts
 * import { compareSnapshotLists } from "./compare.ts";
 * const rec = (dataset: string, name: string, guid: string) =>
 *   ({ dataset, name, kind: "snapshot" as const, guid, createTxg: 1n, creation: 1, written: "0" });
 * const src = [{ dataset: "tank/src", records: [rec("tank/src", "s1", "1")] }];
 * const dst = [{ dataset: "tank/dst", records: [] }];
 * for await (const c of compareSnapshotLists(src, dst, { srcRoot: "tank/src", dstRoot: "tank/dst" })) {
 *   console.log(c.rows.map((r) => `${r.location} ${r.relName}`)); // ["src @s1"]
 * }
 * ```
 * @param src The source datasets with their snapshots and bookmarks.
 * @param dst The destination datasets with their snapshots.
 * @param options Roots, choice, bookmark use and filters.
 * @returns The per-dataset comparisons.
 * @throws {RangeError} If a side is not sorted or a dataset is not under its root.
 */
export async function* compareSnapshotLists(
  src: DatasetStream,
  dst: DatasetStream,
  options: CompareOptions,
): AsyncGenerator<DatasetComparison> {
  const selected = selectedLocations(options.choice ?? "src+dst+all");
  const srcItr = sortedSide(src, options.srcRoot, "source");
  const dstItr = sortedSide(dst, options.dstRoot, "destination");
  let [s, d] = await Promise.all([srcItr.next(), dstItr.next()]);
  while (!s.done || !d.done) {
    const sv = s.done ? undefined : s.value;
    const dv = d.done ? undefined : d.value;
    const rel = nextRel(sv, dv);
    const srcDs = sv?.rel === rel ? sv.ds : undefined;
    const dstDs = dv?.rel === rel ? dv.ds : undefined;
    const srcEntries = comparableEntries(srcDs?.records ?? [], {
      bookmarks: options.useBookmark ?? true,
      filter: options.filter,
    });
    const dstEntries = comparableEntries(dstDs?.records ?? [], {
      bookmarks: false,
      filter: options.filter,
    });
    yield compareDataset(srcEntries, dstEntries, {
      relDataset: rel,
      srcRoot: options.srcRoot,
      dstRoot: options.dstRoot,
      selected,
      srcDataset: srcDs?.dataset,
      dstDataset: dstDs?.dataset,
    });
    [s, d] = await Promise.all([
      srcDs ? srcItr.next() : Promise.resolve(s),
      dstDs ? dstItr.next() : Promise.resolve(d),
    ]);
  }
}

interface Keyed {
  readonly rel: string;
  readonly ds: DatasetSnapshots;
}

async function* sortedSide(
  stream: DatasetStream,
  root: string,
  side: string,
): AsyncGenerator<Keyed> {
  let last: string | undefined;
  for await (const ds of stream) {
    const rel = relativeDataset(ds.dataset, root);
    if (last !== undefined && !(last < rel)) {
      throw new RangeError(
        `The ${side} datasets are not sorted by name: ${root}${last} before ${ds.dataset}`,
      );
    }
    last = rel;
    yield { rel, ds };
  }
}

/** The smaller relative name of the two current heads (at least one is present). */
function nextRel(a: Keyed | undefined, b: Keyed | undefined): string {
  if (a === undefined) return b?.rel ?? "";
  if (b === undefined) return a.rel;
  return a.rel < b.rel ? a.rel : b.rel;
}

function cmpBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
