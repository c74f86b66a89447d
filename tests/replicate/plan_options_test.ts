import assert from "node:assert/strict";
import { planReplication } from "../../lib/replicate/plan.ts";
import type { PlanReplicationOptions } from "../../lib/replicate/types.ts";
import {
  bms,
  divergedPair,
  DST,
  dst,
  full,
  guids,
  guidsWithPrefix,
  incr,
  input,
  SRC,
  src,
} from "./_helpers.ts";

const NB: PlanReplicationOptions = { createBookmarks: "none" };

// ---------------------------------------------------------------- nothing selected

function nothingSelected(dstRecs: ReturnType<typeof dst> | null, o: PlanReplicationOptions) {
  const s = src("@a,1", "@b,2");
  return planReplication(input(s, dstRecs, { selectedGuids: new Set() }), { ...NB, ...o });
}

Deno.test("plan: nothing selected, policy fail -> fail", () => {
  assert.deepEqual(nothingSelected(null, { skipMissingSnapshots: "fail" }), {
    kind: "fail",
    reason: "no-selected-snapshots",
    message:
      "Source dataset includes no snapshot: tank/a. Consider using --skip-missing-snapshots=dataset",
  });
});

Deno.test("plan: nothing selected, policy dataset (default), dst missing -> skip with descendants", () => {
  assert.deepEqual(nothingSelected(null, {}), {
    kind: "skip",
    reason: "no-selected-snapshots",
    message: "Skipping source dataset because it includes no snapshot: tank/a",
    skipDescendants: true,
  });
});

Deno.test("plan: nothing selected, policy dataset, dst exists -> skip, descendants go on", () => {
  const plan = nothingSelected(dst("@a,1"), { skipMissingSnapshots: "dataset" });
  assert.equal(plan.kind === "skip" && plan.skipDescendants, false);
});

Deno.test("plan: no source snapshot at all -> same policies", () => {
  const plan = planReplication(input([], null), { skipMissingSnapshots: "fail" });
  assert.equal(plan.kind, "fail");
});

Deno.test("plan: nothing selected, policy continue, dst missing -> nothing to do", () => {
  assert.deepEqual(nothingSelected(null, { skipMissingSnapshots: "continue" }), {
    kind: "up-to-date",
    actions: [],
    forceUsed: null,
  });
});

Deno.test("plan: nothing selected, policy continue, dst empty -> up-to-date", () => {
  assert.deepEqual(nothingSelected([], { skipMissingSnapshots: "continue" }), {
    kind: "up-to-date",
    actions: [],
    forceUsed: null,
  });
});

Deno.test("plan: nothing selected, continue, common exists -> up-to-date", () => {
  const plan = nothingSelected(dst("@a,1"), { skipMissingSnapshots: "continue" });
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

Deno.test("plan: nothing selected, continue, unrelated dst snapshots -> conflict without force", () => {
  const plan = nothingSelected(dst("@x,10"), { skipMissingSnapshots: "continue" });
  assert.equal(plan.kind === "conflict" && plan.conflict.type, "no-common-snapshot");
});

Deno.test("plan: nothing selected, continue, unrelated dst snapshots, --force -> destroy only", () => {
  const d = dst("@x,10");
  const plan = nothingSelected(d, { skipMissingSnapshots: "continue", force: true });
  assert.deepEqual(plan, {
    kind: "up-to-date",
    actions: [{ type: "destroyDstSnapshots", dataset: DST, snapshots: d }],
    forceUsed: {
      option: "--force",
      conflict: { type: "no-common-snapshot", srcDataset: SRC, dstDataset: DST, dstSnapshots: d },
    },
  });
});

Deno.test("plan: no snapshot selected but a source bookmark exists -> not skipped", () => {
  const s = src("#a,1");
  const plan = planReplication(input(s, dst("@a,1"), { selectedGuids: new Set() }));
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

// ---------------------------------------------------------------- --no-stream

Deno.test("plan: noStream, dst missing -> full send of the newest selected only", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  assert.deepEqual(planReplication(input(s, null), { ...NB, noStream: true }), {
    kind: "replicate",
    actions: [full(s[2])],
    forceUsed: null,
  });
});

Deno.test("plan: noStream with a common snapshot -> one -i to the newest selected", () => {
  const s = src("@a,1", "@b,2", "@c,3", "@d,4");
  const d = dst("@a,1");
  assert.deepEqual(planReplication(input(s, d), { ...NB, noStream: true }), {
    kind: "replicate",
    actions: [incr("-i", s[0], s[3])],
    forceUsed: null,
  });
});

Deno.test("plan: noStream skips excluded newest and targets the newest selected", () => {
  const s = src("@d1,1", "@d2,2", "@h1,3");
  const d = dst("@d1,1");
  const plan = planReplication(input(s, d, { selectedGuids: guidsWithPrefix(s, "d") }), {
    ...NB,
    noStream: true,
  });
  assert.deepEqual(plan, { kind: "replicate", actions: [incr("-i", s[0], s[1])], forceUsed: null });
});

Deno.test("plan: noStream from a bookmark origin", () => {
  const s = src("#a,1", "@b,2", "@c,3");
  const d = dst("@a,1");
  assert.deepEqual(planReplication(input(s, d), { ...NB, noStream: true }), {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2])],
    forceUsed: null,
  });
});

