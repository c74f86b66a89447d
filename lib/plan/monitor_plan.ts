/**
 * `--monitor-snapshots` plans: `{ORG: {TARGET: {PERIOD: {latest|oldest: {KEY: VALUE}}}}}` with
 * keys `warning` and `critical` (durations such as `"30 minutes"`), `cycles` (int, default 1,
 * negative = 0) and, for `oldest` only, `oldest_skip_holds` (bool). Each non-zero threshold is
 * extended by `cycles` periods of the label's suffix; a zero or missing one never fires (2^64 ms).
 * Alert types with no threshold are dropped, and so are labels with no alert left.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseDuration } from "../filter/duration.ts";
import { periodMilliseconds } from "./period.ts";
import { describePyValue, dictEntries } from "./plan.ts";
import { parsePythonLiteral, PyFloat, type PyValue } from "./python_literal.ts";

/** "Never fires": upstream's infinity for thresholds, in milliseconds. */
export const ALERT_NEVER_MS = 2 ** 64;

/** Effective thresholds of one alert type. */
export interface AlertThresholds {
  /** Age in ms above which a WARNING fires ({@linkcode ALERT_NEVER_MS} = never). */
  readonly warningMs: number;
  /** Age in ms above which a CRITICAL fires ({@linkcode ALERT_NEVER_MS} = never). */
  readonly criticalMs: number;
}

/** The alerts of one label `<prefix><infix><timestamp><suffix>`. */
export interface MonitorAlert {
  /** `ORG_`. */
  readonly prefix: string;
  /** `TARGET_`, or empty when TARGET is empty. */
  readonly infix: string;
  /** `_PERIOD`, or empty when PERIOD is empty. */
  readonly suffix: string;
  /** Thresholds for the latest matching snapshot, if checked. */
  readonly latest?: AlertThresholds;
  /** Thresholds for the oldest matching snapshot, if checked. */
  readonly oldest?: AlertThresholds;
  /** Skip snapshots with a `zfs hold` when finding the oldest. */
  readonly oldestSkipHolds: boolean;
}

/** Options of {@linkcode parseMonitorPlan}. */
export interface MonitorPlanOptions {
  /** The option the plan came from, named in errors. @default "--monitor-snapshots" */
  option?: string;
  /** `--monitor-snapshots-no-latest-check`. @default false */
  noLatestCheck?: boolean;
  /** `--monitor-snapshots-no-oldest-check`. @default false */
  noOldestCheck?: boolean;
}

const OPTION = "--monitor-snapshots";

/**
 * Parses a monitor plan into alerts, longest period first (ties: label descending).
 *
 * @example
 * ```ts
 * import { parseMonitorPlan } from "./monitor_plan.ts";
 * const [a] = parseMonitorPlan(
 *   "{'prod': {'onsite': {'hourly': {'latest': {'warning': '30 minutes', 'critical': '300 minutes'}}}}}",
 * );
 * console.log(a.latest); // { warningMs: 5400000, criticalMs: 21600000 } (90 and 360 minutes)
 * ```
 * @param dictString The plan as typed (default `{}`: nothing to monitor).
 * @param options Which checks to drop.
 * @returns The alerts; empty means monitoring is off.
 * @throws {UsageError} On a bad structure, alert type, key, duration, cycles or bool.
 */
export function parseMonitorPlan(
  dictString: string,
  options: MonitorPlanOptions = {},
): MonitorAlert[] {
  const option = options.option ?? OPTION;
  const ctx = { option, text: dictString };
  const alerts: { alert: MonitorAlert; ms: number }[] = [];
  const root = parsePythonLiteral(dictString, option);
  for (const [org, targets] of dictEntries(root, { ...ctx, where: "the plan" })) {
    for (const [target, periods] of dictEntries(targets, { ...ctx, where: `org '${org}'` })) {
      const where = `target '${target}' of org '${org}'`;
      for (const [period, alertDicts] of dictEntries(periods, { ...ctx, where })) {
        const ms = periodMilliseconds(period);
        const alert = parseLabelAlerts(alertDicts, {
          dictString,
          option,
          where: `period '${period}'`,
          ms,
          options,
        });
        if (alert.latest || alert.oldest) {
          alerts.push({
            ms,
            alert: {
              prefix: `${org}_`,
              infix: target ? `${target}_` : "",
              suffix: period ? `_${period}` : "",
              ...alert,
            },
          });
        }
      }
    }
  }
  const key = (
    x: { alert: MonitorAlert; ms: number },
  ) => [x.alert.prefix, x.alert.infix, x.alert.suffix];
  alerts.sort((a, b) => b.ms - a.ms || compareTuples(key(b), key(a)));
  return alerts.map((x) => x.alert);
}

