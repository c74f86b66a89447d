/**
 * Which snapshot of a dataset is the latest or oldest for a monitor label: matching by
 * prefix/infix/suffix (with a 4-digit year right after the prefix when there is no infix), order
 * by `(createtxg, creation, name)`, and skipping held snapshots for `oldest_skip_holds`.
 *
 * @module
 */

import { matchesLabelParts } from "../lifecycle/snapshot_names.ts";
import type { MonitorAlert } from "../plan/monitor_plan.ts";

/** A snapshot as needed for monitoring. */
export interface MonitorSnapshot {
  /** Short name (after `@`). */
  readonly name: string;
  /** Creation transaction group. */
  readonly createTxg: bigint;
  /** Creation in Unix seconds. */
  readonly creation: number;
  /** Number of `zfs hold`s (`userrefs`); undefined when not listed (treated as none). */
  readonly userrefs?: number;
}

/**
 * True if a snapshot name belongs to a label: it starts with `prefix + infix`, ends with `suffix`,
 * is at least that long, and, without an infix, the 4 characters after the prefix are a year.
 * The timestamp in the name is otherwise ignored.
 *
 * @example
 * ```ts
 * import { matchesAlertLabel } from "./monitor_match.ts";
 * const label = { prefix: "prod_", infix: "", suffix: "_daily" };
 * matchesAlertLabel("prod_2024-01-01_00:00:00_daily", label); // true
 * matchesAlertLabel("prod_onsite_2024-01-01_00:00:00_daily", label); // false (has a target)
 * ```
 * @param name The snapshot's short name.
 * @param label The label parts.
 * @returns Whether it matches.
 */
export function matchesAlertLabel(
  name: string,
  label: Pick<MonitorAlert, "prefix" | "infix" | "suffix">,
): boolean {
  return matchesLabelParts(name, {
    start: label.prefix + label.infix,
    suffix: label.suffix,
    needsYear: label.infix === "",
  });
}

/**
 * Sorts snapshots by `(createtxg, creation, name)`, oldest first.
 *
 * @example
 * ```ts
 * import { sortMonitorSnapshots } from "./monitor_match.ts";
 * sortMonitorSnapshots([{ name: "b", createTxg: 2n, creation: 1 }, { name: "a", createTxg: 1n, creation: 2 }])
 *   .map((s) => s.name); // ["a", "b"]
 * ```
 * @param snapshots The snapshots.
 * @returns A sorted copy.
 */
export function sortMonitorSnapshots<T extends MonitorSnapshot>(snapshots: readonly T[]): T[] {
  return [...snapshots].sort((a, b) =>
    a.createTxg < b.createTxg ? -1 : a.createTxg > b.createTxg ? 1 : a.creation - b.creation ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Options of {@linkcode findMinMaxSnapshot}. */
export interface FindMinMaxOptions {
  /** The label, and whether held snapshots are skipped for `oldest`. */
  readonly alert: Pick<MonitorAlert, "prefix" | "infix" | "suffix" | "oldestSkipHolds">;
  /** Latest (highest createtxg) or oldest (lowest). */
  readonly check: "latest" | "oldest";
  /** The input is already sorted by {@linkcode sortMonitorSnapshots}. @default {false} */
  readonly sorted?: boolean;
}

/**
 * The latest or oldest snapshot matching a label, or undefined when none matches. For `oldest`
 * with `oldestSkipHolds`, snapshots with `userrefs > 0` are skipped.
 *
 * @example
 * ```ts
 * import { findMinMaxSnapshot } from "./monitor_match.ts";
 * const alert = { prefix: "p_", infix: "", suffix: "_daily", oldestSkipHolds: true };
 * const snaps = [
 *   { name: "p_2024-01-01_daily", createTxg: 1n, creation: 10, userrefs: 1 },
 *   { name: "p_2024-01-02_daily", createTxg: 2n, creation: 20 },
 * ];
 * findMinMaxSnapshot(snaps, { alert, check: "oldest" })?.name; // "p_2024-01-02_daily"
 * ```
 * @param snapshots One dataset's snapshots.
 * @param options Label and direction.
 * @returns The snapshot or undefined.
 */
export function findMinMaxSnapshot<T extends MonitorSnapshot>(
  snapshots: readonly T[],
  options: FindMinMaxOptions,
): T | undefined {
  const sorted = options.sorted ? snapshots : sortMonitorSnapshots(snapshots);
  const latest = options.check === "latest";
  const skipHolds = !latest && options.alert.oldestSkipHolds;
  const n = sorted.length;
  for (let k = 0; k < n; k++) {
    const s = sorted[latest ? n - 1 - k : k];
    if (skipHolds && (s.userrefs ?? 0) > 0) continue;
    if (matchesAlertLabel(s.name, options.alert)) return s;
  }
  return undefined;
}
