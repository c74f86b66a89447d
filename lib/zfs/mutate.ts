/**
 * argv builders for the zfs commands that change state: snapshot, bookmark, destroy (batched
 * `ds@a,b,c`), rollback, create, receive -A.
 *
 * @module
 */

/** The zfs program option shared by the builders. */
export interface ZfsProgramOption {
  /** The zfs program (name or path). @default {"zfs"} */
  zfsProgram?: string;
}

/** Options of {@linkcode snapshotArgv}. */
export interface SnapshotOptions extends ZfsProgramOption {
  /** `-r`. @default {false} */
  recursive?: boolean;
  /** `-o name=value` user properties. */
  properties?: Readonly<Record<string, string>>;
}

/**
 * `zfs snapshot [-r] [-o p=v]... ds@name...` (all snapshots of one call are taken atomically).
 *
 * @example
 * ```ts
 * import { snapshotArgv } from "./mutate.ts";
 * snapshotArgv(["tank/a@s1", "tank/b@s1"], { recursive: true }).join(" "); // "zfs snapshot -r tank/a@s1 tank/b@s1"
 * ```
 * @param snapshots Full snapshot names.
 * @param options Recursion and properties.
 * @returns The argv.
 */
export function snapshotArgv(
  snapshots: readonly string[],
  options: SnapshotOptions = {},
): string[] {
  const argv = [options.zfsProgram ?? "zfs", "snapshot"];
  if (options.recursive) argv.push("-r");
  for (const [k, v] of Object.entries(options.properties ?? {})) argv.push("-o", `${k}=${v}`);
  return [...argv, ...snapshots];
}

/**
 * `zfs bookmark <snapshot> <bookmark>`.
 *
 * @example
 * ```ts
 * import { bookmarkArgv } from "./mutate.ts";
 * bookmarkArgv("tank/a@s1", "tank/a#s1").join(" "); // "zfs bookmark tank/a@s1 tank/a#s1"
 * ```
 * @param snapshot Full snapshot (or bookmark) name to bookmark.
 * @param bookmark Full bookmark name.
 * @param options The zfs program.
 * @returns The argv.
 */
export function bookmarkArgv(
  snapshot: string,
  bookmark: string,
  options: ZfsProgramOption = {},
): string[] {
  return [options.zfsProgram ?? "zfs", "bookmark", snapshot, bookmark];
}

/** Options of {@linkcode destroyArgv}. */
export interface DestroyOptions extends ZfsProgramOption {
  /** `-r` (datasets: the whole tree). @default {false} */
  recursive?: boolean;
  /** `-R` (`--force-destroy-dependents`). @default {false} */
  dependents?: boolean;
  /** `-f` (`--force-unmount`). @default {false} */
  force?: boolean;
  /** `-n` (dry run: zfs reports what would go). @default {false} */
  dryRun?: boolean;
  /** `-v`. @default {false} */
  verbose?: boolean;
}

/**
 * `zfs destroy [-r] [-R] [-f] [-n] [-v] <target>`; the target may be `ds@a,b,c`.
 *
 * @example
 * ```ts
 * import { destroyArgv } from "./mutate.ts";
 * destroyArgv("tank/a@s1,s2", { dryRun: true, verbose: true }).join(" "); // "zfs destroy -n -v tank/a@s1,s2"
 * ```
 * @param target Dataset, `ds@snap[,snap...]` or `ds#bookmark`.
 * @param options Flags.
 * @returns The argv.
 */
export function destroyArgv(target: string, options: DestroyOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "destroy"];
  if (options.recursive) argv.push("-r");
  if (options.dependents) argv.push("-R");
  if (options.force) argv.push("-f");
  if (options.dryRun) argv.push("-n");
  if (options.verbose) argv.push("-v");
  return [...argv, target];
}

/** Options of {@linkcode batchSnapshotTargets}. */
export interface BatchOptions {
  /** `bzfs_max_snapshots_per_minibatch_on_delete_snaps`. @default {2 ** 29} */
  maxPerBatch?: number;
  /**
   * Maximum characters of one `ds@a,b,c` word. A remote command travels as ONE ssh argument and
   * Linux limits a single argument to 128 KiB (MAX_ARG_STRLEN). @default {100_000}
   */
  maxChars?: number;
}

