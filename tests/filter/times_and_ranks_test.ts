import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { parseTimesAndRanks } from "../../lib/filter/times_and_ranks.ts";

const OPT = "--include-snapshot-times-and-ranks";

Deno.test("parseTimesAndRanks keeps ranks or falls back to a pure time operator", () => {
  const cases: [string[], string, number][] = [
    [["notime", "latest 10"], "timesAndRanks", 1],
    [["7daysago..anytime", "latest 3", "oldest 1"], "timesAndRanks", 2],
    [["notime"], "times", 0],
    [["*..*", "latest 3"], "times", 0],
    [["notime", "latest0"], "times", 0],
    [["notime", "latest 3", "latest 0"], "times", 0],
    [["notime", "oldest 2..oldest 2"], "times", 0],
    [["notime", "latest 0%"], "timesAndRanks", 1],
    [["notime", "all except latest 0"], "timesAndRanks", 1],
  ];
  for (const [values, type, ranks] of cases) {
    const op = parseTimesAndRanks(values, OPT);
    assert.equal(op.type, type, values.join(" "));
    assert.equal(op.type === "timesAndRanks" ? op.ranks.length : 0, ranks);
  }
  const op = parseTimesAndRanks(["*..*"], OPT);
  assert.ok(op.type === "times" && op.range === null);
});

Deno.test("parseTimesAndRanks errors", () => {
  assert.throws(() => parseTimesAndRanks([], OPT), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /^--include-snapshot-times-and-ranks: Missing time range/);
    return true;
  });
  assert.throws(() => parseTimesAndRanks(["latest 3"], OPT), /Missing '\.\.' separator/);
  assert.throws(() => parseTimesAndRanks(["notime", "oldest 1..latest 2"], OPT), /Ambiguous/);
});
