/**
 * `--include-snapshot-times-and-ranks TIMERANGE [RANKRANGE...]` as one filter operator.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseRankRange, ranksEqual } from "./rank_range.ts";
import type { TimesAndRanksFilterOp, TimesFilterOp } from "./snapshot_filter_types.ts";
import { parseTimeRange, type TimeRangeOptions } from "./time_range.ts";

/**
 * Parses the values of one `--include-snapshot-times-and-ranks` occurrence. As upstream does, the
 * operator becomes a pure time filter when the time range is `anytime..anytime`, when there are
 * no ranks, or when any rank range is empty (`lo == hi`, e.g. `latest0`). Relative times
 * (`7 days ago`) stay relative; `filterSnapshots` resolves them against its `now`.
 *
 * @example
 * ```ts
 * import { parseTimesAndRanks } from "./times_and_ranks.ts";
 * parseTimesAndRanks(["notime", "latest 10"], "--include-snapshot-times-and-ranks").type;
 * // "timesAndRanks"
 * parseTimesAndRanks(["notime", "latest0"], "--include-snapshot-times-and-ranks").type; // "times"
 * ```
 * @param values The time range followed by zero or more rank ranges.
 * @param option The option they came from, named in errors.
 * @param options The zone for ISO datetimes without an offset.
 * @returns A time-and-rank operator, or a pure time operator per the shortcut above.
 * @throws {UsageError} If the values are missing or any of them is invalid.
 */
export function parseTimesAndRanks(
  values: readonly string[],
  option: string,
  options: TimeRangeOptions = {},
): TimesFilterOp | TimesAndRanksFilterOp {
  if (values.length === 0) {
    throw new UsageError("Missing time range", {
      option,
      hint: "Give a time range such as 'notime' or '7 days ago..anytime', then optional ranks",
    });
  }
  const range = parseTimeRange(values[0], option, options);
  const ranks = values.slice(1).map((v) => parseRankRange(v, option));
  if (range === null || ranks.length === 0 || ranks.some((r) => ranksEqual(r.lo, r.hi))) {
    return { type: "times", range };
  }
  return { type: "timesAndRanks", range, ranks };
}
