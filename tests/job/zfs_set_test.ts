import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { FakeExecutor } from "../../lib/exec/fake_executor.ts";
import { zfsSetAfterReceive, zfsSetAssignments, zfsSetSpec } from "../../lib/job/zfs_set.ts";
import type { PropertyValue } from "../../lib/zfs/get.ts";
import { makeCtx, preparedHost } from "./_phase_fixture.ts";

function props(...entries: [string, string][]): Map<string, PropertyValue> {
  return new Map(entries.map(([k, v]) => [k, { value: v, source: "local" }]));
}

const SRC_PROPS = "compression\tzstd\tlocal\ncom.example:tier\tgold tier\tlocal\n" +
  "atime\toff\tlocal\nrecordsize\t1048576\tlocal\n";

Deno.test("zfsSetAssignments: include/exclude full match, ! negation, sorted NAME=VALUE", () => {
  const p = props(
    ["recordsize", "131072"],
    ["compression", "lz4"],
    ["com.example:tier", "gold tier"],
    ["atime", "off"],
  );
  assert.deepEqual(zfsSetAssignments(p, { includes: [".*"], excludes: [] }), [
    "atime=off",
    "com.example:tier=gold tier",
    "compression=lz4",
    "recordsize=131072",
  ]);
  assert.deepEqual(zfsSetAssignments(p, { includes: ["comp.*", "atime"], excludes: [] }), [
    "atime=off",
    "compression=lz4",
  ]);
  assert.deepEqual(
    zfsSetAssignments(p, { includes: [".*"], excludes: ["re.*", "atime"] }),
    ["com.example:tier=gold tier", "compression=lz4"],
  );
  assert.deepEqual(zfsSetAssignments(p, { includes: ["!.*:.*"], excludes: [] }), [
    "atime=off",
    "compression=lz4",
    "recordsize=131072",
  ]);
  assert.deepEqual(zfsSetAssignments(p, { includes: ["comp"], excludes: [] }), []); // full match
  assert.deepEqual(zfsSetAssignments(p, { includes: [], excludes: [] }), []);
  assert.throws(() => zfsSetAssignments(p, { includes: ["("], excludes: [] }), UsageError);
});

Deno.test("zfsSetSpec: defaults are targets full, sources local, nothing included", () => {
  const ctx = makeCtx(["a/b", "c/d"], { executor: new FakeExecutor(), now: 0 });
  assert.deepEqual(zfsSetSpec(ctx.config.options), {
    targets: "full",
    sources: "local",
    includes: [],
    excludes: [],
  });
});

function run(argv: string[], full: boolean): Promise<FakeExecutor> {
  const executor = new FakeExecutor()
    .on("zfs get", { stdout: SRC_PROPS })
    .on("zfs set", {});
  const ctx = makeCtx(["t/src", "b/dst", ...argv], { executor, now: 0 });
  const ends = {
    src: preparedHost(),
    dst: { ...preparedHost("backup"), elevate: true },
    srcDataset: "t/src/a",
    dstDataset: "b/dst/a",
  };
  return zfsSetAfterReceive(ends, { full }, ctx).then(() => executor);
}

Deno.test("zfsSetAfterReceive: one zfs get on src, one zfs set on dst with every selected property", async () => {
  const ex = await run(["--zfs-set-include-regex", "compression", "com\\..*", "atime"], true);
  assert.deepEqual(ex.commands, [
    "zfs get -Hp -o property,value,source -s local all t/src/a",
    "zfs set atime=off 'com.example:tier=gold tier' compression=zstd b/dst/a",
  ]);
  assert.equal(ex.calls[0].remote?.host, undefined);
  assert.equal(ex.calls[0].readOnly, true);
  assert.equal(ex.calls[1].remote?.host, "backup");
  assert.equal(ex.calls[1].sudo, true);
});

Deno.test("zfsSetAfterReceive: --zfs-set-targets decides which sends trigger it", async () => {
  const inc = ["--zfs-set-include-regex", ".*"];
  assert.equal((await run(inc, false)).commands.length, 0); // default targets: full
  assert.equal((await run(inc, true)).commands.length, 2);
  const incOnly = [...inc, "--zfs-set-targets", "incremental"];
  assert.equal((await run(incOnly, true)).commands.length, 0);
  assert.equal((await run(incOnly, false)).commands.length, 2);
  const both = [...inc, "--zfs-set-targets", "full+incremental"];
  assert.equal((await run(both, true)).commands.length, 2);
  assert.equal((await run(both, false)).commands.length, 2);
});

Deno.test("zfsSetAfterReceive: sources, excludes, and nothing selected means no zfs set", async () => {
  const ex = await run([
    "--zfs-set-include-regex",
    ".*",
    "--zfs-set-exclude-regex",
    ".*",
    "--zfs-set-sources",
    "local,received",
  ], true);
  assert.deepEqual(ex.commands, [
    "zfs get -Hp -o property,value,source -s local,received all t/src/a",
  ]);
  assert.deepEqual((await run([], true)).commands, []); // no include regex: nothing read
  assert.deepEqual((await run(["--zfs-set-include-regex"], true)).commands, []); // zero values
});
