import assert from "node:assert/strict";
import { planReplication } from "../../lib/replicate/plan.ts";
import type { PlanReplicationOptions, ReplicationPlan } from "../../lib/replicate/types.ts";
import {
  bms,
  DST,
  dst,
  full,
  guids,
  guidsWithPrefix,
  incr,
  input,
  pick,
  SRC,
  src,
} from "./_helpers.ts";

const NB: PlanReplicationOptions = { createBookmarks: "none" };

// ---------------------------------------------------------------- full send

Deno.test("plan: dst missing -> full send of the oldest, then -I to the newest, bookmarked", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  assert.deepEqual(planReplication(input(s, null)), {
    kind: "replicate",
    actions: [full(s[0]), bms(s[0]), incr("-I", s[0], s[2], [s[1], s[2]]), bms(s[1], s[2])],
    forceUsed: null,
  });
});

Deno.test("plan: dst missing with a single snapshot -> full send only", () => {
  const s = src("@a,1");
  assert.deepEqual(planReplication(input(s, null), NB), {
    kind: "replicate",
    actions: [full(s[0])],
    forceUsed: null,
  });
});

Deno.test("plan: dst exists but is empty -> full send, no ancestors to create", () => {
  const s = src("@a,1", "@b,2");
  assert.deepEqual(planReplication(input(s, []), NB), {
    kind: "replicate",
    actions: [full(s[0]), incr("-i", s[0], s[1])],
    forceUsed: null,
  });
});

Deno.test("plan: dst and its parent missing -> full send creates ancestors", () => {
  const s = src("@a,1");
  const plan = planReplication(input(s, null, { dstParentExists: false }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [full(s[0], { createAncestors: true })],
    forceUsed: null,
  });
});

Deno.test("plan: full send of the oldest SELECTED snapshot, excluded ones skipped after it", () => {
  const s = src("@h0,1", "@d1,2", "@h1,3", "@d2,4", "@d3,5");
  const plan = planReplication(input(s, null, { selectedGuids: guidsWithPrefix(s, "d") }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [full(pick(s, "d1")), incr("-i", s[1], s[3]), incr("-i", s[3], s[4])],
    forceUsed: null,
  });
});

Deno.test("plan: source bookmarks are ignored when the destination has no snapshot", () => {
  const s = src("#a,1", "@b,2");
  assert.deepEqual(planReplication(input(s, null), NB), {
    kind: "replicate",
    actions: [full(pick(s, "b"))],
    forceUsed: null,
  });
});

// ---------------------------------------------------------------- incremental

Deno.test("plan: incremental from the latest common snapshot", () => {
  const s = src("@a,1", "@b,2", "@c,3", "@d,4");
  const d = dst("@a,1", "@b,2");
  assert.deepEqual(planReplication(input(s, d), NB), {
    kind: "replicate",
    actions: [incr("-I", s[1], s[3], [s[2], s[3]])],
    forceUsed: null,
  });
});

Deno.test("plan: incremental with filters splits like upstream ([d1,h1,d2,d3,d4])", () => {
  const s = src("@d1,1", "@h1,2", "@d2,3", "@d3,4", "@d4,5");
  const d = dst("@d1,1");
  const plan = planReplication(input(s, d, { selectedGuids: guidsWithPrefix(s, "d") }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2]), incr("-I", s[2], s[4], [s[3], s[4]])],
    forceUsed: null,
  });
});

Deno.test("plan: common snapshot not selected by the filters still is the start", () => {
  const s = src("@h0,1", "@m0,2", "@d1,3", "@d2,4");
  const d = dst("@h0,1");
  const plan = planReplication(input(s, d, { selectedGuids: guidsWithPrefix(s, "d") }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2]), incr("-i", s[2], s[3])],
    forceUsed: null,
  });
});

