/**
 * Messages and errors for replication conflicts (semantics 5.3).
 *
 * @module
 */

import { ReplicationConflictError } from "../errors.ts";
import { fullName } from "../zfs/types.ts";
import type { ReplicationConflict } from "./types.ts";

/** Options of {@linkcode conflictMessage}. */
export interface ConflictMessageOptions {
  /**
   * `--force-once` was given and its single force was already used on another dataset; the
   * message says so. @default {false}
   */
  readonly forceOnceUsed?: boolean;
}

/**
 * The error message for a conflict: it names the destination dataset, the conflicting snapshot
 * and the option that would resolve it (upstream's wording, so logs read the same).
 *
 * @example
 * ```ts
 * import { conflictMessage } from "./conflict.ts";
 * conflictMessage({ type: "no-common-snapshot", srcDataset: "t/a", dstDataset: "b/a", dstSnapshots: [] });
 * // "Conflict: No common snapshot found between t/a and b/a even though destination has ..."
 * ```
 * @param conflict The conflict.
 * @param options Whether `--force-once` was already used.
 * @returns One line, capital first, ending with what to do.
 */
export function conflictMessage(
  conflict: ReplicationConflict,
  options: ConflictMessageOptions = {},
): string {
  const once = options.forceOnceUsed
    ? " Note: --force-once already used its single force on another dataset in this run."
    : "";
  if (conflict.type === "no-common-snapshot") {
    const newest = conflict.dstSnapshots[conflict.dstSnapshots.length - 1];
    const which = newest === undefined ? "" : ` (most recent: ${fullName(newest)})`;
    return `Conflict: No common snapshot found between ${conflict.srcDataset} and ` +
      `${conflict.dstDataset} even though destination has at least one snapshot${which}. ` +
      "Aborting. Consider using --force option to first delete all existing destination " +
      `snapshots in order to be able to proceed with replication.${once}`;
  }
  const latest = conflict.conflicting[conflict.conflicting.length - 1];
  return `Conflict: Most recent destination snapshot ${fullName(latest)} is more recent than ` +
    `most recent common snapshot ${fullName(conflict.common.dst)}. Rollback destination first, ` +
    "for example via --force-rollback-to-latest-common-snapshot (or --force) option." + once;
}

/**
 * Wraps a conflict into the error that maps to exit status 3.
 *
 * @example
 * ```ts
 * import { conflictError } from "./conflict.ts";
 * const e = conflictError({ type: "no-common-snapshot", srcDataset: "t/a", dstDataset: "b/a", dstSnapshots: [] });
 * e.dataset; // "b/a"
 * ```
 * @param conflict The conflict.
 * @param message The message; defaults to {@linkcode conflictMessage}.
 * @returns A {@linkcode ReplicationConflictError} for the destination dataset.
 */
export function conflictError(
  conflict: ReplicationConflict,
  message: string = conflictMessage(conflict),
): ReplicationConflictError {
  return new ReplicationConflictError(message, { dataset: conflict.dstDataset });
}
