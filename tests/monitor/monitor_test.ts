import assert from "node:assert/strict";
import { MonitorAlertError } from "../../lib/errors.ts";
import {
  evaluateObservation,
  labelText,
  monitorAlertError,
  monitorDataset,
  type MonitorDatasetSnapshots,
  monitorDoneMessage,
  type MonitorFinding,
  monitorSnapshots,
  worseFinding,
} from "../../lib/monitor/monitor.ts";
import type { MonitorSnapshot } from "../../lib/monitor/monitor_match.ts";
import { ALERT_NEVER_MS, parseMonitorPlan } from "../../lib/plan/monitor_plan.ts";

/** 2025-01-10T08:30:05Z. */
const NOW = 1_736_497_805_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const PLAN =
  `{"prod": {"onsite": {"hourly": {"latest": {"warning": "30 minutes", "critical": "300 minutes"}}},
  "": {"daily": {"latest": {"warning": "4 hours", "critical": "8 hours"},
                 "oldest": {"warning": "3 days", "critical": "4 days", "oldest_skip_holds": True}}}}}`;
const ALERTS = parseMonitorPlan(PLAN);

let txg = 0n;
/** A snapshot created `ageMs` before NOW. */
function snap(name: string, ageMs: number, userrefs?: number): MonitorSnapshot {
  txg += 1n;
  return {
    name,
    createTxg: txg,
    creation: (NOW - ageMs) / 1000,
    ...(userrefs === undefined ? {} : { userrefs }),
  };
}
const hourly = (ageMs: number) => snap(`prod_onsite_2025-01-10_00:00:00_hourly`, ageMs);
const daily = (ageMs: number, userrefs?: number) =>
  snap(`prod_2025-01-01_00:00:00_daily`, ageMs, userrefs);
const ds = (dataset: string, ...snapshots: MonitorSnapshot[]): MonitorDatasetSnapshots => ({
  dataset,
  snapshots,
});
const brief = (f: MonitorFinding) => `${f.level} ${f.check} ${labelText(f.alert)}`;

Deno.test("parsed plan: daily before hourly, effective thresholds slack + cycles x period", () => {
  assert.deepEqual(ALERTS.map((a) => labelText(a)), [
    "prod_<timestamp>_daily",
    "prod_onsite_<timestamp>_hourly",
  ]);
  assert.deepEqual(ALERTS[0].latest, { warningMs: 28 * HOUR, criticalMs: 32 * HOUR });
  assert.deepEqual(ALERTS[0].oldest, { warningMs: 4 * DAY, criticalMs: 5 * DAY });
  assert.deepEqual(ALERTS[1].latest, { warningMs: 90 * MIN, criticalMs: 360 * MIN });
});

Deno.test("status 0: every check within its thresholds (OK lines for -v)", () => {
  const r = monitorSnapshots(
    [ds("tank/ok", daily(2 * DAY), daily(8.5 * HOUR), hourly(30 * MIN))],
    ALERTS,
    {
      now: NOW,
    },
  );
  assert.equal(r.status, 0);
  assert.equal(r.worst, undefined);
  assert.equal(monitorAlertError(r), undefined);
  assert.deepEqual(r.findings.map((f) => [f.level, f.ageMs, f.counted, f.message]), [
    [
      "ok",
      8.5 * HOUR,
      false,
      "--monitor_snapshots: OK. Latest snapshot for tank/ok@prod_<timestamp>_daily is 8.5h old: @prod_2025-01-01_00:00:00_daily",
    ],
    [
      "ok",
      2 * DAY,
      false,
      "--monitor_snapshots: OK. Oldest snapshot for tank/ok@prod_<timestamp>_daily is 2d old: @prod_2025-01-01_00:00:00_daily",
    ],
    [
      "ok",
      30 * MIN,
      false,
      "--monitor_snapshots: OK. Latest snapshot for tank/ok@prod_onsite_<timestamp>_hourly is 30m old: @prod_onsite_2025-01-10_00:00:00_hourly",
    ],
  ]);
});

Deno.test("status 1: latest hourly 2h old, warning above 1.5h", () => {
  const r = monitorSnapshots(
    [ds("tank/warn", daily(2 * DAY), daily(HOUR), hourly(2 * HOUR))],
    ALERTS,
    {
      now: NOW,
    },
  );
  assert.equal(r.status, 1);
  assert.deepEqual(r.findings.map(brief), [
    "ok latest prod_<timestamp>_daily",
    "ok oldest prod_<timestamp>_daily",
    "warning latest prod_onsite_<timestamp>_hourly",
  ]);
  assert.equal(r.worst?.thresholdMs, 90 * MIN);
  assert.equal(
    r.worst?.message,
    "--monitor_snapshots: Latest snapshot for tank/warn@prod_onsite_<timestamp>_hourly is 2h old but should be at most 1.5h old: @prod_onsite_2025-01-10_00:00:00_hourly",
  );
  const e = monitorAlertError(r);
  assert.ok(e instanceof MonitorAlertError);
  assert.equal(e.level, "warning");
  assert.equal(e.message, r.worst?.message);
});