Deno.test("plan: bookmark as origin after the source snapshot was destroyed", () => {
  const s = src("@a,1", "#b,2", "@c,3", "@d,4");
  const d = dst("@a,1", "@b,2");
  const b = pick(s, "b");
  assert.equal(b.kind, "bookmark");
  assert.deepEqual(planReplication(input(s, d), NB), {
    kind: "replicate",
    actions: [incr("-i", b, s[2]), incr("-i", s[2], s[3])],
    forceUsed: null,
  });
});

Deno.test("plan: snapshot preferred over its bookmark as origin, so -I is allowed", () => {
  const s = src("@a,1", "#b,2", "@b,2", "@c,3", "@d,4");
  const d = dst("@a,1", "@b,2");
  assert.deepEqual(planReplication(input(s, d), NB), {
    kind: "replicate",
    actions: [incr("-I", s[2], s[4], [s[3], s[4]])],
    forceUsed: null,
  });
});

Deno.test("plan: bookmark origin followed by an excluded snapshot jumps to the next selected", () => {
  const s = src("#h0,1", "@h1,2", "@d1,3", "@d2,4");
  const d = dst("@h0,1");
  const plan = planReplication(input(s, d, { selectedGuids: guidsWithPrefix(s, "d") }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [incr("-i", s[0], s[2]), incr("-i", s[2], s[3])],
    forceUsed: null,
  });
});

Deno.test("plan: noUseBookmark ignores the bookmark; dst then has a newer snapshot -> diverged", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@b,2");
  const plan = planReplication(input(s, d), { ...NB, noUseBookmark: true });
  assert.equal(plan.kind, "conflict");
  assert.equal(plan.kind === "conflict" && plan.conflict.type, "diverged");
});

Deno.test("plan: noUseBookmark and the bookmark was the only link -> no common snapshot", () => {
  const s = src("#b,2", "@c,3");
  const d = dst("@b,2");
  const plan = planReplication(input(s, d), { ...NB, noUseBookmark: true });
  assert.equal(plan.kind === "conflict" && plan.conflict.type, "no-common-snapshot");
});

Deno.test("plan: destination bookmarks are not common snapshots", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@a,1", "#b,2");
  assert.deepEqual(planReplication(input(s, d), NB), {
    kind: "replicate",
    actions: [incr("-i", s[0], s[1])],
    forceUsed: null,
  });
});

Deno.test("plan: unsorted input gives the same plan as sorted input", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const d = dst("@a,1");
  const sorted = planReplication(input(s, d), NB);
  const shuffled = planReplication(input([s[2], s[0], s[1]], d), NB);
  assert.deepEqual(shuffled, sorted);
});

Deno.test("plan: forceConvertIToI turns the -I run into -i steps", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const d = dst("@a,1");
  assert.deepEqual(planReplication(input(s, d), { ...NB, forceConvertIToI: true }), {
    kind: "replicate",
    actions: [incr("-i", s[0], s[1]), incr("-i", s[1], s[2])],
    forceUsed: null,
  });
});

// ---------------------------------------------------------------- up to date

Deno.test("plan: up-to-date when the newest selected snapshot is on the destination", () => {
  const s = src("@a,1", "@b,2");
  assert.deepEqual(planReplication(input(s, dst("@a,1", "@b,2"))), {
    kind: "up-to-date",
    actions: [],
    forceUsed: null,
  });
});

