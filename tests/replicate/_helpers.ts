/**
 * Test helpers: snapshot lists from short strings, zrepl style. `"@a,1"` is snapshot `a`, `"#b,2"`
 * is bookmark `b`; the number gives the GUID (`"g1"`), the createtxg and the creation time, so
 * the same number on source and destination means the same snapshot.
 *
 * @module
 */

import type { SnapshotRecord } from "../../lib/zfs/types.ts";
import type {
  BookmarkToCreate,
  CreateBookmarksAction,
  FullSendAction,
  IncrementalSendAction,
  ReplicationInput,
} from "../../lib/replicate/types.ts";
import { bookmarkName } from "../../lib/replicate/bookmarks.ts";

export const SRC = "tank/a";
export const DST = "backup/a";

/** One record from `"@name,n"` or `"#name,n"` in `dataset`. */
export function rec(dataset: string, spec: string): SnapshotRecord {
  const kind = spec[0] === "@" ? "snapshot" : spec[0] === "#" ? "bookmark" : undefined;
  if (kind === undefined) throw new Error(`Bad spec: ${spec}`);
  const [name, num] = spec.slice(1).split(",");
  const n = Number(num);
  if (!name || !Number.isInteger(n)) throw new Error(`Bad spec: ${spec}`);
  return { dataset, name, kind, guid: `g${n}`, createTxg: BigInt(n), creation: 1_700_000_000 + n };
}

/** Records in `dataset`. */
export function snaps(dataset: string, ...specs: string[]): SnapshotRecord[] {
  return specs.map((s) => rec(dataset, s));
}

/** Source records (`tank/a`). */
export function src(...specs: string[]): SnapshotRecord[] {
  return snaps(SRC, ...specs);
}

/** Destination records (`backup/a`). */
export function dst(...specs: string[]): SnapshotRecord[] {
  return snaps(DST, ...specs);
}

/** The record named `name` (snapshot preferred) in `records`. */
export function pick(records: readonly SnapshotRecord[], name: string): SnapshotRecord {
  const found = records.find((r) => r.name === name && r.kind === "snapshot") ??
    records.find((r) => r.name === name);
  if (found === undefined) throw new Error(`No record ${name}`);
  return found;
}

/** The GUIDs of the named snapshots. */
export function guids(records: readonly SnapshotRecord[], ...names: string[]): Set<string> {
  return new Set(names.map((n) => pick(records, n).guid));
}

/** The GUIDs of every snapshot whose name starts with `prefix`. */
export function guidsWithPrefix(records: readonly SnapshotRecord[], prefix: string): Set<string> {
  return new Set(
    records.filter((r) => r.kind === "snapshot" && r.name.startsWith(prefix)).map((r) => r.guid),
  );
}

/** An input with every source snapshot selected unless `selected` is given. */
export function input(
  srcRecs: SnapshotRecord[],
  dstRecs: SnapshotRecord[] | null,
  extra: Partial<ReplicationInput> = {},
): ReplicationInput {
  return {
    srcDataset: SRC,
    dstDataset: DST,
    src: srcRecs,
    selectedGuids: new Set(srcRecs.filter((r) => r.kind === "snapshot").map((r) => r.guid)),
    dst: dstRecs,
    ...extra,
  };
}

/** Expected full send. */
export function full(
  snapshot: SnapshotRecord,
  opts: { createAncestors?: boolean; logOnly?: boolean } = {},
): FullSendAction {
  return {
    type: "full",
    snapshot,
    dstDataset: DST,
    createAncestors: opts.createAncestors ?? false,
    logOnly: opts.logOnly ?? false,
  };
}

/** Expected incremental step; `toSnapshots` defaults to `[to]`. */
export function incr(
  flag: "-i" | "-I",
  from: SnapshotRecord,
  to: SnapshotRecord,
  toSnapshots: SnapshotRecord[] = [to],
  logOnly = false,
): IncrementalSendAction {
  return { type: "incremental", flag, from, to, toSnapshots, dstDataset: DST, logOnly };
}

/** Expected bookmarks action for the given snapshots. */
export function bms(...snapshots: SnapshotRecord[]): CreateBookmarksAction {
  const bookmarks: BookmarkToCreate[] = snapshots.map((s) => ({
    snapshot: s,
    name: bookmarkName(s.name, s.guid),
  }));
  return { type: "bookmarks", dataset: SRC, bookmarks };
}

/** Short text of a step for compact assertions: `-I a c`. */
export function stepText(s: { flag: string; from: SnapshotRecord; to: SnapshotRecord }): string {
  return `${s.flag} ${s.from.kind === "bookmark" ? "#" : ""}${s.from.name} ${s.to.name}`;
}

/** A source and a destination that diverged after the common snapshot `a`. */
export function divergedPair(): { s: SnapshotRecord[]; d: SnapshotRecord[] } {
  return { s: src("@a,1", "@b,2", "@c,3"), d: dst("@a,1", "@x,10", "@y,11") };
}