Deno.test("status 2: latest daily 1.5d old, critical above 1.33d; the critical wins over a warning", () => {
  const r = monitorSnapshots(
    [
      ds("tank/warn", daily(2 * DAY), daily(HOUR), hourly(2 * HOUR)),
      ds("tank/crit", daily(36 * HOUR), hourly(MIN)),
    ],
    ALERTS,
    { now: NOW },
  );
  assert.equal(r.status, 2);
  assert.equal(r.worst?.dataset, "tank/crit");
  assert.equal(r.worst?.thresholdMs, 32 * HOUR);
  assert.equal(
    r.worst?.message,
    "--monitor_snapshots: Latest snapshot for tank/crit@prod_<timestamp>_daily is 1.5d old but should be at most 1.33d old: @prod_2025-01-01_00:00:00_daily",
  );
  assert.equal(monitorAlertError(r)?.level, "critical");
  assert.deepEqual(r.findings.filter((f) => f.dataset === "tank/crit").map(brief), [
    "critical latest prod_<timestamp>_daily",
    "ok oldest prod_<timestamp>_daily",
    "ok latest prod_onsite_<timestamp>_hourly",
  ]);
});

Deno.test("no matching snapshot: graded as created at time 0, 'No snapshot exists'", () => {
  const r = monitorSnapshots([ds("tank/none"), ds("tank/other", snap("manual", MIN))], ALERTS, {
    now: NOW,
  });
  assert.equal(r.status, 2);
  assert.equal(r.findings.length, 6);
  assert.ok(r.findings.every((f) => f.level === "critical" && f.creation === 0 && f.ageMs === NOW));
  assert.deepEqual(r.findings.slice(0, 3).map((f) => f.message), [
    "--monitor_snapshots: No snapshot exists for tank/none@prod_<timestamp>_daily",
    "--monitor_snapshots: No snapshot exists for tank/none@prod_<timestamp>_daily",
    "--monitor_snapshots: No snapshot exists for tank/none@prod_onsite_<timestamp>_hourly",
  ]);
  // Worst: critical, then Latest before Oldest, then the smallest message.
  assert.equal(r.worst?.check, "latest");
  assert.equal(
    r.worst?.message,
    "--monitor_snapshots: No snapshot exists for tank/none@prod_<timestamp>_daily",
  );
});

Deno.test("a missing snapshot with only a warning threshold is a warning (critical never fires)", () => {
  const [alert] = parseMonitorPlan(`{"p": {"": {"daily": {"latest": {"warning": "1 hours"}}}}}`);
  assert.equal(alert.latest?.criticalMs, ALERT_NEVER_MS);
  const r = monitorSnapshots([ds("tank/x")], [alert], { now: NOW });
  assert.equal(r.status, 1);
  assert.equal(r.worst?.level, "warning");
});

Deno.test("oldest_skip_holds: a held old snapshot is skipped when finding the oldest", () => {
  const held = ds("tank/h", daily(10 * DAY, 1), daily(2 * DAY, 0), daily(HOUR));
  const [oldest] = monitorDataset(held, ALERTS, { now: NOW }).filter((f) => f.check === "oldest");
  assert.equal(oldest.level, "ok");
  assert.equal(oldest.ageMs, 2 * DAY);
  const [noSkip] = parseMonitorPlan(
    `{"prod": {"": {"daily": {"oldest": {"warning": "3 days", "critical": "4 days"}}}}}`,
  );
  const [f] = monitorDataset(held, [noSkip], { now: NOW });
  assert.equal(f.level, "critical");
  assert.equal(f.ageMs, 10 * DAY);
  assert.equal(
    f.message,
    "--monitor_snapshots: Oldest snapshot for tank/h@prod_<timestamp>_daily is 10d old but should be at most 5d old: @prod_2025-01-01_00:00:00_daily",
  );
});

Deno.test("thresholds are strict: age equal to the threshold is OK", () => {
  const at = monitorSnapshots([ds("tank/e", daily(HOUR), hourly(90 * MIN))], ALERTS, { now: NOW });
  assert.equal(at.findings.find((f) => f.alert === ALERTS[1])?.level, "ok");
  const over = monitorSnapshots([ds("tank/e", daily(HOUR), hourly(90 * MIN + 1000))], ALERTS, {
    now: NOW,
  });
  assert.equal(over.findings.find((f) => f.alert === ALERTS[1])?.level, "warning");
});

Deno.test("dont-warn and dont-crit: findings still reported, not counted; no fallback to warning", () => {
  const data = [
    ds("tank/warn", daily(2 * DAY), daily(HOUR), hourly(2 * HOUR)),
    ds("tank/crit", daily(36 * HOUR), hourly(MIN)),
  ];
  const noCrit = monitorSnapshots(data, ALERTS, { now: NOW, dontCrit: true });
  assert.equal(noCrit.status, 1);
  assert.equal(noCrit.worst?.dataset, "tank/warn");
  assert.equal(noCrit.findings.find((f) => f.level === "critical")?.counted, false);
  const noWarn = monitorSnapshots(data, ALERTS, { now: NOW, dontWarn: true });
  assert.equal(noWarn.status, 2);
  const none = monitorSnapshots(data, ALERTS, { now: NOW, dontWarn: true, dontCrit: true });
  assert.equal(none.status, 0);
  assert.equal(none.findings.filter((f) => f.level !== "ok").length, 2);
  const onlyCritMuted = monitorSnapshots([data[1]], ALERTS, { now: NOW, dontCrit: true });
  assert.equal(onlyCritMuted.status, 0);
});

