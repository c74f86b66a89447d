import assert from "node:assert/strict";
import { planReplication } from "../../lib/replicate/plan.ts";
import type { PlanReplicationOptions } from "../../lib/replicate/types.ts";
import { bms, divergedPair, DST, dst, full, guids, incr, input, src } from "./_helpers.ts";

const NB: PlanReplicationOptions = { createBookmarks: "none" };

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

Deno.test("plan: a raw token with non-raw sends planned -> abort, then a fresh plan", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1", raw: true }),
    { ...NB, rawSend: false },
  );
  assert.deepEqual(plan.kind === "replicate" && plan.actions, [
    { type: "abortResume", dataset: DST, reason: "raw-mismatch", token: TOKEN },
    incr("-I", s[0], s[2], [s[1], s[2]]),
  ]);
});

Deno.test("plan: a token without rawok (raw send of plain data) resumes raw sends", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  const plan = planReplication(
    withToken(s, dst("@a,1"), { toGuid: "g2", fromGuid: "g1", raw: false }),
    NB,
  );
  assert.equal(plan.kind === "replicate" && plan.actions[0].type, "resume");
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
  const { s, d } = divergedPair();
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