/**
 * Groups snapshot names of one dataset into `ds@a,b,c` targets that respect the limits.
 *
 * @example
 * ```ts
 * import { batchSnapshotTargets } from "./mutate.ts";
 * batchSnapshotTargets("tank/a", ["s1", "s2", "s3"], { maxPerBatch: 2 }); // ["tank/a@s1,s2", "tank/a@s3"]
 * ```
 * @param dataset The dataset.
 * @param names Short snapshot names.
 * @param options Limits.
 * @returns The targets, in input order.
 */
export function batchSnapshotTargets(
  dataset: string,
  names: readonly string[],
  options: BatchOptions = {},
): string[] {
  const maxPer = Math.max(1, options.maxPerBatch ?? 2 ** 29);
  const maxChars = options.maxChars ?? 100_000;
  const out: string[] = [];
  let batch: string[] = [];
  let chars = dataset.length + 1;
  for (const name of names) {
    if (batch.length > 0 && (batch.length >= maxPer || chars + 1 + name.length > maxChars)) {
      out.push(`${dataset}@${batch.join(",")}`);
      batch = [];
      chars = dataset.length + 1;
    }
    batch.push(name);
    chars += name.length + 1;
  }
  if (batch.length > 0) out.push(`${dataset}@${batch.join(",")}`);
  return out;
}

/** Options of {@linkcode rollbackArgv}. */
export interface RollbackOptions extends ZfsProgramOption {
  /** `-r`: destroy later snapshots and bookmarks. @default {false} */
  destroyNewer?: boolean;
  /** `-f` (`--force-unmount`). @default {false} */
  force?: boolean;
  /** `-R` (`--force-destroy-dependents`). @default {false} */
  dependents?: boolean;
}

/**
 * `zfs rollback [-r] [-R] [-f] <snapshot>`.
 *
 * @example
 * ```ts
 * import { rollbackArgv } from "./mutate.ts";
 * rollbackArgv("bak/a@s3", { destroyNewer: true }).join(" "); // "zfs rollback -r bak/a@s3"
 * ```
 * @param snapshot The snapshot to roll back to.
 * @param options Flags.
 * @returns The argv.
 */
export function rollbackArgv(snapshot: string, options: RollbackOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "rollback"];
  if (options.destroyNewer) argv.push("-r");
  if (options.dependents) argv.push("-R");
  if (options.force) argv.push("-f");
  return [...argv, snapshot];
}

/** Options of {@linkcode createArgv}. */
export interface CreateOptions extends ZfsProgramOption {
  /** `-p`: create missing ancestors too. @default {true} */
  parents?: boolean;
  /** `-o name=value`. */
  properties?: Readonly<Record<string, string>>;
}

/**
 * `zfs create [-p] [-o p=v]... <dataset>`.
 *
 * @example
 * ```ts
 * import { createArgv } from "./mutate.ts";
 * createArgv("bak/a/b").join(" "); // "zfs create -p bak/a/b"
 * ```
 * @param dataset The dataset to create.
 * @param options Flags and properties.
 * @returns The argv.
 */
export function createArgv(dataset: string, options: CreateOptions = {}): string[] {
  const argv = [options.zfsProgram ?? "zfs", "create"];
  if (options.parents ?? true) argv.push("-p");
  for (const [k, v] of Object.entries(options.properties ?? {})) argv.push("-o", `${k}=${v}`);
  return [...argv, dataset];
}

/**
 * `zfs receive -A <dataset>`: abort an interrupted resumable receive, deleting its partial state.
 *
 * @example
 * ```ts
 * import { receiveAbortArgv } from "./mutate.ts";
 * receiveAbortArgv("bak/a").join(" "); // "zfs receive -A bak/a"
 * ```
 * @param dataset The destination dataset.
 * @param options The zfs program.
 * @returns The argv.
 */
export function receiveAbortArgv(dataset: string, options: ZfsProgramOption = {}): string[] {
  return [options.zfsProgram ?? "zfs", "receive", "-A", dataset];
}
