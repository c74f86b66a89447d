/**
 * Whole-flow scenarios across the lifecycle modules: a scheduler loop through DST changes, and a
 * retention plan through lib/plan + lib/filter + selectDstSnapshotsToDelete.
 */
import assert from "node:assert/strict";
import { snapshotsDue } from "../../lib/lifecycle/due.ts";
import { type DstEntry, selectDstSnapshotsToDelete } from "../../lib/lifecycle/delete_snapshots.ts";
import { labelKey } from "../../lib/lifecycle/snapshot_names.ts";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";
import { filterSnapshots } from "../../lib/filter/filter_snapshots.ts";
import { addPlanFilterGroups, planFilterClauses } from "../../lib/plan/plan_filters.ts";
import { parsePlan } from "../../lib/plan/plan.ts";

/** Runs the scheduler every `stepMin` minutes and returns the names it created, in order. */
function simulate(zone: string, fromIso: string, toIso: string, stepMin: number): string[] {
  const plan = parsePlan(
    `{"prod": {"": {"hourly": 48, "daily": 7}}}`,
    "--create-src-snapshots-plan",
  );
  const latest = new Map<string, number>();
  const names: string[] = [];
  for (let now = Date.parse(fromIso); now < Date.parse(toIso); now += stepMin * 60_000) {
    const { due } = snapshotsDue(["tank/a"], new Map([["tank/a", latest]]), {
      plan,
      now,
      timeZone: zone,
    });
    for (const d of due) {
      names.push(d.name);
      latest.set(labelKey(d.label), Math.floor(now / 1000));
    }
  }
  return names;
}

function perLocalDay(names: string[], period: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of names.filter((n) => n.endsWith(`_${period}`))) {
    const day = n.slice("prod_".length, "prod_".length + 10);
    out.set(day, (out.get(day) ?? 0) + 1);
  }
  return out;
}

Deno.test("scheduler loop through DST: one snapshot per wall hour and local day, never a name twice", () => {
  const cases: [string, string, string, Record<string, number>][] = [
    // Vienna spring forward: 2025-03-30 has 23 wall hours
    ["Europe/Vienna", "2025-03-28T23:00:00Z", "2025-03-31T22:00:00Z", {
      "2025-03-29": 24,
      "2025-03-30": 23,
      "2025-03-31": 24,
    }],
    // Vienna fall back: 2025-10-26 has 25 real hours but 24 wall-hour labels
    ["Europe/Vienna", "2025-10-24T22:00:00Z", "2025-10-27T23:00:00Z", {
      "2025-10-25": 24,
      "2025-10-26": 24,
      "2025-10-27": 24,
    }],
    ["America/New_York", "2024-03-09T05:00:00Z", "2024-03-12T04:00:00Z", {
      "2024-03-09": 24,
      "2024-03-10": 23,
      "2024-03-11": 24,
    }],
    ["America/New_York", "2024-11-02T04:00:00Z", "2024-11-05T05:00:00Z", {
      "2024-11-02": 24,
      "2024-11-03": 24,
      "2024-11-04": 24,
    }],
  ];
  for (const [zone, from, to, hourly] of cases) {
    for (const step of [10, 7]) {
      const names = simulate(zone, from, to, step);
      assert.equal(new Set(names).size, names.length, `${zone} duplicate names`);
      assert.deepEqual(
        Object.fromEntries(perLocalDay(names, "hourly")),
        hourly,
        `${zone} step ${step}`,
      );
      const daily = Object.fromEntries(perLocalDay(names, "daily"));
      assert.deepEqual(Object.values(daily), [1, 1, 1], `${zone} daily ${JSON.stringify(daily)}`);
    }
  }
});

Deno.test("retention: --delete-dst-snapshots-except-plan keeps recent + latest N per period", () => {
  // dst: 30 hourlies (one per hour) and 10 dailies; guids = names; src holds the newest 20 of each kind
  const hour = 3600;
  const t0 = Date.parse("2025-01-10T00:00:00Z") / 1000;
  const now = (t0 + 30 * hour) * 1000;
  const dst: DstEntry[] = [];
  const add = (name: string, creation: number) =>
    dst.push({
      dataset: "bak/a",
      name,
      kind: "snapshot",
      guid: name,
      createTxg: BigInt(dst.length + 1),
      creation,
    });
  for (let d = 9; d >= 0; d--) add(`prod_onsite_day${9 - d}_daily`, t0 - d * 86400);
  for (let h = 0; h < 30; h++) add(`prod_onsite_h${h}_hourly`, t0 + h * hour);
  add("manual_keepme", t0 + 30 * hour); // matches no clause
  dst.sort((a, b) => a.creation - b.creation);
  const src = dst.filter((e) =>
    e.name.endsWith("_hourly") ? Number(e.name.slice(13, -7)) >= 10 : true
  )
    .filter((e) => e.name !== "manual_keepme")
    .map((e) => ({ ...e, dataset: "tank/a" }));
  const plan = parsePlan(
    `{"prod": {"onsite": {"hourly": 12, "daily": 3}}}`,
    "--delete-dst-snapshots-except-plan",
  );
  const groups = addPlanFilterGroups(new SnapshotFilterBuilder(), planFilterClauses(plan)).build();
  const selected = filterSnapshots(dst, groups, { now });
  const keptNames = selected.map((s) => s.name);
  // hourly: created within the last 12 hours (h18..h29) or the latest 12 (same set)
  // daily: within the last 3 days (day7..day9, the newest is 30 h old) or the latest 3
  assert.deepEqual(keptNames, [
    "prod_onsite_day7_daily",
    "prod_onsite_day8_daily",
    "prod_onsite_day9_daily",
    ...Array.from({ length: 12 }, (_, i) => `prod_onsite_h${18 + i}_hourly`),
  ]);
  const real = selectDstSnapshotsToDelete(dst, src, { selected, except: true });
  const deleted = new Set(real.toDelete.map((e) => e.name));
  assert.equal(deleted.size, dst.length - 15);
  for (const k of keptNames) assert.ok(!deleted.has(k), k);
  assert.ok(deleted.has("manual_keepme")); // except mode deletes everything the plan does not keep
  // with a dummy source the result is the same here (every kept one is on the source)
  const dummy = selectDstSnapshotsToDelete(dst, undefined, {
    selected,
    except: true,
    dummySource: true,
  });
  assert.deepEqual(dummy.toDelete.map((e) => e.name), real.toDelete.map((e) => e.name));
  // if the newest hourly vanished from the source, a real source deletes it from dst too, but the
  // latest common snapshot (h28 now) stays
  const src2 = src.filter((e) => e.name !== "prod_onsite_h29_hourly");
  const r2 = selectDstSnapshotsToDelete(dst, src2, { selected, except: true });
  assert.ok(r2.toDelete.some((e) => e.name === "prod_onsite_h29_hourly"));
  assert.ok(!r2.toDelete.some((e) => e.name === "prod_onsite_h28_hourly"));
});
