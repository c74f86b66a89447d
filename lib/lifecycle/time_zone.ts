/**
 * `--create-src-snapshots-timezone TZ_SPEC`: empty for the local zone, `UTC`, a fixed offset
 * `+HHMM`/`-HHMM` (also `+HH:MM`), or an IANA name such as `Europe/Vienna`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

const OPTION = "--create-src-snapshots-timezone";
const OFFSET_RE = /^([+-])([0-9]{2}):?([0-9]{2})$/;

/** Options of {@linkcode resolveTimeZone}. */
export interface ResolveTimeZoneOptions {
  /** The zone an empty spec stands for. @default Temporal.Now.timeZoneId() */
  localTimeZone?: string;
}

/**
 * Turns a bzfs time zone spec into a Temporal time zone id.
 *
 * @example
 * ```ts
 * import { resolveTimeZone } from "./time_zone.ts";
 * resolveTimeZone("+0530"); // "+05:30"
 * resolveTimeZone("UTC"); // "UTC"
 * resolveTimeZone("Europe/Vienna"); // "Europe/Vienna"
 * resolveTimeZone("", { localTimeZone: "America/New_York" }); // "America/New_York"
 * ```
 * @param spec The option value as typed.
 * @param options The local zone to use for an empty spec.
 * @returns A time zone id accepted by `Temporal`.
 * @throws {UsageError} Naming --create-src-snapshots-timezone, if the spec is not a zone.
 */
export function resolveTimeZone(spec: string, options: ResolveTimeZoneOptions = {}): string {
  if (spec === "") return options.localTimeZone ?? Temporal.Now.timeZoneId();
  const m = OFFSET_RE.exec(spec);
  if (m) {
    if (Number(m[2]) > 23 || Number(m[3]) > 59) throw invalid(spec);
    return `${m[1]}${m[2]}:${m[3]}`;
  }
  if (/^[+-]/.test(spec) || /^[0-9]/.test(spec)) throw invalid(spec);
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(spec).timeZoneId;
  } catch (e) {
    throw invalid(spec, e);
  }
}

function invalid(spec: string, cause?: unknown): UsageError {
  return new UsageError("Invalid time zone", {
    option: OPTION,
    value: spec,
    hint:
      "Use UTC, +HHMM/-HHMM (e.g. +0530), an IANA name such as Europe/Vienna, or empty for local time",
    cause,
  });
}
