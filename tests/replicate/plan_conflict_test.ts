import assert from "node:assert/strict";
import { planReplication } from "../../lib/replicate/plan.ts";
import type { PlanReplicationOptions } from "../../lib/replicate/types.ts";
import { divergedPair, DST, dst, full, incr, input, pick, SRC, src } from "./_helpers.ts";

const NB: PlanReplicationOptions = { createBookmarks: "none" };

// ---------------------------------------------------------------- conflicts: diverged

Deno.test("plan: diverged without force -> conflict naming dataset, snapshot and option", () => {
  const { s, d } = divergedPair();
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
  const { s, d } = divergedPair();
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
  const { s, d } = divergedPair();
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
  const { s, d } = divergedPair();
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
  const { s, d } = divergedPair();
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
  const { s, d } = divergedPair();
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
