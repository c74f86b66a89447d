/**
 * Human durations such as `600 seconds`, `90mins` or `2 weeks`, with upstream's exact grammar:
 * `<digits><optional whitespace><unit>` where unit is one of the plural words below (no singular
 * forms, no signs, no fractions, no surrounding spaces). A month is 30.5 days, a year 365 days.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** Milliseconds per duration unit, in upstream's order. */
export const DURATION_UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  milliseconds: 1,
  millis: 1,
  seconds: 1000,
  secs: 1000,
  minutes: 60_000,
  mins: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
  months: 2_635_200_000, // 30.5 days
  years: 365 * 86_400_000,
});

const UNITS = Object.keys(DURATION_UNIT_MS).join("|");
const DURATION = new RegExp(`^([0-9]+)\\s*(${UNITS})$`);
const DURATION_AGO = new RegExp(`^([0-9]+)\\s*(${UNITS})\\s*ago$`);
const HINT = `Write <integer><unit> with unit one of ${
  Object.keys(DURATION_UNIT_MS).join(", ")
}, e.g. 90mins or '4 hours'`;

/**
 * Parses a duration to milliseconds.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * parseDuration("90mins", "--daemon-lifetime"); // 5400000
 * parseDuration("1 months", "--x"); // 2635200000
 * ```
 * @param text The duration as typed.
 * @param option The option it came from, named in the error.
 * @returns The duration in milliseconds.
 * @throws {UsageError} If the text does not follow the grammar or is too large.
 */
export function parseDuration(text: string, option: string): number {
  return toMillis(DURATION.exec(text), text, option, "Invalid duration format", HINT);
}

/**
 * Parses `N unit ago` (e.g. `36hoursago`, `40 mins ago`) to milliseconds, or returns undefined if
 * the text is not of that form.
 *
 * @example
 * ```ts
 * import { parseDurationAgo } from "./duration.ts";
 * parseDurationAgo("36hoursago", "--x"); // 129600000
 * parseDurationAgo("2024-01-01", "--x"); // undefined
 * ```
 * @param text The text as typed (already trimmed).
 * @param option The option it came from, named in the error.
 * @returns Milliseconds, or undefined when the text is not a relative time.
 * @throws {UsageError} If the number is too large to be exact.
 */
export function parseDurationAgo(text: string, option: string): number | undefined {
  const m = DURATION_AGO.exec(text);
  return m ? toMillis(m, text, option, "Invalid duration format", HINT) : undefined;
}

function toMillis(
  m: RegExpExecArray | null,
  text: string,
  option: string,
  message: string,
  hint: string,
): number {
  if (!m) throw new UsageError(message, { option, value: text, hint });
  const ms = Number(m[1]) * DURATION_UNIT_MS[m[2]];
  if (!Number.isSafeInteger(ms)) {
    throw new UsageError("Duration is too large", {
      option,
      value: text,
      hint: "Use a smaller number or a larger unit",
    });
  }
  return ms;
}
