/**
 * Text output of `--compare-snapshot-lists`: the TSV headers and rows, the output file names,
 * the dataset TSV, and the summary lines logged per dataset (upstream wording).
 *
 * @module
 */

import { relativeDataset } from "./compare.ts";
import type {
  CompareCategoryStats,
  CompareLocation,
  CompareRow,
  CompareSummary,
  DatasetComparison,
} from "./compare_types.ts";
import { humanReadableBytes, humanReadableDuration } from "./human_readable.ts";

/** Columns of the snapshot TSV, in order. */
export const COMPARE_TSV_COLUMNS: readonly string[] = Object.freeze([
  "location",
  "creation_iso",
  "createtxg",
  "rel_name",
  "guid",
  "root_dataset",
  "rel_dataset",
  "name",
  "creation",
  "written",
]);

/** Header line of the snapshot TSV (tab separated, no newline). */
export const COMPARE_TSV_HEADER: string = COMPARE_TSV_COLUMNS.join("\t");

/** Header line of the dataset TSV (tab separated, no newline). */
export const COMPARE_DATASETS_TSV_HEADER: string =
  "location\trel_dataset\tsrc_dataset\tdst_dataset";

/**
 * Unix seconds as UTC ISO 8601 with `_` between date and time: `2024-11-06_08:30:05+00:00`.
 *
 * @example
 * ```ts
 * import { isoTimeFromUnixTime } from "./compare_output.ts";
 * isoTimeFromUnixTime(1730881805); // "2024-11-06_08:30:05+00:00"
 * ```
 * @param seconds Unix time in seconds.
 * @returns The ISO text.
 */
export function isoTimeFromUnixTime(seconds: number): string {
  const t = Temporal.Instant.fromEpochMilliseconds(seconds * 1000).toZonedDateTimeISO("UTC");
  const p2 = (n: number) => String(n).padStart(2, "0");
  const date = `${String(t.year).padStart(4, "0")}-${p2(t.month)}-${p2(t.day)}`;
  return `${date}_${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}+00:00`;
}

/**
 * One snapshot TSV data line (no newline).
 *
 * @example
 * ```ts
 * import { formatCompareRow } from "./compare_output.ts";
 * formatCompareRow({
 *   location: "src", creation: 1730881805, createTxg: 17435050n, relName: "/foo@s1", guid: "24",
 *   rootDataset: "tank1/src", relDataset: "/foo", name: "tank1/src/foo@s1", written: "24576",
 * });
 * // "src\t2024-11-06_08:30:05+00:00\t17435050\t/foo@s1\t24\ttank1/src\t/foo\ttank1/src/foo@s1\t1730881805\t24576"
 * ```
 * @param row The row.
 * @returns Its tab-separated text.
 */
export function formatCompareRow(row: CompareRow): string {
  return [
    row.location,
    isoTimeFromUnixTime(row.creation),
    String(row.createTxg),
    row.relName,
    row.guid,
    row.rootDataset,
    row.relDataset,
    row.name,
    String(row.creation),
    row.written,
  ].join("\t");
}

/**
 * The output folder: the log file path with `.log` replaced by `.cmp`.
 *
 * @example
 * ```ts
 * import { compareOutputDir } from "./compare_output.ts";
 * compareOutputDir("/logs/2024-11-06/2024-11-06_08:30:05-abc.log"); // "/logs/2024-11-06/2024-11-06_08:30:05-abc.cmp"
 * ```
 * @param logFile The run's log file.
 * @returns The folder for the TSV files.
 */
export function compareOutputDir(logFile: string): string {
  return (logFile.endsWith(".log") ? logFile.slice(0, -4) : logFile) + ".cmp";
}

/**
 * File names of the snapshot TSV and the dataset TSV: `<src>%<dst>` with every `/` as `~`.
 *
 * @example
 * ```ts
 * import { compareFileNames } from "./compare_output.ts";
 * compareFileNames("tank1/src", "tank2/dst");
 * // { snapshots: "tank1~src%tank2~dst.tsv", datasets: "tank1~src%tank2~dst.rel_datasets_tsv" }
 * ```
 * @param srcRoot The source root dataset (as upstream names it).
 * @param dstRoot The destination root dataset.
 * @returns Both file names (without folder).
 */
export function compareFileNames(
  srcRoot: string,
  dstRoot: string,
): { snapshots: string; datasets: string } {
  const stem = `${srcRoot}%${dstRoot}`.replaceAll("/", "~");
  return { snapshots: `${stem}.tsv`, datasets: `${stem}.rel_datasets_tsv` };
}

/**
 * Data lines of the dataset TSV (no header): one per relative dataset in the union of both
 * sides, sorted, with location `src`, `dst` or `all`. Lists all categories regardless of choice.
 *
 * @example
 * ```ts
 * import { compareDatasetRows } from "./compare_output.ts";
 * compareDatasetRows(["tank/src/bar", "tank/src/foo"], ["tank/dst/foo"], { srcRoot: "tank/src", dstRoot: "tank/dst" });
 * // ["src\t/bar\ttank/src/bar\t", "all\t/foo\ttank/src/foo\ttank/dst/foo"]
 * ```
 * @param srcDatasets The selected source datasets.
 * @param dstDatasets The selected destination datasets.
 * @param roots The root datasets.
 * @returns The lines, sorted by relative dataset.
 */
