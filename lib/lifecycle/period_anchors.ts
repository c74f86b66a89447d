/**
 * Period anchors and `roundUp`: the next period boundary at or after an instant, in a time zone
 * (semantics 4.3). Boundaries are `anchor + n * K * unit` where the anchor comes from the
 * `--yearly_*` ... `--millisecondly_*` options.
 *
 * All arithmetic happens on the wall clock of the zone, as upstream's Python does with aware
 * datetimes of one tzinfo: a daily boundary is at local midnight (plus the daily anchor) on every
 * day, including the 23- and 25-hour days of a DST change; an hourly boundary is every full local
 * hour. `roundUp` returns a zoned date-time: a boundary that falls into a spring-forward gap
 * (e.g. 02:30 in Europe/Vienna on the last Sunday of March) is shifted forward by the gap's length
 * (03:30 local, Temporal's "compatible" rule), and one that falls into the repeated hour of a
 * fall-back is its first occurrence. Decisions that must match upstream exactly (see `due.ts`)
 * compare wall-clock values from `roundUpWall` instead.
 *
 * Monthly and yearly anchor days beyond a month's length clamp to that month's last day (day 31
 * gives Apr 30, Feb 28 or Feb 29 in leap years), independently for every boundary.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Period } from "../plan/period.ts";

/** The anchor options of upstream, named as the option without leading dashes. */
export interface PeriodAnchors {
  /** `--yearly_year`: phase of multi-year periods (1..9999). @default 2025 */
  readonly yearly_year: number;
  /** `--yearly_month` (1..12). @default 1 */
  readonly yearly_month: number;
  /** `--yearly_monthday` (1..31, clamps to the month's last day). @default 1 */
  readonly yearly_monthday: number;
  /** `--yearly_hour` (0..23). @default 0 */
  readonly yearly_hour: number;
  /** `--yearly_minute` (0..59). @default 0 */
  readonly yearly_minute: number;
  /** `--yearly_second` (0..59). @default 0 */
  readonly yearly_second: number;
  /** `--monthly_month`: phase of multi-month periods (1..12). @default 1 */
  readonly monthly_month: number;
  /** `--monthly_monthday` (1..31, clamps to the month's last day). @default 1 */
  readonly monthly_monthday: number;
  /** `--monthly_hour` (0..23). @default 0 */
  readonly monthly_hour: number;
  /** `--monthly_minute` (0..59). @default 0 */
  readonly monthly_minute: number;
  /** `--monthly_second` (0..59). @default 0 */
  readonly monthly_second: number;
  /** `--weekly_weekday`: 0=Sunday .. 6=Saturday. @default 0 */
  readonly weekly_weekday: number;
  /** `--weekly_hour` (0..23). @default 0 */
  readonly weekly_hour: number;
  /** `--weekly_minute` (0..59). @default 0 */
  readonly weekly_minute: number;
  /** `--weekly_second` (0..59). @default 0 */
  readonly weekly_second: number;
  /** `--daily_hour` (0..23). @default 0 */
  readonly daily_hour: number;
  /** `--daily_minute` (0..59). @default 0 */
  readonly daily_minute: number;
  /** `--daily_second` (0..59). @default 0 */
  readonly daily_second: number;
  /** `--hourly_minute` (0..59). @default 0 */
  readonly hourly_minute: number;
  /** `--hourly_second` (0..59). @default 0 */
  readonly hourly_second: number;
  /** `--minutely_second` (0..59). @default 0 */
  readonly minutely_second: number;
  /** `--secondly_millisecond` (0..999). @default 0 */
  readonly secondly_millisecond: number;
  /** `--millisecondly_microsecond` (0..999). @default 0 */
  readonly millisecondly_microsecond: number;
}

/** Inclusive range of every anchor option. */
const RANGES: Readonly<Record<keyof PeriodAnchors, readonly [number, number]>> = {
  yearly_year: [1, 9999],
  yearly_month: [1, 12],
  yearly_monthday: [1, 31],
  yearly_hour: [0, 23],
  yearly_minute: [0, 59],
  yearly_second: [0, 59],
  monthly_month: [1, 12],
  monthly_monthday: [1, 31],
  monthly_hour: [0, 23],
  monthly_minute: [0, 59],
  monthly_second: [0, 59],
  weekly_weekday: [0, 6],
  weekly_hour: [0, 23],
  weekly_minute: [0, 59],
  weekly_second: [0, 59],
  daily_hour: [0, 23],
  daily_minute: [0, 59],
  daily_second: [0, 59],
  hourly_minute: [0, 59],
  hourly_second: [0, 59],
  minutely_second: [0, 59],
  secondly_millisecond: [0, 999],
  millisecondly_microsecond: [0, 999],
};

/**
 * Upstream's defaults: midnight, January 1st, the 1st of the month, Sunday, year 2025.
 *
 * @example
 * ```ts
 * import { DEFAULT_PERIOD_ANCHORS } from "./period_anchors.ts";
 * console.log(DEFAULT_PERIOD_ANCHORS.yearly_year); // 2025
 * ```
 */
