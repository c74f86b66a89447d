import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  parseTimeRange,
  resolveTimeRange,
  timeRangesEqual,
  UNIX_TIME_INFINITY_SECS as INF,
} from "../../lib/filter/time_range.ts";

const OPT = "--include-snapshot-times-and-ranks";
const unix = (seconds: number) => ({ kind: "unix", seconds });
const ago = (ms: number) => ({ kind: "ago", ms });

Deno.test("parseTimeRange grammar", () => {
  const cases: [string, unknown][] = [
    ["*..*", null],
    ["anytime..anytime", null],
    [" anytime .. * ", null],
    ["notime", { lo: unix(0), hi: unix(0) }],
    ["0..0", { lo: unix(0), hi: unix(0) }],
    ["100..200", { lo: unix(100), hi: unix(200) }],
    ["200..100", { lo: unix(100), hi: unix(200) }],
    ["100..*", { lo: unix(100), hi: unix(INF) }],
    ["*..100", { lo: unix(0), hi: unix(100) }],
    ["7daysago..anytime", { lo: ago(7 * 86_400_000), hi: unix(INF) }],
    ["36 hours ago..1 hours ago", { lo: ago(36 * 3_600_000), hi: ago(3_600_000) }],
    ["40 mins ago..*", { lo: ago(2_400_000), hi: unix(INF) }],
    ["2024-01-01..2024-01-02", { lo: unix(1704067200), hi: unix(1704153600) }],
    ["2024-01-02..2024-01-01", { lo: unix(1704067200), hi: unix(1704153600) }],
    ["2024-10-05T14:48:55+02..anytime", { lo: unix(1728132535), hi: unix(INF) }],
    ["1..2..3", "error"],
  ];
  for (const [text, want] of cases) {
    if (want === "error") {
      assert.throws(() => parseTimeRange(text, OPT, { timeZone: "UTC" }), UsageError);
    } else {
      assert.deepEqual(parseTimeRange(text, OPT, { timeZone: "UTC" }), want, text);
    }
  }
});

Deno.test("parseTimeRange errors name the option and the bad part", () => {
  const cases: [string, RegExp][] = [
    ["anytime", /Invalid time range: Missing '\.\.' separator: "anytime"/],
    ["", /Missing '\.\.' separator: ""/],
    ["100", /Missing '\.\.' separator/],
    ["..*", /Invalid duration, Unix time, or ISO 8601 datetime: ""/],
    ["*..", /Invalid duration, Unix time, or ISO 8601 datetime: ""/],
    ["yesterday..*", /Invalid duration, Unix time, or ISO 8601 datetime: "yesterday"/],
    ["1 hour ago..*", /Invalid duration, Unix time, or ISO 8601 datetime: "1 hour ago"/],
    ["-5..*", /Invalid duration, Unix time, or ISO 8601 datetime: "-5"/],
    ["1.5..*", /Invalid duration, Unix time, or ISO 8601 datetime: "1.5"/],
    ["2024-02-30..*", /Invalid duration, Unix time, or ISO 8601 datetime: "2024-02-30"/],
    ["never..*", /Invalid duration/],
  ];
  for (const [text, msg] of cases) {
    assert.throws(() => parseTimeRange(text, OPT), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, OPT);
      assert.ok(e.message.startsWith(`${OPT}: `));
      assert.match(e.message, msg);
      return true;
    });
  }
});

Deno.test("resolveTimeRange uses ceil(now - duration) and swaps", () => {
  const now = 1_000_000_500; // ms
  assert.deepEqual(resolveTimeRange(null, now), [0, INF]);
  assert.deepEqual(resolveTimeRange(parseTimeRange("1secsago..*", OPT), now), [1_000_000, INF]);
  assert.deepEqual(resolveTimeRange(parseTimeRange("*..1secsago", OPT), now), [0, 1_000_000]);
  assert.deepEqual(
    resolveTimeRange(parseTimeRange("1 secs ago..2 secs ago", OPT), now),
    [999_999, 1_000_000],
  );
  assert.deepEqual(resolveTimeRange(parseTimeRange("600millisago..*", OPT), 10_000), [10, INF]);
  assert.deepEqual(resolveTimeRange(parseTimeRange("400millisago..*", OPT), 10_000), [10, INF]);
});

Deno.test("timeRangesEqual", () => {
  const p = (t: string) => parseTimeRange(t, OPT);
  assert.equal(timeRangesEqual(p("0..*"), p("0..anytime")), true);
  assert.equal(timeRangesEqual(p("1daysago..*"), p("24hoursago..*")), true);
  assert.equal(timeRangesEqual(p("1daysago..*"), p("86400..*")), false);
  assert.equal(timeRangesEqual(p("5..*"), p("6..*")), false);
  assert.equal(timeRangesEqual(null, null), true);
  assert.equal(timeRangesEqual(p("0..*"), null), false);
});

Deno.test("parseTimeRange reports a bad time zone as a UsageError", () => {
  assert.throws(() => parseTimeRange("2024-01-01..*", OPT, { timeZone: "Bogus/Zone" }), (e) => {
    assert.ok(e instanceof UsageError);
    assert.match(
      e.message,
      /Invalid time zone for ISO 8601 datetimes without an offset: "Bogus\/Zone"/,
    );
    return true;
  });
  // a zone is only needed for datetimes without an offset
  assert.ok(parseTimeRange("2024-01-01T00:00Z..*", OPT, { timeZone: "Bogus/Zone" }));
});
