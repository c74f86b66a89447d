/**
 * The comparison of one relative dataset: matches source and destination entries by GUID,
 * builds the TSV rows of the selected categories in TSV order, and computes the summary
 * statistics.
 *
 * @module
 */

import type {
  CompareCategoryStats,
  CompareLocation,
  CompareRecord,
  CompareRow,
  CompareSummary,
  DatasetComparison,
} from "./compare_types.ts";

/** Options of {@linkcode compareDataset}. */
export interface CompareDatasetOptions {
  /** The relative dataset (empty for the root). */
  readonly relDataset: string;
  /** The source root dataset. */
  readonly srcRoot: string;
  /** The destination root dataset. */
  readonly dstRoot: string;
  /** The categories to report, in the log order `all`, `src`, `dst`. */
  readonly selected: readonly CompareLocation[];
  /** The full source dataset, if the source side has it. */
  readonly srcDataset?: string;
  /** The full destination dataset, if the destination side has it. */
  readonly dstDataset?: string;
}

/**
 * True for the temporary bookmarks bzfs creates while replicating (`ds#.TMPBZFS.*`).
 *
 * @example
 * ```ts
 * import { isTemporaryBookmark } from "./compare_dataset.ts";
 * isTemporaryBookmark({ kind: "bookmark", name: ".TMPBZFS.x" }); // true
 * ```
 * @param r The record.
 * @returns Whether it is a temporary bookmark.
 */
export function isTemporaryBookmark(r: Pick<CompareRecord, "kind" | "name">): boolean {
  return r.kind === "bookmark" && r.name.startsWith(".TMPBZFS.");
}

/**
 * Compares one dataset's source and destination entries (one per GUID on each side).
 *
 * @example
 * ```ts
 * import { compareDataset } from "./compare_dataset.ts";
 * const rec = (dataset: string, name: string, guid: string, creation: number) =>
 *   ({ dataset, name, kind: "snapshot" as const, guid, createTxg: BigInt(creation), creation, written: "0" });
 * const src = new Map([["1", rec("tank/src/foo", "a", "1", 100)], ["2", rec("tank/src/foo", "b", "2", 200)]]);
 * const dst = new Map([["1", rec("tank/dst/foo", "a", "1", 100)]]);
 * const c = compareDataset(src, dst, {
 *   relDataset: "/foo", srcRoot: "tank/src", dstRoot: "tank/dst", selected: ["all", "src", "dst"],
 * });
 * console.log(c.rows.map((r) => `${r.location} ${r.relName}`)); // ["all /foo@a", "src /foo@b"]
 * ```
 * @param src Source entries by GUID.
 * @param dst Destination entries by GUID.
 * @param options The relative dataset, roots and selected categories.
 * @returns The rows in TSV order and the summary.
 */
export function compareDataset(
  src: ReadonlyMap<string, CompareRecord>,
  dst: ReadonlyMap<string, CompareRecord>,
  options: CompareDatasetOptions,
): DatasetComparison {
  const selected = new Set(options.selected);
  const rows: CompareRow[] = [];
  const add = (location: CompareLocation, r: CompareRecord) => {
    if (selected.has(location)) rows.push(toRow(location, r, options));
  };
  for (const [guid, r] of src) {
    if (dst.has(guid)) add("all", r);
    else if (!isTemporaryBookmark(r)) add("src", r);
  }
  for (const [guid, r] of dst) if (!src.has(guid)) add("dst", r);
  rows.sort(compareRows);
  return {
    relDataset: options.relDataset,
    ...(options.srcDataset === undefined ? {} : { srcDataset: options.srcDataset }),
    ...(options.dstDataset === undefined ? {} : { dstDataset: options.dstDataset }),
    rows,
    summary: summarize(rows, options),
  };
}

function toRow(
  location: CompareLocation,
  r: CompareRecord,
  options: CompareDatasetOptions,
): CompareRow {
  const rootDataset = location === "dst" ? options.dstRoot : options.srcRoot;
  const name = `${r.dataset}${r.kind === "bookmark" ? "#" : "@"}${r.name}`;
  return {
    location,
    creation: r.creation,
    createTxg: r.createTxg,
    relName: name.slice(rootDataset.length),
    guid: r.guid,
    rootDataset,
    relDataset: options.relDataset,
    name,
    written: r.written ?? "-",
  };
}

/** TSV order: creation, then createtxg, then the tag after `@`/`#` (then GUID, for determinism). */
function compareRows(a: CompareRow, b: CompareRow): number {
  return a.creation - b.creation || cmp(a.createTxg, b.createTxg) || cmp(tag(a), tag(b)) ||
    cmp(a.guid, b.guid);
}

function tag(row: CompareRow): string {
  return row.name.slice(row.name.search(/[@#]/) + 1);
}

function cmp<T extends string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface MutableStats {
  count: number;
  written: bigint;
  countSinceCommon: number;
  writtenSinceCommon: bigint;
  latest?: CompareRow;
  oldest?: CompareRow;
}

function summarize(rows: readonly CompareRow[], options: CompareDatasetOptions): CompareSummary {
  const stats: Record<CompareLocation, MutableStats> = {
    all: emptyStats(),
    src: emptyStats(),
    dst: emptyStats(),
  };
  let lastCommon = -1;
  rows.forEach((row, i) => {
    const s = stats[row.location];
    s.count++;
    s.written += writtenBytes(row);
    s.latest = row;
    s.oldest ??= row;
    if (row.location === "all") lastCommon = i;
  });
  for (const row of rows.slice(lastCommon + 1)) {
    const s = stats[row.location];
    s.countSinceCommon++;
    s.writtenSinceCommon += writtenBytes(row);
  }
  return {
    relDataset: options.relDataset,
    selected: (["all", "src", "dst"] as const).filter((l) => options.selected.includes(l)),
    stats: stats as Record<CompareLocation, CompareCategoryStats>,
  };
}

function emptyStats(): MutableStats {
  return { count: 0, written: 0n, countSinceCommon: 0, writtenSinceCommon: 0n };
}

function writtenBytes(row: CompareRow): bigint {
  return /^[0-9]+$/.test(row.written) ? BigInt(row.written) : 0n;
}
