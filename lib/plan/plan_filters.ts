/**
 * Plans as snapshot filters (`--include-snapshot-plan`, `--delete-dst-snapshots-except-plan`),
 * exactly as upstream expands them into auxiliary command-line arguments that are appended after
 * the normal ones: per (org, target, period), in dict order,
 *
 * ```
 * --new-snapshot-filter-group
 * --include-snapshot-regex=<escape(ORG_)><escape(TARGET_) or [1-9][0-9][0-9][0-9]>.*<escape(_PERIOD)>
 * --include-snapshot-times-and-ranks <K*COUNT><units>ago..anytime latest<COUNT>
 * ```
 *
 * with `notime` as the time range when the period has no duration or K*COUNT is 0. A plan without
 * any period selects nothing (`--include-snapshot-regex=!.*` in a new group); an except-plan
 * without any period is refused, because it would delete every snapshot.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { pythonReEscape } from "../filter/python_regex.ts";
import type { SnapshotFilterBuilder } from "../filter/snapshot_filter.ts";
import { parsePeriod, PERIOD_UNIT_LABELS } from "./period.ts";
import { parsePlan, type PlanEntry } from "./plan.ts";

/** The filters of one (org, target, period) of a plan. */
export interface PlanFilterClause {
  /** The include-snapshot regex (Python syntax). */
  readonly regex: string;
  /** The `--include-snapshot-times-and-ranks` values: time range and `latest<COUNT>`. */
  readonly timesAndRanks: readonly [string, string];
}

const YEAR_WITH_FOUR_DIGITS = "[1-9][0-9][0-9][0-9]";

/**
 * One filter clause per plan entry, in order.
 *
 * @example
 * ```ts
 * import { planFilterClauses } from "./plan_filters.ts";
 * planFilterClauses([{ org: "prod", target: "", period: "2weekly", count: 3 }]);
 * // [{ regex: "prod_[1-9][0-9][0-9][0-9].*_2weekly", timesAndRanks: ["6weeksago..anytime", "latest3"] }]
 * ```
 * @param entries The parsed plan.
 * @returns The clauses.
 */
export function planFilterClauses(entries: readonly PlanEntry[]): PlanFilterClause[] {
  return entries.map(({ org, target, period, count }) => {
    const prefix = pythonReEscape(`${org}_`);
    const infix = target ? pythonReEscape(`${target}_`) : YEAR_WITH_FOUR_DIGITS;
    const suffix = period ? pythonReEscape(`_${period}`) : "";
    const p = parsePeriod(period);
    const amount = p ? p.amount * count : 0;
    const time = p && amount > 0 ? `${amount}${PERIOD_UNIT_LABELS[p.unit]}ago..anytime` : "notime";
    return { regex: `${prefix}${infix}.*${suffix}`, timesAndRanks: [time, `latest${count}`] };
  });
}

/**
 * The auxiliary arguments of one `--include-snapshot-plan` occurrence.
 *
 * @example
 * ```ts
 * import { includeSnapshotPlanArgs } from "./plan_filters.ts";
 * includeSnapshotPlanArgs("{'prod': {'onsite': {'hourly': 36}}}", "--include-snapshot-plan");
 * // ["--new-snapshot-filter-group", "--include-snapshot-regex=prod_onsite_.*_hourly",
 * //  "--include-snapshot-times-and-ranks", "36hoursago..anytime", "latest36"]
 * includeSnapshotPlanArgs("{}", "--include-snapshot-plan");
 * // ["--new-snapshot-filter-group", "--include-snapshot-regex=!.*"]
 * ```
 * @param dictString The plan as typed.
 * @param option The option, named in errors.
 * @returns The arguments to append after the normal ones.
 * @throws {UsageError} If the plan is invalid.
 */
export function includeSnapshotPlanArgs(dictString: string, option: string): string[] {
  const clauses = planFilterClauses(parsePlan(dictString, option));
  if (clauses.length === 0) return ["--new-snapshot-filter-group", "--include-snapshot-regex=!.*"];
  return clausesToArgs(clauses);
}

/**
 * The auxiliary arguments of one `--delete-dst-snapshots-except-plan` occurrence: the
 * `--delete-dst-snapshots-except` flag, then one group per entry (what to KEEP).
 *
 * @example
 * ```ts
 * import { deleteDstSnapshotsExceptPlanArgs } from "./plan_filters.ts";
 * deleteDstSnapshotsExceptPlanArgs("{'prod': {'': {'adhoc': 2}}}", "--delete-dst-snapshots-except-plan");
 * // ["--delete-dst-snapshots-except", "--new-snapshot-filter-group",
 * //  "--include-snapshot-regex=prod_[1-9][0-9][0-9][0-9].*_adhoc",
 * //  "--include-snapshot-times-and-ranks", "notime", "latest2"]
 * ```
 * @param dictString The plan as typed.
 * @param option The option, named in errors.
 * @returns The arguments to append after the normal ones.
 * @throws {UsageError} If the plan is invalid or retains nothing at all.
 */
export function deleteDstSnapshotsExceptPlanArgs(dictString: string, option: string): string[] {
  const clauses = planFilterClauses(parsePlan(dictString, option));
  if (clauses.length === 0) {
    throw new UsageError(
      "Cowardly refusing to delete all snapshots: this plan retains no snapshots, which means " +
        "'delete all snapshots'",
      {
        option,
        value: dictString,
        hint:
          "If that is really intended, use --delete-dst-snapshots --include-snapshot-regex=.* " +
          "instead to force the deletion",
      },
    );
  }
  return ["--delete-dst-snapshots-except", ...clausesToArgs(clauses)];
}

/**
 * Adds plan clauses to a filter builder, one new group each (or the select-nothing group for an
 * empty list), as if their auxiliary arguments had been parsed.
 *
 * @example
 * ```ts
 * import { addPlanFilterGroups, planFilterClauses } from "./plan_filters.ts";
 * import { SnapshotFilterBuilder } from "../filter/snapshot_filter.ts";
 * const clauses = planFilterClauses([{ org: "prod", target: "onsite", period: "daily", count: 7 }]);
 * addPlanFilterGroups(new SnapshotFilterBuilder(), clauses).build().length; // 1
 * ```
 * @param builder The builder after all normal filter options.
 * @param clauses The plan's clauses.
 * @returns The new builder.
 */
export function addPlanFilterGroups(
  builder: SnapshotFilterBuilder,
  clauses: readonly PlanFilterClause[],
): SnapshotFilterBuilder {
  if (clauses.length === 0) {
    return builder.newGroup().addIncludeRegex(["!.*"], "--include-snapshot-regex");
  }
  let b = builder;
  for (const c of clauses) {
    b = b.newGroup()
      .addIncludeRegex([c.regex], "--include-snapshot-regex")
      .addTimesAndRanks(c.timesAndRanks, "--include-snapshot-times-and-ranks");
  }
  return b;
}

function clausesToArgs(clauses: readonly PlanFilterClause[]): string[] {
  return clauses.flatMap((c) => [
    "--new-snapshot-filter-group",
    `--include-snapshot-regex=${c.regex}`,
    "--include-snapshot-times-and-ranks",
    ...c.timesAndRanks,
  ]);
}
