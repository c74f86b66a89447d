/**
 * `zfs list` argv builders and parsers for datasets and for snapshots/bookmarks.
 *
 * @module
 */
import { ZfsParseError } from "./errors.ts";
import type { DatasetRecord, SnapshotRecord } from "./types.ts";

/** Options of {@linkcode listDatasetsArgv}. */
export interface ListDatasetsOptions {
  /** `-r`: the whole subtree. @default {false} */
  recursive?: boolean;
  /** Also list `snapshots_changed` (OpenZFS >= 2.2 only). @default {false} */
  snapshotsChanged?: boolean;
  /** The zfs program. @default {"zfs"} */
  zfsProgram?: string;
}

/**
 * `zfs list -t filesystem,volume -Hp -o [snapshots_changed,]name -s name [-r] root`.
 *
 * @example
 * ```ts
 * import { listDatasetsArgv } from "./list.ts";
 * listDatasetsArgv("tank/a", { recursive: true, snapshotsChanged: true }).join(" ");
 * // "zfs list -t filesystem,volume -Hp -o snapshots_changed,name -s name -r tank/a"
 * ```
 * @param root The root dataset.
 * @param options Recursion and columns.
 * @returns The argv.
 */
export function listDatasetsArgv(root: string, options: ListDatasetsOptions = {}): string[] {
  const columns = options.snapshotsChanged ? "snapshots_changed,name" : "name";
  const argv = [
    options.zfsProgram ?? "zfs",
    "list",
    "-t",
    "filesystem,volume",
    "-Hp",
    "-o",
    columns,
    "-s",
    "name",
  ];
  if (options.recursive) argv.push("-r");
  argv.push(root);
  return argv;
}

/**
 * Parses the output of {@linkcode listDatasetsArgv}. A `snapshots_changed` of `-` or `0`
 * (never changed, or unsupported) becomes undefined.
 *
 * @example
 * ```ts
 * import { parseDatasetList } from "./list.ts";
 * parseDatasetList("1700000000\ttank/a\n-\ttank/a/b\n", { snapshotsChanged: true });
 * // [{ name: "tank/a", snapshotsChanged: 1700000000 }, { name: "tank/a/b", snapshotsChanged: undefined }]
 * ```
 * @param stdout The command's output.
 * @param options Whether the `snapshots_changed` column is present.
 * @returns One record per line.
 * @throws {ZfsParseError} On a malformed line.
 */
export function parseDatasetList(
  stdout: string,
  options: { snapshotsChanged?: boolean } = {},
): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (const line of lines(stdout)) {
    if (!options.snapshotsChanged) {
      out.push({ name: line });
      continue;
    }
    const tab = line.indexOf("\t");
    if (tab < 0) {
      throw new ZfsParseError("Expected 'snapshots_changed<TAB>name' from zfs list", line);
    }
    const raw = line.slice(0, tab);
    const n = raw === "-" ? 0 : Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      throw new ZfsParseError("Bad snapshots_changed value from zfs list", line);
    }
    out.push({ name: line.slice(tab + 1), snapshotsChanged: n === 0 ? undefined : n });
  }
  return out;
}

/** Which object types {@linkcode listSnapshotsArgv} lists. */
export type SnapshotTypes = "snapshot" | "bookmark" | "snapshot,bookmark";

/** Options of {@linkcode listSnapshotsArgv}. */
export interface ListSnapshotsOptions {
  /** Which object types to list. @default {"snapshot"} */
  types?: SnapshotTypes;
  /** `-d 1` (only this dataset's own snapshots); false lists the whole subtree (`-r`). @default {true} */
  depth1?: boolean;
  /** The zfs program. @default {"zfs"} */
  zfsProgram?: string;
}

/**
 * `zfs list -t <types> -Hp -o guid,createtxg,creation,name -s createtxg [-s type] -d 1 <dataset>`;
 * with both types, `-s type` puts a bookmark before the snapshot with the same GUID.
 *
 * @example
 * ```ts
 * import { listSnapshotsArgv } from "./list.ts";
 * listSnapshotsArgv("tank/a", { types: "snapshot,bookmark" }).join(" ");
 * // "zfs list -t snapshot,bookmark -Hp -o guid,createtxg,creation,name -s createtxg -s type -d 1 tank/a"
 * ```
 * @param dataset The dataset, or several (one batch: `zfs list ... a b c`).
 * @param options Types and depth.
 * @returns The argv.
 */
