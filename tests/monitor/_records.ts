/**
 * Test helpers: compact builders for compare records and monitor snapshots.
 *
 * @module
 */

import type { CompareRecord, DatasetSnapshots } from "../../lib/monitor/compare_types.ts";

/** 2024-11-06_08:30:05 UTC. */
export const T0 = 1730881805;

/**
 * A compare record from `"tank/src/foo@snapA"` (or `#` for a bookmark); createtxg defaults to
 * the creation offset + 1000, written to `-` for bookmarks and `1024 * offset` for snapshots.
 */
export function rec(
  fullName: string,
  guid: string,
  offset: number,
  extra: { txg?: bigint; written?: string } = {},
): CompareRecord {
  const at = fullName.search(/[@#]/);
  const kind = fullName[at] === "@" ? "snapshot" : "bookmark";
  return {
    dataset: fullName.slice(0, at),
    name: fullName.slice(at + 1),
    kind,
    guid,
    createTxg: extra.txg ?? BigInt(1000 + offset),
    creation: T0 + offset,
    written: extra.written ?? (kind === "bookmark" ? "-" : String(1024 * offset)),
  };
}

/** Groups records under their datasets, adding the given empty datasets; sorted by name. */
export function tree(
  records: readonly CompareRecord[],
  empty: readonly string[] = [],
): DatasetSnapshots[] {
  const map = new Map<string, CompareRecord[]>(empty.map((d) => [d, []]));
  for (const r of records) map.set(r.dataset, [...(map.get(r.dataset) ?? []), r]);
  return [...map.keys()].sort().map((dataset) => ({ dataset, records: map.get(dataset) ?? [] }));
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