interface PlanContext {
  dictString: string;
  option: string;
}

interface LabelContext extends PlanContext {
  where: string;
  ms: number;
  options: MonitorPlanOptions;
}

type LabelAlerts = Pick<MonitorAlert, "latest" | "oldest" | "oldestSkipHolds">;

function parseLabelAlerts(alertDicts: PyValue, c: LabelContext): LabelAlerts {
  const ctx = { option: c.option, text: c.dictString };
  let latest: AlertThresholds | undefined;
  let oldest: AlertThresholds | undefined;
  let oldestSkipHolds = false;
  for (const [type, alertDict] of dictEntries(alertDicts, { ...ctx, where: c.where })) {
    if (type !== "latest" && type !== "oldest") {
      fail(
        `Alert type '${type}' must be 'latest' or 'oldest'`,
        c,
        "Use 'latest' or 'oldest' as alert type",
      );
    }
    const parsed = parseThresholds(alertDict, type, c);
    if (type === "oldest") oldestSkipHolds = parsed.skipHolds ?? oldestSkipHolds;
    if (!parsed.thresholds) continue;
    if (type === "latest" && !c.options.noLatestCheck) latest = parsed.thresholds;
    if (type === "oldest" && !c.options.noOldestCheck) oldest = parsed.thresholds;
  }
  return { latest, oldest, oldestSkipHolds };
}

function parseThresholds(
  alertDict: PyValue,
  type: "latest" | "oldest",
  c: LabelContext,
): { thresholds?: AlertThresholds; skipHolds?: boolean } {
  let warning = 0;
  let critical = 0;
  let cycles = 1;
  let skipHolds: boolean | undefined;
  const where = `'${type}' of ${c.where}`;
  for (
    const [key, value] of dictEntries(alertDict, { option: c.option, text: c.dictString, where })
  ) {
    if (key === "warning") warning = durationOf(value, c);
    else if (key === "critical") critical = durationOf(value, c);
    else if (key === "cycles") cycles = Math.max(0, intOf(value, c));
    else if (key === "oldest_skip_holds" && type === "oldest") {
      if (typeof value !== "boolean") {
        fail(`Key '${key}' must be a bool`, c, "Use True or False");
      }
      skipHolds = value;
    } else {
      fail(
        `Key '${key}' must be 'warning', 'critical' or 'cycles'`,
        c,
        "Remove or rename the key",
      );
    }
  }
  if (warning <= 0 && critical <= 0) return { skipHolds };
  const extend = (ms: number) => (ms > 0 ? ms + cycles * c.ms : ALERT_NEVER_MS);
  return { thresholds: { warningMs: extend(warning), criticalMs: extend(critical) }, skipHolds };
}

function durationOf(value: PyValue, c: PlanContext): number {
  const text = value instanceof PyFloat ? String(value.value) : describeAsStr(value);
  try {
    return parseDuration(text, c.option);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(`Invalid duration format: ${text} within plan`, c, e.hint ?? "");
  }
}

function intOf(value: PyValue, c: PlanContext): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof PyFloat) return Math.trunc(value.value);
  if (typeof value === "string" && /^\s*[+-]?[0-9]+(?:_[0-9]+)*\s*$/.test(value)) {
    return Number(value.replaceAll("_", "").trim());
  }
  return fail("Key 'cycles' must be an integer", c, "Write e.g. 'cycles': 2");
}

/** Python's `str(value)` for the scalar cases that matter here. */
function describeAsStr(value: PyValue): string {
  return typeof value === "string" ? value : describePyValue(value);
}

function fail(message: string, c: PlanContext, hint: string): never {
  throw new UsageError(message, { option: c.option, value: c.dictString, hint });
}

function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}
