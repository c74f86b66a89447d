/**
 * Snapshot names of `--create-src-snapshots` (semantics 4.1):
 * `<ORG>_<TARGET>_<timestamp>_<PERIOD>`, or `<ORG>_<timestamp>_<PERIOD>` when TARGET is empty,
 * and the timestamp-blind matching of existing snapshots to a label.
 *
 * @module
 */

import { validateSnapshotName } from "../names/dataset.ts";
import { strftime } from "./strftime.ts";
import { resolveTimeZone } from "./time_zone.ts";

/** Upstream's default `--create-src-snapshots-timeformat`. */
export const DEFAULT_TIMEFORMAT = "%Y-%m-%d_%H:%M:%S";

/**
 * One (org, target, period) entry of a creation plan, without a timestamp.
 *
 * @example
 * ```ts
 * import type { SnapshotLabel } from "./snapshot_names.ts";
 * const label: SnapshotLabel = { org: "prod", target: "onsite", period: "hourly" };
 * ```
 */
export interface SnapshotLabel {
  /** Name prefix without its underscore, e.g. `prod`. */
  readonly org: string;
  /** Name infix without its underscore, or `""` for none. */
  readonly target: string;
  /** Name suffix without its underscore, e.g. `hourly`, `10minutely` or `adhoc`. */
  readonly period: string;
}

/** Options of {@linkcode formatSnapshotName}. */
export interface FormatSnapshotNameOptions {
  /** strftime format of the timestamp. @default "%Y-%m-%d_%H:%M:%S" */
  timeformat?: string;
  /** `--create-src-snapshots-timezone` spec: `""` local, `UTC`, `+HHMM`, IANA name. @default "" */
  timeZone?: string;
  /** Zone an empty spec stands for (tests). @default Temporal.Now.timeZoneId() */
  localTimeZone?: string;
}

/**
 * The snapshot name (the part after `@`) for a label at an instant. Every `+` of the timestamp
 * becomes `z`, as zfs rejects `+` (a `%z` of `+0530` gives `z0530`).
 *
 * @example Default format, with and without a target
 * ```ts
 * import { formatSnapshotName } from "./snapshot_names.ts";
 * const t = Temporal.Instant.from("2024-09-03T12:26:15Z");
 * formatSnapshotName({ org: "prod", target: "us-west", period: "daily" }, t, { timeZone: "UTC" });
 * // "prod_us-west_2024-09-03_12:26:15_daily"
 * formatSnapshotName({ org: "prod", target: "", period: "adhoc" }, t, { timeZone: "+0530" });
 * // "prod_2024-09-03_17:56:15_adhoc"
 * ```
 * @param label Org, target and period.
 * @param instant The creation time (taken once per run).
 * @param options Time format and zone.
 * @returns The snapshot name.
 * @throws {UsageError} Naming --create-src-snapshots-timeformat for an unsupported directive or a
 * result that is not a valid snapshot name, or --create-src-snapshots-timezone for a bad zone.
 */
export function formatSnapshotName(
  label: SnapshotLabel,
  instant: Temporal.Instant,
  options: FormatSnapshotNameOptions = {},
): string {
  const zone = resolveTimeZone(options.timeZone ?? "", { localTimeZone: options.localTimeZone });
  const format = options.timeformat ?? DEFAULT_TIMEFORMAT;
  const timestamp = strftime(instant.toZonedDateTimeISO(zone), format).replaceAll("+", "z");
  const infix = label.target === "" ? "" : `${label.target}_`;
  const name = `${label.org}_${infix}${timestamp}_${label.period}`;
  validateSnapshotName(`x@${name}`, "--create-src-snapshots-timeformat");
  return name;
}

/** What {@linkcode matchesLabelParts} checks a name against. */
export interface LabelParts {
  /** The required beginning: `ORG_`, plus `TARGET_` when there is a target. */
  readonly start: string;
  /** The required end: `_PERIOD`. */
  readonly suffix: string;
  /** Whether a year 1000-9999 must follow `start` (labels without a target). */
  readonly needsYear: boolean;
}

/**
 * The core of label matching, shared by creation (`matchesLabel`) and monitoring: the name starts
 * with `start` (`ORG_` plus `TARGET_` when there is a target), ends with `suffix` (`_PERIOD`), and,
 * when `needsYear` (no target), the 4 characters after `start` are a year 1000-9999 that does not
 * overlap the suffix.
 *
 * @example
 * ```ts
 * import { matchesLabelParts } from "./snapshot_names.ts";
 * const parts = { start: "prod_", suffix: "_daily", needsYear: true };
 * matchesLabelParts("prod_2024-01-01_00:00:00_daily", parts); // true
 * matchesLabelParts("prod_onsite_x_daily", parts); // false
 * ```
 * @param name The snapshot name after `@`.
 * @param parts The required beginning and end, and whether a year must follow the beginning.
 * @returns Whether the name matches.
 */
export function matchesLabelParts(name: string, parts: LabelParts): boolean {
  const { start, suffix, needsYear } = parts;
  const minLength = start.length + suffix.length + (needsYear ? 4 : 0);
  if (name.length < minLength || !name.startsWith(start) || !name.endsWith(suffix)) return false;
  if (!needsYear) return true;
  const first = name.charCodeAt(start.length);
  if (first < 0x31 || first > 0x39) return false;
  for (let i = start.length + 1; i < start.length + 4; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Whether an existing snapshot name belongs to a label, ignoring its timestamp: it starts with
 * `ORG_TARGET_` (or `ORG_` followed by a 4-digit year when TARGET is empty) and ends with
 * `_PERIOD`.
 *
 * @example
 * ```ts
 * import { matchesLabel } from "./snapshot_names.ts";
 * const label = { org: "prod", target: "", period: "daily" };
 * matchesLabel("prod_2024-01-01_00:00:00_daily", label); // true
 * matchesLabel("prod_onsite_2024-01-01_00:00:00_daily", label); // false
 * ```
 * @param name The snapshot name after `@`.
 * @param label The label.
 * @returns Whether the name matches.
 */
export function matchesLabel(name: string, label: SnapshotLabel): boolean {
  return labelMatcher(label)(name);
}

/**
 * {@linkcode matchesLabel} for one label, with its parts built once (for loops over many names).
 *
 * @example
 * ```ts
 * import { labelMatcher } from "./snapshot_names.ts";
 * const isDaily = labelMatcher({ org: "prod", target: "", period: "daily" });
 * isDaily("prod_2024-01-01_00:00:00_daily"); // true
 * ```
 * @param label The label.
 * @returns A predicate on snapshot names.
 */
export function labelMatcher(label: SnapshotLabel): (name: string) => boolean {
  const start = `${label.org}_${label.target === "" ? "" : `${label.target}_`}`;
  const suffix = `_${label.period}`;
  const parts: LabelParts = { start, suffix, needsYear: label.target === "" };
  return (name) => matchesLabelParts(name, parts);
}

/**
 * The label as text without its timestamp, e.g. `prod_onsite_<timestamp>_hourly`; used as a map
 * key and in log lines.
 *
 * @example
 * ```ts
 * import { labelKey } from "./snapshot_names.ts";
 * labelKey({ org: "prod", target: "", period: "daily" }); // "prod_<timestamp>_daily"
 * ```
 * @param label The label.
 * @returns Its timestamp-free text.
 */
export function labelKey(label: SnapshotLabel): string {
  const infix = label.target === "" ? "" : `${label.target}_`;
  return `${label.org}_${infix}<timestamp>_${label.period}`;
}