Deno.test("plan: up-to-date when newer source snapshots are not selected", () => {
  const s = src("@d1,1", "@h1,2", "@h2,3");
  const plan = planReplication(input(s, dst("@d1,1"), { selectedGuids: guids(s, "d1") }));
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

Deno.test("plan: up-to-date when the newest selected snapshot is older than the common bookmark", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@b,2");
  const plan = planReplication(input(s, d, { selectedGuids: guids(s, "a") }), NB);
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

Deno.test("plan: up-to-date via a renamed destination snapshot (GUIDs only)", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(input(s, dst("@x,1", "@y,2")));
  assert.equal(plan.kind, "up-to-date");
});

// ---------------------------------------------------------------- conflicts: diverged

function diverged(): { s: ReturnType<typeof src>; d: ReturnType<typeof dst> } {
  return { s: src("@a,1", "@b,2", "@c,3"), d: dst("@a,1", "@x,10", "@y,11") };
}

Deno.test("plan: diverged without force -> conflict naming dataset, snapshot and option", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), NB);
  assert.deepEqual(plan, {
    kind: "conflict",
    conflict: {
      type: "diverged",
      srcDataset: SRC,
      dstDataset: DST,
      common: { src: s[0], dst: d[0] },
      conflicting: [d[1], d[2]],
    },
    message: "Conflict: Most recent destination snapshot backup/a@y is more recent than most " +
      "recent common snapshot backup/a@a. Rollback destination first, for example via " +
      "--force-rollback-to-latest-common-snapshot (or --force) option.",
  });
});

Deno.test("plan: diverged with --force-rollback-to-latest-common-snapshot -> rollback -r, then send", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), { ...NB, forceRollbackToLatestCommonSnapshot: true });
  const conflict = {
    type: "diverged" as const,
    srcDataset: SRC,
    dstDataset: DST,
    common: { src: s[0], dst: d[0] },
    conflicting: [d[1], d[2]],
  };
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      {
        type: "rollback",
        to: d[0],
        recursive: true,
        destroys: [d[1], d[2]],
        reason: "--force-rollback-to-latest-common-snapshot",
      },
      incr("-I", s[0], s[2], [s[1], s[2]]),
    ],
    forceUsed: { option: "--force-rollback-to-latest-common-snapshot", conflict },
  });
});

Deno.test("plan: diverged with --force -> rollback -r reported as --force", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), { ...NB, force: true });
  assert.equal(plan.kind, "replicate");
  if (plan.kind !== "replicate") return;
  assert.deepEqual(plan.actions[0], {
    type: "rollback",
    to: d[0],
    recursive: true,
    destroys: [d[1], d[2]],
    reason: "--force",
  });
  assert.equal(plan.forceUsed?.option, "--force");
  assert.equal(plan.forceUsed?.conflict.type, "diverged");
});

Deno.test("plan: diverged with both force options -> attributed to the narrower one", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), {
    ...NB,
    force: true,
    forceRollbackToLatestCommonSnapshot: true,
  });
  assert.equal(
    plan.kind === "replicate" && plan.forceUsed?.option,
    "--force-rollback-to-latest-common-snapshot",
  );
});

Deno.test("plan: diverged with only --force-rollback-to-latest-snapshot is still a conflict", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), { ...NB, forceRollbackToLatestSnapshot: true });
  assert.equal(plan.kind, "conflict");
});

Deno.test("plan: diverged, resolved, newest selected is the common one -> up-to-date with rollback", () => {
  const s = src("@a,1");
  const d = dst("@a,1", "@x,10");
  const plan = planReplication(input(s, d), { ...NB, force: true });
  assert.deepEqual(plan, {
    kind: "up-to-date",
    actions: [{ type: "rollback", to: d[0], recursive: true, destroys: [d[1]], reason: "--force" }],
    forceUsed: {
      option: "--force",
      conflict: {
        type: "diverged",
        srcDataset: SRC,
        dstDataset: DST,
        common: { src: s[0], dst: d[0] },
        conflicting: [d[1]],
      },
    },
  });
});

Deno.test("plan: dst has a snapshot newer than every source snapshot -> diverged", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@a,1", "@b,2", "@z,99");
  const plan = planReplication(input(s, d), NB);
  assert.equal(plan.kind, "conflict");
  if (plan.kind !== "conflict") return;
  assert.equal(plan.conflict.type, "diverged");
  assert.match(
    plan.message,
    /backup\/a@z is more recent than most recent common snapshot backup\/a@b/,
  );
});

