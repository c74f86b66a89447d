import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  formatSnapshotName,
  labelKey,
  labelMatcher,
  matchesLabel,
  matchesLabelParts,
  type SnapshotLabel,
} from "../../lib/lifecycle/snapshot_names.ts";
import { strftime } from "../../lib/lifecycle/strftime.ts";
import { resolveTimeZone } from "../../lib/lifecycle/time_zone.ts";

const PROD_ONSITE_DAILY: SnapshotLabel = { org: "prod", target: "onsite", period: "daily" };

Deno.test("formatSnapshotName: formats, zones, empty target", () => {
  const t = Temporal.Instant.from("2024-09-03T12:26:15.123456Z");
  const cases: [SnapshotLabel, { timeformat?: string; timeZone?: string }, string][] = [
    [
      { org: "prod", target: "us-west", period: "daily" },
      { timeZone: "UTC" },
      "prod_us-west_2024-09-03_12:26:15_daily",
    ],
    [
      { org: "bzfs", target: "", period: "adhoc" },
      { timeZone: "UTC" },
      "bzfs_2024-09-03_12:26:15_adhoc",
    ],
    [PROD_ONSITE_DAILY, { timeZone: "Europe/Vienna" }, "prod_onsite_2024-09-03_14:26:15_daily"],
    [PROD_ONSITE_DAILY, { timeZone: "America/New_York" }, "prod_onsite_2024-09-03_08:26:15_daily"],
    [PROD_ONSITE_DAILY, { timeZone: "+0530" }, "prod_onsite_2024-09-03_17:56:15_daily"],
    [PROD_ONSITE_DAILY, { timeZone: "-0400" }, "prod_onsite_2024-09-03_08:26:15_daily"],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "UTC", timeformat: "%Y-%m-%d_%H:%M:%S.%f" },
      "prod_onsite_2024-09-03_12:26:15.123456_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "UTC", timeformat: "%Y-%m-%d_%H:%M:%S.%F" },
      "prod_onsite_2024-09-03_12:26:15.123_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "+0530", timeformat: "%Y%m%d%z" },
      "prod_onsite_20240903z0530_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "-0400", timeformat: "%Y%m%d%z" },
      "prod_onsite_20240903-0400_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "UTC", timeformat: "%Y%m%d%z" },
      "prod_onsite_20240903z0000_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "Europe/Vienna", timeformat: "%F_%H%M%Z" },
      "prod_onsite_2024-09-03_1426CEST_daily",
    ],
    [
      PROD_ONSITE_DAILY,
      { timeZone: "UTC", timeformat: "%y.%j.%a.%b" },
      "prod_onsite_24.247.Tue.Sep_daily",
    ],
  ];
  for (const [label, options, expected] of cases) {
    assert.equal(formatSnapshotName(label, t, options), expected, JSON.stringify(options));
  }
  assert.equal(
    formatSnapshotName(PROD_ONSITE_DAILY, t, { localTimeZone: "Europe/Vienna" }),
    "prod_onsite_2024-09-03_14:26:15_daily",
  );
});

Deno.test("formatSnapshotName: bad formats and zones name their option", () => {
  const t = Temporal.Instant.from("2024-09-03T12:26:15Z");
  const fmt: [string, RegExp][] = [
    ["%Y-%q", /^--create-src-snapshots-timeformat: Unsupported strftime directive/],
    ["%Y%", /^--create-src-snapshots-timeformat: Unsupported/],
    ["%Y/%m", /^--create-src-snapshots-timeformat: Invalid ZFS snapshot/],
    ["%Y %m", /^--create-src-snapshots-timeformat: Invalid ZFS snapshot/],
  ];
  for (const [timeformat, re] of fmt) {
    assert.throws(
      () => formatSnapshotName(PROD_ONSITE_DAILY, t, { timeformat, timeZone: "UTC" }),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, timeformat);
        assert.match(e.message, re);
        return true;
      },
    );
  }
  for (const timeZone of ["Mars/Olympus", "+2500", "+0575", "0530", "+5", "CEST+"]) {
    assert.throws(() => formatSnapshotName(PROD_ONSITE_DAILY, t, { timeZone }), (e: unknown) => {
      assert.ok(e instanceof UsageError, timeZone);
      assert.match(e.message, /^--create-src-snapshots-timezone: Invalid time zone/);
      return true;
    });
  }
});

