import assert from "node:assert/strict";
import { latestCreationByLabel, snapshotsDue } from "../../lib/lifecycle/due.ts";
import { parsePlan, type PlanEntry } from "../../lib/plan/plan.ts";
import type { SnapshotRecord } from "../../lib/zfs/types.ts";

const secs = (iso: string) => Date.parse(iso) / 1000;

/** A `--create-src-snapshots-plan` as typed, parsed by lib/plan. */
const planOf = (dict: string): PlanEntry[] => parsePlan(dict, "--create-src-snapshots-plan");

/** Latest-by-label map for one label key on each dataset (undefined = dataset without snapshots). */
function latestOf(key: string, entries: Record<string, string | null>) {
  const m = new Map<string, Map<string, number>>();
  for (const [ds, iso] of Object.entries(entries)) {
    m.set(ds, iso === null ? new Map() : new Map([[key, secs(iso)]]));
  }
  return m;
}

/** [name, plan, zone, latest creation (null = none), now, due?, anchors] */
type DueCase = [
  string,
  PlanEntry[],
  string,
  string | null,
  string,
  boolean,
  Record<string, number>?,
];

const HOURLY = planOf(`{"prod": {"": {"hourly": 24}}}`);
const DAILY = planOf(`{"prod": {"": {"daily": 7}}}`);
const MONTHLY = planOf(`{"prod": {"": {"monthly": 12}}}`);

const CASES: DueCase[] = [
  ["hourly, previous hour", HOURLY, "UTC", "2025-01-01T09:10:00Z", "2025-01-01T10:30:00Z", true],
  ["hourly, same hour", HOURLY, "UTC", "2025-01-01T10:05:00Z", "2025-01-01T10:30:00Z", false],
  [
    "hourly, created on the boundary",
    HOURLY,
    "UTC",
    "2025-01-01T10:00:00Z",
    "2025-01-01T10:59:59Z",
    false,
  ],
  [
    "hourly, exactly at the next boundary",
    HOURLY,
    "UTC",
    "2025-01-01T10:00:00Z",
    "2025-01-01T11:00:00Z",
    true,
  ],
  ["hourly, no matching snapshot", HOURLY, "UTC", null, "2025-01-01T10:30:00Z", true],
  [
    "2hourly anchored at midnight",
    planOf(`{"p": {"": {"2hourly": 1}}}`),
    "UTC",
    "2025-01-01T09:10:00Z",
    "2025-01-01T10:00:00Z",
    true,
  ],
  [
    "2hourly not yet",
    planOf(`{"p": {"": {"2hourly": 1}}}`),
    "UTC",
    "2025-01-01T10:10:00Z",
    "2025-01-01T11:59:00Z",
    false,
  ],
  [
    "daily local midnight Vienna",
    DAILY,
    "Europe/Vienna",
    "2025-01-01T22:59:00Z",
    "2025-01-01T23:00:00Z",
    true,
  ],
  [
    "daily not yet in Vienna",
    DAILY,
    "Europe/Vienna",
    "2025-01-01T23:00:00Z",
    "2025-01-02T22:59:59Z",
    false,
  ],
  [
    "daily across spring forward (23h day), before",
    DAILY,
    "Europe/Vienna",
    "2025-03-29T23:30:00Z",
    "2025-03-30T21:59:59Z",
    false,
  ],
  [
    "daily across spring forward (23h day), at",
    DAILY,
    "Europe/Vienna",
    "2025-03-29T23:30:00Z",
    "2025-03-30T22:00:00Z",
    true,
  ],
  [
    "daily across fall back (25h day), before",
    DAILY,
    "Europe/Vienna",
    "2025-10-25T22:30:00Z",
    "2025-10-26T22:59:59Z",
    false,
  ],
  [
    "daily across fall back (25h day), at",
    DAILY,
    "Europe/Vienna",
    "2025-10-25T22:30:00Z",
    "2025-10-26T23:00:00Z",
    true,
  ],
  [
    "hourly in New York's repeated hour, second 01:30",
    HOURLY,
    "America/New_York",
    "2024-11-03T05:10:00Z",
    "2024-11-03T06:30:00Z",
    false,
  ],
  [
    "hourly after New York's repeated hour",
    HOURLY,
    "America/New_York",
    "2024-11-03T05:10:00Z",
    "2024-11-03T07:00:00Z",
    true,
  ],
  [
    "hourly across New York's gap",
    HOURLY,
    "America/New_York",
    "2023-03-12T06:30:00Z",
    "2023-03-12T07:00:00Z",
    true,
  ],
  [
    "daily at 02:30 on New York's spring-forward day",
    DAILY,
    "America/New_York",
    "2023-03-11T08:00:00Z",
    "2023-03-12T06:59:59Z",
    false,
    { daily_hour: 2, daily_minute: 30 },
  ],
  [
    "daily at 02:30 resolved to 03:00 EDT",
    DAILY,
    "America/New_York",
    "2023-03-11T08:00:00Z",
    "2023-03-12T07:00:00Z",
    true,
    { daily_hour: 2, daily_minute: 30 },
  ],
  [
    "monthly on day 31 in a leap February, before",
    MONTHLY,
    "UTC",
    "2024-01-31T12:00:00Z",
    "2024-02-28T23:59:59Z",
    false,
    { monthly_monthday: 31 },
  ],
  [
    "monthly on day 31 in a leap February, at",
    MONTHLY,
    "UTC",
    "2024-01-31T12:00:00Z",
    "2024-02-29T00:00:00Z",
    true,
    { monthly_monthday: 31 },
  ],
  [
    "monthly at month end New York",
    MONTHLY,
    "America/New_York",
    "2024-10-01T04:00:00Z",
    "2024-11-01T03:59:59Z",
    false,
  ],
  [
    "monthly at month end New York, at",
    MONTHLY,
    "America/New_York",
    "2024-10-01T04:00:00Z",
    "2024-11-01T04:00:00Z",
    true,
  ],
  [
    "yearly on Feb 29 anchor in a non-leap year",
    planOf(`{"p": {"": {"yearly": 1}}}`),
    "UTC",
    "2024-02-29T00:00:00Z",
    "2025-02-28T00:00:00Z",
    true,
    { yearly_month: 2, yearly_monthday: 29 },
  ],
  [
    "weekly on Sunday",
    planOf(`{"p": {"": {"weekly": 1}}}`),
    "UTC",
    "2025-02-09T00:00:00Z",
    "2025-02-15T23:59:59Z",
    false,
  ],
  [
    "weekly on Sunday, at",
    planOf(`{"p": {"": {"weekly": 1}}}`),
    "UTC",
    "2025-02-09T00:00:00Z",
    "2025-02-16T00:00:00Z",
    true,
  ],
  [
    "10minutely",
    planOf(`{"p": {"": {"10minutely": 6}}}`),
    "UTC",
    "2025-02-09T00:05:00Z",
    "2025-02-09T00:10:00Z",
    true,
  ],
  [
    "secondly",
    planOf(`{"p": {"": {"secondly": 60}}}`),
    "UTC",
    "2025-02-09T00:05:00Z",
    "2025-02-09T00:05:00.999Z",
    false,
  ],
  // upstream compares wall clocks: 01:20 EST (second pass) is before the 01:30 boundary
  [
    "hourly at :30 waits for the second pass through New York's repeated hour",
    HOURLY,
    "America/New_York",
    "2024-11-03T04:40:00Z",
    "2024-11-03T06:20:00Z",
    false,
    { hourly_minute: 30 },
  ],
  [
    "hourly at :30 in New York's repeated hour, first pass",
    HOURLY,
    "America/New_York",
    "2024-11-03T04:40:00Z",
    "2024-11-03T05:30:00Z",
    true,
    { hourly_minute: 30 },
  ],
];

