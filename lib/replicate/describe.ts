/**
 * One log line per planned action, worded like upstream's log messages, so `--dryrun` output and
 * real runs read the same.
 *
 * @module
 */

import { fullName } from "../zfs/types.ts";
import type { ReplicationAction } from "./types.ts";

/**
 * Describes a planned action in one line (no `Dry ` prefix; the logger adds it in dry-run).
 *
 * @example
 * ```ts
 * import { describeAction } from "./describe.ts";
 * const rec = (name: string, n: number) =>
 *   ({ dataset: "tank/a", name, kind: "snapshot" as const, guid: String(n), createTxg: BigInt(n), creation: n });
 * describeAction({
 *   type: "incremental", flag: "-I", from: rec("a", 1), to: rec("c", 3),
 *   toSnapshots: [rec("b", 2), rec("c", 3)], dstDataset: "backup/a", logOnly: false,
 * }); // "Incremental send -I: tank/a@a .. @c --> backup/a (2 snapshots)"
 * ```
 * @param action The action.
 * @returns A single line, capital first, no final period.
 */
export function describeAction(action: ReplicationAction): string {
  switch (action.type) {
    case "abortResume":
      return "Aborting an interrupted zfs receive -s, deleting partially received state: " +
        `${action.dataset} (${action.reason})`;
    case "rollback":
      return action.recursive
        ? `Rolling back destination to most recent common snapshot: ${fullName(action.to)} ` +
          `(destroying ${action.destroys.length} newer snapshots)`
        : `Rolling back destination to most recent snapshot: ${fullName(action.to)}`;
    case "destroyDstSnapshots":
      return `Deleting ${action.snapshots.length} snapshots within ${action.dataset}: ` +
        action.snapshots.map((s) => s.name).join(",");
    case "full":
      return `Full send: ${fullName(action.snapshot)} --> ${action.dstDataset}`;
    case "resume":
      return `Resuming interrupted send: ${
        action.from === null ? "" : `${fullName(action.from)} .. `
      }${fullName(action.to)} --> ${action.dstDataset}`;
    case "incremental": {
      const n = action.toSnapshots.length;
      return `Incremental send ${action.flag}: ${fullName(action.from)} .. @${action.to.name} ` +
        `--> ${action.dstDataset} (${n} snapshot${n === 1 ? "" : "s"})`;
    }
    case "bookmarks":
      return `Creating ${action.bookmarks.length} bookmarks within ${action.dataset}: ` +
        action.bookmarks.map((b) => `#${b.name}`).join(",");
  }
}
