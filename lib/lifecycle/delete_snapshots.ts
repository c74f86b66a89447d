/**
 * `--delete-dst-snapshots[=snapshots|bookmarks]` decisions for one destination dataset
 * (semantics 6.1), and the batched `zfs destroy` argv lists that carry them out.
 *
 * Modes, with S = entries the snapshot filters select (never inverted here) and G = GUIDs listed
 * on the source dataset:
 * - normal: delete S minus entries whose GUID is in G;
 * - except (`--delete-dst-snapshots-except[-plan]`), real source: keep S ∩ G, delete the rest;
 * - except, `dummy` source: delete everything not in S.
 * G holds the source's snapshots and bookmarks (crosscheck, the default), or only entries of the
 * same kind as the destination entries with `--delete-dst-snapshots-no-crosscheck`. A missing
 * source dataset (or the `dummy` source) gives an empty G. Snapshots with a hold are never
 * deleted. In bookmark mode temporary `.TMPBZFS.` bookmarks are not candidates.
 *
 * Latest common snapshot: with crosscheck and a real source it is never deleted in normal mode,
 * because its GUID is on the source by definition. In except mode upstream deletes it when the
 * keep filters do not select it, and with no-crosscheck it may be deleted when only a source
 * bookmark carries its GUID; both would force the next replication into a conflict or a full
 * resend. `protectLatestCommon` (default on) keeps it in every snapshot mode with a real source;
 * set it to false for upstream's exact selection.
 *
 * @module
 */

import { latestCommonSnapshot } from "../replicate/common_snapshot.ts";
import { destroyArgv, type DestroyOptions } from "../zfs/mutate.ts";
import type { SnapshotRecord } from "../zfs/types.ts";
import { maxCommandLineBytes, packArgs, utf8Bytes } from "./snapshot_batches.ts";

/** A destination entry as listed with `-o guid,name,userrefs` (userrefs only for snapshots). */
export interface DstEntry extends SnapshotRecord {
  /** `userrefs` as listed; `""`, `-` and `0` mean no hold. @default "" */
  readonly userrefs?: string;
}

/** Prefix of upstream's temporary replication bookmarks. */
export const TMP_BOOKMARK_PREFIX = ".TMPBZFS.";

const NO_HOLD = new Set(["", "-", "0"]);

/** Options of {@linkcode selectDstSnapshotsToDelete}. */
export interface SelectDstSnapshotsOptions {
  /** Entries of the destination dataset that the snapshot filters select (not inverted). */
  selected: Iterable<Pick<SnapshotRecord, "name" | "kind">>;
  /** `--delete-dst-snapshots-except[-plan]`: `selected` is what to keep. @default false */
  except?: boolean;
  /** Cross-check against source snapshots AND bookmarks (false = `...-no-crosscheck`). @default true */
  crosscheck?: boolean;
  /** Which destination entries are candidates. @default "snapshots" */
  kind?: "snapshots" | "bookmarks";
  /** The source is `dummy`: deletion by the filters alone. @default false */
  dummySource?: boolean;
  /** Make `.TMPBZFS.` bookmarks candidates (`--force-delete-dst-tmp-bookmarks`). @default false */
  includeTmpBookmarks?: boolean;
  /** Never delete the latest common snapshot with a real source (see module doc). @default true */
  protectLatestCommon?: boolean;
}

/** Result of {@linkcode selectDstSnapshotsToDelete}. */
export interface DstSnapshotDeletion {
  /** Entries to destroy, in destination listing order. */
  readonly toDelete: readonly DstEntry[];
  /** Entries the rules chose but that carry a `zfs hold` (kept, silently). */
  readonly held: readonly DstEntry[];
  /** The latest common snapshot kept by `protectLatestCommon`, if the rules chose it. */
  readonly protectedCommon?: DstEntry;
}

/** name -> bit set of kinds (1 snapshot, 2 bookmark): keys without building a string per entry. */
type KindsByName = Map<string, number>;

const kindBit = (kind: SnapshotRecord["kind"]) => kind === "snapshot" ? 1 : 2;

function kindsByName(entries: Iterable<Pick<SnapshotRecord, "name" | "kind">>): KindsByName {
  const out: KindsByName = new Map();
  for (const e of entries) out.set(e.name, (out.get(e.name) ?? 0) | kindBit(e.kind));
  return out;
}