Deno.test("snapshotsDue: periodic labels at fixed instants (DST, month ends, leap years)", () => {
  for (const [title, plan, timeZone, created, now, expected, anchors] of CASES) {
    const { org, period } = plan[0];
    const latest = latestOf(`${org}_<timestamp>_${period}`, { "tank/a": created });
    const result = snapshotsDue(["tank/a"], latest, {
      plan,
      now: Date.parse(now),
      timeZone,
      anchors,
    });
    assert.equal(result.due.length === 1, expected, title);
    assert.equal(result.schedule.length, 1, title);
    assert.equal(result.schedule[0].due, expected, title);
    if (expected) assert.deepEqual(result.due[0].datasets, ["tank/a"], title);
  }
});

Deno.test("snapshotsDue: adhoc always, count 0 never, even-if-not-due, datasets without snapshots", () => {
  const plan = planOf(`{"prod": {"onsite": {"hourly": 36, "daily": 0, "adhoc": 1}}}`);
  const now = Date.parse("2025-01-01T10:30:00Z");
  const latest = new Map([
    ["tank/a", new Map([["prod_onsite_<timestamp>_hourly", secs("2025-01-01T10:01:00Z")]])],
    ["tank/b", new Map([["prod_onsite_<timestamp>_hourly", secs("2025-01-01T09:59:59Z")]])],
  ]);
  const datasets = ["tank/a", "tank/b", "tank/c"]; // tank/c has no snapshots at all
  const r = snapshotsDue(datasets, latest, { plan, now, timeZone: "UTC" });
  assert.deepEqual(r.due.map((d) => [d.name, d.datasets]), [
    ["prod_onsite_2025-01-01_10:30:00_hourly", ["tank/b", "tank/c"]],
    ["prod_onsite_2025-01-01_10:30:00_adhoc", ["tank/a", "tank/b", "tank/c"]],
  ]);
  assert.equal(r.schedule.length, 3);
  assert.equal(r.schedule[0].next.toString(), "2025-01-01T11:00:00+00:00[UTC]");
  const forced = snapshotsDue(datasets, latest, { plan, now, timeZone: "UTC", evenIfNotDue: true });
  assert.deepEqual(forced.due.map((d) => d.datasets.length), [3, 3]);
  assert.equal(forced.schedule.length, 0);
  const none = snapshotsDue(datasets, latest, {
    plan: planOf(`{'prod': {'onsite': {'hourly': 0}}}`),
    now,
    timeZone: "UTC",
  });
  assert.deepEqual(none.due, []);
  assert.deepEqual(snapshotsDue([], latest, { plan, now, timeZone: "UTC" }).due, []);
});

