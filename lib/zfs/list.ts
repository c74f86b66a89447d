/**
 * `zfs list` argv builders and parsers for datasets and for snapshots/bookmarks.
 *
 * @module
 */
import { ZfsParseError } from "./errors.ts";
import type { DatasetRecord, SnapshotKind, SnapshotRecord } from "./types.ts";

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
  return lines(stdout).map(parseSnapshotLine);
}

function parseSnapshotLine(line: string): SnapshotRecord {
  const f = line.split("\t");
  if (f.length < 4) {
    throw new ZfsParseError("Expected 'guid<TAB>createtxg<TAB>creation<TAB>name'", line);
  }
  const [guid, txg, creation] = f;
  const full = f.slice(3).join("\t");
  const at = full.search(/[@#]/);
  if (!/^\d+$/.test(guid) || !/^\d+$/.test(txg) || !/^\d+$/.test(creation) || at <= 0) {
    throw new ZfsParseError("Bad snapshot line from zfs list", line);
  }
  const kind: SnapshotKind = full[at] === "@" ? "snapshot" : "bookmark";
  return {
    dataset: full.slice(0, at),
    name: full.slice(at + 1),
    kind,
    guid,
    createTxg: BigInt(txg),
    creation: Number(creation),
  };
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
