import assert from "node:assert/strict";
import {
  parsePeriod,
  PERIOD_UNIT_MS,
  periodMilliseconds,
  snapshotNameMilliseconds,
} from "../../lib/plan/period.ts";

Deno.test("parsePeriod", () => {
  const cases: [string, unknown][] = [
    ["daily", { amount: 1, unit: "daily" }],
    ["10minutely", { amount: 10, unit: "minutely" }],
    ["2weekly", { amount: 2, unit: "weekly" }],
    ["100millisecondly", { amount: 100, unit: "millisecondly" }],
    ["yearly", { amount: 1, unit: "yearly" }],
    ["secondly", { amount: 1, unit: "secondly" }],
    ["adhoc", undefined],
    ["", undefined],
    ["0daily", undefined],
    ["01daily", undefined],
    ["-1daily", undefined],
    ["daily2", undefined],
    ["Daily", undefined],
    ["2 daily", undefined],
  ];
  for (const [label, want] of cases) assert.deepEqual(parsePeriod(label), want, label);
});

Deno.test("period durations", () => {
  assert.equal(PERIOD_UNIT_MS.monthly, Math.round(30.5 * 86_400_000));
  const cases: [string, number][] = [
    ["yearly", 31_536_000_000],
    ["monthly", 2_635_200_000],
    ["weekly", 604_800_000],
    ["daily", 86_400_000],
    ["2hourly", 7_200_000],
    ["10minutely", 600_000],
    ["secondly", 1000],
    ["millisecondly", 1],
    ["adhoc", 0],
  ];
  for (const [label, ms] of cases) assert.equal(periodMilliseconds(label), ms, label);
  assert.equal(snapshotNameMilliseconds("prod_onsite_2024-01-01_00:00:00_daily"), 86_400_000);
  assert.equal(snapshotNameMilliseconds("bzfs_2024_10minutely"), 600_000);
  assert.equal(snapshotNameMilliseconds("manual"), 0);
  assert.equal(snapshotNameMilliseconds("x_adhoc"), 0);
});
