/**
 * Which snapshots `--create-src-snapshots` takes now (semantics 3.4 and 4.2): one label per
 * (org, target, period) of the plan with a count above 0; a periodic label is due for a dataset
 * when `now >= roundUp(latest matching snapshot's creation + 1 µs)`; a dataset without a matching
 * snapshot counts as created at the epoch and is therefore due; labels without a duration
 * (`adhoc`) and every label under `--create-src-snapshots-even-if-not-due` are always due.
 *
 * As upstream (Python compares aware datetimes of one zone by their wall-clock fields), the
 * comparison is between wall-clock times in the zone: the boundary is computed on the wall clock
 * (`roundUpWall`) and the label is due when the local time of `now` has reached it. So a daily
 * 02:30 snapshot on a spring-forward day whose 02:00..03:00 does not exist is due at 03:00, and
 * across a fall-back hour a snapshot is never due twice for the repeated wall times (at worst it
 * waits for the second pass through the repeated hour).
 *
 * @module
 */

import type { SnapshotRecord } from "../zfs/types.ts";
import { type PeriodAnchors, periodAnchors, roundUpWall } from "./period_anchors.ts";
import { parsePeriod } from "../plan/period.ts";
import type { PlanEntry } from "../plan/plan.ts";
import {
  formatSnapshotName,
  labelKey,
  labelMatcher,
  type SnapshotLabel,
} from "./snapshot_names.ts";
import { planLabels } from "./create_plan.ts";
import { resolveTimeZone } from "./time_zone.ts";

/**
 * Creation time (Unix seconds) of the latest snapshot of one dataset matching each label, keyed
 * by `labelKey(label)`; labels without a match are absent. "Latest" orders by `createTxg`, then
 * creation, then name, as upstream does. Bookmarks are ignored.
 *
 * @example
 * ```ts
 * import { latestCreationByLabel } from "./due.ts";
 * const snaps = [{ dataset: "tank/a", name: "prod_2024-01-01_00:00:00_daily", kind: "snapshot" as const,
 *   guid: "1", createTxg: 5n, creation: 1704067200 }];
 * latestCreationByLabel(snaps, [{ org: "prod", target: "", period: "daily" }]);
 * // Map { "prod_<timestamp>_daily" => 1704067200 }
 * ```
 * @param snapshots The snapshots of one dataset, in any order.
 * @param labels The labels to look for.
 * @returns labelKey -> creation seconds of the latest match.
 */
export function latestCreationByLabel(
  snapshots: readonly SnapshotRecord[],
  labels: readonly SnapshotLabel[],
): Map<string, number> {
  const matchers = labels.map((label) => ({ key: labelKey(label), matches: labelMatcher(label) }));
  const best = new Map<string, SnapshotRecord>();
  for (const s of snapshots) {
    if (s.kind !== "snapshot") continue;
    for (const { key, matches } of matchers) {
      if (!matches(s.name)) continue;
      const cur = best.get(key);
      if (cur === undefined || isLater(s, cur)) best.set(key, s);
    }
  }
  return new Map([...best].map(([k, s]) => [k, s.creation]));
}

function isLater(a: SnapshotRecord, b: SnapshotRecord): boolean {
  if (a.createTxg !== b.createTxg) return a.createTxg > b.createTxg;
  if (a.creation !== b.creation) return a.creation > b.creation;
  return a.name > b.name;
}

/**
 * dataset -> (`labelKey(label)` -> creation seconds of the latest matching snapshot), e.g. built
 * per dataset with {@linkcode latestCreationByLabel}. A dataset without an entry has no snapshots
 * at all; a label without an entry has no matching snapshot. Both are due.
 *
 * @example
 * ```ts
 * import type { LatestByLabel } from "./due.ts";
 * const latest: LatestByLabel = new Map([["tank/a", new Map([["prod_onsite_<timestamp>_daily", 1735689600]])]]);
 * ```
 */
export type LatestByLabel = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Options of {@linkcode snapshotsDue}. */
export interface SnapshotsDueOptions {
  /** The parsed `--create-src-snapshots-plan` (`parsePlan` of `lib/plan`). */
  plan: readonly PlanEntry[];
  /** The run's single "now" in epoch milliseconds (`clock.now()` read once at startup). */
  now: number;
  /** Period anchors. @default DEFAULT_PERIOD_ANCHORS */
  anchors?: Partial<PeriodAnchors>;
  /** `--create-src-snapshots-timezone` spec. @default "" (local) */
  timeZone?: string;
  /** Zone of an empty spec (tests). @default Temporal.Now.timeZoneId() */
  localTimeZone?: string;
  /** `--create-src-snapshots-timeformat`. @default "%Y-%m-%d_%H:%M:%S" */
  timeformat?: string;
  /** `--create-src-snapshots-even-if-not-due`. @default false */
  evenIfNotDue?: boolean;
}

