import assert from "node:assert/strict";
import { bookmarkName, bookmarksForStep, periodMillis } from "../../lib/replicate/bookmarks.ts";
import { src } from "./_helpers.ts";

const H = 3_600_000;
const D = 24 * H;

Deno.test("periodMillis: plain and multiplied units", () => {
  const table: Array<[string, number]> = [
    ["p_t_2024-01-01_00:00:00_millisecondly", 1],
    ["p_t_2024-01-01_00:00:00_100millisecondly", 100],
    ["p_secondly", 1000],
    ["p_10minutely", 600_000],
    ["p_hourly", H],
    ["p_2hourly", 2 * H],
    ["p_daily", D],
    ["p_weekly", 7 * D],
    ["p_monthly", Math.round(30.5 * D)],
    ["p_yearly", 365 * D],
  ];
  for (const [name, ms] of table) assert.equal(periodMillis(name), ms, name);
});

Deno.test("periodMillis: no period -> 0", () => {
  for (
    const name of ["manual", "p_adhoc", "p_0hourly", "p_01hourly", "p_hourly2", "p_Hourly", "p_"]
  ) {
    assert.equal(periodMillis(name), 0, name);
  }
});

Deno.test("bookmarkName: guid inserted before the last _ suffix", () => {
  assert.equal(
    bookmarkName("bzfs_us-west_2024-11-06_08:30:05_hourly", "15813919022682057"),
    "bzfs_us-west_2024-11-06_08:30:05_15813919022682057_hourly",
  );
  assert.equal(bookmarkName("a_b", "7"), "a_7_b");
});

Deno.test("bookmarkName: names without _ get _guid appended", () => {
  assert.equal(bookmarkName("manual", "42"), "manual_42");
});

Deno.test("bookmarksForStep: none and empty give nothing", () => {
  assert.deepEqual(bookmarksForStep(src("@a_daily,1"), { policy: "none", isLast: true }), []);
  assert.deepEqual(bookmarksForStep([], { policy: "all", isLast: true }), []);
});

Deno.test("bookmarksForStep: all (the default) bookmarks everything", () => {
  const s = src("@a,1", "@b_adhoc,2");
  assert.deepEqual(bookmarksForStep(s), [
    { snapshot: s[0], name: "a_g1" },
    { snapshot: s[1], name: "b_g2_adhoc" },
  ]);
});

Deno.test("bookmarksForStep: hourly threshold, last target only when isLast", () => {
  const s = src("@a_daily,1", "@b_minutely,2", "@c_minutely,3");
  assert.deepEqual(bookmarksForStep(s, { policy: "hourly" }).map((b) => b.snapshot.name), [
    "a_daily",
  ]);
  assert.deepEqual(
    bookmarksForStep(s, { policy: "hourly", isLast: true }).map((b) => b.snapshot.name),
    ["a_daily", "c_minutely"],
  );
});

Deno.test("bookmarksForStep: the last target is not duplicated when it qualifies", () => {
  const s = src("@a_minutely,1", "@b_hourly,2");
  assert.deepEqual(
    bookmarksForStep(s, { policy: "hourly", isLast: true }).map((b) => b.snapshot.name),
    ["b_hourly"],
  );
});

Deno.test("bookmarksForStep: minutely and secondly thresholds", () => {
  const s = src("@a_secondly,1", "@b_minutely,2", "@c_100millisecondly,3");
  assert.deepEqual(bookmarksForStep(s, { policy: "minutely" }).map((b) => b.snapshot.name), [
    "b_minutely",
  ]);
  assert.deepEqual(bookmarksForStep(s, { policy: "secondly" }).map((b) => b.snapshot.name), [
    "a_secondly",
    "b_minutely",
  ]);
});
