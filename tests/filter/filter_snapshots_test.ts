import assert from "node:assert/strict";
import { filterSnapshots } from "../../lib/filter/filter_snapshots.ts";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";
import type { SnapshotRecord } from "../../lib/zfs/types.ts";

const TR = "--include-snapshot-times-and-ranks";
const INC = "--include-snapshot-regex";
const EXC = "--exclude-snapshot-regex";
const DAY = 86_400;
const NOW_S = 1_700_000_000;
const NOW = NOW_S * 1000;

/** Builds records from "@name,creation" / "#name,creation" strings, oldest first. */
function snaps(...specs: string[]): SnapshotRecord[] {
  return specs.map((s, i) => {
    const [name, creation] = s.slice(1).split(",");
    return {
      dataset: "tank/a",
      name,
      kind: s[0] === "@" ? "snapshot" : "bookmark",
      guid: String(1000 + i),
      createTxg: BigInt(i + 1),
      creation: Number(creation ?? i),
    };
  });
}

const names = (rs: readonly SnapshotRecord[]) =>
  rs.map((r) => (r.kind === "snapshot" ? "@" : "#") + r.name);
const b = () => new SnapshotFilterBuilder();

/** Ten daily snapshots s0 (oldest, 10 days ago) .. s9 (1 day ago). */
const TEN = snaps(...Array.from({ length: 10 }, (_, i) => `@s${i},${NOW_S - (10 - i) * DAY}`));

Deno.test("regex helper example from upstream's tests: bookmarks re-added", () => {
  const recs = snaps("@a1", "@b2", "@c3", "@keep", "#bookmark");
  const groups = b().addExcludeRegex([".*c.*"], EXC).addIncludeRegex(["a.*", "b2"], INC).build();
  assert.deepEqual(names(filterSnapshots(recs, groups, { now: NOW })), ["@a1", "@b2", "#bookmark"]);
});

Deno.test("times and ranks examples", () => {
  const cases: [string[], string[]][] = [
    [["notime", "latest 3"], ["@s7", "@s8", "@s9"]],
    [["notime", "oldest 2"], ["@s0", "@s1"]],
    [["notime", "latest 0"], []],
    [["*..*", "latest 3"], TEN.map((r) => `@${r.name}`)],
    [["4daysago..anytime", "latest 1"], ["@s6", "@s7", "@s8", "@s9"]],
    [["2daysago..anytime", "latest 4"], ["@s6", "@s7", "@s8", "@s9"]],
    [["notime", "oldest 50%"], ["@s0", "@s1", "@s2", "@s3", "@s4"]],
    [["notime", "oldest 25%"], ["@s0", "@s1"]], // 2.5 rounds to 2
    [["notime", "oldest 35%"], ["@s0", "@s1", "@s2", "@s3"]], // 3.5 rounds to 4
    [["notime", "all except latest 8"], ["@s0", "@s1"]],
    [["notime", "all except latest 80%"], ["@s0", "@s1"]],
    [["notime", "all except oldest 80%"], ["@s8", "@s9"]],
    [["notime", "latest 2..latest 4"], ["@s6", "@s7"]],
    [["notime", "latest 4..latest 2"], ["@s6", "@s7"]],
    [["notime", "oldest 1..oldest 3"], ["@s1", "@s2"]],
    [["notime", "latest 5", "oldest 2"], ["@s5", "@s6"]],
    [["notime", "latest 100"], TEN.map((r) => `@${r.name}`)],
    [[`${NOW_S - 9 * DAY}..${NOW_S - 7 * DAY}`], ["@s1", "@s2"]],
    [[`${NOW_S - 7 * DAY}..${NOW_S - 9 * DAY}`], ["@s1", "@s2"]],
    [["3 days ago..1 days ago"], ["@s7", "@s8"]],
    [["1 days ago..3 days ago"], ["@s7", "@s8"]],
    [["notime"], []],
  ];
  for (const [values, want] of cases) {
    const got = filterSnapshots(TEN, b().addTimesAndRanks(values, TR).build(), { now: NOW });
    assert.deepEqual(names(got), want, values.join(" "));
  }
});

Deno.test("rank ranges recount n among the snapshots kept by the previous range", () => {
  // first range keeps s0,s1 (by time) and s8,s9 (by rank): n = 4, so latest 50% = 2 by rank
  // plus s0,s1 again by time
  const values = [`0..${NOW_S - 8 * DAY}`, "latest 2", "latest 50%"];
  const got = filterSnapshots(TEN, b().addTimesAndRanks(values, TR).build(), { now: NOW });
  assert.deepEqual(names(got), ["@s0", "@s1", "@s8", "@s9"]);
});

Deno.test("ranks count only the snapshots reaching the step", () => {
  const recs = snaps("@a_daily", "@a_hourly", "@b_daily", "@b_hourly", "@c_daily", "@c_hourly");
  const groups = b().addIncludeRegex([".*_daily"], INC).addTimesAndRanks(["notime", "latest 2"], TR)
    .build();
  assert.deepEqual(names(filterSnapshots(recs, groups, { now: NOW })), ["@b_daily", "@c_daily"]);
  const reversed = b().addTimesAndRanks(["notime", "latest 2"], TR).addIncludeRegex(
    [".*_daily"],
    INC,
  )
    .build();
  assert.deepEqual(names(filterSnapshots(recs, reversed, { now: NOW })), ["@c_daily"]);
});