Deno.test("strftime: every directive at a DST instant, a leap day and New Year", () => {
  const vienna = Temporal.ZonedDateTime.from("2025-10-26T02:30:00.000007+01:00[Europe/Vienna]"); // 2nd 02:30
  assert.equal(
    strftime(vienna, "%Y-%m-%d %H:%M:%S.%f %z %Z"),
    "2025-10-26 02:30:00.000007 +0100 CET",
  );
  const first = Temporal.ZonedDateTime.from("2025-10-26T02:30:00+02:00[Europe/Vienna]");
  assert.equal(strftime(first, "%H:%M %z %Z"), "02:30 +0200 CEST");
  const ny = Temporal.ZonedDateTime.from("2024-02-29T23:59:59-05:00[America/New_York]");
  assert.equal(
    strftime(ny, "%a %A %b %B %d %j %y %Z %%"),
    "Thu Thursday Feb February 29 060 24 EST %",
  );
  const nye = Temporal.ZonedDateTime.from("2024-12-31T12:00:00+00:00[UTC]");
  assert.equal(strftime(nye, "%F|%j|%Z|%z"), "2024-12-31|366|UTC|+0000");
  const kolkata = Temporal.ZonedDateTime.from("2024-01-01T00:00:00+05:30[+05:30]");
  assert.equal(strftime(kolkata, "%z %Z"), "+0530 UTC+05:30");
  const ms = Temporal.ZonedDateTime.from("2024-01-01T00:00:00.0456+00:00[UTC]");
  assert.equal(strftime(ms, "%S.%F"), "00.045");
  assert.equal(strftime(ms, "%F%S"), "2024-01-0100"); // %F not at the end is %Y-%m-%d
});

Deno.test("resolveTimeZone: accepted specs", () => {
  const cases: [string, string][] = [
    ["UTC", "UTC"],
    ["+0530", "+05:30"],
    ["-0400", "-04:00"],
    ["+05:30", "+05:30"],
    ["+0000", "+00:00"],
    ["Europe/Vienna", "Europe/Vienna"],
    ["America/New_York", "America/New_York"],
  ];
  for (const [spec, id] of cases) assert.equal(resolveTimeZone(spec), id, spec);
  assert.equal(resolveTimeZone("", { localTimeZone: "Asia/Tokyo" }), "Asia/Tokyo");
  assert.equal(typeof resolveTimeZone(""), "string");
});

Deno.test("matchesLabel ignores the timestamp; an empty target requires a year", () => {
  const empty: SnapshotLabel = { org: "prod", target: "", period: "daily" };
  const cases: [string, SnapshotLabel, boolean][] = [
    ["prod_onsite_2024-01-01_00:00:00_daily", PROD_ONSITE_DAILY, true],
    ["prod_onsite_whatever_daily", PROD_ONSITE_DAILY, true],
    ["prod_onsite_2024-01-01_00:00:00_hourly", PROD_ONSITE_DAILY, false],
    ["prod_onsite_2024-01-01_00:00:00_2daily", PROD_ONSITE_DAILY, false],
    ["prod_offsite_2024-01-01_00:00:00_daily", PROD_ONSITE_DAILY, false],
    ["test_onsite_2024-01-01_00:00:00_daily", PROD_ONSITE_DAILY, false],
    ["prod_onsite_daily", PROD_ONSITE_DAILY, false], // prefix and suffix overlap
    ["prod_2024-01-01_00:00:00_daily", empty, true],
    ["prod_onsite_2024-01-01_00:00:00_daily", empty, false],
    ["prod_0999-01-01_daily", empty, false],
    ["prod_daily", empty, false],
  ];
  for (const [name, label, expected] of cases) {
    assert.equal(matchesLabel(name, label), expected, name);
  }
  for (const [name, label, expected] of cases) {
    assert.equal(labelMatcher(label)(name), expected, `labelMatcher ${name}`);
  }
  assert.equal(labelKey(PROD_ONSITE_DAILY), "prod_onsite_<timestamp>_daily");
  assert.equal(labelKey(empty), "prod_<timestamp>_daily");
});

Deno.test("matchesLabelParts: the year is 1000-9999 right after the start, never in the suffix", () => {
  const cases: [string, string, string, boolean, boolean][] = [
    ["p_2024_d", "p_", "_d", true, true],
    ["p_1000x_d", "p_", "_d", true, true],
    ["p_0999_d", "p_", "_d", true, false],
    ["p_202_d", "p_", "_d", true, false],
    ["p_20a4_d", "p_", "_d", true, false],
    ["p_2024", "p_", "_2024", true, false], // the year would be the suffix itself
    ["p_t_x_d", "p_t_", "_d", false, true],
    ["p_t__d", "p_t_", "_d", false, true],
    ["p_t_d", "p_t_", "_d", false, false], // start and suffix overlap
    ["q_2024_d", "p_", "_d", true, false],
    ["p_2024_e", "p_", "_d", true, false],
  ];
  for (const [name, start, suffix, needsYear, expected] of cases) {
    assert.equal(matchesLabelParts(name, { start, suffix, needsYear }), expected, name);
  }
});
