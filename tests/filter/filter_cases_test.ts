/**
 * Differential cases for snapshot filter groups: random command-line sequences of
 * `--include-snapshot-regex`, `--exclude-snapshot-regex`, `--include-snapshot-times-and-ranks` and
 * `--new-snapshot-filter-group` over random snapshot/bookmark lists, with the expected selections
 * computed by an independent Python model of reference section 2 (Python `re` matching the
 * regexes): `fixtures/gen_filter_cases.py` wrote `fixtures/filter_cases.json`.
 */
import assert from "node:assert/strict";
import { filterSnapshots } from "../../lib/filter/filter_snapshots.ts";
import { SnapshotFilterBuilder } from "../../lib/filter/snapshot_filter.ts";

interface Case {
  snaps: string[];
  ops: [string, string[]?][];
  want: Record<string, number[]>;
}

const fixture = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/filter_cases.json", import.meta.url)),
) as { now: number; cases: Case[] };

function builderFor(ops: Case["ops"]): SnapshotFilterBuilder {
  let b = new SnapshotFilterBuilder();
  for (const [kind, values = []] of ops) {
    if (kind === "new") b = b.newGroup();
    else if (kind === "inc") b = b.addIncludeRegex(values, "--include-snapshot-regex");
    else if (kind === "exc") b = b.addExcludeRegex(values, "--exclude-snapshot-regex");
    else b = b.addTimesAndRanks(values, "--include-snapshot-times-and-ranks", { timeZone: "UTC" });
  }
  return b;
}

Deno.test("filterSnapshots agrees with the Python model on every fixture case", () => {
  assert.ok(fixture.cases.length >= 150);
  for (const [n, c] of fixture.cases.entries()) {
    const recs = c.snaps.map((s, i) => {
      const [name, creation] = s.slice(1).split(",");
      const kind = s[0] === "@" ? "snapshot" as const : "bookmark" as const;
      return { name, kind, creation: Number(creation), i };
    });
    const groups = builderFor(c.ops).build();
    for (const [key, want] of Object.entries(c.want)) {
      const got = filterSnapshots(recs, groups, {
        now: fixture.now,
        allExcept: key[0] === "1",
        filterBookmarks: key[1] === "1",
      }).map((r) => r.i);
      assert.deepEqual(got, want, `case ${n} (${key}): ${JSON.stringify(c.ops)}`);
    }
  }
});
