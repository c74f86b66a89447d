import assert from "node:assert/strict";
import { planReplication } from "../../lib/replicate/plan.ts";
import type { PlanReplicationOptions, ReplicationPlan } from "../../lib/replicate/types.ts";
import { bms, dst, full, guids, guidsWithPrefix, incr, input, pick, src } from "./_helpers.ts";

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
