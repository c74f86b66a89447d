/**
 * The labels of `--create-src-snapshots-plan` (semantics 3.4): one per (org, target, period)
 * with a count above 0, validated, in upstream's creation order.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parsePeriod, PERIOD_UNIT_MS } from "../plan/period.ts";
import type { PlanEntry } from "../plan/plan.ts";
import { validateSnapshotName } from "../names/dataset.ts";
import { labelKey, type SnapshotLabel } from "./snapshot_names.ts";

const OPTION = "--create-src-snapshots-plan";
const DAY_MS = 86_400_000;

/**
 * The labels to create, validated and ordered as upstream creates them: by period duration
 * descending (labels without a duration, like `adhoc`, last), equal durations by period text
 * descending (`hourly` before `60minutely`), then by org and target ascending. Count 0 entries
 * create nothing; an entry repeated later replaces the earlier one, as in a Python dict.
 *
 * @example
 * ```ts
 * import { planLabels } from "./create_plan.ts";
 * import { parsePlan } from "../plan/plan.ts";
 * const plan = parsePlan("{'prod': {'onsite': {'hourly': 36, 'daily': 31, 'adhoc': 1, 'weekly': 0}}}", "--x");
 * planLabels(plan).map((l) => l.period); // ["daily", "hourly", "adhoc"]
 * ```
 * @param plan The parsed plan entries (`parsePlan` of `lib/plan`), in dict order.
 * @returns The labels to create, in order.
 * @throws {UsageError} Naming --create-src-snapshots-plan, if an org, target or period contains
 * `_` or makes an invalid snapshot name, if an hourly/minutely/secondly period does not divide a
 * day, or if a monthly period does not divide 12 months.
 */
export function planLabels(plan: readonly PlanEntry[]): SnapshotLabel[] {
  const labels = new Map<string, SnapshotLabel>();
  for (const { org, target, period, count } of plan) {
    const label = { org, target, period };
    if (count > 0) labels.set(labelKey(label), label);
    else labels.delete(labelKey(label));
  }
  const result = [...labels.values()];
  for (const label of result) validateLabel(label);
  return result.sort(compareLabels);
}

function durationMs(period: string): number {
  const p = parsePeriod(period);
  return p ? p.amount * PERIOD_UNIT_MS[p.unit] : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLabels(a: SnapshotLabel, b: SnapshotLabel): number {
  return durationMs(b.period) - durationMs(a.period) ||
    compareText(b.period, a.period) ||
    compareText(`${a.org}_`, `${b.org}_`) ||
    compareText(a.target === "" ? "" : `${a.target}_`, b.target === "" ? "" : `${b.target}_`);
}

function validateLabel(label: SnapshotLabel): void {
  for (
    const [what, part] of [["org", label.org], ["target", label.target], ["period", label.period]]
  ) {
    if (part.includes("_")) {
      throw new UsageError(`Invalid ${what}: it must not contain '_'`, {
        option: OPTION,
        value: part,
      });
    }
  }
  const p = parsePeriod(label.period);
  if (p && ["hourly", "minutely", "secondly"].includes(p.unit)) {
    const ms = p.amount * PERIOD_UNIT_MS[p.unit];
    if (DAY_MS % ms !== 0) {
      throw new UsageError(
        "Period duration should be a divisor of 86400 seconds without remainder so that snapshots will be created at the same time of day every day",
        { option: OPTION, value: label.period },
      );
    }
  }
  if (p && p.unit === "monthly" && 12 % p.amount !== 0) {
    throw new UsageError(
      "Period duration should be a divisor of 12 months without remainder so that snapshots will be created at the same time every year",
      { option: OPTION, value: label.period },
    );
  }
  const infix = label.target === "" ? "" : `${label.target}_`;
  validateSnapshotName(`x@${label.org}_${infix}2025-01-01_00:00:00_${label.period}`, OPTION);
}
