/**
 * Snapshot periods as used in plan labels and snapshot name suffixes: `[K]unit` where unit is one
 * of `yearly monthly weekly daily hourly minutely secondly millisecondly` and K a positive integer
 * without leading zero (`10minutely`, `2weekly`). Anything else (e.g. `adhoc`) is a valid label
 * without a duration.
 *
 * @module
 */

/** Milliseconds of one period unit (month = 30.5 days, year = 365 days). */
export const PERIOD_UNIT_MS: Readonly<Record<PeriodUnit, number>> = Object.freeze({
  yearly: 365 * 86_400_000,
  monthly: 2_635_200_000,
  weekly: 7 * 86_400_000,
  daily: 86_400_000,
  hourly: 3_600_000,
  minutely: 60_000,
  secondly: 1000,
  millisecondly: 1,
});

/** The plural duration word of each unit, as used in `N<word>ago` time ranges. */
export const PERIOD_UNIT_LABELS: Readonly<Record<PeriodUnit, string>> = Object.freeze({
  yearly: "years",
  monthly: "months",
  weekly: "weeks",
  daily: "days",
  hourly: "hours",
  minutely: "minutes",
  secondly: "seconds",
  millisecondly: "milliseconds",
});

/** A period unit. */
export type PeriodUnit =
  | "yearly"
  | "monthly"
  | "weekly"
  | "daily"
  | "hourly"
  | "minutely"
  | "secondly"
  | "millisecondly";

/** A parsed period: `amount` units. */
export interface Period {
  /** The multiplier K (1 when omitted). */
  readonly amount: number;
  /** The unit. */
  readonly unit: PeriodUnit;
}

const PERIOD =
  /^([1-9][0-9]*)?(yearly|monthly|weekly|daily|hourly|minutely|secondly|millisecondly)$/;

/**
 * Parses a period label, or returns undefined for labels without a duration (`adhoc`, ``).
 *
 * @example
 * ```ts
 * import { parsePeriod } from "./period.ts";
 * parsePeriod("10minutely"); // { amount: 10, unit: "minutely" }
 * parsePeriod("adhoc"); // undefined
 * parsePeriod("01daily"); // undefined (leading zero)
 * ```
 * @param label The period label.
 * @returns The period or undefined.
 */
export function parsePeriod(label: string): Period | undefined {
  const m = PERIOD.exec(label);
  if (!m) return undefined;
  return { amount: m[1] ? Number(m[1]) : 1, unit: m[2] as PeriodUnit };
}

/**
 * Duration of a period label in milliseconds, 0 for labels without a duration.
 *
 * @example
 * ```ts
 * import { periodMilliseconds } from "./period.ts";
 * periodMilliseconds("2hourly"); // 7200000
 * periodMilliseconds("adhoc"); // 0
 * ```
 * @param label The period label.
 * @returns Milliseconds.
 */
export function periodMilliseconds(label: string): number {
  const p = parsePeriod(label);
  return p ? p.amount * PERIOD_UNIT_MS[p.unit] : 0;
}

/**
 * Duration encoded in a snapshot name's suffix (the text after its last `_`), 0 if none.
 *
 * @example
 * ```ts
 * import { snapshotNameMilliseconds } from "./period.ts";
 * snapshotNameMilliseconds("prod_onsite_2024-01-01_00:00:00_daily"); // 86400000
 * snapshotNameMilliseconds("manual"); // 0
 * ```
 * @param name A snapshot short name.
 * @returns Milliseconds.
 */
export function snapshotNameMilliseconds(name: string): number {
  const i = name.lastIndexOf("_");
  return i < 0 ? 0 : periodMilliseconds(name.slice(i + 1));
}
