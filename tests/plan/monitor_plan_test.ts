import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { ALERT_NEVER_MS as NEVER, parseMonitorPlan } from "../../lib/plan/monitor_plan.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

Deno.test("parseMonitorPlan: thresholds extended by cycles periods", () => {
  const plan =
    `{"prod": {"onsite": {"hourly": {"latest": {"warning": "30 minutes", "critical": "300 minutes"}}},
    "": {"daily": {"latest": {"warning": "4 hours", "critical": "8 hours"}}}}}`;
  assert.deepEqual(parseMonitorPlan(plan), [
    {
      prefix: "prod_",
      infix: "",
      suffix: "_daily",
      latest: { warningMs: 28 * HOUR, criticalMs: 32 * HOUR },
      oldest: undefined,
      oldestSkipHolds: false,
    },
    {
      prefix: "prod_",
      infix: "onsite_",
      suffix: "_hourly",
      latest: { warningMs: 90 * MIN, criticalMs: 360 * MIN },
      oldest: undefined,
      oldestSkipHolds: false,
    },
  ]);
});

Deno.test("parseMonitorPlan: cycles, missing levels, skip holds, unit-less periods", () => {
  const [a] = parseMonitorPlan(
    "{'p': {'t': {'hourly': {'oldest': {'warning': '2 days', 'cycles': 3, 'oldest_skip_holds': True}}}}}",
  );
  assert.deepEqual(a.oldest, { warningMs: 2 * DAY + 3 * HOUR, criticalMs: NEVER });
  assert.equal(a.oldestSkipHolds, true);
  assert.equal(a.latest, undefined);
  const [b] = parseMonitorPlan("{'p': {'t': {'adhoc': {'latest': {'critical': '1 hours'}}}}}");
  assert.deepEqual(b.latest, { warningMs: NEVER, criticalMs: HOUR });
  const [c] = parseMonitorPlan(
    "{'p': {'t': {'daily': {'latest': {'critical': '1 hours', 'cycles': -5}}}}}",
  );
  assert.deepEqual(c.latest, { warningMs: NEVER, criticalMs: HOUR });
  const [d] = parseMonitorPlan(
    "{'p': {'t': {'daily': {'latest': {'critical': '1 hours', 'cycles': '0'}}}}}",
  );
  assert.deepEqual(d.latest, { warningMs: NEVER, criticalMs: HOUR });
  const [e] = parseMonitorPlan("{'p': {'': {'': {'latest': {'warning': '1 hours'}}}}}");
  assert.deepEqual([e.prefix, e.infix, e.suffix], ["p_", "", ""]);
  const [f] = parseMonitorPlan(
    "{'p': {'t': {'daily': {'latest': {'warning': '0 secs', 'critical': '2 days', 'cycles': 2.9}}}}}",
  );
  assert.deepEqual(f.latest, { warningMs: NEVER, criticalMs: 4 * DAY });
});

Deno.test("parseMonitorPlan: nothing to monitor", () => {
  assert.deepEqual(parseMonitorPlan("{}"), []);
  assert.deepEqual(parseMonitorPlan("{'p': {'t': {'daily': {'latest': {}}}}}"), []);
  assert.deepEqual(
    parseMonitorPlan("{'p': {'t': {'daily': {'latest': {'warning': '0 hours'}}}}}"),
    [],
  );
  const both =
    "{'p': {'t': {'daily': {'latest': {'warning': '1 hours'}, 'oldest': {'warning': '9 days'}}}}}";
  assert.equal(parseMonitorPlan(both, { noLatestCheck: true })[0].latest, undefined);
  assert.ok(parseMonitorPlan(both, { noLatestCheck: true })[0].oldest);
  assert.deepEqual(parseMonitorPlan(both, { noLatestCheck: true, noOldestCheck: true }), []);
});

Deno.test("parseMonitorPlan: order is longest period first, then label descending", () => {
  const plan =
    `{"a": {"x": {"hourly": {"latest": {"warning": "1 hours"}}, "daily": {"latest": {"warning": "1 hours"}}},
    "y": {"hourly": {"latest": {"warning": "1 hours"}}}}, "b": {"x": {"adhoc": {"latest": {"warning": "1 hours"}}}}}`;
  assert.deepEqual(
    parseMonitorPlan(plan).map((a) => a.prefix + a.infix + a.suffix),
    ["a_x__daily", "a_y__hourly", "a_x__hourly", "b_x__adhoc"],
  );
});

Deno.test("parseMonitorPlan errors", () => {
  const cases: [string, RegExp][] = [
    ["{'p': {'t': {'daily': {'newest': {}}}}}", /Alert type 'newest' must be 'latest' or 'oldest'/],
    [
      "{'p': {'t': {'daily': {'latest': {'warn': '1 hours'}}}}}",
      /Key 'warn' must be 'warning', 'critical' or 'cycles'/,
    ],
    [
      "{'p': {'t': {'daily': {'latest': {'oldest_skip_holds': True}}}}}",
      /Key 'oldest_skip_holds' must be 'warning'/,
    ],
    [
      "{'p': {'t': {'daily': {'oldest': {'oldest_skip_holds': 'yes'}}}}}",
      /Key 'oldest_skip_holds' must be a bool/,
    ],
    [
      "{'p': {'t': {'daily': {'latest': {'warning': '1 hour'}}}}}",
      /Invalid duration format: 1 hour within plan/,
    ],
    [
      "{'p': {'t': {'daily': {'latest': {'warning': 5}}}}}",
      /Invalid duration format: 5 within plan/,
    ],
    [
      "{'p': {'t': {'daily': {'latest': {'warning': 1.5}}}}}",
      /Invalid duration format: 1\.5 within plan/,
    ],
    ["{'p': {'t': {'daily': {'latest': {'cycles': 'x'}}}}}", /Key 'cycles' must be an integer/],
    ["{'p': {'t': {'daily': {'latest': {'cycles': None}}}}}", /Key 'cycles' must be an integer/],
    ["{'p': {'t': {'daily': {'latest': 7}}}}", /Expected a dict for 'latest' of period 'daily'/],
    ["{'p': {'t': {'daily': 7}}}", /Expected a dict for period 'daily'/],
    ["{'p'", /Invalid Python literal/],
  ];
  for (const [text, msg] of cases) {
    assert.throws(() => parseMonitorPlan(text), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, "--monitor-snapshots");
      assert.match(e.message, /^--monitor-snapshots: /);
      assert.match(e.message, msg, `${text}: ${e.message}`);
      return true;
    });
  }
  assert.deepEqual(
    parseMonitorPlan(
      "{'p': {'t': {'daily': {'latest': {'cycles': True, 'warning': '1 hours'}}}}}",
    )[0].latest,
    {
      warningMs: HOUR + DAY,
      criticalMs: NEVER,
    },
  );
});

Deno.test("parseMonitorPlan names another option when asked", () => {
  assert.throws(
    () =>
      parseMonitorPlan("{'p': {'t': {'daily': {'x': {}}}}}", { option: "--monitor-snapshot-plan" }),
    /^UsageError: --monitor-snapshot-plan: Alert type 'x'|--monitor-snapshot-plan: Alert type 'x'/,
  );
  assert.throws(
    () =>
      parseMonitorPlan("{'p': {'t': {'daily': {'latest': {'warning': 'x'}}}}}", { option: "--m" }),
    /--m: Invalid duration format: x within plan/,
  );
});
