/**
 * ISO 8601 date/datetime parsing with the leniency of Python's `datetime.fromisoformat`
 * (3.11+): `2024-10-05`, `20241005`, `2024-10-05T14:48`, `2024-10-05 14:48:55.123`,
 * `2024-10-05_14:48:55+02`, `...Z`, `...-04:30`. Without an offset the time is read in the given
 * time zone (the local zone by default). The result is truncated to whole Unix seconds.
 * ISO week dates (`2024-W40-6`, `2024W40`) are supported too.
 *
 * @module
 */

const DATE = String
  .raw`(\d{4})-(\d{2})-(\d{2})|(\d{4})(\d{2})(\d{2})|(\d{4})-?W(\d{2})(?:-?([1-7]))?`;
const TIME = String.raw`(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?`;
const ZONE = String.raw`Z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?`;
const ISO = new RegExp(`^(?:${DATE})(?:[^0-9](?:${TIME})(${ZONE})?)?$`);

/** Options of {@linkcode parseIsoDatetime}. */
export interface IsoDatetimeOptions {
  /** IANA zone (or offset) for values without an offset. @default the local time zone */
  timeZone?: string;
}

/**
 * Parses an ISO 8601 date or datetime to Unix seconds, or returns undefined if it is not one.
 *
 * @example
 * ```ts
 * import { parseIsoDatetime } from "./iso_datetime.ts";
 * parseIsoDatetime("2024-10-05T14:48:55+02"); // 1728132535
 * parseIsoDatetime("2024-01-01", { timeZone: "UTC" }); // 1704067200
 * parseIsoDatetime("yesterday"); // undefined
 * ```
 * @param text The text (already trimmed).
 * @param options The time zone for values without an offset.
 * @returns Unix seconds (truncated toward zero), or undefined.
 * @throws {RangeError} If `options.timeZone` is not a valid time zone (only when it is needed).
 */
export function parseIsoDatetime(
  text: string,
  options: IsoDatetimeOptions = {},
): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const frac = (m[13] ?? "").padEnd(9, "0").slice(0, 9);
  const date = m[7] === undefined
    ? { year: num(m[1] ?? m[4]), month: num(m[2] ?? m[5]), day: num(m[3] ?? m[6]) }
    : weekDate(num(m[7]), num(m[8]), m[9] === undefined ? 1 : num(m[9]));
  if (date === undefined) return undefined;
  let pdt: Temporal.PlainDateTime;
  try {
    pdt = Temporal.PlainDateTime.from({
      ...date,
      hour: num(m[10]),
      minute: num(m[11]),
      second: num(m[12]),
      millisecond: Number(frac.slice(0, 3)),
      microsecond: Number(frac.slice(3, 6)),
      nanosecond: Number(frac.slice(6, 9)),
    }, { overflow: "reject" });
  } catch {
    return undefined;
  }
  const zone = m[14];
  let epochNs: bigint;
  if (zone === undefined) {
    const tz = options.timeZone ?? Temporal.Now.timeZoneId();
    epochNs = pdt.toZonedDateTime(tz, { disambiguation: "compatible" }).epochNanoseconds;
  } else {
    const offsetNs = zoneOffsetNs(zone);
    if (offsetNs === undefined) return undefined;
    epochNs = pdt.toZonedDateTime("UTC").epochNanoseconds - offsetNs;
  }
  return Number(epochNs / 1_000_000_000n); // bigint division truncates toward zero like int()
}

/** The calendar date of ISO week `week`, weekday `day` (1 = Monday) of `year`, if it exists. */
function weekDate(year: number, week: number, day: number) {
  if (week < 1 || week > 53) return undefined;
  const jan4 = Temporal.PlainDate.from({ year, month: 1, day: 4 });
  const d = jan4.subtract({ days: jan4.dayOfWeek - 1 }).add({ days: (week - 1) * 7 + day - 1 });
  if (d.yearOfWeek !== year) return undefined;
  return { year: d.year, month: d.month, day: d.day };
}

function zoneOffsetNs(zone: string): bigint | undefined {
  if (zone === "Z") return 0n;
  const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2})(?:\.(\d+))?)?$/.exec(zone);
  if (!m) return undefined;
  const [h, min, s] = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  const micros = BigInt((m[5] ?? "").padEnd(6, "0").slice(0, 6) || "0");
  const ns = BigInt(h * 3600 + min * 60 + s) * 1_000_000_000n + micros * 1000n;
  return m[1] === "-" ? -ns : ns;
}
