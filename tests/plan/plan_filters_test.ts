import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { filterSnapshots } from "../../lib/filter/filter_snapshots.ts";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";
import {
  addPlanFilterGroups,
  deleteDstSnapshotsExceptPlanArgs,
  includeSnapshotPlanArgs,
  planFilterClauses,
} from "../../lib/plan/plan_filters.ts";
import { parsePlan } from "../../lib/plan/plan.ts";
import type { SnapshotRecord } from "../../lib/zfs/types.ts";

const INC = "--include-snapshot-plan";
const EXC = "--delete-dst-snapshots-except-plan";

Deno.test("planFilterClauses: verified upstream expansion", () => {
  const plan = "{'prod':{'onsite':{'hourly':36,'daily':0,'adhoc':2},'':{'2weekly':3}}}";
  assert.deepEqual(planFilterClauses(parsePlan(plan, INC)), [
    { regex: "prod_onsite_.*_hourly", timesAndRanks: ["36hoursago..anytime", "latest36"] },
    { regex: "prod_onsite_.*_daily", timesAndRanks: ["notime", "latest0"] },
    { regex: "prod_onsite_.*_adhoc", timesAndRanks: ["notime", "latest2"] },
    {
      regex: "prod_[1-9][0-9][0-9][0-9].*_2weekly",
      timesAndRanks: ["6weeksago..anytime", "latest3"],
    },
  ]);
});

Deno.test("planFilterClauses escapes and handles every unit and empty parts", () => {
  const cases: [string, string, string, number, string, string][] = [
    ["p", "t", "yearly", 5, "p_t_.*_yearly", "5yearsago..anytime"],
    ["p", "t", "monthly", 18, "p_t_.*_monthly", "18monthsago..anytime"],
    ["p", "t", "weekly", 12, "p_t_.*_weekly", "12weeksago..anytime"],
    ["p", "t", "daily", 31, "p_t_.*_daily", "31daysago..anytime"],
    ["p", "t", "10minutely", 4, "p_t_.*_10minutely", "40minutesago..anytime"],
    ["p", "t", "secondly", 40, "p_t_.*_secondly", "40secondsago..anytime"],
    ["p", "t", "millisecondly", 3, "p_t_.*_millisecondly", "3millisecondsago..anytime"],
    ["p.x", "us-west", "daily", 1, "p\\.x_us\\-west_.*_daily", "1daysago..anytime"],
    ["", "", "", 1, "_[1-9][0-9][0-9][0-9].*", "notime"],
  ];
  for (const [org, target, period, count, regex, time] of cases) {
    assert.deepEqual(planFilterClauses([{ org, target, period, count }]), [
      { regex, timesAndRanks: [time, `latest${count}`] },
    ]);
  }
});

Deno.test("includeSnapshotPlanArgs", () => {
  assert.deepEqual(includeSnapshotPlanArgs("{'prod': {'onsite': {'hourly': 36}}}", INC), [
    "--new-snapshot-filter-group",
    "--include-snapshot-regex=prod_onsite_.*_hourly",
    "--include-snapshot-times-and-ranks",
    "36hoursago..anytime",
    "latest36",
  ]);
  for (const empty of ["{}", "{'prod': {}}", "{'prod': {'onsite': {}}}"]) {
    assert.deepEqual(includeSnapshotPlanArgs(empty, INC), [
      "--new-snapshot-filter-group",
      "--include-snapshot-regex=!.*",
    ]);
  }
  assert.throws(() => includeSnapshotPlanArgs("{'p': {'t': {'daily': -1}}}", INC), UsageError);
});

Deno.test("deleteDstSnapshotsExceptPlanArgs refuses an empty plan", () => {
  assert.deepEqual(deleteDstSnapshotsExceptPlanArgs("{'prod': {'': {'adhoc': 2}}}", EXC), [
    "--delete-dst-snapshots-except",
    "--new-snapshot-filter-group",
    "--include-snapshot-regex=prod_[1-9][0-9][0-9][0-9].*_adhoc",
    "--include-snapshot-times-and-ranks",
    "notime",
    "latest2",
  ]);
  for (const empty of ["{}", "{'prod': {}}"]) {
    assert.throws(() => deleteDstSnapshotsExceptPlanArgs(empty, EXC), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.option, EXC);
      assert.match(
        e.message,
        /^--delete-dst-snapshots-except-plan: Cowardly refusing to delete all/,
      );
      assert.match(e.hint ?? "", /--delete-dst-snapshots --include-snapshot-regex=\.\*/);
      return true;
    });
  }
});

const DAY = 86_400;
const NOW_S = 1_700_000_000;
function rec(name: string, ageDays: number, i: number): SnapshotRecord {
  return {
    dataset: "tank",
    name,
    kind: "snapshot",
    guid: String(i),
    createTxg: BigInt(i),
    creation: NOW_S - ageDays * DAY,
  };
}

Deno.test("plan groups select recent-or-latest-N per period, union across periods", () => {
  // dailies 0..9 days old (oldest first), hourlies, an adhoc, one with another target
  const recs: SnapshotRecord[] = [];
  for (let d = 9; d >= 0; d--) {
    recs.push(rec(`prod_onsite_2024-01-${10 - d}_daily`, d + 0.5, recs.length));
  }
  recs.push(rec("prod_onsite_2024-01-10_adhoc", 0.1, recs.length));
  recs.push(rec("prod_offsite_2024-01-10_daily", 0.1, recs.length));
  recs.push(rec("prod_2024-01-10_daily", 0.1, recs.length));
  const plan = "{'prod': {'onsite': {'daily': 3, 'adhoc': 0}, '': {'daily': 1}}}";
  const groups = addPlanFilterGroups(
    new SnapshotFilterBuilder(),
    planFilterClauses(parsePlan(plan, INC)),
  )
    .build();
  const got = filterSnapshots(recs, groups, { now: NOW_S * 1000 }).map((r) => r.name);
  assert.deepEqual(got, [
    "prod_onsite_2024-01-8_daily",
    "prod_onsite_2024-01-9_daily",
    "prod_onsite_2024-01-10_daily",
    "prod_2024-01-10_daily",
  ]);
  // except-mode (what --delete-dst-snapshots-except-plan deletes): everything else
  const deleted = filterSnapshots(recs, groups, { now: NOW_S * 1000, allExcept: true });
  assert.equal(deleted.length, recs.length - 4);
  // an empty plan selects nothing
  const none = addPlanFilterGroups(new SnapshotFilterBuilder(), []).build();
  assert.deepEqual(filterSnapshots(recs, none, { now: NOW_S * 1000 }), []);
});
