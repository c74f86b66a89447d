import assert from "node:assert/strict";
import {
  findMinMaxSnapshot,
  matchesAlertLabel,
  sortMonitorSnapshots,
} from "../../lib/monitor/monitor_match.ts";

const NO_INFIX = { prefix: "prod_", infix: "", suffix: "_daily" };
const INFIX = { prefix: "prod_", infix: "onsite_", suffix: "_hourly" };
const NO_SUFFIX = { prefix: "prod_", infix: "onsite_", suffix: "" };

Deno.test("matchesAlertLabel: prefix, infix, suffix, minimum length and the year rule", () => {
  const cases: [string, typeof NO_INFIX, boolean][] = [
    ["prod_2024-01-01_00:00:00_daily", NO_INFIX, true],
    ["prod_1999_daily", NO_INFIX, true],
    ["prod_0999_daily", NO_INFIX, false], // year must not start with 0
    ["prod_onsite_2024-01-01_daily", NO_INFIX, false], // has a target
    ["prod_2024_hourly", NO_INFIX, false],
    ["prod_202_daily", NO_INFIX, false],
    ["prod_daily", NO_INFIX, false], // too short
    ["test_2024_daily", NO_INFIX, false],
    ["prod_onsite_2024-01-01_hourly", INFIX, true],
    ["prod_onsite_x_hourly", INFIX, true], // with an infix the timestamp is not checked
    ["prod_onsite__hourly", INFIX, true], // exactly prefix+infix+suffix long is enough
    ["prod_onsite_hourly", INFIX, false],
    ["prod_offsite_2024_hourly", INFIX, false],
    ["prod_onsite_2024_adhoc", NO_SUFFIX, true],
    ["prod_onsite_", NO_SUFFIX, true],
  ];
  for (const [name, label, expected] of cases) {
    assert.equal(matchesAlertLabel(name, label), expected, name);
  }
});

Deno.test("sortMonitorSnapshots: createtxg, then creation, then name", () => {
  const s = (name: string, createTxg: bigint, creation: number) => ({ name, createTxg, creation });
  const sorted = sortMonitorSnapshots([
    s("d", 2n, 5),
    s("c", 2n, 5),
    s("b", 2n, 4),
    s("a", 3n, 1),
    s("e", 1n, 9),
  ]);
  assert.deepEqual(sorted.map((x) => x.name), ["e", "b", "c", "d", "a"]);
});

Deno.test("findMinMaxSnapshot: latest/oldest among matches; holds skipped only for oldest with skipHolds", () => {
  const s = (name: string, n: number, userrefs?: number) => ({
    name,
    createTxg: BigInt(n),
    creation: n,
    userrefs,
  });
  const snaps = [
    s("prod_2024_daily", 1, 2),
    s("other", 2),
    s("prod_2025_daily", 3),
    s("prod_2026_daily", 4, 1),
    s("prod_onsite_2027_daily", 5),
  ];
  const alert = { ...NO_INFIX, oldestSkipHolds: true };
  assert.equal(findMinMaxSnapshot(snaps, { alert, check: "latest" })?.name, "prod_2026_daily");
  assert.equal(findMinMaxSnapshot(snaps, { alert, check: "oldest" })?.name, "prod_2025_daily");
  const keep = { ...NO_INFIX, oldestSkipHolds: false };
  assert.equal(
    findMinMaxSnapshot(snaps, { alert: keep, check: "oldest" })?.name,
    "prod_2024_daily",
  );
  assert.equal(
    findMinMaxSnapshot([...snaps].reverse(), { alert: keep, check: "latest" })?.name,
    "prod_2026_daily",
  );
  assert.equal(
    findMinMaxSnapshot([s("prod_2024_daily", 1, 1)], { alert, check: "oldest" }),
    undefined,
  );
  assert.equal(findMinMaxSnapshot([], { alert, check: "latest" }), undefined);
});