/**
 * Decides which destination snapshots (or bookmarks) of one dataset to destroy.
 *
 * @example Normal mode: selected and not on the source
 * ```ts
 * import { selectDstSnapshotsToDelete } from "./delete_snapshots.ts";
 * const rec = (name: string, guid: string, txg: number) =>
 *   ({ dataset: "bak/a", name, kind: "snapshot" as const, guid, createTxg: BigInt(txg), creation: txg });
 * const dst = [rec("d1", "1", 1), rec("d2", "2", 2), rec("d3", "3", 3)];
 * const src = [{ ...rec("d3", "3", 3), dataset: "tank/a" }];
 * selectDstSnapshotsToDelete(dst, src, { selected: dst }).toDelete.map((s) => s.name); // ["d1", "d2"]
 * ```
 * @param dst The destination dataset's snapshots and bookmarks, oldest first (by createtxg).
 * @param src The source dataset's snapshots AND bookmarks, unfiltered, whatever `crosscheck` says
 * (the option narrows the GUID check here; the latest common snapshot needs both kinds), or
 * undefined if the dataset does not exist (also in bookmark mode when the source pool has no
 * bookmarks).
 * @param options Selection, mode and safety switches.
 * @returns What to destroy and what a hold protects.
 * @throws {TypeError} If a selected entry (by kind and name) is not in `dst`.
 */
export function selectDstSnapshotsToDelete(
  dst: readonly DstEntry[],
  src: readonly SnapshotRecord[] | undefined,
  options: SelectDstSnapshotsOptions,
): DstSnapshotDeletion {
  const kind = options.kind === "bookmarks" ? "bookmark" : "snapshot";
  const realSrc = options.dummySource ? [] : (src ?? []);
  const crosscheck = options.crosscheck ?? true;
  const srcGuids = new Set<string>();
  for (const s of realSrc) if (crosscheck || s.kind === kind) srcGuids.add(s.guid);
  const selected = kindsByName(options.selected);
  // One pass over dst (100,000 entries on big datasets): selection lookups, the subset check
  // by counting, and the mode's rule.
  let selectedSeen = 0;
  const chosen: DstEntry[] = [];
  for (const e of dst) {
    const isSelected = ((selected.get(e.name) ?? 0) & kindBit(e.kind)) !== 0;
    if (isSelected) selectedSeen++;
    if (e.kind !== kind) continue;
    if (kind === "bookmark" && !options.includeTmpBookmarks) {
      if (e.name.startsWith(TMP_BOOKMARK_PREFIX)) continue;
    }
    const choose = !options.except
      ? isSelected && !srcGuids.has(e.guid)
      : options.dummySource
      ? !isSelected
      : !(isSelected && srcGuids.has(e.guid));
    if (choose) chosen.push(e);
  }
  if (selectedSeen !== countKinds(selected)) assertSubset(selected, dst);
  const common = chosen.length > 0 && kind === "snapshot" && !options.dummySource &&
      (options.protectLatestCommon ?? true)
    ? latestCommonSnapshot(realSrc, dst)?.dst
    : undefined;
  const toDelete: DstEntry[] = [];
  const held: DstEntry[] = [];
  let protectedCommon: DstEntry | undefined;
  for (const e of chosen) {
    if (kind === "snapshot" && !NO_HOLD.has(e.userrefs ?? "")) held.push(e);
    else if (common !== undefined && e.guid === common.guid) protectedCommon = e;
    else toDelete.push(e);
  }
  return protectedCommon ? { toDelete, held, protectedCommon } : { toDelete, held };
}

function countKinds(byName: KindsByName): number {
  let n = 0;
  for (const bits of byName.values()) n += (bits & 1) + (bits >> 1);
  return n;
}

/**
 * `selected` must come from filtering `dst` itself. A key that is not in `dst` means the caller
 * filtered something else (e.g. bookmarks rewritten as snapshots and not restored); in except
 * mode that would silently delete everything, so it is a programming error.
 */
function assertSubset(selected: KindsByName, dst: readonly DstEntry[]): void {
  const known = kindsByName(dst);
  for (const [name, bits] of selected) {
    const missing = bits & ~(known.get(name) ?? 0);
    if (missing !== 0) {
      const kind = (missing & 1) !== 0 ? "snapshot" : "bookmark";
      throw new TypeError(`Selected entry is not in the destination listing: ${kind} ${name}`);
    }
  }
}

