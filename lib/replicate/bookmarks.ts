/**
 * `--create-bookmarks`: which sent source snapshots get a bookmark, and its final name
 * (semantics 5.7).
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";
import type { BookmarkToCreate, CreateBookmarksPolicy } from "./types.ts";

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  millisecondly: 1,
  secondly: 1000,
  minutely: 60_000,
  hourly: 3_600_000,
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: Math.round(30.5 * DAY_MS),
  yearly: 365 * DAY_MS,
};
const PERIOD_RE =
  /^([1-9][0-9]*)?(millisecondly|secondly|minutely|hourly|daily|weekly|monthly|yearly)$/;

/**
 * The period of a snapshot name in milliseconds, read from its suffix after the last `_`
 * (`[K]unit`, e.g. `_daily`, `_2hourly`, `_10minutely`). Names without a period suffix
 * (`_adhoc`, no `_`) have period 0.
 *
 * @example
 * ```ts
 * import { periodMillis } from "./bookmarks.ts";
 * periodMillis("prod_onsite_2024-01-01_00:00:00_2hourly"); // 7200000
 * periodMillis("manual"); // 0
 * ```
 * @param snapshotName Short snapshot name (after `@`).
 * @returns The period in milliseconds, or 0.
 */
export function periodMillis(snapshotName: string): number {
  const i = snapshotName.lastIndexOf("_");
  if (i < 0) return 0;
  const m = PERIOD_RE.exec(snapshotName.slice(i + 1));
  if (m === null) return 0;
  return (m[1] === undefined ? 1 : Number(m[1])) * UNIT_MS[m[2]];
}

/**
 * The final bookmark name of a sent snapshot: `<name before last _>_<decimal guid>_<suffix>`, or
 * `<name>_<guid>` when the name has no `_`. The temporary `.TMPBZFS.` bookmark that precedes it
 * needs the destination pool GUID and is named by the caller.
 *
 * @example
 * ```ts
 * import { bookmarkName } from "./bookmarks.ts";
 * bookmarkName("bzfs_us-west_2024-11-06_08:30:05_hourly", "15813919022682057");
 * // "bzfs_us-west_2024-11-06_08:30:05_15813919022682057_hourly"
 * bookmarkName("manual", "42"); // "manual_42"
 * ```
 * @param snapshotName Short snapshot name (after `@`).
 * @param guid The snapshot's GUID, decimal.
 * @returns The bookmark short name (after `#`).
 */
export function bookmarkName(snapshotName: string, guid: string): string {
  const i = snapshotName.lastIndexOf("_");
  if (i < 0) return `${snapshotName}_${guid}`;
  return `${snapshotName.slice(0, i)}_${guid}${snapshotName.slice(i)}`;
}

/** Options of {@linkcode bookmarksForStep}. */
export interface BookmarksForStepOptions {
  /** `--create-bookmarks`. @default {"all"} */
  readonly policy?: CreateBookmarksPolicy;
  /** Whether this is the last send of the dataset (its target is always bookmarked). @default {false} */
  readonly isLast?: boolean;
}

/**
 * Which snapshots delivered by one send step get a bookmark:
 * - `none`: none; `all`: every delivered snapshot;
 * - `hourly`/`minutely`/`secondly`: those whose period is at least that long, plus the step's
 *   target when the step is the last one (so the newest replicated snapshot always has one).
 *
 * A full send always bookmarks its snapshot unless the policy is `none` (pass `isLast: true`).
 *
 * @example
 * ```ts
 * import { bookmarksForStep } from "./bookmarks.ts";
 * const rec = (name: string, n: number) =>
 *   ({ dataset: "t/a", name, kind: "snapshot" as const, guid: String(n), createTxg: BigInt(n), creation: n });
 * const sent = [rec("a_daily", 1), rec("b_minutely", 2), rec("c_minutely", 3)];
 * bookmarksForStep(sent, { policy: "hourly", isLast: true }).map((b) => b.name);
 * // ["a_1_daily", "c_3_minutely"]
 * ```
 * @param delivered The snapshots the step delivers, oldest first (the last is the target).
 * @param options Policy and whether the step is the last.
 * @returns The bookmarks to create after the step, oldest first.
 */
export function bookmarksForStep(
  delivered: readonly SnapshotRecord[],
  options: BookmarksForStepOptions = {},
): BookmarkToCreate[] {
  const policy = options.policy ?? "all";
  if (policy === "none" || delivered.length === 0) return [];
  let chosen: SnapshotRecord[];
  if (policy === "all") {
    chosen = [...delivered];
  } else {
    const threshold = UNIT_MS[policy];
    chosen = delivered.filter((s) => periodMillis(s.name) >= threshold);
    const target = delivered[delivered.length - 1];
    if (options.isLast && chosen[chosen.length - 1] !== target) chosen.push(target);
  }
  return chosen.map((snapshot) => ({ snapshot, name: bookmarkName(snapshot.name, snapshot.guid) }));
}
