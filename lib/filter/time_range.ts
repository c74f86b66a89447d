/**
 * The TIMERANGE of `--include-snapshot-times-and-ranks`: `LO..HI` (split at the first `..`) or
 * `notime` (= `0..0`, selects nothing). Each side is `*` or `anytime` (open), Unix seconds,
 * `N units ago` (resolved against the run's fixed "now" at filter time), or an ISO 8601 datetime.
 * A snapshot is inside iff `LO <= creation < HI`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseDurationAgo } from "./duration.ts";
import { parseIsoDatetime } from "./iso_datetime.ts";

/** Upper bound used for an open end: 2^64 seconds, larger than any real creation time. */
export const UNIX_TIME_INFINITY_SECS = 2 ** 64;

/** One end of a time range: absolute Unix seconds, or a duration before "now". */
export type TimeBound =
  | { readonly kind: "unix"; readonly seconds: number }
  | { readonly kind: "ago"; readonly ms: number };

/** A half-open creation-time interval; `null` elsewhere means "no time constraint". */
export interface TimeRange {
  /** Inclusive lower end. */
  readonly lo: TimeBound;
  /** Exclusive upper end. */
  readonly hi: TimeBound;
}

/** Options of {@linkcode parseTimeRange}. */
export interface TimeRangeOptions {
  /** Zone for ISO datetimes without an offset. @default the local time zone */
  timeZone?: string;
}

const HINT = "Write LO..HI where each side is '*', 'anytime', Unix seconds, 'N units ago' " +
  "(e.g. '7 days ago') or an ISO 8601 datetime; or 'notime'";

/**
 * Parses a time range. Returns `null` for `anytime..anytime` (no constraint).
 *
 * @example
 * ```ts
 * import { parseTimeRange } from "./time_range.ts";
 * parseTimeRange("7daysago..anytime", "--x");
 * // { lo: { kind: "ago", ms: 604800000 }, hi: { kind: "unix", seconds: 2 ** 64 } }
 * parseTimeRange("*..*", "--x"); // null
 * ```
 * @param text The range as typed.
 * @param option The option it came from, named in the error.
 * @param options The zone for ISO datetimes without an offset.
 * @returns The range, or null when both ends are open.
 * @throws {UsageError} If `..` is missing or a side is not a valid time.
 */
export function parseTimeRange(
  text: string,
  option: string,
  options: TimeRangeOptions = {},
): TimeRange | null {
  let value = text.trim();
  if (value === "notime") value = "0..0";
  const sep = value.indexOf("..");
  if (sep < 0) {
    throw new UsageError("Invalid time range: Missing '..' separator", {
      option,
      value,
      hint: HINT,
    });
  }
  const lo = parseBound(value.slice(0, sep), option, options);
  const hi = parseBound(value.slice(sep + 2), option, options);
  if (lo === undefined && hi === undefined) return null;
  const loB = lo ?? { kind: "unix", seconds: 0 };
  const hiB = hi ?? { kind: "unix", seconds: UNIX_TIME_INFINITY_SECS };
  if (loB.kind === "unix" && hiB.kind === "unix" && loB.seconds > hiB.seconds) {
    return { lo: hiB, hi: loB };
  }
  return { lo: loB, hi: hiB };
}

function parseBound(raw: string, option: string, options: TimeRangeOptions): TimeBound | undefined {
  const spec = raw.trim();
  if (spec === "*" || spec === "anytime") return undefined;
  if (/^[0-9]+$/.test(spec)) return { kind: "unix", seconds: Number(spec) };
  const ms = parseDurationAgo(spec, option);
  if (ms !== undefined) return { kind: "ago", ms };
  let seconds: number | undefined;
  try {
    seconds = parseIsoDatetime(spec, options);
  } catch (e) {
    throw new UsageError("Invalid time zone for ISO 8601 datetimes without an offset", {
      option,
      value: options.timeZone ?? "",
      hint: "Use an IANA zone such as Europe/Vienna, UTC, or an offset such as +0530",
      cause: e,
    });
  }
  if (seconds !== undefined) return { kind: "unix", seconds };
  throw new UsageError("Invalid duration, Unix time, or ISO 8601 datetime", {
    option,
    value: spec,
    hint: HINT,
  });
}

/**
 * Resolves a range against "now" to `[lo, hi]` Unix seconds (`ceil(now - duration)` for
 * relative ends), swapping the ends if needed. `null` resolves to `[0, 2^64]`.
 *
 * @example
 * ```ts
 * import { parseTimeRange, resolveTimeRange } from "./time_range.ts";
 * resolveTimeRange(parseTimeRange("1secsago..anytime", "--x"), 10_500); // [10, 2 ** 64]
 * ```
 * @param range The parsed range.
 * @param nowMs The run's fixed "now" in epoch milliseconds.
 * @returns Inclusive lower and exclusive upper Unix seconds.
 */
export function resolveTimeRange(range: TimeRange | null, nowMs: number): [number, number] {
  if (range === null) return [0, UNIX_TIME_INFINITY_SECS];
  const lo = resolveBound(range.lo, nowMs);
  const hi = resolveBound(range.hi, nowMs);
  return lo <= hi ? [lo, hi] : [hi, lo];
}

function resolveBound(bound: TimeBound, nowMs: number): number {
  return bound.kind === "unix" ? bound.seconds : Math.ceil((nowMs - bound.ms) / 1000);
}

/**
 * Structural equality of two ranges (used to merge adjacent rank filters).
 *
 * @example
 * ```ts
 * import { parseTimeRange, timeRangesEqual } from "./time_range.ts";
 * timeRangesEqual(parseTimeRange("0..*", "--x"), parseTimeRange("0..anytime", "--x")); // true
 * ```
 * @param a One range or null.
 * @param b The other range or null.
 * @returns Whether both describe the same bounds.
 */
export function timeRangesEqual(a: TimeRange | null, b: TimeRange | null): boolean {
  if (a === null || b === null) return a === b;
  return boundsEqual(a.lo, b.lo) && boundsEqual(a.hi, b.hi);
}

function boundsEqual(a: TimeBound, b: TimeBound): boolean {
  if (a.kind === "unix" && b.kind === "unix") return a.seconds === b.seconds;
  if (a.kind === "ago" && b.kind === "ago") return a.ms === b.ms;
  return false;
}