Deno.test("no-latest-check and no-oldest-check drop those checks", () => {
  const data = [ds("tank/a", daily(HOUR), hourly(MIN))];
  assert.deepEqual(
    monitorSnapshots(data, ALERTS, { now: NOW, noLatestCheck: true }).findings.map(brief),
    [
      "ok oldest prod_<timestamp>_daily",
    ],
  );
  assert.deepEqual(
    monitorSnapshots(data, ALERTS, { now: NOW, noOldestCheck: true }).findings.map(brief),
    [
      "ok latest prod_<timestamp>_daily",
      "ok latest prod_onsite_<timestamp>_hourly",
    ],
  );
  const parsed = parseMonitorPlan(PLAN, { noOldestCheck: true });
  assert.equal(monitorSnapshots(data, parsed, { now: NOW }).findings.length, 2);
});

Deno.test("latest is the highest createtxg, not the newest creation", () => {
  const a = { name: "prod_2025-01-01_daily", createTxg: 9n, creation: (NOW - 40 * HOUR) / 1000 };
  const b = { name: "prod_2025-01-09_daily", createTxg: 3n, creation: (NOW - HOUR) / 1000 };
  const [latest] = monitorDataset(ds("tank/t", b, a), ALERTS.slice(0, 1), { now: NOW });
  assert.equal(latest.snapshot, "prod_2025-01-01_daily");
  assert.equal(latest.level, "critical");
});

Deno.test("evaluateObservation: answers from a cache have no snapshot name", () => {
  const f = evaluateObservation(
    { dataset: "tank/c", alert: ALERTS[0], check: "latest", creation: (NOW - 30 * HOUR) / 1000 },
    { now: NOW },
  );
  assert.equal(
    f?.message,
    "--monitor_snapshots: Latest snapshot for tank/c@prod_<timestamp>_daily is 1.25d old but should be at most 1.17d old",
  );
  const ok = evaluateObservation(
    { dataset: "tank/c", alert: ALERTS[0], check: "latest", creation: (NOW - HOUR) / 1000 },
    { now: NOW },
  );
  assert.equal(
    ok?.message,
    "--monitor_snapshots: OK. Latest snapshot for tank/c@prod_<timestamp>_daily is 1h old",
  );
  assert.equal(
    evaluateObservation({ dataset: "tank/c", alert: ALERTS[1], check: "oldest", creation: 1 }, {
      now: NOW,
    }),
    undefined,
  );
});

Deno.test("worseFinding: critical > warning, then Latest before Oldest, then the smaller message", () => {
  const base = monitorDataset(ds("tank/z"), ALERTS, { now: NOW });
  const mk = (
    level: MonitorFinding["level"],
    check: MonitorFinding["check"],
    message: string,
    counted = true,
  ) => ({
    ...base[0],
    level,
    check,
    message,
    counted,
  });
  assert.equal(
    worseFinding(mk("warning", "latest", "a"), mk("critical", "oldest", "z"))?.level,
    "critical",
  );
  assert.equal(
    worseFinding(mk("critical", "oldest", "a"), mk("critical", "latest", "z"))?.check,
    "latest",
  );
  assert.equal(
    worseFinding(mk("warning", "latest", "b"), mk("warning", "latest", "a"))?.message,
    "a",
  );
  assert.equal(
    worseFinding(mk("warning", "latest", "a"), mk("warning", "latest", "b"))?.message,
    "a",
  );
  assert.equal(
    worseFinding(mk("critical", "latest", "a", false), mk("warning", "oldest", "b"))?.level,
    "warning",
  );
  assert.equal(worseFinding(mk("critical", "latest", "a", false), undefined), undefined);
  assert.equal(monitorAlertError({ worst: mk("ok", "latest", "x") }), undefined);
});

Deno.test("monitorDoneMessage", () => {
  assert.equal(
    monitorDoneMessage("tank/src --> tank/dst", { datasets: 4, tookMs: 12.5 }),
    "--monitor-snapshots done: tank/src --> tank/dst [4 datasets; took 12.5ms]",
  );
  assert.equal(
    monitorDoneMessage("a --> b", { datasets: 3, tookMs: 2500, cache: { hits: 1, misses: 2 } }),
    "--monitor-snapshots done: a --> b [3 datasets; took 2.5s, cache hits: 1/3=33.3%, misses: 2/3=66.7%]",
  );
  assert.equal(
    monitorDoneMessage("a --> b", { datasets: 0, tookMs: 0, cache: { hits: 0, misses: 0 } }),
    "--monitor-snapshots done: a --> b [0 datasets; took 0ms]",
  );
});
