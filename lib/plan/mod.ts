/**
 * Retention plans: the Python-literal plan syntax, period labels, plan -> snapshot filter groups
 * (`--include-snapshot-plan`, `--delete-dst-snapshots-except-plan`) and `--monitor-snapshots`.
 *
 * @example
 * ```ts
 * import { includeSnapshotPlanArgs } from "./mod.ts";
 * includeSnapshotPlanArgs("{'prod': {'onsite': {'daily': 7}}}", "--include-snapshot-plan");
 * ```
 *
 * @module
 */

export * from "./monitor_plan.ts";
export * from "./period.ts";
export * from "./plan.ts";
export * from "./plan_filters.ts";
export * from "./python_literal.ts";
