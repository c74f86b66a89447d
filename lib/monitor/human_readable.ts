/**
 * Upstream's human-readable numbers, byte sizes and durations, as printed in the
 * `--compare-snapshot-lists` summary and in `--monitor-snapshots` messages (`13.6 GiB`, `1.5h`,
 * `762d`, `-7d`). Rounding matches Python exactly: fixed decimals round the exact binary value
 * half to even, and whole numbers use Python's `round()`.
 *
 * @module
 */

import { roundHalfEven } from "../sched/round_half_even.ts";

/**
 * Formats a number with precision by magnitude: two decimals below 10, one below 100, none from
 * 100 up; trailing zeros and a bare point are dropped, and `-0` becomes `0`.
 *
 * @example
 * ```ts
 * import { humanReadableFloat } from "./human_readable.ts";
 * humanReadableFloat(3.14559); // "3.15"
 * humanReadableFloat(12.36); // "12.4"
 * humanReadableFloat(123.556); // "124"
 * humanReadableFloat(1.5); // "1.5"
 * ```
 * @param x A finite number.
 * @returns The formatted number.
 */
export function humanReadableFloat(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 100) return String(roundHalfEven(x));
  const text = toFixedHalfEven(x, abs < 10 ? 2 : 1).replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB", "RiB", "QiB"];

/**
 * Formats a byte count with binary units, e.g. `0 B`, `13.6 GiB`.
 *
 * @example
 * ```ts
 * import { humanReadableBytes } from "./human_readable.ts";
 * humanReadableBytes(0); // "0 B"
 * humanReadableBytes(14_602_888_806); // "13.6 GiB"
 * ```
 * @param bytes The number of bytes (may be negative).
 * @returns The formatted size.
 */
export function humanReadableBytes(bytes: number): string {
  const sign = bytes < 0 ? "-" : "";
  let s = Math.abs(bytes);
  let i = 0;
  while (s >= 1024 && i < BYTE_UNITS.length - 1) {
    s /= 1024;
    i++;
  }
  return `${sign}${humanReadableFloat(s)} ${BYTE_UNITS[i]}`;
}

/** The units {@linkcode humanReadableDuration} scales between, smallest first. */
export type DurationUnit = "ns" | "μs" | "ms" | "s" | "m" | "h" | "d";

const DURATION_UNITS: readonly DurationUnit[] = ["ns", "μs", "ms", "s", "m", "h", "d"];
const NANOS_PER_UNIT = [1, 1e3, 1e6, 1e9, 60e9, 3600e9, 86400e9];

/**
 * Formats a duration, scaling to the largest fitting unit (`567ms`, `1.5h`, `762d`, `-7d`).
 *
 * @example
 * ```ts
 * import { humanReadableDuration } from "./human_readable.ts";
 * humanReadableDuration(5_400_000, "ms"); // "1.5h"
 * humanReadableDuration(-604_800, "s"); // "-7d"
 * humanReadableDuration(0, "s"); // "0s"
 * ```
 * @param duration The duration, in `unit`s (may be negative or fractional).
 * @param unit The unit of `duration`.
 * @returns The formatted duration.
 */
export function humanReadableDuration(duration: number, unit: DurationUnit): string {
  const sign = duration < 0 ? "-" : "";
  let t = Math.abs(duration);
  let i = DURATION_UNITS.indexOf(unit);
  if (t < 1 && t !== 0) {
    t *= NANOS_PER_UNIT[i];
    i = 0;
  }
  for (; t >= 1000 && i < 3; i++) t /= 1000;
  if (i >= 3) { for (; t >= 60 && i < 5; i++) t /= 60; }
  if (i >= 5) { for (; t >= 24 && i < DURATION_UNITS.length - 1; i++) t /= 24; }
  return `${sign}${humanReadableFloat(t)}${DURATION_UNITS[i]}`;
}

/**
 * Python's `f"{x:.{digits}f}"`: the exact binary value rounded half to even. (`toFixed` rounds
 * exact ties away from zero, e.g. `0.125.toFixed(2)` is `0.13` where Python prints `0.12`.)
 */
function toFixedHalfEven(x: number, digits: number): string {
  const sign = x < 0 ? "-" : "";
  const exact = Math.abs(x).toFixed(100); // the exact decimal expansion of the double
  const point = exact.indexOf(".");
  const kept = exact.slice(0, point + 1 + digits);
  const rest = exact.slice(point + 1 + digits);
  const half = "5".padEnd(rest.length, "0");
  const lastDigit = Number(kept[kept.length - 1]);
  const up = rest > half || (rest === half && lastDigit % 2 === 1);
  return sign + (up ? incrementDecimal(kept) : kept);
}

/** Adds one unit in the last place to a non-negative decimal string such as `9.99` -> `10.00`. */
function incrementDecimal(text: string): string {
  const chars = [...text];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === ".") continue;
    if (chars[i] !== "9") {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
    chars[i] = "0";
  }
  return "1" + chars.join("");
}
