/**
 * The strftime subset of `--create-src-snapshots-timeformat`, rendered like Python's
 * `datetime.strftime` in the C locale. Supported: `%Y %m %d %H %M %S %f %z %Z %j %a %A %b %B %y
 * %F %%`; a format ending in `%F` renders milliseconds (upstream's extension: `%f` cut to 3
 * digits), any other `%F` is `%Y-%m-%d`. Every other directive is a usage error, so a name
 * never silently contains a literal `%q`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

const OPTION = "--create-src-snapshots-timeformat";
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function micros(t: Temporal.ZonedDateTime): number {
  return t.millisecond * 1000 + t.microsecond;
}

/** `+HHMM` (with `SS` when the offset has seconds), like Python's `%z`. */
function offsetHHMM(t: Temporal.ZonedDateTime): string {
  const ns = t.offsetNanoseconds;
  const sign = ns < 0 ? "-" : "+";
  const secs = Math.abs(Math.round(ns / 1e9));
  const hhmm = `${pad(Math.floor(secs / 3600), 2)}${pad(Math.floor(secs / 60) % 60, 2)}`;
  return `${sign}${hhmm}${secs % 60 ? pad(secs % 60, 2) : ""}`;
}

/**
 * Python's `%Z`: `UTC` for UTC, `UTC+05:30` for a fixed offset, otherwise the zone's abbreviation
 * (`CET`, `CEST`, `EST`, `EDT`) when the platform knows one, else `GMT+5:30`-style text.
 */
function zoneName(t: Temporal.ZonedDateTime): string {
  const id = t.timeZoneId;
  if (id === "UTC" || id === "Etc/UTC") return "UTC";
  if (/^[+-]/.test(id)) return t.offset === "+00:00" ? "UTC" : `UTC${t.offset}`;
  const date = new Date(t.epochMilliseconds);
  let name = "";
  for (const locale of ["en-US", "en-GB"]) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: id, timeZoneName: "short" })
      .formatToParts(date);
    name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    if (!name.startsWith("GMT")) return name;
  }
  return name;
}

type Directive = (t: Temporal.ZonedDateTime) => string;

const DIRECTIVES: Readonly<Record<string, Directive>> = {
  Y: (t) => String(t.year),
  y: (t) => pad(t.year % 100, 2),
  m: (t) => pad(t.month, 2),
  d: (t) => pad(t.day, 2),
  H: (t) => pad(t.hour, 2),
  M: (t) => pad(t.minute, 2),
  S: (t) => pad(t.second, 2),
  f: (t) => pad(micros(t), 6),
  z: offsetHHMM,
  Z: zoneName,
  j: (t) => pad(t.dayOfYear, 3),
  a: (t) => DAYS[t.dayOfWeek - 1].slice(0, 3),
  A: (t) => DAYS[t.dayOfWeek - 1],
  b: (t) => MONTHS[t.month - 1].slice(0, 3),
  B: (t) => MONTHS[t.month - 1],
  F: (t) => `${String(t.year)}-${pad(t.month, 2)}-${pad(t.day, 2)}`,
  "%": () => "%",
};

/**
 * Renders `t` with a strftime format.
 *
 * @example Upstream's default format and milliseconds
 * ```ts
 * import { strftime } from "./strftime.ts";
 * const t = Temporal.ZonedDateTime.from("2024-09-03T12:26:15.123456+02:00[Europe/Vienna]");
 * strftime(t, "%Y-%m-%d_%H:%M:%S"); // "2024-09-03_12:26:15"
 * strftime(t, "%Y-%m-%d_%H:%M:%S.%F"); // "2024-09-03_12:26:15.123"
 * strftime(t, "%H%M%z %Z"); // "1226+0200 CEST"
 * ```
 * @param t The zoned date-time to render.
 * @param format The strftime format.
 * @returns The rendered text (no `+` replacement here; see `formatSnapshotName`).
 * @throws {UsageError} Naming --create-src-snapshots-timeformat, for an unsupported directive.
 */
export function strftime(t: Temporal.ZonedDateTime, format: string): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    const d = format[i + 1];
    if (d === "F" && i + 2 === format.length) {
      out += pad(micros(t), 6).slice(0, 3);
    } else {
      const fn = d === undefined ? undefined : DIRECTIVES[d];
      if (fn === undefined) {
        throw new UsageError("Unsupported strftime directive", {
          option: OPTION,
          value: format,
          hint: `'%${d ?? ""}' is not supported; use ${
            Object.keys(DIRECTIVES).map((k) => `%${k}`).join(" ")
          }`,
        });
      }
      out += fn(t);
    }
    i++;
  }
  return out;
}
