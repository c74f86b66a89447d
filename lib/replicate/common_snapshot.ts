/**
 * The latest common snapshot of a source and a destination, by GUID (names are irrelevant).
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";
import type { CommonSnapshot } from "./types.ts";

/** Options of {@linkcode latestCommonSnapshot}. */
export interface LatestCommonSnapshotOptions {
  /** `--no-use-bookmark`: ignore source bookmarks. @default {false} */
  readonly noUseBookmark?: boolean;
}

/**
 * Orders snapshot records oldest first: by `createTxg`, and for equal txg a bookmark before a
 * snapshot (what `zfs list -s createtxg -s type` yields, so a snapshot wins over its bookmarks).
 * Stable; returns a new array.
 *
 * @example Sort a listing
 * ```ts
 * import { sortByTxg } from "./common_snapshot.ts";
 * const s = { dataset: "t/a", name: "s", kind: "snapshot" as const, guid: "1", createTxg: 5n, creation: 1 };
 * const b = { ...s, kind: "bookmark" as const };
 * sortByTxg([s, b]); // [b, s]
 * ```
 * @param records Snapshots and/or bookmarks of one dataset.
 * @returns The records oldest first.
 */
export function sortByTxg(records: readonly SnapshotRecord[]): SnapshotRecord[] {
  return [...records].sort((a, b) => {
    if (a.createTxg !== b.createTxg) return a.createTxg < b.createTxg ? -1 : 1;
    return kindRank(a) - kindRank(b);
  });
}

function kindRank(r: SnapshotRecord): number {
  return r.kind === "bookmark" ? 0 : 1;
}

/**
 * Finds the most recent source snapshot or bookmark whose GUID is also the GUID of a destination
 * snapshot. Rules (semantics 5.2):
 * - only GUIDs count; names never do;
 * - the source candidate with the highest `createTxg` wins; on a tie a snapshot wins over a
 *   bookmark of the same GUID, so a bookmark is returned only when its snapshot is gone;
 * - destination bookmarks are ignored (only destination snapshots hold data to build on);
 * - with `noUseBookmark`, source bookmarks are ignored.
 *
 * @example The snapshot wins over its bookmark
 * ```ts
 * import { latestCommonSnapshot } from "./common_snapshot.ts";
 * const rec = (dataset: string, kind: "snapshot" | "bookmark", name: string, n: number) =>
 *   ({ dataset, name, kind, guid: String(n), createTxg: BigInt(n), creation: n });
 * const src = [rec("t/a", "bookmark", "s1", 1), rec("t/a", "snapshot", "s1", 1)];
 * const dst = [rec("b/a", "snapshot", "s1", 1)];
 * latestCommonSnapshot(src, dst)?.src.kind; // "snapshot"
 * ```
 * @param src Source snapshots and bookmarks, in any order.
 * @param dst Destination snapshots, in any order.
 * @param options Whether bookmarks may be used.
 * @returns The common pair, or `null` when there is none.
 */
export function latestCommonSnapshot(
  src: readonly SnapshotRecord[],
  dst: readonly SnapshotRecord[],
  options: LatestCommonSnapshotOptions = {},
): CommonSnapshot | null {
  const dstByGuid = new Map<string, SnapshotRecord>();
  for (const d of dst) if (d.kind === "snapshot") dstByGuid.set(d.guid, d);
  let best: SnapshotRecord | null = null;
  for (const s of src) {
    if (s.kind === "bookmark" && options.noUseBookmark) continue;
    if (!dstByGuid.has(s.guid)) continue;
    if (best === null || isNewer(s, best)) best = s;
  }
  if (best === null) return null;
  return { src: best, dst: dstByGuid.get(best.guid)! };
}

function isNewer(a: SnapshotRecord, b: SnapshotRecord): boolean {
  if (a.createTxg !== b.createTxg) return a.createTxg > b.createTxg;
  return kindRank(a) > kindRank(b);
}