Deno.test("snapshotsDue: names share one timestamp, format and zone", () => {
  const plan = planOf(`{"prod": {"": {"adhoc": 1}, "offsite": {"daily": 1}}}`);
  const now = Date.parse("2025-10-26T01:30:00.250Z"); // 02:30 CET, the second one
  const r = snapshotsDue(["tank/a"], new Map(), {
    plan,
    now,
    timeZone: "Europe/Vienna",
    timeformat: "%Y-%m-%d_%H:%M:%S%z.%F",
  });
  assert.deepEqual(r.due.map((d) => d.name), [
    "prod_offsite_2025-10-26_02:30:00z0100.250_daily",
    "prod_2025-10-26_02:30:00z0100.250_adhoc",
  ]);
  const local = snapshotsDue(["tank/a"], new Map(), {
    plan,
    now,
    localTimeZone: "America/New_York",
  });
  assert.equal(local.due[1].name, "prod_2025-10-25_21:30:00_adhoc");
});

function snap(
  name: string,
  txg: number,
  creation: number,
  kind: "snapshot" | "bookmark" = "snapshot",
): SnapshotRecord {
  return { dataset: "tank/a", name, kind, guid: String(txg), createTxg: BigInt(txg), creation };
}

Deno.test("latestCreationByLabel: by createtxg, then creation, then name; bookmarks ignored", () => {
  const daily = { org: "prod", target: "", period: "daily" };
  const onsiteDaily = { org: "prod", target: "onsite", period: "daily" };
  const hourly = { org: "prod", target: "", period: "hourly" };
  const snaps = [
    snap("prod_2024-01-03_00:00:00_daily", 30, 300),
    snap("prod_2024-01-09_00:00:00_daily", 40, 400, "bookmark"),
    snap("prod_2024-01-01_00:00:00_daily", 10, 100),
    snap("prod_onsite_2024-01-05_00:00:00_daily", 50, 500),
    snap("prod_2024-01-02_00:00:00_hourly", 20, 200),
    snap("prod_2024-01-02_01:00:00_hourly", 20, 200),
    snap("prod_2024-01-02_00:30:00_hourly", 20, 150),
  ];
  const got = latestCreationByLabel(snaps, [daily, onsiteDaily, hourly, {
    org: "x",
    target: "",
    period: "daily",
  }]);
  assert.deepEqual([...got], [
    ["prod_<timestamp>_daily", 300],
    ["prod_onsite_<timestamp>_daily", 500],
    ["prod_<timestamp>_hourly", 200],
  ]);
  const tie = latestCreationByLabel([
    snap("prod_2024-01-02_01:00:00_hourly", 20, 250),
    snap("prod_2024-01-02_00:00:00_hourly", 20, 200),
  ], [hourly]);
  assert.equal(tie.get("prod_<timestamp>_hourly"), 250);
});

Deno.test("snapshotsDue: a boundary in a spring-forward gap is logged shifted forward", () => {
  const latest = latestOf("prod_<timestamp>_daily", { "tank/a": "2023-03-11T08:00:00Z" });
  const r = snapshotsDue(["tank/a"], latest, {
    plan: DAILY,
    now: Date.parse("2023-03-12T07:00:00Z"),
    timeZone: "America/New_York",
    anchors: { daily_hour: 2, daily_minute: 30 },
  });
  assert.equal(r.schedule[0].next.toString(), "2023-03-12T03:30:00-04:00[America/New_York]");
  assert.equal(r.schedule[0].due, true);
});
