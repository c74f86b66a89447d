import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  parseRankRange,
  rankIndex,
  ranksEqual,
  roundHalfEvenRatio,
} from "../../lib/filter/rank_range.ts";

const OPT = "--include-snapshot-times-and-ranks";
const r = (kind: string, num: number, percent = false) => ({ kind, num, percent });

Deno.test("parseRankRange normalises ranks into ranges", () => {
  const cases: [string, unknown][] = [
    ["latest 10", { lo: r("latest", 0), hi: r("latest", 10) }],
    ["latest10", { lo: r("latest", 0), hi: r("latest", 10) }],
    ["  oldest 5 ", { lo: r("oldest", 0), hi: r("oldest", 5) }],
    ["oldest 10%", { lo: r("oldest", 0), hi: r("oldest", 10, true) }],
    ["latest 100%", { lo: r("latest", 0), hi: r("latest", 100, true) }],
    ["all except latest 10", { lo: r("latest", 10), hi: r("latest", 100, true) }],
    ["allexceptoldest3", { lo: r("oldest", 3), hi: r("oldest", 100, true) }],
    ["all except latest 10%", { lo: r("oldest", 0), hi: r("oldest", 90, true) }],
    ["all except oldest 25%", { lo: r("latest", 0), hi: r("latest", 75, true) }],
    ["latest 2..latest 5", { lo: r("latest", 2), hi: r("latest", 5) }],
    ["oldest 10%..oldest 20", { lo: r("oldest", 10, true), hi: r("oldest", 20) }],
    ["latest 0", { lo: r("latest", 0), hi: r("latest", 0) }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseRankRange(text, OPT), want, text);
});

Deno.test("parseRankRange errors", () => {
  const cases: [string, RegExp][] = [
    ["newest 3", /Invalid rank format: "newest 3"/],
    ["latest -1", /Invalid rank format: "latest -1"/],
    ["latest", /Invalid rank format/],
    ["latest 1.5", /Invalid rank format/],
    ["Latest 1", /Invalid rank format/],
    ["", /Invalid rank format: ""/],
    ["latest 3 %%", /Invalid rank format/],
    ["oldest 101%", /Invalid rank: Percent must not be greater than 100: "oldest 101%"/],
    ["all except latest 200%", /Percent must not be greater than 100/],
    ["oldest 1..latest 3", /Ambiguous rank range: Must not compare oldest with latest/],
    ["all except latest 1..latest 3", /Invalid rank range: "all except latest 1\.\.latest 3"/],
    ["latest 1..all except latest 3", /Invalid rank range/],
    ["latest 1..", /Invalid rank format: ""/],
    ["latest 1..latest 2..latest 3", /Invalid rank format: "latest 2\.\.latest 3"/],
  ];
  for (const [text, msg] of cases) {
    assert.throws(() => parseRankRange(text, OPT), (e: unknown) => {
      assert.ok(e instanceof UsageError, text);
      assert.equal(e.option, OPT);
      assert.match(e.message, msg, e.message);
      return true;
    });
  }
});

Deno.test("roundHalfEvenRatio is Python round(), not Math.round", () => {
  const cases: [number, number, number][] = [
    [1, 2, 0],
    [3, 2, 2],
    [5, 2, 2],
    [7, 2, 4],
    [250, 100, 2],
    [350, 100, 4],
    [251, 100, 3],
    [249, 100, 2],
    [0, 100, 0],
    [150, 100, 2],
    [50, 100, 0],
  ];
  for (const [a, b, want] of cases) assert.equal(roundHalfEvenRatio(a, b), want, `${a}/${b}`);
});

Deno.test("rankIndex", () => {
  const cases: [ReturnType<typeof r>, number, number][] = [
    [r("latest", 3), 10, 7],
    [r("latest", 30), 10, 0],
    [r("oldest", 3), 10, 3],
    [r("oldest", 30), 10, 10],
    [r("oldest", 50, true), 5, 2],
    [r("oldest", 50, true), 7, 4],
    [r("latest", 50, true), 5, 3],
    [r("latest", 10, true), 5, 5],
    [r("latest", 100, true), 5, 0],
    [r("oldest", 0), 0, 0],
  ];
  for (const [rank, n, want] of cases) assert.equal(rankIndex(rank as never, n), want);
});

Deno.test("ranksEqual", () => {
  assert.equal(ranksEqual(r("latest", 0) as never, r("latest", 0) as never), true);
  assert.equal(ranksEqual(r("latest", 0) as never, r("latest", 0, true) as never), false);
  assert.equal(ranksEqual(r("latest", 0) as never, r("oldest", 0) as never), false);
});
