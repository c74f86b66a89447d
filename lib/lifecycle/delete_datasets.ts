/**
 * `--delete-dst-datasets` (semantics 6.2) and `--delete-empty-dst-datasets` (6.3) decisions,
 * pure over sorted dataset name lists.
 *
 * Both walk the destination tree leaf-up and mark a selected dataset only when every child in
 * the COMPLETE destination listing is already marked. So a dataset that was not selected (by the
 * dataset filters), and every ancestor of one, is never deleted, and the `zfs destroy -r` of a
 * marked root never reaches an unmarked dataset. Pass the complete destination tree as
 * `basisDst` even without `--recursive` (then `selected` is only the root): a root with children
 * is never destroyed as a whole from a listing that did not show them.
 *
 * Unlike upstream, which first marks whole selected subtrees and then removes datasets that exist
 * on the source, a dataset here is marked only if it and all its children are orphans; the two
 * agree on every real tree (a source child implies its source parent) and this one cannot
 * destroy a dataset that exists on the source through `-r`.
 *
 * @module
 */

import { BzfsError } from "../errors.ts";
import { destroyArgv, type DestroyOptions } from "../zfs/mutate.ts";
import { rootDatasets } from "./snapshot_batches.ts";

function parentOf(dataset: string): string {
  const i = dataset.lastIndexOf("/");
  return i < 0 ? "" : dataset.slice(0, i);
}

function childrenIndex(basis: readonly string[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const ds of basis) {
    const parent = parentOf(ds);
    const list = children.get(parent);
    if (list) list.push(ds);
    else children.set(parent, [ds]);
  }
  return children;
}

/** Marks selected datasets leaf-up where `isOrphan` holds and every child is marked. */
function markLeafUp(
  selected: readonly string[],
  basis: readonly string[],
  isOrphan: (dataset: string) => boolean,
): string[] {
  const children = childrenIndex(basis);
  const marked = new Set<string>();
  const sorted = [...new Set(selected)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = sorted.length - 1; i >= 0; i--) { // descendants sort after their ancestors
    const ds = sorted[i];
    if (!isOrphan(ds)) continue;
    if ((children.get(ds) ?? []).every((c) => marked.has(c))) marked.add(ds);
  }
  return sorted.filter((ds) => marked.has(ds));
}

/** Options of {@linkcode selectDstDatasetsToDelete}. */
export interface SelectDstDatasetsOptions {
  /** Every dataset of the destination tree (unfiltered). */
  basisDst: readonly string[];
  /** Every dataset of the source tree (unfiltered); ignored for a `dummy` source. */
  basisSrc: readonly string[];
  /** The source root dataset. */
  srcRoot: string;
  /** The destination root dataset. */
  dstRoot: string;
  /** The source is `dummy`: every selected dataset counts as orphaned. @default false */
  dummySource?: boolean;
  /**
   * Accept an empty `basisSrc` from a real source (upstream then deletes every selected
   * dataset, e.g. after a typo in the source root with `--skip-replication`). @default false
   */
  allowEmptySource?: boolean;
}

/**
 * Selected destination datasets without a source counterpart whose whole subtree goes too.
 *
 * @example
 * ```ts
 * import { selectDstDatasetsToDelete } from "./delete_datasets.ts";
 * selectDstDatasetsToDelete(["bak", "bak/a", "bak/x", "bak/x/y"], {
 *   basisDst: ["bak", "bak/a", "bak/x", "bak/x/y"], basisSrc: ["tank", "tank/a"],
 *   srcRoot: "tank", dstRoot: "bak",
 * }); // ["bak/x", "bak/x/y"]
 * ```
 * @param selected The selected destination datasets.
 * @param options Complete listings, roots, dummy source.
 * @returns The datasets to delete, sorted (destroy their roots with `-r`).
 * @throws {BzfsError} If a real source lists no dataset at all (unless `allowEmptySource`).
 */
export function selectDstDatasetsToDelete(
  selected: readonly string[],
  options: SelectDstDatasetsOptions,
): string[] {
  if (!options.dummySource && options.basisSrc.length === 0 && !options.allowEmptySource) {
    throw new BzfsError(
      `Source dataset does not exist: ${options.srcRoot}; refusing --delete-dst-datasets, which would delete every selected destination dataset (use the dummy source to delete by the filters alone)`,
    );
  }
  const onSrc = new Set(options.dummySource ? [] : options.basisSrc);
  const { srcRoot, dstRoot } = options;
  const underRoot = (ds: string) => ds === dstRoot || ds.startsWith(`${dstRoot}/`);
  const srcName = (ds: string) => `${srcRoot}${ds.slice(dstRoot.length)}`;
  return markLeafUp(selected, options.basisDst, (ds) => underRoot(ds) && !onSrc.has(srcName(ds)));
}

