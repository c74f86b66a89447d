/**
 * The `zfs list` calls behind `--compare-snapshot-lists` and `--monitor-snapshots`: argv builders
 * and parsers that group the output of one (possibly multi-dataset) call per requested dataset,
 * datasets without snapshots included.
 *
 * @module
 */

import { ZfsParseError } from "../zfs/errors.ts";
import type { SnapshotKind } from "../zfs/types.ts";
import type { DatasetSnapshots } from "./compare_types.ts";
import type { MonitorDatasetSnapshots } from "./monitor.ts";
import type { MonitorSnapshot } from "./monitor_match.ts";

/** Options of {@linkcode compareListArgv}. */
export interface CompareListArgvOptions {
  /** Also list bookmarks (source side, `--use-bookmark`, bookmarks enabled). @default {false} */
  readonly bookmarks?: boolean;
  /** Solaris 11.4 has no `written` property: list `type` in its place. @default {false} */
  readonly solaris?: boolean;
  /** The zfs program. @default {"zfs"} */
  readonly zfsProgram?: string;
}

/**
 * `zfs list -t snapshot[,bookmark] -d 1 -Hp -o creation,guid,createtxg,written,name DATASET...`.
 *
 * @example
 * ```ts
 * import { compareListArgv } from "./zfs_list.ts";
 * compareListArgv(["tank/a"], { bookmarks: true }).join(" ");
 * // "zfs list -t snapshot,bookmark -d 1 -Hp -o creation,guid,createtxg,written,name tank/a"
 * ```
 * @param datasets The datasets of one batch.
 * @param options Bookmarks, platform and program.
 * @returns The argv.
 */
export function compareListArgv(
  datasets: readonly string[],
  options: CompareListArgvOptions = {},
): string[] {
  const types = options.bookmarks ? "snapshot,bookmark" : "snapshot";
  const written = options.solaris ? "type" : "written";
  const props = `creation,guid,createtxg,${written},name`;
  return [
    options.zfsProgram ?? "zfs",
    "list",
    "-t",
    types,
    "-d",
    "1",
    "-Hp",
    "-o",
    props,
    ...datasets,
  ];
}

/**
 * Parses {@linkcode compareListArgv} output into one entry per requested dataset, in the order
 * given. A non-numeric `written` (bookmarks, Solaris) becomes `-`.
 *
 * @example
 * ```ts
 * import { parseCompareList } from "./zfs_list.ts";
 * const out = "1700000000\t11\t5\t4096\ttank/a@s1\n1700000000\t11\t5\t-\ttank/a#s1\n";
 * parseCompareList(out, ["tank/a", "tank/a/b"]).map((d) => [d.dataset, d.records.length]);
 * // [["tank/a", 2], ["tank/a/b", 0]]
 * ```
 * @param stdout The command's output.
 * @param datasets The datasets that were listed.
 * @returns The records grouped per dataset.
 * @throws {ZfsParseError} On a malformed line or a dataset that was not requested.
 */
export function parseCompareList(stdout: string, datasets: readonly string[]): DatasetSnapshots[] {
  const groups = groupBy(datasets, stdout, (line) => {
    const f = line.split("\t");
    if (f.length < 5) {
      throw new ZfsParseError(
        "Expected 'creation<TAB>guid<TAB>createtxg<TAB>written<TAB>name'",
        line,
      );
    }
    const [creation, guid, txg, written] = f;
    const full = f.slice(4).join("\t");
    const { dataset, name, kind } = splitName(full, line);
    if (!isDigits(creation) || !isDigits(guid) || !isDigits(txg)) {
      throw new ZfsParseError("Bad snapshot line from zfs list", line);
    }
    const rec = {
      dataset,
      name,
      kind,
      guid,
      createTxg: BigInt(txg),
      creation: Number(creation),
      written: isDigits(written) ? written : "-",
    };
    return { dataset, item: rec };
  });
  return datasets.map((dataset) => ({ dataset, records: groups.get(dataset) ?? [] }));
}

