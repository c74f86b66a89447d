import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  DEFAULT_PERIOD_ANCHORS,
  type PeriodAnchors,
  periodAnchors,
  roundUp,
  roundUpWall,
} from "../../lib/lifecycle/period_anchors.ts";
import { parsePeriod, type Period } from "../../lib/plan/period.ts";

function period(label: string): Period {
  const p = parsePeriod(label);
  if (!p) throw new Error(`not periodic: ${label}`);
  return p;
}

/** [wall date-time, period, anchors, expected wall date-time] in a fixed -05:00 zone like upstream's tests. */
type WallCase = [string, string, Partial<PeriodAnchors>, string];

const WALL_CASES: WallCase[] = [
  // upstream's hourly examples (default anchor midnight)
  ["2024-11-29T14:00:00", "hourly", {}, "2024-11-29T14:00:00"],
  ["2024-11-29T14:05:01", "hourly", {}, "2024-11-29T15:00:00"],
  ["2024-11-29T15:05:01", "hourly", {}, "2024-11-29T16:00:00"],
  ["2024-11-29T23:55:01", "hourly", {}, "2024-11-30T00:00:00"],
  ["2024-11-29T14:05:01", "2hourly", {}, "2024-11-29T16:00:00"],
  ["2024-11-29T15:00:00", "2hourly", {}, "2024-11-29T16:00:00"],
  ["2024-11-29T16:00:00", "2hourly", {}, "2024-11-29T16:00:00"],
  ["2024-11-29T16:05:01", "2hourly", {}, "2024-11-29T18:00:00"],
  ["2024-11-29T23:55:01", "2hourly", {}, "2024-11-30T00:00:00"],
  // custom hourly anchor (:15:30) and an anchor after dt on the same day
  [
    "2025-02-11T14:20:00",
    "hourly",
    { hourly_minute: 15, hourly_second: 30 },
    "2025-02-11T15:15:30",
  ],
  [
    "2025-02-11T14:20:00",
    "2hourly",
    { hourly_minute: 15, hourly_second: 30 },
    "2025-02-11T16:15:30",
  ],
  [
    "2025-02-11T15:20:00",
    "2hourly",
    { hourly_minute: 15, hourly_second: 30 },
    "2025-02-11T16:15:30",
  ],
  ["2025-02-11T00:05:01", "hourly", { hourly_minute: 59 }, "2025-02-11T00:59:00"],
  ["2025-02-11T02:05:01", "hourly", { hourly_minute: 59 }, "2025-02-11T02:59:00"],
  // milliseconds, seconds, minutes
  ["2025-02-11T14:05:01.123456", "millisecondly", {}, "2025-02-11T14:05:01.124"],
  ["2025-02-11T14:05:01.123", "millisecondly", {}, "2025-02-11T14:05:01.123"],
  ["2025-02-11T14:05:01.123", "100millisecondly", {}, "2025-02-11T14:05:01.2"],
  [
    "2025-02-11T14:05:01.000500",
    "millisecondly",
    { millisecondly_microsecond: 500 },
    "2025-02-11T14:05:01.0005",
  ],
  ["2025-02-11T14:05:01.123456", "secondly", {}, "2025-02-11T14:05:02"],
  ["2025-02-11T14:05:01", "secondly", {}, "2025-02-11T14:05:01"],
  ["2025-02-11T14:05:01.600", "secondly", { secondly_millisecond: 500 }, "2025-02-11T14:05:02.5"],
  ["2025-02-11T14:05:01.5", "minutely", {}, "2025-02-11T14:06:00"],
  ["2025-02-11T14:05:00", "minutely", {}, "2025-02-11T14:05:00"],
  ["2025-02-11T14:05:01.5", "10minutely", {}, "2025-02-11T14:10:00"],
  ["2025-02-11T14:35:01.5", "10minutely", {}, "2025-02-11T14:40:00"],
  ["2025-02-11T14:40:00", "10minutely", {}, "2025-02-11T14:40:00"],
  ["2025-02-11T14:05:20", "minutely", { minutely_second: 30 }, "2025-02-11T14:05:30"],
  ["2025-02-11T00:00:10", "minutely", { minutely_second: 30 }, "2025-02-11T00:00:30"],
  ["2025-02-11T23:59:45", "15minutely", { minutely_second: 30 }, "2025-02-12T00:00:30"],
  // days
  ["2025-02-11T14:05:01", "daily", {}, "2025-02-12T00:00:00"],
  ["2025-02-11T00:00:00", "daily", {}, "2025-02-11T00:00:00"],
  ["2025-02-11T01:59:00", "daily", { daily_hour: 2 }, "2025-02-11T02:00:00"],
  ["2025-02-11T00:45:00", "daily", { daily_hour: 1, daily_minute: 30 }, "2025-02-11T01:30:00"],
  ["2025-02-11T01:45:00", "daily", { daily_hour: 1, daily_minute: 30 }, "2025-02-12T01:30:00"],
  ["2024-02-28T12:00:00", "daily", {}, "2024-02-29T00:00:00"], // leap day
  ["2025-12-31T23:59:59", "daily", {}, "2026-01-01T00:00:00"],
  ["2025-02-11T12:00:00", "2daily", {}, "2025-02-13T00:00:00"], // anchored at dt's own midnight
  // weeks (2025-02-11 is a Tuesday)
  ["2025-02-11T14:05:01", "weekly", { weekly_weekday: 6 }, "2025-02-15T00:00:00"],
  ["2025-02-11T14:05:01", "weekly", { weekly_weekday: 0 }, "2025-02-16T00:00:00"],
  ["2025-02-11T14:05:01", "weekly", { weekly_weekday: 1 }, "2025-02-17T00:00:00"],
  ["2025-02-15T00:00:00", "weekly", { weekly_weekday: 6 }, "2025-02-15T00:00:00"],
  ["2025-02-16T00:00:00", "weekly", {}, "2025-02-16T00:00:00"],
  ["2025-02-13T05:00:00", "weekly", { weekly_weekday: 2, weekly_hour: 3 }, "2025-02-18T03:00:00"],
  ["2025-02-11T02:00:00", "weekly", { weekly_weekday: 2, weekly_hour: 3 }, "2025-02-11T03:00:00"],
  // months
  ["2025-03-15T10:30:00", "2monthly", {}, "2025-05-01T00:00:00"],
  ["2025-04-15T10:30:00", "2monthly", {}, "2025-05-01T00:00:00"],
  ["2025-03-01T00:00:00", "2monthly", {}, "2025-03-01T00:00:00"],
  [
    "2025-04-20T10:00:00",
    "monthly",
    { monthly_monthday: 15, monthly_hour: 12 },
    "2025-05-15T12:00:00",
  ],
  [
    "2025-05-12T10:00:00",
    "2monthly",
    { monthly_monthday: 15, monthly_hour: 12 },
    "2025-05-15T12:00:00",
  ],
  [
    "2025-05-17T10:00:00",
    "2monthly",
    { monthly_monthday: 15, monthly_hour: 12 },
    "2025-07-15T12:00:00",
  ],
  [
    "2025-02-15T10:00:00",
    "monthly",
    { monthly_monthday: 31, monthly_hour: 12 },
    "2025-02-28T12:00:00",
  ],
  ["2024-02-15T10:00:00", "monthly", { monthly_monthday: 31 }, "2024-02-29T00:00:00"], // leap year
  ["2024-02-29T00:00:01", "monthly", { monthly_monthday: 31 }, "2024-03-31T00:00:00"], // clamps per month
  ["2025-04-15T10:00:00", "monthly", { monthly_monthday: 31 }, "2025-04-30T00:00:00"],
  ["2025-04-30T00:00:00", "3monthly", { monthly_monthday: 31 }, "2025-04-30T00:00:00"],
  ["2025-01-15T10:00:00", "monthly", { monthly_month: 3 }, "2025-02-01T00:00:00"],
  [
    "2025-03-15T10:00:00",
    "2monthly",
    { monthly_month: 4, monthly_monthday: 2 },
    "2025-04-02T00:00:00",
  ],
  [
    "2025-12-15T10:00:00",
    "2monthly",
    { monthly_month: 4, monthly_monthday: 2 },
    "2026-02-02T00:00:00",
  ],
  ["2025-11-05T10:00:00", "3monthly", {}, "2026-01-01T00:00:00"],
  ["2025-01-20T10:00:00", "4monthly", { monthly_month: 11 }, "2025-03-01T00:00:00"],
  ["2025-03-15T10:00:00", "3monthly", { monthly_month: 11 }, "2025-05-01T00:00:00"],
  [
    "2025-03-03T12:00:00",
    "monthly",
    { monthly_month: 9, monthly_monthday: 10 },
    "2025-03-10T00:00:00",
  ],
  ["2025-11-30T02:00:00.000001", "2monthly", {
    monthly_month: 11,
    monthly_monthday: 30,
    monthly_hour: 2,
  }, "2026-01-30T02:00:00"],
  ["2025-10-05T06:07:07", "monthly", {
    monthly_month: 10,
    monthly_monthday: 5,
    monthly_hour: 6,
    monthly_minute: 7,
    monthly_second: 8,
  }, "2025-10-05T06:07:08"],
  ["2025-05-15T10:00:00", "14monthly", {}, "2026-03-01T00:00:00"],
  // years
  ["2024-02-11T14:05:00", "2yearly", {}, "2025-01-01T00:00:00"],
  ["2025-02-11T14:05:00", "2yearly", {}, "2027-01-01T00:00:00"],
  ["2025-01-01T00:00:00", "2yearly", {}, "2025-01-01T00:00:00"],
  [
    "2024-03-15T10:00:00",
    "yearly",
    { yearly_month: 6, yearly_monthday: 30, yearly_hour: 2 },
    "2024-06-30T02:00:00",
  ],
  [
    "2024-03-15T10:00:00",
    "2yearly",
    { yearly_month: 6, yearly_monthday: 30, yearly_hour: 2 },
    "2025-06-30T02:00:00",
  ],
  ["2026-06-15T10:00:00", "3yearly", {}, "2028-01-01T00:00:00"],
  ["2028-02-01T12:00:00", "3yearly", {}, "2031-01-01T00:00:00"],
  [
    "2025-08-01T10:00:00",
    "2yearly",
    { yearly_year: 2024, yearly_month: 7, yearly_monthday: 4 },
    "2026-07-04T00:00:00",
  ],
  [
    "2026-07-04T00:00:01",
    "2yearly",
    { yearly_year: 2024, yearly_month: 7, yearly_monthday: 4 },
    "2028-07-04T00:00:00",
  ],
  [
    "2025-03-01T10:00:00",
    "yearly",
    { yearly_month: 2, yearly_monthday: 29 },
    "2026-02-28T00:00:00",
  ],
  [
    "2028-01-15T10:00:00",
    "yearly",
    { yearly_month: 2, yearly_monthday: 29 },
    "2028-02-29T00:00:00",
  ],
  [
    "2028-03-01T10:00:00",
    "yearly",
    { yearly_month: 2, yearly_monthday: 29 },
    "2029-02-28T00:00:00",
  ],
  ["2024-05-15T10:00:00", "2yearly", { yearly_year: 2051 }, "2025-01-01T00:00:00"],
  ["2024-05-15T10:00:00", "2yearly", { yearly_year: 2050 }, "2026-01-01T00:00:00"],
  ["2025-01-01T00:00:00.000001", "3yearly", { yearly_year: 2022 }, "2028-01-01T00:00:00"],
];