export const DEFAULT_PERIOD_ANCHORS: PeriodAnchors = Object.freeze({
  yearly_year: 2025,
  yearly_month: 1,
  yearly_monthday: 1,
  yearly_hour: 0,
  yearly_minute: 0,
  yearly_second: 0,
  monthly_month: 1,
  monthly_monthday: 1,
  monthly_hour: 0,
  monthly_minute: 0,
  monthly_second: 0,
  weekly_weekday: 0,
  weekly_hour: 0,
  weekly_minute: 0,
  weekly_second: 0,
  daily_hour: 0,
  daily_minute: 0,
  daily_second: 0,
  hourly_minute: 0,
  hourly_second: 0,
  minutely_second: 0,
  secondly_millisecond: 0,
  millisecondly_microsecond: 0,
});

/** Hidden upstream anchor year of multi-month periods (matters only when K does not divide 12). */
const MONTHLY_ANCHOR_YEAR = 2025;

/**
 * Fills in defaults and checks every anchor against its option's range.
 *
 * @example
 * ```ts
 * import { periodAnchors } from "./period_anchors.ts";
 * periodAnchors({ daily_hour: 2 }).daily_hour; // 2
 * ```
 * @param values Anchor values given on the command line; missing ones take the default.
 * @returns A complete, frozen anchor set.
 * @throws {UsageError} If a value is not an integer within its option's range.
 */
export function periodAnchors(values: Partial<PeriodAnchors> = {}): PeriodAnchors {
  const out: Record<string, number> = { ...DEFAULT_PERIOD_ANCHORS };
  for (const [key, value] of Object.entries(values)) {
    const range = RANGES[key as keyof PeriodAnchors];
    if (range === undefined || value === undefined) continue;
    if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
      throw new UsageError("Value out of range", {
        option: `--${key}`,
        value: String(value),
        hint: `Use an integer in ${range[0]}..${range[1]}`,
      });
    }
    out[key] = value;
  }
  return Object.freeze(out) as unknown as PeriodAnchors;
}

/** Options of {@linkcode roundUp}. */
export interface RoundUpOptions {
  /** Anchor values; missing ones take upstream's defaults. @default DEFAULT_PERIOD_ANCHORS */
  anchors?: Partial<PeriodAnchors>;
  /** A Temporal time zone id (`UTC`, `+05:30`, `Europe/Vienna`). @default "UTC" */
  timeZone?: string;
}

/**
 * Returns the smallest period boundary at or after `instant` (the instant itself if it lies
 * exactly on a boundary), as a zoned date-time in `timeZone`.
 *
 * @example Hourly and 2-hourly with default anchors
 * ```ts
 * import { roundUp } from "./period_anchors.ts";
 * const t = Temporal.Instant.from("2024-11-29T14:05:01Z");
 * roundUp(t, { amount: 1, unit: "hourly" }).toString(); // "2024-11-29T15:00:00+00:00[UTC]"
 * roundUp(t, { amount: 2, unit: "hourly" }).toString(); // "2024-11-29T16:00:00+00:00[UTC]"
 * ```
 * @example Daily at 03:00 across New York's spring-forward gap
 * ```ts
 * import { roundUp } from "./period_anchors.ts";
 * const t = Temporal.Instant.from("2023-03-12T06:30:00Z"); // 01:30 EST
 * roundUp(t, { amount: 1, unit: "daily" }, { anchors: { daily_hour: 3 }, timeZone: "America/New_York" })
 *   .toString(); // "2023-03-12T03:00:00-04:00[America/New_York]"
 * ```
 * @param instant The instant to round up.
 * @param period Amount K and unit (`parsePeriod` of `lib/plan`).
 * @param options Anchors and time zone.
 * @returns The boundary in `timeZone`.
 * @throws {UsageError} If an anchor is out of range.
 * @throws {RangeError} If the amount is not a non-negative integer or the zone is unknown.
 */
export function roundUp(
  instant: Temporal.Instant,
  period: Period,
  options: RoundUpOptions = {},
): Temporal.ZonedDateTime {
  const zdt = instant.toZonedDateTimeISO(options.timeZone ?? "UTC");
  const wall = zdt.toPlainDateTime();
  const next = roundUpWall(wall, period, { anchors: options.anchors });
  if (Temporal.PlainDateTime.compare(next, wall) === 0) return zdt;
  return next.toZonedDateTime(zdt.timeZoneId, { disambiguation: "compatible" });
}

/**
 * Wall-clock rounding, exported for tests of the calendar rules without a zone.
 *
 * @example
 * ```ts
 * import { roundUpWall } from "./period_anchors.ts";
 * roundUpWall(Temporal.PlainDateTime.from("2025-02-15T10:00"), { amount: 1, unit: "monthly" })
 *   .toString(); // "2025-03-01T00:00:00"
 * ```
 * @param dt Wall-clock date-time.
 * @param period Amount K and unit (`parsePeriod` of `lib/plan`).
 * @param options Anchors; missing ones take upstream's defaults.
 * @returns The smallest boundary >= dt (dt itself for an amount of 0).
 * @throws {UsageError} If an anchor is out of range.
 * @throws {RangeError} If the amount is not a non-negative integer.
 */
