import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { describePyValue, dictEntries, parsePlan } from "../../lib/plan/plan.ts";
import { PyFloat } from "../../lib/plan/python_literal.ts";

const OPT = "--include-snapshot-plan";

Deno.test("parsePlan flattens in dict order", () => {
  assert.deepEqual(
    parsePlan("{'prod':{'onsite':{'hourly':36,'daily':0,'adhoc':2},'':{'2weekly':3}}}", OPT),
    [
      { org: "prod", target: "onsite", period: "hourly", count: 36 },
      { org: "prod", target: "onsite", period: "daily", count: 0 },
      { org: "prod", target: "onsite", period: "adhoc", count: 2 },
      { org: "prod", target: "", period: "2weekly", count: 3 },
    ],
  );
  assert.deepEqual(parsePlan("{}", OPT), []);
  assert.deepEqual(parsePlan('{"prod": {}}', OPT), []);
  assert.deepEqual(parsePlan('{"prod": {"onsite": {}}}', OPT), []);
});

Deno.test("parsePlan errors name the option", () => {
  const cases: [string, RegExp][] = [
    ["{'prod': {'onsite': {'daily': -1}}}", /Period amount must be a non-negative integer: "-1"/],
    ["{'prod': {'onsite': {'daily': 1.0}}}", /Period amount must be a non-negative integer: "1"/],
    ["{'prod': {'onsite': {'daily': '7'}}}", /Period amount must be a non-negative integer: "'7'"/],
    ["{'prod': {'onsite': {'daily': True}}}", /non-negative integer: "True"/],
    ["{'prod': {'onsite': {'daily': None}}}", /non-negative integer: "None"/],
    ["{'prod': {'onsite': {'daily': [1]}}}", /non-negative integer: "\[\.\.\.\]"/],
    ["{'prod': {'onsite': {'daily': {}}}}", /non-negative integer: "\{\.\.\.\}"/],
    ["[1]", /Expected a dict for the plan/],
    ["{'prod': 1}", /Expected a dict for org 'prod'/],
    ["{'prod': {'onsite': 7}}", /Expected a dict for target 'onsite' of org 'prod'/],
    ["{1: {}}", /Keys must be strings in the plan/],
    ["{'prod': {'onsite': {7: 1}}}", /Keys must be strings/],
    ["prod", /Invalid Python literal/],
  ];
  for (const [text, msg] of cases) {
    assert.throws(() => parsePlan(text, OPT), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, OPT);
      assert.ok(e.message.startsWith(`${OPT}: `));
      assert.match(e.message, msg, `${text}: ${e.message}`);
      return true;
    });
  }
});

Deno.test("dictEntries and describePyValue", () => {
  const ctx = { option: OPT, text: "{}", where: "x" };
  assert.deepEqual(dictEntries(new Map([["a", 1]]), ctx), [["a", 1]]);
  assert.throws(() => dictEntries("a", ctx), /Expected a dict for x/);
  assert.equal(describePyValue(new PyFloat(2.5)), "2.5");
  assert.equal(describePyValue(false), "False");
  assert.equal(describePyValue("s"), "'s'");
});