Deno.test("roundUpWall: upstream's calendar rules, month ends, leap years", () => {
  for (const [dt, label, anchors, expected] of WALL_CASES) {
    const got = roundUpWall(Temporal.PlainDateTime.from(dt), period(label), { anchors });
    assert.equal(
      got.toString(),
      Temporal.PlainDateTime.from(expected).toString(),
      `${dt} ${label} ${JSON.stringify(anchors)}`,
    );
  }
});

Deno.test("roundUp in a fixed-offset zone equals the wall rule", () => {
  for (const [dt, label, anchors, expected] of WALL_CASES) {
    const instant = Temporal.PlainDateTime.from(dt).toZonedDateTime("-05:00").toInstant();
    const got = roundUp(instant, period(label), { anchors, timeZone: "-05:00" });
    assert.equal(
      got.toPlainDateTime().toString(),
      Temporal.PlainDateTime.from(expected).toString(),
      `${dt} ${label}`,
    );
    assert.equal(got.timeZoneId, "-05:00");
  }
});

/** [instant, period, zone, anchors, expected zoned date-time] */
type ZoneCase = [string, string, string, Partial<PeriodAnchors>, string];

const DST_CASES: ZoneCase[] = [
  // Europe/Vienna spring forward 2025-03-30 02:00 CET -> 03:00 CEST
  [
    "2025-03-30T00:30:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-03-30T03:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-03-30T01:00:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-03-30T03:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-03-30T01:00:01Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-03-30T04:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-03-29T23:30:00Z",
    "daily",
    "Europe/Vienna",
    {},
    "2025-03-31T00:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-03-29T23:30:00Z",
    "daily",
    "Europe/Vienna",
    { daily_hour: 2, daily_minute: 30 },
    "2025-03-30T03:30:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-03-27T12:00:00Z",
    "weekly",
    "Europe/Vienna",
    {},
    "2025-03-30T00:00:00+01:00[Europe/Vienna]",
  ],
  [
    "2025-03-30T00:59:59Z",
    "10minutely",
    "Europe/Vienna",
    {},
    "2025-03-30T03:00:00+02:00[Europe/Vienna]",
  ],
  // Europe/Vienna fall back 2025-10-26 03:00 CEST -> 02:00 CET (02:xx happens twice)
  [
    "2025-10-26T00:30:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-10-26T03:00:00+01:00[Europe/Vienna]",
  ],
  [
    "2025-10-26T01:30:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-10-26T03:00:00+01:00[Europe/Vienna]",
  ],
  [
    "2025-10-26T00:00:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-10-26T02:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-10-26T01:00:00Z",
    "hourly",
    "Europe/Vienna",
    {},
    "2025-10-26T02:00:00+01:00[Europe/Vienna]",
  ],
  [
    "2025-10-25T23:30:00Z",
    "hourly",
    "Europe/Vienna",
    { hourly_minute: 30 },
    "2025-10-26T01:30:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-10-26T00:10:00Z",
    "daily",
    "Europe/Vienna",
    { daily_hour: 2, daily_minute: 30 },
    "2025-10-26T02:30:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-10-25T12:00:00Z",
    "daily",
    "Europe/Vienna",
    {},
    "2025-10-26T00:00:00+02:00[Europe/Vienna]",
  ],
  [
    "2025-10-26T12:00:00Z",
    "daily",
    "Europe/Vienna",
    {},
    "2025-10-27T00:00:00+01:00[Europe/Vienna]",
  ],
  // America/New_York spring forward 2023-03-12 02:00 EST -> 03:00 EDT
  [
    "2023-03-12T06:30:00Z",
    "daily",
    "America/New_York",
    { daily_hour: 3 },
    "2023-03-12T03:00:00-04:00[America/New_York]",
  ],
  [
    "2023-03-12T06:30:00Z",
    "daily",
    "America/New_York",
    { daily_hour: 2 },
    "2023-03-12T03:00:00-04:00[America/New_York]",
  ],
  [
    "2023-03-12T07:00:00Z",
    "daily",
    "America/New_York",
    { daily_hour: 2 },
    "2023-03-13T02:00:00-04:00[America/New_York]",
  ],
  [
    "2023-03-12T06:30:00Z",
    "hourly",
    "America/New_York",
    {},
    "2023-03-12T03:00:00-04:00[America/New_York]",
  ],
  // America/New_York fall back 2024-11-03 02:00 EDT -> 01:00 EST
  [
    "2024-11-03T04:30:00Z",
    "daily",
    "America/New_York",
    { daily_hour: 1 },
    "2024-11-03T01:00:00-04:00[America/New_York]",
  ],
  [
    "2024-11-03T05:30:00Z",
    "daily",
    "America/New_York",
    { daily_hour: 1 },
    "2024-11-04T01:00:00-05:00[America/New_York]",
  ],
  [
    "2024-11-03T06:30:00Z",
    "hourly",
    "America/New_York",
    {},
    "2024-11-03T02:00:00-05:00[America/New_York]",
  ],
  [
    "2024-10-31T12:00:00Z",
    "monthly",
    "America/New_York",
    {},
    "2024-11-01T00:00:00-04:00[America/New_York]",
  ],
  [
    "2024-10-31T12:00:00Z",
    "yearly",
    "America/New_York",
    {},
    "2025-01-01T00:00:00-05:00[America/New_York]",
  ],
  // UTC and the epoch (a dataset without snapshots)
  ["1970-01-01T00:00:00Z", "hourly", "UTC", {}, "1970-01-01T00:00:00+00:00[UTC]"],
  ["1970-01-01T00:00:00.000001Z", "hourly", "UTC", {}, "1970-01-01T01:00:00+00:00[UTC]"],
  ["1970-01-01T00:00:00.000001Z", "hourly", "-07:00", {}, "1969-12-31T18:00:00-07:00[-07:00]"],
];

