import assert from "node:assert/strict";
import { incrementalSendSteps } from "../../lib/replicate/incremental_steps.ts";
import type { SnapshotRecord } from "../../lib/zfs/types.ts";
import { guidsWithPrefix, pick, src, stepText } from "./_helpers.ts";

/** Steps for `specs` with the snapshots named `d*` selected, as short texts. */
function dailySteps(
  specs: string[],
  opts: { isResume?: boolean; forceConvertIToI?: boolean } = {},
): string[] {
  const c = src(...specs);
  return incrementalSendSteps(c, guidsWithPrefix(c, "d"), opts).map(stepText);
}

Deno.test("incrementalSendSteps: upstream example A skips an hourly then sends a run", () => {
  assert.deepEqual(dailySteps(["@d1,1", "@h1,2", "@d2,3", "@d3,4", "@d4,5"]), [
    "-i d1 d2",
    "-I d2 d4",
  ]);
});

Deno.test("incrementalSendSteps: upstream example B starts from an excluded common hourly", () => {
  assert.deepEqual(
    dailySteps(["@h0,1", "@m0,2", "@d1,3", "@h1,4", "@d2,5", "@d3,6", "@d4,7"]),
    ["-i h0 d1", "-i d1 d2", "-I d2 d4"],
  );
});

Deno.test("incrementalSendSteps: upstream example C has nothing selected after the start", () => {
  assert.deepEqual(dailySteps(["@h0,1", "@m0,2"]), []);
});

Deno.test("incrementalSendSteps: empty and single candidate lists give no steps", () => {
  assert.deepEqual(incrementalSendSteps([], new Set()), []);
  assert.deepEqual(dailySteps(["@d1,1"]), []);
  assert.deepEqual(dailySteps(["@h1,1"]), []);
});

Deno.test("incrementalSendSteps: a run of one is -i, a run of two or more is -I", () => {
  assert.deepEqual(dailySteps(["@d1,1", "@d2,2"]), ["-i d1 d2"]);
  assert.deepEqual(dailySteps(["@d1,1", "@d2,2", "@d3,3"]), ["-I d1 d3"]);
  assert.deepEqual(dailySteps(["@d1,1", "@d2,2", "@h1,3", "@d3,4", "@d4,5"]), [
    "-i d1 d2",
    "-i d2 d3",
    "-i d3 d4",
  ]);
});

Deno.test("incrementalSendSteps: toSnapshots of -I lists every delivered snapshot", () => {
  const c = src("@d1,1", "@d2,2", "@d3,3", "@d4,4");
  const steps = incrementalSendSteps(c, guidsWithPrefix(c, "d"));
  assert.deepEqual(steps, [{
    flag: "-I",
    from: c[0],
    to: c[3],
    toSnapshots: [c[1], c[2], c[3]],
  }]);
});

Deno.test("incrementalSendSteps: trailing excluded snapshots are not sent", () => {
  assert.deepEqual(dailySteps(["@d1,1", "@d2,2", "@d3,3", "@h1,4", "@h2,5"]), ["-I d1 d3"]);
});

Deno.test("incrementalSendSteps: a bookmark start never starts -I", () => {
  assert.deepEqual(dailySteps(["#d0,1", "@d1,2", "@d2,3", "@d3,4"]), [
    "-i #d0 d1",
    "-I d1 d3",
  ]);
});

Deno.test("incrementalSendSteps: bookmark start followed by an excluded snapshot (upstream case)", () => {
  const c = src("#h0,1", "@h1,2", "@d1,3", "@d2,4");
  for (const isResume of [false, true]) {
    for (const forceConvertIToI of [false, true]) {
      const steps = incrementalSendSteps(c, guidsWithPrefix(c, "d"), {
        isResume,
        forceConvertIToI,
      });
      assert.deepEqual(steps.map(stepText), ["-i #h0 d1", "-i d1 d2"]);
    }
  }
});

Deno.test("incrementalSendSteps: resume makes the first step a single -i", () => {
  assert.deepEqual(dailySteps(["@d1,1", "@d2,2", "@d3,3", "@d4,4"], { isResume: true }), [
    "-i d1 d2",
    "-I d2 d4",
  ]);
  assert.deepEqual(dailySteps(["@d1,1", "@h1,2", "@d2,3", "@d3,4"], { isResume: true }), [
    "-i d1 d2",
    "-i d2 d3",
  ]);
});

Deno.test("incrementalSendSteps: forceConvertIToI turns -I into a chain of -i", () => {
  assert.deepEqual(
    dailySteps(["@d1,1", "@h1,2", "@d2,3", "@d3,4", "@d4,5"], { forceConvertIToI: true }),
    ["-i d1 d2", "-i d2 d3", "-i d3 d4"],
  );
});

Deno.test("incrementalSendSteps: all selected is one -I from the start", () => {
  const c = src("@a,1", "@b,2", "@c,3", "@d,4", "@e,5");
  const all = new Set(c.map((r) => r.guid));
  assert.deepEqual(incrementalSendSteps(c, all).map(stepText), ["-I a e"]);
});

Deno.test("incrementalSendSteps: selected start with excluded tail and nothing else", () => {
  assert.deepEqual(dailySteps(["@d1,1", "@h1,2", "@h2,3"]), []);
});

/** Replays steps onto a destination holding the start: what ends up there. */
function apply(start: SnapshotRecord, steps: ReturnType<typeof incrementalSendSteps>): string[] {
  const out = [start.name];
  for (const s of steps) {
    assert.equal(s.from.name, out[out.length - 1], "each step starts at the destination's newest");
    assert.equal(s.toSnapshots[s.toSnapshots.length - 1], s.to);
    if (s.flag === "-i") assert.equal(s.toSnapshots.length, 1);
    out.push(...s.toSnapshots.map((x) => x.name));
  }
  return out;
}

function* series(maxLength: number): Generator<string> {
  for (let len = 0; len <= maxLength; len++) {
    for (let mask = 0; mask < 1 << len; mask++) {
      let s = "";
      for (let k = 0; k < len; k++) s += mask & (1 << k) ? "d" : "h";
      yield s;
    }
  }
}

Deno.test("incrementalSendSteps: every d/h series up to 9 delivers exactly the selected ones", () => {
  for (const pattern of series(9)) {
    if (pattern.length === 0) continue;
    const count = { d: 0, h: 0 };
    const c = src(...[...pattern].map((ch, k) => {
      const key = ch as "d" | "h";
      count[key]++;
      return `@${ch}${count[key]},${k + 1}`;
    }));
    const selected = guidsWithPrefix(c, "d");
    const expected = [
      c[0].name,
      ...c.slice(1).filter((r) => selected.has(r.guid)).map((r) => r.name),
    ];
    for (const isResume of [false, true]) {
      for (const forceConvertIToI of [false, true]) {
        const steps = incrementalSendSteps(c, selected, { isResume, forceConvertIToI });
        assert.deepEqual(
          apply(c[0], steps),
          expected,
          `${pattern} ${isResume} ${forceConvertIToI}`,
        );
        if (isResume && steps.length > 0) assert.equal(steps[0].toSnapshots.length, 1);
        if (forceConvertIToI) assert.ok(steps.every((s) => s.flag === "-i"));
      }
    }
  }
});

Deno.test("incrementalSendSteps: -I is used whenever two adjacent selected follow a delivered one", () => {
  const c = src("@d1,1", "@h1,2", "@d2,3", "@d3,4", "@d4,5");
  const steps = incrementalSendSteps(c, guidsWithPrefix(c, "d"));
  assert.equal(steps.length, 2);
  assert.equal(steps[1].from, pick(c, "d2"));
});