Deno.test("plan: diverged from a common bookmark -> rollback to the dst snapshot of that GUID", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@b,2", "@x,10");
  const plan = planReplication(input(s, d), { ...NB, forceRollbackToLatestCommonSnapshot: true });
  assert.equal(plan.kind, "replicate");
  if (plan.kind !== "replicate") return;
  assert.deepEqual(plan.actions, [
    {
      type: "rollback",
      to: d[1],
      recursive: true,
      destroys: [d[2]],
      reason: "--force-rollback-to-latest-common-snapshot",
    },
    incr("-i", pick(s, "b"), s[2]),
  ]);
});

Deno.test("plan: --force-once already consumed -> conflict message says so", () => {
  const { s, d } = diverged();
  const plan = planReplication(input(s, d), { ...NB, forceOnce: true });
  assert.equal(plan.kind, "conflict");
  assert.match(plan.kind === "conflict" ? plan.message : "", /--force-once already used/);
});

// ---------------------------------------------------------------- conflicts: no common snapshot

Deno.test("plan: no common snapshot without force -> conflict listing dst snapshots", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@x,10", "@y,11");
  assert.deepEqual(planReplication(input(s, d), NB), {
    kind: "conflict",
    conflict: { type: "no-common-snapshot", srcDataset: SRC, dstDataset: DST, dstSnapshots: d },
    message: "Conflict: No common snapshot found between tank/a and backup/a even though " +
      "destination has at least one snapshot (most recent: backup/a@y). Aborting. Consider " +
      "using --force option to first delete all existing destination snapshots in order to be " +
      "able to proceed with replication.",
  });
});

Deno.test("plan: no common snapshot with --force-rollback-to-latest-common-snapshot -> conflict", () => {
  const plan = planReplication(input(src("@a,1"), dst("@x,10")), {
    ...NB,
    forceRollbackToLatestCommonSnapshot: true,
  });
  assert.equal(plan.kind === "conflict" && plan.conflict.type, "no-common-snapshot");
});

Deno.test("plan: no common snapshot with --force -> destroy all dst snapshots, full send, steps", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const d = dst("@x,10", "@y,11");
  assert.deepEqual(planReplication(input(s, d), { ...NB, force: true }), {
    kind: "replicate",
    actions: [
      { type: "destroyDstSnapshots", dataset: DST, snapshots: d },
      full(s[0]),
      incr("-I", s[0], s[2], [s[1], s[2]]),
    ],
    forceUsed: {
      option: "--force",
      conflict: { type: "no-common-snapshot", srcDataset: SRC, dstDataset: DST, dstSnapshots: d },
    },
  });
});

Deno.test("plan: no common snapshot with --force and rollback to latest -> rollback, destroy, full", () => {
  const s = src("@a,1");
  const d = dst("@x,10");
  const plan = planReplication(input(s, d), {
    ...NB,
    force: true,
    forceRollbackToLatestSnapshot: true,
  });
  assert.equal(plan.kind, "replicate");
  assert.deepEqual(plan.kind === "replicate" && plan.actions.map((a) => a.type), [
    "rollback",
    "destroyDstSnapshots",
    "full",
  ]);
});

Deno.test("plan: --force-once consumed on a no-common conflict -> message says so", () => {
  const plan = planReplication(input(src("@a,1"), dst("@x,10")), { ...NB, forceOnce: true });
  assert.match(plan.kind === "conflict" ? plan.message : "", /--force-once already used/);
});

// ---------------------------------------------------------------- --force-rollback-to-latest-snapshot