Deno.test("plan: noStream with the newest selected older than a common bookmark -> up-to-date", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@b,2");
  const plan = planReplication(input(s, d, { selectedGuids: guids(s, "a") }), {
    ...NB,
    noStream: true,
  });
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

// ---------------------------------------------------------------- bookmarks

Deno.test("plan: createBookmarks all bookmarks every delivered snapshot after its step", () => {
  const s = src("@d1,1", "@h1,2", "@d2,3", "@d3,4");
  const d = dst("@d1,1");
  const plan = planReplication(input(s, d, { selectedGuids: guidsWithPrefix(s, "d") }));
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2]), bms(s[2]), incr("-i", s[2], s[3]), bms(s[3])],
    forceUsed: null,
  });
});

Deno.test("plan: createBookmarks hourly keeps hourly+ periods and always the last target", () => {
  const s = src(
    "@p_2024_daily,1",
    "@p_2024_minutely,2",
    "@p_2024_2hourly,3",
    "@p_2024_minutely,4",
    "@p_2024_secondly,5",
  );
  const d = dst("@x,1");
  const plan = planReplication(input(s, d), { createBookmarks: "hourly" });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-I", s[0], s[4], s.slice(1)), bms(s[2], s[4])],
    forceUsed: null,
  });
});

Deno.test("plan: createBookmarks minutely after a full send always bookmarks the full send", () => {
  const s = src("@p_secondly,1", "@p_secondly,2", "@p_minutely,3", "@p_secondly,4");
  const plan = planReplication(
    input(s, null, { selectedGuids: guids(s, "p_minutely") }),
    { createBookmarks: "minutely" },
  );
  assert.deepEqual(plan, { kind: "replicate", actions: [full(s[2]), bms(s[2])], forceUsed: null });
});

Deno.test("plan: createBookmarks secondly skips an adhoc snapshot mid-step, bookmarks the last", () => {
  const s = src("@a_daily,1", "@b_adhoc,2", "@c_adhoc,3", "@d_secondly,4", "@e_adhoc,5");
  const d = dst("@a_daily,1");
  const plan = planReplication(input(s, d), { createBookmarks: "secondly" });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-I", s[0], s[4], s.slice(1)), bms(s[3], s[4])],
    forceUsed: null,
  });
});

Deno.test("plan: createBookmarks hourly with several steps bookmarks the last target only at the end", () => {
  const s = src("@a_hourly,1", "@x_minutely,2", "@b_minutely,3", "@c_minutely,4");
  const d = dst("@a_hourly,1");
  const plan = planReplication(
    input(s, d, { selectedGuids: guids(s, "a_hourly", "b_minutely", "c_minutely") }),
    { createBookmarks: "hourly" },
  );
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2]), incr("-i", s[2], s[3]), bms(s[3])],
    forceUsed: null,
  });
});

// ---------------------------------------------------------------- dry run

Deno.test("plan: dryrun send -> every send is logOnly and no bookmarks are planned", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(input(s, dst("@a,1")), { dryrun: "send" });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-I", s[0], s[2], [s[1], s[2]], true)],
    forceUsed: null,
  });
});

Deno.test("plan: dryrun recv, dst missing -> full send runs, later incrementals are logOnly (9.9)", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(input(s, null), { dryrun: "recv" });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [full(s[0]), incr("-i", s[0], s[1], [s[1]], true)],
    forceUsed: null,
  });
});

Deno.test("plan: dryrun recv, dst parent missing -> full send is logOnly too", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(input(s, null, { dstParentExists: false }), { dryrun: "recv" });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      full(s[0], { createAncestors: true, logOnly: true }),
      incr("-i", s[0], s[1], [s[1]], true),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: dryrun recv with --force destroy -> the full send is logOnly", () => {
  const s = src("@a,1");
  const d = dst("@x,10");
  const plan = planReplication(input(s, d), { dryrun: "recv", force: true });
  assert.equal(plan.kind, "replicate");
  assert.deepEqual(plan.kind === "replicate" && plan.actions[1], full(s[0], { logOnly: true }));
});

Deno.test("plan: dryrun recv after a dry rollback -r -> incrementals are logOnly", () => {
  const { s, d } = divergedPair();
  const plan = planReplication(input(s, d), { dryrun: "recv", force: true });
  assert.equal(plan.kind, "replicate");
  assert.deepEqual(
    plan.kind === "replicate" && plan.actions[1],
    incr("-I", s[0], s[2], [s[1], s[2]], true),
  );
});

Deno.test("plan: dryrun recv with a plain common snapshot -> incrementals really run with -n", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(input(s, dst("@a,1")), { dryrun: "recv" });
  assert.deepEqual(plan, { kind: "replicate", actions: [incr("-i", s[0], s[1])], forceUsed: null });
});