/** Options of {@linkcode destroyArgs}. */
export interface DestroyArgsOptions {
  /** Snapshots per `zfs destroy` (`bzfs_max_snapshots_per_minibatch_on_delete_snaps`). @default 2 ** 29 */
  maxPerCommand?: number;
  /** Destroy bookmarks (`ds#name`, one per command) instead of snapshots. @default "snapshot" */
  kind?: "snapshot" | "bookmark";
  /**
   * Every snapshot name of the dataset in creation (createtxg) order, oldest first, complete and
   * fresh. When given, runs of at least 3 consecutive names that are ALL to be destroyed become
   * one `first%last` range. Checked on OpenZFS 2.3.2: `a%b` destroys every snapshot whose
   * createtxg lies between those of `a` and `b` whatever its name (held or not), `b%a` and a
   * missing end fail with "could not find any snapshots to destroy", and one held snapshot makes
   * the whole command fail. So a range here never spans a name that is not in `names`. Without
   * `ordered`, only comma lists are used, like upstream. @default undefined
   */
  ordered?: readonly string[];
  /** Flags and program of `zfs destroy`. @default {} */
  destroy?: DestroyOptions;
  /** Bytes of whatever precedes the zfs command (ssh and its options). @default 0 */
  headerBytes?: number;
  /** Byte budget of a whole command line. @default maxCommandLineBytes("Linux") */
  maxCommandLineBytes?: number;
}

/** Linux limit of a single argument (MAX_ARG_STRLEN) minus one, as upstream. */
const MAX_ARG_BYTES = 128 * 1024 - 1;

/**
 * Batched `zfs destroy` argv lists for snapshot (or bookmark) names of one dataset: snapshots as
 * `ds@a,b,c` (at most `maxPerCommand` tags and 128 KiB - 1 bytes per command), bookmarks one
 * `ds#name` per command (zfs has no multi-bookmark destroy).
 *
 * @example Comma lists and a range
 * ```ts
 * import { destroyArgs } from "./delete_snapshots.ts";
 * destroyArgs("bak/a", ["s1", "s2", "s3"], { maxPerCommand: 2 });
 * // [["zfs", "destroy", "bak/a@s1,s2"], ["zfs", "destroy", "bak/a@s3"]]
 * destroyArgs("bak/a", ["s1", "s2", "s3", "s5"], { ordered: ["s1", "s2", "s3", "s4", "s5"] });
 * // [["zfs", "destroy", "bak/a@s1%s3,s5"]]
 * ```
 * @param dataset The dataset.
 * @param names Short names to destroy.
 * @param options Batch limits, kind, ranges, flags.
 * @returns One argv per command.
 */
export function destroyArgs(
  dataset: string,
  names: readonly string[],
  options: DestroyArgsOptions = {},
): string[][] {
  if (options.kind === "bookmark") {
    return [...new Set(names)].map((n) => destroyArgv(`${dataset}#${n}`, options.destroy));
  }
  const tags = options.ordered ? withRanges(names, options.ordered) : [...new Set(names)];
  const prefix = destroyArgv(`${dataset}@`, options.destroy);
  const budget = Math.min(
    options.maxCommandLineBytes ?? maxCommandLineBytes("Linux"),
    MAX_ARG_BYTES,
  );
  const maxBytes = budget - (options.headerBytes ?? 0) - utf8Bytes(prefix.join(" "));
  const maxItems = Math.max(1, options.maxPerCommand ?? 2 ** 29);
  return packArgs(tags, { maxBytes, maxItems, sep: "," })
    .map((batch) => destroyArgv(`${dataset}@${batch.join(",")}`, options.destroy));
}

/** Tags in creation order, with maximal runs (>= 3) of consecutive doomed names as `a%b`. */
function withRanges(names: readonly string[], ordered: readonly string[]): string[] {
  const doomed = new Set(names);
  const inOrder = new Set(ordered);
  if (inOrder.size !== ordered.length) return [...doomed]; // duplicate names: no ranges
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) out.push(`${run[0]}%${run[run.length - 1]}`);
    else out.push(...run);
    run = [];
  };
  for (const name of ordered) {
    if (doomed.has(name)) run.push(name);
    else flush();
  }
  flush();
  for (const name of doomed) if (!inOrder.has(name)) out.push(name);
  return out;
}