Deno.test("groups are unioned and input order is kept", () => {
  const recs = snaps("@h1", "@d1", "@h2", "@d2", "@h3", "@w1");
  const groups = b()
    .addIncludeRegex(["d.*"], INC).addTimesAndRanks(["notime", "latest 1"], TR)
    .newGroup()
    .addIncludeRegex(["h.*"], INC).addTimesAndRanks(["notime", "oldest 1"], TR)
    .build();
  assert.deepEqual(names(filterSnapshots(recs, groups, { now: NOW })), ["@h1", "@d2"]);
});

Deno.test("no filters select everything; an empty group list also", () => {
  const recs = snaps("@a", "#b", "@c");
  assert.deepEqual(names(filterSnapshots(recs, b().build(), { now: NOW })), ["@a", "#b", "@c"]);
  assert.deepEqual(names(filterSnapshots(recs, [], { now: NOW })), ["@a", "#b", "@c"]);
});

Deno.test("allExcept returns the complement, bookmarks still kept", () => {
  const recs = snaps("@a", "#bm", "@b", "@c");
  const groups = b().addIncludeRegex(["b"], INC).build();
  assert.deepEqual(names(filterSnapshots(recs, groups, { now: NOW, allExcept: true })), [
    "@a",
    "#bm",
    "@c",
  ]);
  const nothing = b().addIncludeRegex(["!.*"], INC).build();
  assert.deepEqual(names(filterSnapshots(recs, nothing, { now: NOW, allExcept: true })), [
    "@a",
    "#bm",
    "@b",
    "@c",
  ]);
});

Deno.test("filterBookmarks: regex and time apply to bookmarks, ranks count only snapshots", () => {
  const recs = snaps("#x_old,10", "@x1,20", "#y,30", "@x2,40", "#x_new,50");
  const regex = b().addIncludeRegex(["x.*"], INC).build();
  assert.deepEqual(names(filterSnapshots(recs, regex, { now: NOW, filterBookmarks: true })), [
    "#x_old",
    "@x1",
    "@x2",
    "#x_new",
  ]);
  const ranks = b().addTimesAndRanks(["45..*", "latest 1"], TR).build();
  assert.deepEqual(names(filterSnapshots(recs, ranks, { now: NOW, filterBookmarks: true })), [
    "@x2",
    "#x_new",
  ]);
  const time = b().addTimesAndRanks(["0..35"], TR).build();
  assert.deepEqual(names(filterSnapshots(recs, time, { now: NOW, filterBookmarks: true })), [
    "#x_old",
    "@x1",
    "#y",
  ]);
  // default mode: bookmarks skip filters and are always kept
  assert.deepEqual(names(filterSnapshots(recs, ranks, { now: NOW })), [
    "#x_old",
    "#y",
    "@x2",
    "#x_new",
  ]);
});

Deno.test("bookmarksAsSnapshots: bookmarks are ranked and filtered like snapshots", () => {
  const recs = snaps("#a", "#b", "#c");
  const groups = b().addTimesAndRanks(["notime", "latest 2"], TR).build();
  const opts = { now: NOW, bookmarksAsSnapshots: true };
  assert.deepEqual(names(filterSnapshots(recs, groups, opts)), ["#b", "#c"]);
  assert.deepEqual(names(filterSnapshots(recs, groups, { ...opts, allExcept: true })), ["#a"]);
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBuilder(rand: () => number, groups: number): SnapshotFilterBuilder {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  let builder = b();
  for (let g = 0; g < groups; g++) {
    builder = builder.newGroup();
    for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
      const kind = pick(["inc", "exc", "tr"]);
      if (kind === "inc") {
        builder = builder.addIncludeRegex([pick(["d.*", "h.*", ".*1", "!w.*"])], INC);
      } else if (kind === "exc") {
        builder = builder.addExcludeRegex([pick(["h.*", ".*2", "w.*"])], EXC);
      } else {
        const time = pick(["notime", "5daysago..*", "*..3daysago", "*..*"]);
        const rank = pick(["latest 2", "oldest 30%", "all except latest 1", "latest 1..latest 3"]);
        builder = builder.addTimesAndRanks([time, rank], TR);
      }
    }
  }
  return builder;
}

function randomSnaps(rand: () => number): SnapshotRecord[] {
  const n = Math.floor(rand() * 15);
  const specs: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rand() < 0.15 ? "#" : "@";
    const prefix = ["d", "h", "w"][Math.floor(rand() * 3)];
    specs.push(`${kind}${prefix}${i},${NOW_S - Math.floor(rand() * 10 * DAY)}`);
  }
  return snaps(...specs).sort((x, y) => Number(x.createTxg - y.createTxg));
}

Deno.test("property: union of groups equals the set union of each group, order kept", () => {
  const rand = rng(42);
  for (let iter = 0; iter < 300; iter++) {
    const recs = randomSnaps(rand);
    const groups = randomBuilder(rand, 1 + Math.floor(rand() * 3)).build();
    for (const filterBookmarks of [false, true]) {
      const opts = { now: NOW, filterBookmarks };
      const all = filterSnapshots(recs, groups, opts);
      const union = new Set<SnapshotRecord>();
      for (const g of groups) for (const r of filterSnapshots(recs, [g], opts)) union.add(r);
      assert.deepEqual(all, recs.filter((r) => union.has(r)), `iteration ${iter}`);
      // order preserved: output is a subsequence of the input
      const positions = all.map((r) => recs.indexOf(r));
      assert.deepEqual(positions, [...positions].sort((x, y) => x - y));
      // except-mode is the complement (bookmarks always kept unless filtered)
      const except = filterSnapshots(recs, groups, { ...opts, allExcept: true });
      for (const r of recs) {
        const keptBookmark = !filterBookmarks && r.kind === "bookmark";
        assert.equal(except.includes(r), keptBookmark || !all.includes(r));
        if (keptBookmark) assert.ok(all.includes(r));
      }
    }
  }
});
