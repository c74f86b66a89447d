import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { planLabels } from "../../lib/lifecycle/create_plan.ts";
import { parsePlan, type PlanEntry } from "../../lib/plan/plan.ts";

const planOf = (dict: string): PlanEntry[] => parsePlan(dict, "--create-src-snapshots-plan");
const order = (dict: string) =>
  planLabels(planOf(dict)).map((l) => `${l.org}/${l.target}/${l.period}`);

Deno.test("planLabels: upstream's creation order", () => {
  const cases: [string, string[]][] = [
    [
      `{"zeta": {"": {"hourly": 1, "adhoc": 1}},
        "alpha": {"onsite": {"secondly": 1, "yearly": 1, "2weekly": 1, "weekly": 1, "monthly": 1, "daily": 0}},
        "beta": {"": {"hourly": 1, "100millisecondly": 1, "10minutely": 1}, "b": {"hourly": 1}}}`,
      [
        "alpha/onsite/yearly",
        "alpha/onsite/monthly",
        "alpha/onsite/2weekly",
        "alpha/onsite/weekly",
        "beta//hourly",
        "beta/b/hourly",
        "zeta//hourly",
        "beta//10minutely",
        "alpha/onsite/secondly",
        "beta//100millisecondly",
        "zeta//adhoc",
      ],
    ],
    // equal durations: period text descending
    [`{"p": {"": {"60minutely": 1, "hourly": 1}}}`, ["p//hourly", "p//60minutely"]],
    [`{"p": {"": {"24hourly": 1, "daily": 1}}}`, ["p//daily", "p//24hourly"]],
    [`{"p": {"": {"adhoc": 1, "manual": 1}}}`, ["p//manual", "p//adhoc"]],
    // org then target ascending, with the underscore appended ("a_" > "a-b_" because '_' > '-')
    [`{"a": {"": {"daily": 1}}, "a-b": {"": {"daily": 1}}}`, ["a-b//daily", "a//daily"]],
    [`{"p": {"x": {"daily": 1}, "": {"daily": 1}}}`, ["p//daily", "p/x/daily"]],
    [`{"bzfs": {"onsite": {"adhoc": 1}}}`, ["bzfs/onsite/adhoc"]],
    [`{}`, []],
    [`{"p": {"": {"daily": 0}}}`, []],
  ];
  for (const [dict, expected] of cases) assert.deepEqual(order(dict), expected, dict);
});

Deno.test("planLabels: a repeated entry replaces the earlier one (count 0 removes it)", () => {
  const e = (period: string, count: number): PlanEntry => ({ org: "p", target: "", period, count });
  assert.deepEqual(
    planLabels([e("daily", 1), e("hourly", 1), e("daily", 0)]).map((l) => l.period),
    ["hourly"],
  );
  assert.deepEqual(planLabels([e("daily", 0), e("daily", 2)]).map((l) => l.period), ["daily"]);
  assert.deepEqual(planLabels([]), []);
});

Deno.test("planLabels: validation names --create-src-snapshots-plan", () => {
  const bad: [string, RegExp][] = [
    [`{"p": {"": {"7hourly": 1}}}`, /divisor of 86400 seconds/],
    [`{"p": {"": {"7minutely": 1}}}`, /divisor of 86400 seconds/],
    [`{"p": {"": {"7secondly": 1}}}`, /divisor of 86400 seconds/],
    [`{"p": {"": {"25hourly": 1}}}`, /divisor of 86400 seconds/],
    [`{"p": {"": {"5monthly": 1}}}`, /divisor of 12 months/],
    [`{"p": {"": {"24monthly": 1}}}`, /divisor of 12 months/],
    [`{"my_org": {"": {"daily": 1}}}`, /Invalid org/],
    [`{"p": {"on_site": {"daily": 1}}}`, /Invalid target/],
    [`{"p": {"": {"my_daily": 1}}}`, /Invalid period/],
    [`{"p/q": {"": {"daily": 1}}}`, /Invalid ZFS snapshot/],
    [`{"p": {"a b": {"daily": 1}}}`, /Invalid ZFS snapshot/],
  ];
  for (const [dict, re] of bad) {
    assert.throws(() => planLabels(planOf(dict)), (e: unknown) => {
      assert.ok(e instanceof UsageError, dict);
      assert.match(e.message, /^--create-src-snapshots-plan: /, dict);
      assert.match(e.message, re, dict);
      return true;
    });
  }
  // count 0 entries are not validated (they create nothing), like upstream
  assert.deepEqual(
    order(
      `{"p": {"": {"7hourly": 0, "10minutely": 1, "2hourly": 1, "3monthly": 1, "12monthly": 1}}}`,
    ),
    [
      "p//12monthly",
      "p//3monthly",
      "p//2hourly",
      "p//10minutely",
    ],
  );
});
