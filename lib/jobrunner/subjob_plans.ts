/**
 * The per-sub-job plans the jobrunner derives from the fleet's plans (reference 3.1): the
 * replication filter, the destination retention plan and the expanded monitor plan.
 *
 * @module
 */
import type { AlertDict, MonitorSnapshotPlan, SnapshotPlan } from "./fleet.ts";

/** A derived plan ready for {@linkcode pythonRepr}. */
export type DerivedPlan = Map<string, Map<string, Map<string, number>>>;

/** An expanded monitor plan: every alert dict becomes `{latest: ..., oldest: ...}`. */
export type ExpandedMonitorPlan = Map<
  string,
  Map<string, Map<string, Map<string, Map<string, string | number>>>>
>;

/**
 * The `--include-snapshot-plan` of a replicate sub-job: only `targets`, only counts > 0, and
 * only orgs left with some period. Empty means "no sub-job for this destination".
 *
 * @example
 * ```ts
 * import { includePlan } from "./subjob_plans.ts";
 * const plan = new Map([["prod", new Map([["offsite", new Map([["daily", 62], ["weekly", 0]])]])]]);
 * console.log(includePlan(plan, ["offsite"])); // Map { "prod" => Map { "offsite" => Map { "daily" => 62 } } }
 * ```
 * @param dstPlan `--dst-snapshot-plan`.
 * @param targets The destination's targets from `--dst-hosts`.
 * @returns The filtered plan.
 */
export function includePlan(dstPlan: SnapshotPlan, targets: readonly string[]): DerivedPlan {
  const wanted = new Set(targets);
  const out: DerivedPlan = new Map();
  for (const [org, byTarget] of dstPlan) {
    const kept = new Map<string, Map<string, number>>();
    for (const [target, periods] of byTarget) {
      if (!wanted.has(target)) continue;
      kept.set(target, new Map([...periods].filter(([, n]) => n > 0)));
    }
    if ([...kept.values()].some((p) => p.size > 0)) out.set(org, kept);
  }
  return out;
}

/**
 * The `--delete-dst-snapshots-except-plan` of a prune-dst sub-job: per org only the targets
 * the destination retains (orgs and zero counts are kept).
 *
 * @example
 * ```ts
 * import { retainPlan } from "./subjob_plans.ts";
 * const plan = new Map([["prod", new Map([["onsite", new Map([["daily", 7]])]])]]);
 * console.log(retainPlan(plan, []).get("prod")?.size); // 0
 * ```
 * @param dstPlan `--dst-snapshot-plan`.
 * @param retained The destination's targets from `--retain-dst-targets`.
 * @returns The filtered plan.
 */
export function retainPlan(dstPlan: SnapshotPlan, retained: readonly string[]): DerivedPlan {
  const keep = new Set(retained);
  return new Map(
    [...dstPlan].map(([org, byTarget]) => [
      org,
      new Map([...byTarget].filter(([t]) => keep.has(t)).map(([t, p]) => [t, new Map(p)])),
    ]),
  );
}

/**
 * Restricts a monitor plan to some targets (orgs are kept even when left empty).
 *
 * @example
 * ```ts
 * import { monitorPlanForTargets } from "./subjob_plans.ts";
 * const plan = new Map([["prod", new Map([["onsite", new Map()]])]]);
 * console.log(monitorPlanForTargets(plan, new Set()).get("prod")?.size); // 0
 * ```
 * @param plan `--monitor-snapshot-plan`.
 * @param targets Targets to keep.
 * @returns The restricted plan.
 */
export function monitorPlanForTargets(
  plan: MonitorSnapshotPlan,
  targets: ReadonlySet<string>,
): MonitorSnapshotPlan {
  return new Map(
    [...plan].map((
      [org, byTarget],
    ) => [org, new Map([...byTarget].filter(([t]) => targets.has(t)))]),
  );
}

const CYCLE_KEYS = ["src_snapshot_cycles", "dst_snapshot_cycles", "cycles", "oldest_skip_holds"];

/**
 * Expands a monitor plan for bzfs `--monitor-snapshots`: each alert dict becomes
 * `{'latest': A, 'oldest': B}`, A without the cycle keys, B = A plus `oldest_skip_holds` plus
 * `'cycles': n` (`<side>_snapshot_cycles`, else the plan's count, else 1).
 *
 * @example
 * ```ts
 * import { expandMonitorPlan } from "./subjob_plans.ts";
 * const monitor = new Map([["prod", new Map([["onsite", new Map([["hourly",
 *   new Map<string, string | number>([["warning", "30 minutes"]])]])]])]]);
 * const counts = new Map([["prod", new Map([["onsite", new Map([["hourly", 36]])]])]]);
 * const out = expandMonitorPlan(monitor, counts, "src");
 * console.log(out.get("prod")?.get("onsite")?.get("hourly")?.get("oldest")?.get("cycles")); // 36
 * ```
 * @param plan The (restricted) monitor plan.
 * @param counts The snapshot plan whose counts give the default cycles.
 * @param side Which `*_snapshot_cycles` key overrides the count.
 * @returns The expanded plan.
 */
export function expandMonitorPlan(
  plan: MonitorSnapshotPlan,
  counts: SnapshotPlan,
  side: "src" | "dst",
): ExpandedMonitorPlan {
  const out: ExpandedMonitorPlan = new Map();
  for (const [org, byTarget] of plan) {
    const targets = new Map<string, Map<string, Map<string, Map<string, string | number>>>>();
    for (const [target, periods] of byTarget) {
      const expanded = new Map<string, Map<string, Map<string, string | number>>>();
      for (const [period, alert] of periods) {
        const count = counts.get(org)?.get(target)?.get(period) ?? 1;
        expanded.set(period, alertPair(alert, count, side));
      }
      targets.set(target, expanded);
    }
    out.set(org, targets);
  }
  return out;
}

function alertPair(
  alert: AlertDict,
  count: number,
  side: "src" | "dst",
): Map<string, Map<string, string | number>> {
  const latest = new Map([...alert].filter(([k]) => !CYCLE_KEYS.includes(k)));
  const oldest = new Map(latest);
  const skipHolds = alert.get("oldest_skip_holds");
  if (skipHolds !== undefined) oldest.set("oldest_skip_holds", skipHolds);
  const override = alert.get(`${side}_snapshot_cycles`);
  oldest.set("cycles", override === undefined ? count : toInt(override));
  return new Map([["latest", latest], ["oldest", oldest]]);
}

function toInt(v: string | number): number {
  const n = typeof v === "number" ? v : Number.parseInt(v, 10);
  return Number.isFinite(n) ? Math.trunc(n) : 1;
}