Deno.test("roundUp: DST transitions in Europe/Vienna and America/New_York use the wall clock", () => {
  for (const [at, label, zone, anchors, expected] of DST_CASES) {
    const got = roundUp(Temporal.Instant.from(at), period(label), { anchors, timeZone: zone });
    assert.equal(got.toString(), expected, `${at} ${label} ${zone} ${JSON.stringify(anchors)}`);
  }
});

Deno.test("roundUp: defaults, zero amount, invalid input", () => {
  const t = Temporal.Instant.from("2025-02-11T14:05:01.123456Z");
  assert.equal(
    roundUp(t, { amount: 1, unit: "hourly" }).toString(),
    "2025-02-11T15:00:00+00:00[UTC]",
  );
  assert.equal(roundUp(t, { amount: 0, unit: "hourly" }).toInstant().equals(t), true);
  assert.throws(() => roundUp(t, { amount: -1, unit: "hourly" }), RangeError);
  const wall = Temporal.PlainDateTime.from("2025-02-11T14:05:01");
  assert.equal(roundUpWall(wall, { amount: 0, unit: "monthly" }).toString(), wall.toString());
  assert.throws(
    () => roundUpWall(wall, { amount: 2, unit: "daily" }, { anchors: { daily_hour: 24 } }),
    UsageError,
  );
  assert.throws(() => roundUp(t, { amount: 1.5, unit: "daily" }), RangeError);
  assert.throws(
    () => roundUp(t, { amount: 1, unit: "daily" }, { timeZone: "Mars/Base" }),
    RangeError,
  );
});

Deno.test("periodAnchors: defaults and range checks name the option", () => {
  assert.deepEqual(periodAnchors(), DEFAULT_PERIOD_ANCHORS);
  assert.equal(periodAnchors({ weekly_weekday: 6 }).weekly_weekday, 6);
  assert.equal(periodAnchors({ yearly_year: 5 }).yearly_year, 5);
  const bad: [keyof PeriodAnchors, number][] = [
    ["yearly_year", 0],
    ["yearly_year", 10000],
    ["yearly_month", 13],
    ["monthly_monthday", 0],
    ["weekly_weekday", 7],
    ["daily_hour", 24],
    ["hourly_minute", -1],
    ["minutely_second", 60],
    ["secondly_millisecond", 1000],
    ["millisecondly_microsecond", 1.5],
  ];
  for (const [key, value] of bad) {
    assert.throws(() => periodAnchors({ [key]: value }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, new RegExp(`^--${key}: `));
      return true;
    });
  }
});