export function compareDatasetRows(
  srcDatasets: readonly string[],
  dstDatasets: readonly string[],
  roots: { srcRoot: string; dstRoot: string },
): string[] {
  const src = new Set(srcDatasets.map((d) => relativeDataset(d, roots.srcRoot)));
  const dst = new Set(dstDatasets.map((d) => relativeDataset(d, roots.dstRoot)));
  const all = [...new Set([...src, ...dst])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return all.map((rel) => {
    const loc = !dst.has(rel) ? "src" : !src.has(rel) ? "dst" : "all";
    const s = src.has(rel) ? roots.srcRoot + rel : "";
    const d = dst.has(rel) ? roots.dstRoot + rel : "";
    return [loc, rel, s, d].join("\t");
  });
}

/** Options of {@linkcode formatCompareSummary}. */
export interface CompareSummaryFormatOptions {
  /** The task named in the first line, e.g. `tank1/src vs. tank2/dst`. */
  readonly task: string;
  /** The run's "now" in Unix seconds (taken once per run). */
  readonly nowSeconds: number;
}

/**
 * The summary lines of one dataset, each starting `Comparing <rel_dataset>~`, in upstream's
 * order and wording. Log them as one INFO record joined by newlines.
 *
 * @example
 * ```ts
 * import { formatCompareSummary } from "./compare_output.ts";
 * const none = { count: 0, written: 0n, countSinceCommon: 0, writtenSinceCommon: 0n };
 * const lines = formatCompareSummary(
 *   { relDataset: "/foo", selected: ["all", "src", "dst"], stats: { all: none, src: none, dst: none } },
 *   { task: "tank/src vs. tank/dst", nowSeconds: 0 },
 * );
 * console.log(lines[0]); // "Comparing /foo~ of tank/src vs. tank/dst"
 * ```
 * @param summary The dataset's statistics.
 * @param options Task description and "now".
 * @returns The lines.
 */
export function formatCompareSummary(
  summary: CompareSummary,
  options: CompareSummaryFormatOptions,
): string[] {
  const prefix = `Comparing ${summary.relDataset}~`;
  const { all, src, dst } = summary.stats;
  const isAllThree = summary.selected.length === 3;
  const answer = isAllThree
    ? (src.count === 0 && dst.count === 0 && all.count > 0 ? "True" : "False")
    : "n/a";
  const lines = [
    `of ${options.task}`,
    "Q: No src snapshots are missing on dst, and no dst snapshots are missing on src, " +
    `and there is a common snapshot? A: ${answer}`,
  ];
  for (const loc of summary.selected) {
    lines.push(...categoryLines(loc, summary.stats[loc], { common: all, now: options.nowSeconds }));
  }
  return lines.map((line) => `${prefix} ${line}`);
}

function categoryLines(
  loc: CompareLocation,
  s: CompareCategoryStats,
  ctx: { common: CompareCategoryStats; now: number },
): string[] {
  const row = (r?: CompareRow) => (r ? formatCompareRow(r) : "n/a");
  const lines = [
    `Latest snapshot only in ${loc}: ${row(s.latest)}`,
    `Oldest snapshot only in ${loc}: ${row(s.oldest)}`,
    `Snapshots only in ${loc}: ${s.count}`,
    `Snapshot data written only in ${loc}: ${humanReadableBytes(Number(s.written))}`,
  ];
  const latcom = "latest common snapshot";
  const common = ctx.common.latest;
  if (loc !== "all") {
    lines.push(
      `Snapshots only in ${loc} since ${latcom}: ${common ? s.countSinceCommon : "n/a"}`,
      `Snapshot data written only in ${loc} since ${latcom}: ${
        common ? humanReadableBytes(Number(s.writtenSinceCommon)) : "n/a"
      }`,
    );
    for (const [label, r] of [["latest", s.latest], ["oldest", s.oldest]] as const) {
      const diff = common && r ? humanReadableDuration(common.creation - r.creation, "s") : "n/a";
      lines.push(`Time diff between ${latcom} and ${label} snapshot only in ${loc}: ${diff}`);
    }
  }
  for (const [label, r] of [["latest", s.latest], ["oldest", s.oldest]] as const) {
    const diff = r ? humanReadableDuration(ctx.now - r.creation, "s") : "n/a";
    lines.push(`Time diff between now and ${label} snapshot only in ${loc}: ${diff}`);
  }
  return lines;
}

/** Options of {@linkcode compareTsvLines}. */
export interface CompareTsvLinesOptions {
  /** Dry run: the header is still written, data rows are not. @default {false} */
  readonly dryRun?: boolean;
  /** Called once per dataset after its rows, e.g. to log {@linkcode formatCompareSummary}. */
  readonly onDataset?: (comparison: DatasetComparison) => void;
}

/**
 * The lines of the snapshot TSV for a stream of comparisons: the header once, before the first
 * dataset (so no dataset at all means an empty file), then each dataset's rows.
 *
 * @example
 * ```ts
 * import { compareSnapshotLists } from "./compare.ts";
 * import { compareTsvLines } from "./compare_output.ts";
 * const src = [{ dataset: "tank/src", records: [] }];
 * const comparisons = compareSnapshotLists(src, [], { srcRoot: "tank/src", dstRoot: "tank/dst" });
 * for await (const line of compareTsvLines(comparisons)) console.log(line); // only the header
 * ```
 * @param comparisons The per-dataset comparisons, in order.
 * @param options Dry run and a per-dataset callback.
 * @returns The lines, without newlines.
 */
export async function* compareTsvLines(
  comparisons: Iterable<DatasetComparison> | AsyncIterable<DatasetComparison>,
  options: CompareTsvLinesOptions = {},
): AsyncGenerator<string> {
  let first = true;
  for await (const c of comparisons) {
    if (first) yield COMPARE_TSV_HEADER;
    first = false;
    if (!options.dryRun) { for (const row of c.rows) yield formatCompareRow(row); }
    options.onDataset?.(c);
  }
}