export function roundUpWall(
  dt: Temporal.PlainDateTime,
  period: Period,
  options: { anchors?: Partial<PeriodAnchors> } = {},
): Temporal.PlainDateTime {
  const k = period.amount;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`Invalid period amount: ${k}`);
  if (k === 0) return dt;
  const anchors = periodAnchors(options.anchors);
  switch (period.unit) {
    case "monthly":
      return roundUpMonthly(dt, k, anchors);
    case "yearly":
      return roundUpYearly(dt, k, anchors);
    default:
      return roundUpFixed(dt, k, fixedAnchor(dt, period.unit, anchors));
  }
}

type FixedUnit = "weekly" | "daily" | "hourly" | "minutely" | "secondly" | "millisecondly";

const NS = {
  millisecondly: 1_000_000n,
  secondly: 1_000_000_000n,
  minutely: 60_000_000_000n,
  hourly: 3_600_000_000_000n,
  daily: 86_400_000_000_000n,
  weekly: 7n * 86_400_000_000_000n,
} as const;

/** The anchor of a fixed-length unit: an instant on dt's day (or the week's anchor weekday). */
function fixedAnchor(dt: Temporal.PlainDateTime, unit: FixedUnit, a: PeriodAnchors): {
  anchor: Temporal.PlainDateTime;
  periodNs: bigint;
} {
  const midnight = dt.toPlainDate().toPlainDateTime();
  let anchor: Temporal.PlainDateTime;
  switch (unit) {
    case "millisecondly":
      anchor = midnight.add({ microseconds: a.millisecondly_microsecond });
      break;
    case "secondly":
      anchor = midnight.add({ milliseconds: a.secondly_millisecond });
      break;
    case "minutely":
      anchor = midnight.add({ seconds: a.minutely_second });
      break;
    case "hourly":
      anchor = midnight.add({ minutes: a.hourly_minute, seconds: a.hourly_second });
      break;
    case "daily":
      anchor = midnight.add({
        hours: a.daily_hour,
        minutes: a.daily_minute,
        seconds: a.daily_second,
      });
      break;
    case "weekly": {
      const isoTarget = a.weekly_weekday === 0 ? 7 : a.weekly_weekday; // cron 0=Sunday -> ISO 7
      const back = (dt.dayOfWeek - isoTarget + 7) % 7;
      anchor = midnight.subtract({ days: back })
        .add({ hours: a.weekly_hour, minutes: a.weekly_minute, seconds: a.weekly_second });
      break;
    }
  }
  return { anchor, periodNs: NS[unit] };
}

function wallNs(dt: Temporal.PlainDateTime): bigint {
  return dt.toZonedDateTime("UTC").epochNanoseconds;
}

function roundUpFixed(
  dt: Temporal.PlainDateTime,
  k: number,
  { anchor, periodNs }: { anchor: Temporal.PlainDateTime; periodNs: bigint },
): Temporal.PlainDateTime {
  const p = BigInt(k) * periodNs;
  const delta = wallNs(dt) - wallNs(anchor);
  const rem = ((delta % p) + p) % p; // works for anchors after dt, too
  if (rem === 0n) return dt;
  const next = wallNs(dt) + (p - rem);
  return Temporal.Instant.fromEpochNanoseconds(next).toZonedDateTimeISO("UTC").toPlainDateTime();
}

function boundaryInMonth(
  year: number,
  month: number,
  a: { day: number; hour: number; minute: number; second: number },
): Temporal.PlainDateTime {
  const first = new Temporal.PlainDate(year, month, 1);
  const day = Math.min(a.day, first.daysInMonth);
  return new Temporal.PlainDateTime(year, month, day, a.hour, a.minute, a.second);
}

function roundUpMonthly(
  dt: Temporal.PlainDateTime,
  k: number,
  a: PeriodAnchors,
): Temporal.PlainDateTime {
  const spec = {
    day: a.monthly_monthday,
    hour: a.monthly_hour,
    minute: a.monthly_minute,
    second: a.monthly_second,
  };
  const index = dt.year * 12 + (dt.month - 1);
  const since = index - (MONTHLY_ANCHOR_YEAR * 12 + (a.monthly_month - 1));
  const offset = ((-since % k) + k) % k;
  const at = (i: number) => boundaryInMonth(Math.floor(i / 12), (i % 12) + 1, spec);
  const candidate = at(index + offset);
  return Temporal.PlainDateTime.compare(candidate, dt) >= 0 ? candidate : at(index + offset + k);
}

function roundUpYearly(
  dt: Temporal.PlainDateTime,
  k: number,
  a: PeriodAnchors,
): Temporal.PlainDateTime {
  const spec = {
    day: a.yearly_monthday,
    hour: a.yearly_hour,
    minute: a.yearly_minute,
    second: a.yearly_second,
  };
  const offset = (((a.yearly_year - dt.year) % k) + k) % k;
  const candidate = boundaryInMonth(dt.year + offset, a.yearly_month, spec);
  if (Temporal.PlainDateTime.compare(candidate, dt) >= 0) return candidate;
  return boundaryInMonth(dt.year + offset + k, a.yearly_month, spec);
}