/** One label to create now, and on which datasets. */
export interface DueLabel {
  /** The label. */
  readonly label: SnapshotLabel;
  /** The full snapshot name (after `@`), shared by all datasets of the run. */
  readonly name: string;
  /** The datasets to snapshot, in input order (sorted when the input is). */
  readonly datasets: readonly string[];
}

/** When a periodic label is next due on a dataset (for the "Next scheduled snapshot time" log). */
export interface ScheduleEntry {
  /** The dataset. */
  readonly dataset: string;
  /** The label. */
  readonly label: SnapshotLabel;
  /** The next boundary after the latest matching snapshot (a gap time shifted forward). */
  readonly next: Temporal.ZonedDateTime;
  /** Whether the local time of `now` has reached the boundary's wall-clock time. */
  readonly due: boolean;
}

/** Result of {@linkcode snapshotsDue}. */
export interface SnapshotsDue {
  /** Labels with at least one dataset to snapshot, longest period first. */
  readonly due: readonly DueLabel[];
  /** One entry per (dataset, periodic label) that was checked against its schedule. */
  readonly schedule: readonly ScheduleEntry[];
}

/**
 * Decides which (dataset, label) pairs need a new snapshot now and names them.
 *
 * @example An hourly label, one dataset due and one not
 * ```ts
 * import { snapshotsDue } from "./due.ts";
 * const now = Date.parse("2025-01-01T10:30:00Z");
 * const latest = new Map([
 *   ["tank/a", new Map([["prod_<timestamp>_hourly", Date.parse("2025-01-01T09:10:00Z") / 1000]])],
 *   ["tank/b", new Map([["prod_<timestamp>_hourly", Date.parse("2025-01-01T10:05:00Z") / 1000]])],
 * ]);
 * const { due } = snapshotsDue(["tank/a", "tank/b"], latest, {
 *   plan: [{ org: "prod", target: "", period: "hourly", count: 24 }], now, timeZone: "UTC",
 * });
 * // due: [{ name: "prod_2025-01-01_10:30:00_hourly", datasets: ["tank/a"], ... }]
 * ```
 * @param datasets The selected source datasets (sorted).
 * @param latest Per dataset, the creation time of the latest snapshot of each label (a dataset
 * without an entry has no snapshots and is due for every label).
 * @param options Plan, now, anchors, zone, time format, even-if-not-due.
 * @returns The labels to create with their datasets, and the schedule that was evaluated.
 * @throws {UsageError} For a bad plan, time zone or time format.
 */
export function snapshotsDue(
  datasets: readonly string[],
  latest: LatestByLabel,
  options: SnapshotsDueOptions,
): SnapshotsDue {
  const timeZone = resolveTimeZone(options.timeZone ?? "", {
    localTimeZone: options.localTimeZone,
  });
  const nowInstant = Temporal.Instant.fromEpochMilliseconds(options.now);
  const nowWall = nowInstant.toZonedDateTimeISO(timeZone).toPlainDateTime();
  const anchors = periodAnchors(options.anchors);
  const due: DueLabel[] = [];
  const schedule: ScheduleEntry[] = [];
  for (const label of planLabels(options.plan)) {
    const name = formatSnapshotName(label, nowInstant, {
      timeformat: options.timeformat,
      timeZone,
    });
    const period = parsePeriod(label.period);
    let selected: readonly string[] = datasets;
    if (period !== undefined && !options.evenIfNotDue) {
      const key = labelKey(label);
      selected = datasets.filter((dataset) => {
        const creationSecs = latest.get(dataset)?.get(key) ?? 0;
        const after = Temporal.Instant.fromEpochMilliseconds(creationSecs * 1000)
          .add({ microseconds: 1 }).toZonedDateTimeISO(timeZone).toPlainDateTime();
        const nextWall = roundUpWall(after, period, { anchors });
        const isDue = Temporal.PlainDateTime.compare(nowWall, nextWall) >= 0;
        const next = nextWall.toZonedDateTime(timeZone, { disambiguation: "compatible" });
        schedule.push({ dataset, label, next, due: isDue });
        return isDue;
      });
    }
    if (selected.length > 0) due.push({ label, name, datasets: [...selected] });
  }
  return { due, schedule };
}
