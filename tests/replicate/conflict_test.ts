import assert from "node:assert/strict";
import { ReplicationConflictError } from "../../lib/errors.ts";
import { conflictError, conflictMessage } from "../../lib/replicate/conflict.ts";
import type { ReplicationConflict } from "../../lib/replicate/types.ts";
import { DST, dst, SRC, src } from "./_helpers.ts";

const noCommon: ReplicationConflict = {
  type: "no-common-snapshot",
  srcDataset: SRC,
  dstDataset: DST,
  dstSnapshots: dst("@x,9"),
};

Deno.test("conflictMessage: diverged names newest dst snapshot, common one, options", () => {
  const s = src("@a,1");
  const d = dst("@a,1", "@x,9");
  const msg = conflictMessage({
    type: "diverged",
    srcDataset: SRC,
    dstDataset: DST,
    common: { src: s[0], dst: d[0] },
    conflicting: [d[1]],
  });
  assert.equal(
    msg,
    "Conflict: Most recent destination snapshot backup/a@x is more recent than most recent " +
      "common snapshot backup/a@a. Rollback destination first, for example via " +
      "--force-rollback-to-latest-common-snapshot (or --force) option.",
  );
});

Deno.test("conflictMessage: no common snapshot names both datasets and --force", () => {
  const msg = conflictMessage(noCommon);
  assert.match(msg, /^Conflict: No common snapshot found between tank\/a and backup\/a/);
  assert.match(msg, /most recent: backup\/a@x/);
  assert.match(msg, /--force option/);
});

Deno.test("conflictMessage: empty dst list (defensive) still reads well", () => {
  const msg = conflictMessage({ ...noCommon, dstSnapshots: [] });
  assert.ok(!msg.includes("most recent:"));
});

Deno.test("conflictMessage: forceOnceUsed adds a note", () => {
  assert.match(conflictMessage(noCommon, { forceOnceUsed: true }), /--force-once already used/);
});

Deno.test("conflictError: a ReplicationConflictError for the dst dataset", () => {
  const e = conflictError(noCommon);
  assert.ok(e instanceof ReplicationConflictError);
  assert.equal(e.dataset, DST);
  assert.equal(e.message, conflictMessage(noCommon));
  assert.equal(conflictError(noCommon, "custom").message, "custom");
});
