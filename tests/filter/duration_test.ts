import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { DURATION_UNIT_MS, parseDuration, parseDurationAgo } from "../../lib/filter/duration.ts";

Deno.test("parseDuration accepts upstream's grammar", () => {
  const cases: [string, number][] = [
    ["600 seconds", 600_000],
    ["90mins", 5_400_000],
    ["0secs", 0],
    ["5 milliseconds", 5],
    ["7millis", 7],
    ["2 minutes", 120_000],
    ["3hours", 10_800_000],
    ["1 days", 86_400_000],
    ["2 weeks", 1_209_600_000],
    ["1 months", 2_635_200_000],
    ["2months", 5_270_400_000],
    ["1 years", 31_536_000_000],
    ["4  \t hours", 14_400_000],
    ["007secs", 7000],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text, "--daemon-lifetime"), ms, text);
});

Deno.test("parseDuration rejects everything else with the option named", () => {
  const bad = [
    "1.5 hours",
    "-5 seconds",
    "+5 seconds",
    "5 s",
    "hour",
    "1 hour",
    "1 second",
    "1 day",
    "1 week",
    "1 month",
    "1 year",
    "1 minute",
    "1 millisecond",
    "1 min",
    "1 sec",
    "5secondly",
    " 5 secs",
    "5 secs ",
    "5 secs ago",
    "",
    "secs",
    "5 SECS",
    "5 Secs",
    "1e3 secs",
    "0x10 secs",
    "٥ secs",
  ];
  for (const text of bad) {
    assert.throws(() => parseDuration(text, "--daemon-lifetime"), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, "--daemon-lifetime");
      assert.equal(e.value, text);
      assert.match(e.message, /^--daemon-lifetime: Invalid duration format: /);
      assert.match(e.hint ?? "", /milliseconds, millis, seconds/);
      return true;
    });
  }
});

Deno.test("parseDuration rejects numbers that cannot be exact", () => {
  assert.throws(() => parseDuration("99999999999999999999 years", "--x"), /Duration is too large/);
});

Deno.test("parseDurationAgo", () => {
  assert.equal(parseDurationAgo("36hoursago", "--x"), 36 * 3_600_000);
  assert.equal(parseDurationAgo("40 mins ago", "--x"), 2_400_000);
  assert.equal(parseDurationAgo("12weeks ago", "--x"), 12 * 7 * 86_400_000);
  assert.equal(parseDurationAgo("40 mins", "--x"), undefined);
  assert.equal(parseDurationAgo("2024-01-01", "--x"), undefined);
  assert.equal(parseDurationAgo("1 hour ago", "--x"), undefined);
});

Deno.test("DURATION_UNIT_MS has exactly upstream's units", () => {
  assert.deepEqual(Object.keys(DURATION_UNIT_MS), [
    "milliseconds",
    "millis",
    "seconds",
    "secs",
    "minutes",
    "mins",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
  ]);
});