export function listSnapshotsArgv(
  dataset: string | readonly string[],
  options: ListSnapshotsOptions = {},
): string[] {
  const types = options.types ?? "snapshot";
  const argv = [
    options.zfsProgram ?? "zfs",
    "list",
    "-t",
    types,
    "-Hp",
    "-o",
    "guid,createtxg,creation,name",
  ];
  argv.push("-s", "createtxg");
  if (types === "snapshot,bookmark") argv.push("-s", "type");
  argv.push(...(options.depth1 ?? true ? ["-d", "1"] : ["-r"]));
  return typeof dataset === "string" ? [...argv, dataset] : [...argv, ...dataset];
}

/**
 * Parses `guid<TAB>createtxg<TAB>creation<TAB>name` lines into SnapshotRecords, in output order.
 *
 * @example
 * ```ts
 * import { parseSnapshotList } from "./list.ts";
 * parseSnapshotList("123\t10\t1700000000\ttank/a@s1\n456\t11\t1700000100\ttank/a#b1\n");
 * // [{ dataset: "tank/a", name: "s1", kind: "snapshot", guid: "123", createTxg: 10n, creation: 1700000000 },
 * //  { dataset: "tank/a", name: "b1", kind: "bookmark", guid: "456", createTxg: 11n, creation: 1700000100 }]
 * ```
 * @param stdout The command's output.
 * @returns One record per line.
 * @throws {ZfsParseError} On a malformed line.
 */
export function parseSnapshotList(stdout: string): SnapshotRecord[] {
  // One pass with indexOf instead of split/regex: `zfs list` of 100,000 snapshots is parsed on
  // every run of a big dataset (bench/filter_plan.ts).
  const out: SnapshotRecord[] = [];
  let previous: SnapshotRecord | undefined;
  for (let start = 0; start < stdout.length;) {
    let end = stdout.indexOf("\n", start);
    if (end < 0) end = stdout.length;
    if (end > start) {
      previous = parseSnapshotLine(stdout.slice(start, end), previous?.dataset);
      out.push(previous);
    }
    start = end + 1;
  }
  return out;
}

/** `sameDataset`: the previous line's dataset, shared instead of copied when equal. */
function parseSnapshotLine(line: string, sameDataset?: string): SnapshotRecord {
  const t1 = line.indexOf("\t");
  const t2 = t1 < 0 ? -1 : line.indexOf("\t", t1 + 1);
  const t3 = t2 < 0 ? -1 : line.indexOf("\t", t2 + 1);
  if (t3 < 0) {
    throw new ZfsParseError("Expected 'guid<TAB>createtxg<TAB>creation<TAB>name'", line);
  }
  const at = indexOfTagSeparator(line, t3 + 1);
  if (
    !isDigits(line, 0, t1) || !isDigits(line, t1 + 1, t2) || !isDigits(line, t2 + 1, t3) ||
    at <= t3 + 1
  ) {
    throw new ZfsParseError("Bad snapshot line from zfs list", line);
  }
  const dataset = sameDataset !== undefined && at - t3 - 1 === sameDataset.length &&
      line.startsWith(sameDataset, t3 + 1)
    ? sameDataset
    : line.slice(t3 + 1, at);
  return {
    dataset,
    name: line.slice(at + 1),
    kind: line.charCodeAt(at) === AT ? "snapshot" : "bookmark",
    guid: line.slice(0, t1),
    createTxg: BigInt(line.slice(t1 + 1, t2)),
    creation: Number(line.slice(t2 + 1, t3)),
  };
}

const AT = 0x40; // "@"
const HASH = 0x23; // "#"

/** Index of the first `@` or `#` at or after `from`, or -1. */
function indexOfTagSeparator(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === AT || c === HASH) return i;
  }
  return -1;
}

/** True if `s[from, to)` is one or more ASCII digits. */
function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Non-empty lines of command output (zfs never prints empty names).
 *
 * @example
 * ```ts
 * import { lines } from "./list.ts";
 * lines("a\nb\n"); // ["a", "b"]
 * ```
 * @param stdout The output.
 * @returns Its lines without the empty ones.
 */
export function lines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l !== "");
}
