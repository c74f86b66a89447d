/**
 * Packing `zfs snapshot` arguments into as few atomic commands as the OS command-line limit
 * allows (semantics 4.4), using `zfs snapshot -r` on subtree roots only when every dataset under
 * those roots (in the unfiltered source list) is due for the same name.
 *
 * Also the shared argument packer (`packArgs`) and the per-OS byte budget
 * (`maxCommandLineBytes`) that `zfs destroy` batching uses too.
 *
 * @module
 */

/** `ARG_MAX` per `uname -s`; anything else counts as 256 KiB. */
const ARG_MAX: Readonly<Record<string, number>> = {
  Linux: 2 * 1024 * 1024,
  FreeBSD: 256 * 1024,
  SunOS: 1024 * 1024,
  Darwin: 1024 * 1024,
  Windows: 32 * 1024,
};

const encoder = new TextEncoder();

/**
 * Byte length of a string in UTF-8.
 *
 * @example
 * ```ts
 * import { utf8Bytes } from "./snapshot_batches.ts";
 * utf8Bytes("tank/ä"); // 7
 * ```
 * @param s The string.
 * @returns Its UTF-8 length.
 */
export function utf8Bytes(s: string): number {
  // ASCII (every name in practice) needs no encoding: one byte per code unit.
  return NON_ASCII.test(s) ? encoder.encode(s).length : s.length;
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Usable command-line bytes on an OS: `ARG_MAX` minus 4 KiB for the environment minus a safety
 * margin (68 KiB when `ARG_MAX` >= 1 MiB, else 8 KiB), at least 4 KiB.
 *
 * @example
 * ```ts
 * import { maxCommandLineBytes } from "./snapshot_batches.ts";
 * maxCommandLineBytes("Linux"); // 2027520
 * maxCommandLineBytes("Plan9"); // 249856
 * ```
 * @param os The OS name as `uname -s` prints it; unknown names get the 256 KiB default.
 * @returns The byte budget for one command line.
 */
export function maxCommandLineBytes(os: string): number {
  const argMax = ARG_MAX[os] ?? 256 * 1024;
  const margin = argMax >= 1024 * 1024 ? 68 * 1024 : 8 * 1024;
  return Math.max(4 * 1024, argMax - 4 * 1024 - margin);
}

/** Options of {@linkcode packArgs}. */
export interface PackArgsOptions {
  /** Byte budget for the packed arguments (each counts its bytes plus one separator). */
  maxBytes: number;
  /** Most arguments per batch. @default Infinity */
  maxItems?: number;
  /** Separator the arguments will be joined with. @default " " */
  sep?: string;
}

/**
 * Splits arguments, in order, into batches within a byte and item budget. An argument larger
 * than the budget still gets a batch of its own (the OS then decides), never an empty batch.
 *
 * @example
 * ```ts
 * import { packArgs } from "./snapshot_batches.ts";
 * packArgs(["a@s", "b@s", "c@s"], { maxBytes: 8 }); // [["a@s", "b@s"], ["c@s"]]
 * packArgs(["s1", "s2", "s3"], { maxBytes: 100, maxItems: 2, sep: "," }); // [["s1", "s2"], ["s3"]]
 * ```
 * @param args The arguments.
 * @param options Byte budget, item limit, separator.
 * @returns The batches.
 */
export function packArgs(args: readonly string[], options: PackArgsOptions): string[][] {
  const maxItems = options.maxItems ?? Infinity;
  const sepBytes = utf8Bytes(options.sep ?? " ");
  const batches: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const arg of args) {
    const argBytes = sepBytes + utf8Bytes(arg);
    if (batch.length > 0 && (batch.length >= maxItems || bytes + argBytes > options.maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(arg);
    bytes += argBytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The roots of the subtrees in a dataset list (datasets with no ancestor in the list), in input
 * order.
 *
 * @example
 * ```ts
 * import { rootDatasets } from "./snapshot_batches.ts";
 * rootDatasets(["a", "a-x", "a/b", "a/b/c", "ab", "x/y"]); // ["a", "a-x", "ab", "x/y"]
 * ```
 * @param sorted Dataset names (sorted, for sorted output).
 * @returns The roots.
 */
export function rootDatasets(sorted: readonly string[]): string[] {
  const all = new Set(sorted);
  // Checks every ancestor rather than only the previous root: in code-unit order "a-x" sorts
  // between "a" and "a/b", so a previous-root scan would wrongly make "a/b" a root too.
  return sorted.filter((ds) => !hasAncestorIn(ds, all));
}

function hasAncestorIn(ds: string, set: ReadonlySet<string>): boolean {
  for (let i = ds.indexOf("/"); i >= 0; i = ds.indexOf("/", i + 1)) {
    if (set.has(ds.slice(0, i))) return true;
  }
  return false;
}

/**
 * The subtree roots of `due` if `zfs snapshot -r` on them would snapshot exactly the datasets
 * in `due`: every dataset of `basis` (the unfiltered listing) under a root must be in `due`.
 * Returns undefined otherwise.
 *
 * @example
 * ```ts
 * import { recursiveRootsIfExact } from "./snapshot_batches.ts";
 * recursiveRootsIfExact(["a", "a/b", "a/c"], ["a", "a/b", "a/c"]); // ["a"]
 * recursiveRootsIfExact(["a", "a/b", "a/c"], ["a", "a/b", "a/c", "a/d"]); // undefined
 * ```
 * @param due The datasets to snapshot.
 * @param basis Every dataset of the source tree, unfiltered.
 * @returns The roots, or undefined when `-r` would snapshot more than `due`.
 */
export function recursiveRootsIfExact(
  due: readonly string[],
  basis: readonly string[],
): string[] | undefined {
  const dueSet = new Set(due);
  const roots = rootDatasets([...dueSet].sort(compareNames));
  const rootSet = new Set(roots);
  for (const ds of basis) {
    if (!dueSet.has(ds) && hasAncestorIn(ds, rootSet)) return undefined; // -r would include ds
  }
  return roots;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One label's datasets to snapshot under one name (see `DueLabel` in `due.ts`). */
export interface SnapshotRequest {
  /** The snapshot name after `@`. */
  readonly name: string;
  /** The datasets to snapshot (sorted). */
  readonly datasets: readonly string[];
}

/** Options of {@linkcode snapshotBatches}. */
export interface SnapshotBatchesOptions {
  /** `--recursive`: try `-r` on subtree roots. @default false */
  recursive?: boolean;
  /** Every source dataset under the root, unfiltered and sorted; required for `-r`. @default [] */
  basisDatasets?: readonly string[];
  /** The program prefix, e.g. `["sudo", "zfs", "snapshot"]`. @default ["zfs", "snapshot"] */
  command?: readonly string[];
  /** Extra bytes the command line carries before the command (ssh and its options). @default 0 */
  headerBytes?: number;
  /** Byte budget of a whole command line. @default maxCommandLineBytes("Linux") */
  maxCommandLineBytes?: number;
}

/**
 * Builds the `zfs snapshot` argv lists for the requests, in request order (one label never
 * shares a command with another). Each argv is one atomic transaction group.
 *
 * @example
 * ```ts
 * import { snapshotBatches } from "./snapshot_batches.ts";
 * snapshotBatches([{ name: "s1", datasets: ["a", "a/b"] }], { recursive: true, basisDatasets: ["a", "a/b"] });
 * // [["zfs", "snapshot", "-r", "a@s1"]]
 * snapshotBatches([{ name: "s1", datasets: ["a", "c"] }]);
 * // [["zfs", "snapshot", "a@s1", "c@s1"]]
 * ```
 * @param requests Name and datasets per label.
 * @param options Recursion, basis listing, command prefix and byte budget.
 * @returns One argv per command to run.
 */
export function snapshotBatches(
  requests: readonly SnapshotRequest[],
  options: SnapshotBatchesOptions = {},
): string[][] {
  const budget = options.maxCommandLineBytes ?? maxCommandLineBytes("Linux");
  const out: string[][] = [];
  for (const { name, datasets } of requests) {
    if (datasets.length === 0) continue;
    const prefix = [...(options.command ?? ["zfs", "snapshot"])];
    let targets: readonly string[] = datasets;
    if (options.recursive) {
      const roots = recursiveRootsIfExact(datasets, options.basisDatasets ?? []);
      if (roots !== undefined) {
        prefix.push("-r");
        targets = roots;
      }
    }
    const header = (options.headerBytes ?? 0) + utf8Bytes(prefix.join(" "));
    const args = targets.map((ds) => `${ds}@${name}`);
    for (const batch of packArgs(args, { maxBytes: budget - header })) {
      out.push([...prefix, ...batch]);
    }
  }
  return out;
}
