import assert from "node:assert/strict";
import {
  batchSnapshotTargets,
  bookmarkArgv,
  createArgv,
  destroyArgv,
  receiveAbortArgv,
  rollbackArgv,
  snapshotArgv,
} from "../../lib/zfs/mutate.ts";

Deno.test("snapshotArgv", () => {
  assert.deepEqual(snapshotArgv(["t/a@s1"]), ["zfs", "snapshot", "t/a@s1"]);
  assert.deepEqual(
    snapshotArgv(["t/a@s1", "t/b@s1"], {
      recursive: true,
      properties: { "x:y": "1" },
      zfsProgram: "z",
    }),
    [
      "z",
      "snapshot",
      "-r",
      "-o",
      "x:y=1",
      "t/a@s1",
      "t/b@s1",
    ],
  ); // prettier-ignore
});

Deno.test("bookmark, rollback, create, receive -A", () => {
  assert.deepEqual(bookmarkArgv("t/a@s1", "t/a#s1"), ["zfs", "bookmark", "t/a@s1", "t/a#s1"]);
  assert.deepEqual(rollbackArgv("t/a@s1"), ["zfs", "rollback", "t/a@s1"]);
  assert.deepEqual(rollbackArgv("t/a@s1", { destroyNewer: true, dependents: true, force: true }), [
    "zfs",
    "rollback",
    "-r",
    "-R",
    "-f",
    "t/a@s1",
  ]); // prettier-ignore
  assert.deepEqual(createArgv("t/a"), ["zfs", "create", "-p", "t/a"]);
  assert.deepEqual(createArgv("t/a", { parents: false, properties: { canmount: "off" } }), [
    "zfs",
    "create",
    "-o",
    "canmount=off",
    "t/a",
  ]); // prettier-ignore
  assert.deepEqual(receiveAbortArgv("t/a"), ["zfs", "receive", "-A", "t/a"]);
});

Deno.test("destroyArgv flag order", () => {
  assert.deepEqual(destroyArgv("t/a"), ["zfs", "destroy", "t/a"]);
  assert.deepEqual(
    destroyArgv("t/a", {
      recursive: true,
      dependents: true,
      force: true,
      dryRun: true,
      verbose: true,
    }),
    ["zfs", "destroy", "-r", "-R", "-f", "-n", "-v", "t/a"],
  );
});

Deno.test("batchSnapshotTargets respects count and character limits", () => {
  assert.deepEqual(batchSnapshotTargets("t/a", []), []);
  assert.deepEqual(batchSnapshotTargets("t/a", ["s1", "s2", "s3"]), ["t/a@s1,s2,s3"]);
  assert.deepEqual(batchSnapshotTargets("t/a", ["s1", "s2", "s3"], { maxPerBatch: 2 }), [
    "t/a@s1,s2",
    "t/a@s3",
  ]);
  assert.deepEqual(batchSnapshotTargets("t/a", ["s1", "s2", "s3"], { maxPerBatch: 0 }), [
    "t/a@s1",
    "t/a@s2",
    "t/a@s3",
  ]);
  const names = Array.from(
    { length: 20_000 },
    (_, i) => `prod_onsite_2024-01-01_00:00:${i}_hourly`,
  );
  const batches = batchSnapshotTargets("tank/data", names);
  assert.ok(batches.length > 1);
  for (const b of batches) assert.ok(b.length <= 100_000, String(b.length));
  assert.deepEqual(batches.flatMap((b) => b.slice("tank/data@".length).split(",")), names);
  assert.deepEqual(batchSnapshotTargets("d", ["aaaa", "bbbb"], { maxChars: 5 }), [
    "d@aaaa",
    "d@bbbb",
  ]);
});