Deno.test("plan: --force-rollback-to-latest-snapshot rolls back (no -r) before incrementals", () => {
  const s = src("@a,1", "@b,2");
  const d = dst("@a,1");
  assert.deepEqual(planReplication(input(s, d), { ...NB, forceRollbackToLatestSnapshot: true }), {
    kind: "replicate",
    actions: [
      {
        type: "rollback",
        to: d[0],
        recursive: false,
        destroys: [],
        reason: "--force-rollback-to-latest-snapshot",
      },
      incr("-i", s[0], s[1]),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: --force-rollback-to-latest-snapshot still runs when up-to-date", () => {
  const s = src("@a,1");
  const d = dst("@a,1");
  const plan = planReplication(input(s, d), { forceRollbackToLatestSnapshot: true });
  assert.deepEqual(plan, {
    kind: "up-to-date",
    actions: [{
      type: "rollback",
      to: d[0],
      recursive: false,
      destroys: [],
      reason: "--force-rollback-to-latest-snapshot",
    }],
    forceUsed: null,
  });
});

Deno.test("plan: --force-rollback-to-latest-snapshot does nothing on an empty destination", () => {
  const s = src("@a,1");
  const plan = planReplication(input(s, []), { ...NB, forceRollbackToLatestSnapshot: true });
  assert.deepEqual(plan, { kind: "replicate", actions: [full(s[0])], forceUsed: null });
});

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
  const { s, d } = diverged();
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

// ---------------------------------------------------------------- resume

const TOKEN = "1-abc-def";

function withToken(
  s: ReturnType<typeof src>,
  d: ReturnType<typeof dst> | null,
  token: { toGuid: string; fromGuid?: string; raw?: boolean },
  extra: { selectedGuids?: Set<string> } = {},
) {
  return input(s, d, { ...extra, resumeToken: { token: TOKEN, raw: true, ...token } });
}

Deno.test("plan: resume a full send -> resume replaces it, then the rest follows", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(withToken(s, [], { toGuid: "g1" }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      { type: "resume", token: TOKEN, from: null, to: s[0], dstDataset: DST, logOnly: false },
      incr("-I", s[0], s[2], [s[1], s[2]]),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: resume an incremental -> first step is a single snapshot, bookmarks follow it", () => {
  const s = src("@a,1", "@b,2", "@c,3", "@d,4");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }));
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      { type: "resume", token: TOKEN, from: s[0], to: s[1], dstDataset: DST, logOnly: false },
      bms(s[1]),
      incr("-I", s[1], s[3], [s[2], s[3]]),
      bms(s[2], s[3]),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: resume from a bookmark origin", () => {
  const s = src("#a,1", "@b,2", "@c,3");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }), NB);
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      { type: "resume", token: TOKEN, from: s[0], to: s[1], dstDataset: DST, logOnly: false },
      incr("-i", s[1], s[2]),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: stale token (toguid no longer selected) -> abort, then a fresh plan", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }, {
      selectedGuids: guids(s, "a", "c"),
    }),
    NB,
  );
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [
      { type: "abortResume", dataset: DST, reason: "stale", token: TOKEN },
      incr("-i", s[0], s[2]),
    ],
    forceUsed: null,
  });
});

Deno.test("plan: stale token (its snapshot was destroyed on the source) -> abort", () => {
  const s = src("@a,1", "@c,3");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }), NB);
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "stale", token: TOKEN },
    incr("-i", s[0], s[1]),
  ]);
});

Deno.test("plan: stale token with another origin -> abort, fresh -I plan", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g9" }), NB);
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "stale", token: TOKEN },
    incr("-I", s[0], s[2], [s[1], s[2]]),
  ]);
});

Deno.test("plan: full-stream token while an incremental is due -> abort", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2" }), NB);
  assert.deepEqual(plan.kind === "replicate" && plan.actions[0], {
    type: "abortResume",
    dataset: DST,
    reason: "stale",
    token: TOKEN,
  });
});

Deno.test("plan: incremental token while a full send is due -> abort", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(withToken(s, [], { toGuid: "g1", fromGuid: "g0" }), NB);
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "stale", token: TOKEN },
    full(s[0]),
    incr("-i", s[0], s[1]),
  ]);
});

Deno.test("plan: raw-mode mismatch -> abort, then a fresh plan", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1", raw: false }),
    NB,
  );
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "raw-mismatch", token: TOKEN },
    incr("-I", s[0], s[2], [s[1], s[2]]),
  ]);
});