/** Options of {@linkcode monitorListArgv}. */
export interface MonitorListArgvOptions {
  /** Also list `userrefs` (some alert uses `oldest_skip_holds`). @default {false} */
  readonly userrefs?: boolean;
  /** The zfs program. @default {"zfs"} */
  readonly zfsProgram?: string;
}

/**
 * `zfs list -t snapshot -d 1 -Hp -o name,createtxg,creation[,userrefs] DATASET...`.
 *
 * @example
 * ```ts
 * import { monitorListArgv } from "./zfs_list.ts";
 * monitorListArgv(["tank/a"], { userrefs: true }).join(" ");
 * // "zfs list -t snapshot -d 1 -Hp -o name,createtxg,creation,userrefs tank/a"
 * ```
 * @param datasets The datasets of one batch.
 * @param options Whether to list holds, and the program.
 * @returns The argv.
 */
export function monitorListArgv(
  datasets: readonly string[],
  options: MonitorListArgvOptions = {},
): string[] {
  const props = options.userrefs ? "name,createtxg,creation,userrefs" : "name,createtxg,creation";
  return [
    options.zfsProgram ?? "zfs",
    "list",
    "-t",
    "snapshot",
    "-d",
    "1",
    "-Hp",
    "-o",
    props,
    ...datasets,
  ];
}

/**
 * Parses {@linkcode monitorListArgv} output into one entry per requested dataset, in the order
 * given. A `userrefs` of `-` or empty counts as no hold.
 *
 * @example
 * ```ts
 * import { parseMonitorList } from "./zfs_list.ts";
 * const out = "tank/a@prod_2024-01-01_daily\t5\t1704067200\t1\n";
 * parseMonitorList(out, ["tank/a"])[0].snapshots;
 * // [{ name: "prod_2024-01-01_daily", createTxg: 5n, creation: 1704067200, userrefs: 1 }]
 * ```
 * @param stdout The command's output.
 * @param datasets The datasets that were listed.
 * @returns The snapshots grouped per dataset.
 * @throws {ZfsParseError} On a malformed line or a dataset that was not requested.
 */
export function parseMonitorList(
  stdout: string,
  datasets: readonly string[],
): MonitorDatasetSnapshots[] {
  const groups = groupBy(datasets, stdout, (line) => {
    const f = line.split("\t");
    if (f.length < 3 || f.length > 4) {
      throw new ZfsParseError("Expected 'name<TAB>createtxg<TAB>creation[<TAB>userrefs]'", line);
    }
    const [full, txg, creation, refs = ""] = f;
    const { dataset, name, kind } = splitName(full, line);
    if (
      kind !== "snapshot" || !isDigits(txg) || !isDigits(creation) || !/^([0-9]*|-)$/.test(refs)
    ) {
      throw new ZfsParseError("Bad snapshot line from zfs list", line);
    }
    const snap: MonitorSnapshot = {
      name,
      createTxg: BigInt(txg),
      creation: Number(creation),
      ...(isDigits(refs) ? { userrefs: Number(refs) } : {}),
    };
    return { dataset, item: snap };
  });
  return datasets.map((dataset) => ({ dataset, snapshots: groups.get(dataset) ?? [] }));
}

function groupBy<T>(
  datasets: readonly string[],
  stdout: string,
  parse: (line: string) => { dataset: string; item: T },
): Map<string, T[]> {
  const groups = new Map<string, T[]>(datasets.map((d) => [d, []]));
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const { dataset, item } = parse(line);
    const group = groups.get(dataset);
    if (!group) throw new ZfsParseError("zfs list returned a dataset that was not requested", line);
    group.push(item);
  }
  return groups;
}

function splitName(
  full: string,
  line: string,
): { dataset: string; name: string; kind: SnapshotKind } {
  const at = full.search(/[@#]/);
  if (at <= 0) throw new ZfsParseError("Expected a snapshot or bookmark name", line);
  return {
    dataset: full.slice(0, at),
    name: full.slice(at + 1),
    kind: full[at] === "@" ? "snapshot" : "bookmark",
  };
}

function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
