/**
 * The small slice of a parsed snapshot plan that the lifecycle decisions need: the nested
 * `{org: {target: {period: count}}}` dict and a parsed period `{multiplier, unit}`.
 *
 * `lib/plan` owns plan parsing and validation; these shapes are the interface this folder codes
 * against, so a parsed plan from there can be passed in as is.
 *
 * @module
 */

/** The calendar units a periodic snapshot label can have, longest first. */
export const PERIOD_UNITS = [
  "yearly",
  "monthly",
  "weekly",
  "daily",
  "hourly",
  "minutely",
  "secondly",
  "millisecondly",
] as const;

/** One of {@linkcode PERIOD_UNITS}. */
export type PeriodUnit = typeof PERIOD_UNITS[number];

/**
 * A parsed periodic label such as `10minutely`: `{ multiplier: 10, unit: "minutely" }`.
 *
 * @example
 * ```ts
 * import type { ParsedPeriod } from "./plan_types.ts";
 * const p: ParsedPeriod = { multiplier: 2, unit: "weekly" };
 * ```
 */
export interface ParsedPeriod {
  /** Positive integer K of `K<unit>` (1 when the label is just the unit). */
  readonly multiplier: number;
  /** The calendar unit. */
  readonly unit: PeriodUnit;
}

/**
 * A parsed plan: org -> target -> period label -> count. Object key order is the dict order of
 * the plan as typed. Counts are non-negative integers (validated by `lib/plan`).
 *
 * @example
 * ```ts
 * import type { ParsedPlan } from "./plan_types.ts";
 * const plan: ParsedPlan = { prod: { onsite: { hourly: 36, daily: 31, adhoc: 1 }, "": { weekly: 4 } } };
 * ```
 */
export type ParsedPlan = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>
>;

const PERIOD_RE =
  /^([1-9][0-9]*)?(yearly|monthly|weekly|daily|hourly|minutely|secondly|millisecondly)$/;

/**
 * Parses a period label into multiplier and unit, or returns `undefined` for a label without a
 * duration (such as `adhoc`, `0hourly` or `01daily`, which upstream treats as non-periodic).
 *
 * @example Periodic and non-periodic labels
 * ```ts
 * import { parsePeriodLabel } from "./plan_types.ts";
 * parsePeriodLabel("10minutely"); // { multiplier: 10, unit: "minutely" }
 * parsePeriodLabel("hourly"); // { multiplier: 1, unit: "hourly" }
 * parsePeriodLabel("adhoc"); // undefined
 * ```
 * @param label The period part of a snapshot name, e.g. `daily` or `2weekly`.
 * @returns The parsed period, or undefined if it has no duration.
 */
export function parsePeriodLabel(label: string): ParsedPeriod | undefined {
  const m = PERIOD_RE.exec(label);
  if (!m) return undefined;
  return { multiplier: m[1] === undefined ? 1 : Number(m[1]), unit: m[2] as PeriodUnit };
}

/** Nominal length of one unit in milliseconds (monthly 30.5 days, yearly 365 days). */
const UNIT_MS: Readonly<Record<PeriodUnit, number>> = {
  yearly: 365 * 86_400_000,
  monthly: 2_635_200_000,
  weekly: 7 * 86_400_000,
  daily: 86_400_000,
  hourly: 3_600_000,
  minutely: 60_000,
  secondly: 1000,
  millisecondly: 1,
};

/**
 * Nominal duration of a period label in milliseconds, 0 for labels without a duration. Used to
 * order labels longest first.
 *
 * @example
 * ```ts
 * import { periodLabelMillis } from "./plan_types.ts";
 * periodLabelMillis("2hourly"); // 7200000
 * periodLabelMillis("adhoc"); // 0
 * ```
 * @param label The period label.
 * @returns Milliseconds, or 0.
 */
export function periodLabelMillis(label: string): number {
  const p = parsePeriodLabel(label);
  return p ? p.multiplier * UNIT_MS[p.unit] : 0;
}