Deno.test("plan: non-raw token with non-raw sends resumes", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1", raw: false }),
    { ...NB, rawSend: false },
  );
  assert.equal(plan.kind === "replicate" && plan.actions[0].type, "resume");
});

Deno.test("plan: --no-resume-recv with a token -> abort first", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }),
    { ...NB, noResumeRecv: true },
  );
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "no-resume-recv", token: TOKEN },
    incr("-i", s[0], s[1]),
  ]);
});

Deno.test("plan: token and a forced rollback -r -> abort before the rollback", () => {
  const { s, d } = diverged();
  const plan = planReplication(withToken(s, d, { toGuid: "g2", fromGuid: "g1" }), {
    ...NB,
    force: true,
  });
  assert.deepEqual(plan.kind === "replicate" && plan.actions.map((a) => a.type), [
    "abortResume",
    "rollback",
    "incremental",
  ]);
  assert.equal(
    plan.kind === "replicate" && plan.actions[0].type === "abortResume" &&
      plan.actions[0].reason,
    "before-destroy",
  );
});

Deno.test("plan: token and up-to-date without destroys -> token left alone", () => {
  const s = src("@a,1");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g7", fromGuid: "g1" }));
  assert.deepEqual(plan, { kind: "up-to-date", actions: [], forceUsed: null });
});

Deno.test("plan: token and destroy-only plan -> abort before the destroy", () => {
  const s = src("@a,1");
  const d = dst("@x,10");
  const plan = planReplication(
    withToken(s, d, { toGuid: "g11", fromGuid: "g10" }, { selectedGuids: new Set() }),
    { ...NB, skipMissingSnapshots: "continue", force: true },
  );
  assert.deepEqual(plan.kind === "up-to-date" && plan.actions.map((a) => a.type), [
    "abortResume",
    "destroyDstSnapshots",
  ]);
});

Deno.test("plan: a token on a missing destination is ignored", () => {
  const s = src("@a,1");
  const plan = planReplication(withToken(s, null, { toGuid: "g1" }), NB);
  assert.deepEqual(plan, { kind: "replicate", actions: [full(s[0])], forceUsed: null });
});

Deno.test("plan: resume in dryrun send -> resume action is logOnly", () => {
  const s = src("@a,1", "@b,2");
  const plan = planReplication(withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1" }), {
    dryrun: "send",
  });
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [{
      type: "resume",
      token: TOKEN,
      from: s[0],
      to: s[1],
      dstDataset: DST,
      logOnly: true,
    }],
    forceUsed: null,
  });
});

Deno.test("plan: resume with noStream targets the newest selected", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g3", fromGuid: "g1" }),
    { ...NB, noStream: true },
  );
  assert.deepEqual(plan, {
    kind: "replicate",
    actions: [{
      type: "resume",
      token: TOKEN,
      from: s[0],
      to: s[2],
      dstDataset: DST,
      logOnly: false,
    }],
    forceUsed: null,
  });
});

// ---------------------------------------------------------------- invariants

Deno.test("plan: a plan never destroys destination snapshots without a force option", () => {
  const cases: Array<[ReturnType<typeof src>, ReturnType<typeof dst> | null]> = [
    [src("@a,1", "@b,2"), dst("@a,1", "@x,9")],
    [src("@a,1", "@b,2"), dst("@x,9")],
    [src("@a,1", "#b,2", "@c,3"), dst("@b,2", "@x,9")],
    [src("@a,1"), dst("@a,1")],
    [src("@a,1"), null],
  ];
  for (const [s, d] of cases) {
    for (
      const o of [{}, { noStream: true }, { noUseBookmark: true }, { dryrun: "recv" as const }]
    ) {
      const plan: ReplicationPlan = planReplication(input(s, d), o);
      const actions = "actions" in plan ? plan.actions : [];
      assert.ok(
        actions.every((a) =>
          a.type !== "destroyDstSnapshots" && !(a.type === "rollback" && a.recursive)
        ),
      );
    }
  }
});