/** Snapshot and bookmark counts of one destination dataset. */
export interface ContentCounts {
  /** Number of snapshots. */
  readonly snapshots: number;
  /** Number of bookmarks (0 when the pool has no bookmarks). */
  readonly bookmarks: number;
}

/** Options of {@linkcode selectEmptyDstDatasetsToDelete}. */
export interface SelectEmptyDstDatasetsOptions {
  /** Every dataset of the destination tree (unfiltered). */
  basisDst: readonly string[];
  /** Counts per dataset; a dataset without an entry counts as NOT empty. */
  counts: ReadonlyMap<string, ContentCounts>;
  /** What makes a dataset non-empty. @default "snapshots+bookmarks" */
  mode?: "snapshots" | "snapshots+bookmarks";
}

/**
 * Selected destination datasets without snapshots (and, by default, without bookmarks) whose
 * children are all deleted too (`--delete-empty-dst-datasets`, only with `--recursive`).
 *
 * @example
 * ```ts
 * import { selectEmptyDstDatasetsToDelete } from "./delete_datasets.ts";
 * const counts = new Map([
 *   ["bak/a", { snapshots: 0, bookmarks: 0 }], ["bak/a/b", { snapshots: 0, bookmarks: 1 }],
 *   ["bak/c", { snapshots: 0, bookmarks: 0 }],
 * ]);
 * selectEmptyDstDatasetsToDelete(["bak/a", "bak/a/b", "bak/c"], { basisDst: ["bak/a", "bak/a/b", "bak/c"], counts });
 * // ["bak/c"]
 * ```
 * @param selected The selected destination datasets.
 * @param options Complete listing, counts, mode.
 * @returns The datasets to delete, sorted.
 */
export function selectEmptyDstDatasetsToDelete(
  selected: readonly string[],
  options: SelectEmptyDstDatasetsOptions,
): string[] {
  const withBookmarks = (options.mode ?? "snapshots+bookmarks") === "snapshots+bookmarks";
  return markLeafUp(selected, options.basisDst, (ds) => {
    const c = options.counts.get(ds);
    return c !== undefined && c.snapshots === 0 && (!withBookmarks || c.bookmarks === 0);
  });
}

/**
 * The datasets whose snapshots must be counted before {@linkcode selectEmptyDstDatasetsToDelete}:
 * the ones that could be deleted if they were all empty (upstream lists only these).
 *
 * @example
 * ```ts
 * import { emptyDstDatasetCandidates } from "./delete_datasets.ts";
 * emptyDstDatasetCandidates(["bak", "bak/a"], ["bak", "bak/a", "bak/b"]); // ["bak/a"]
 * ```
 * @param selected The selected destination datasets.
 * @param basisDst Every dataset of the destination tree.
 * @returns Candidate datasets, sorted.
 */
export function emptyDstDatasetCandidates(
  selected: readonly string[],
  basisDst: readonly string[],
): string[] {
  return markLeafUp(selected, basisDst, () => true);
}

/**
 * `zfs destroy -r` argv lists for a set of datasets to delete: one per subtree root, sorted.
 *
 * @example
 * ```ts
 * import { destroyDatasetArgs } from "./delete_datasets.ts";
 * destroyDatasetArgs(["bak/x", "bak/x/y", "bak/z"], { force: true });
 * // [["zfs", "destroy", "-r", "-f", "bak/x"], ["zfs", "destroy", "-r", "-f", "bak/z"]]
 * ```
 * @param datasets Datasets to delete (every descendant of each must be in the list too).
 * @param options Flags of `zfs destroy` (`-r` is always added).
 * @returns One argv per subtree root.
 */
export function destroyDatasetArgs(
  datasets: readonly string[],
  options: DestroyOptions = {},
): string[][] {
  const sorted = [...new Set(datasets)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return rootDatasets(sorted).map((root) => destroyArgv(root, { ...options, recursive: true }));
}
