/**
 * Non-root replication against real OpenZFS (FR-SEC-001): `alice` has passwordless sudo, so the
 * state-changing zfs commands get `sudo -n`; `bob` has no sudo and only `zfs allow` delegations,
 * and replicates with `--no-privilege-elevation`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Lab, labFile } from "../lab/helpers.ts";

const lab = labFile();

async function snapshotIds(l: Lab, ds: string): Promise<string[]> {
  return (await l.snapshots(ds)).map((s) => `${s.name.replace(/^[^@]*/, "")} ${s.guid}`);
}

function logDirArgs(): string[] {
  return ["--log-dir", `${Deno.makeTempDirSync({ prefix: "priv." })}/bzfs-logs`];
}

lab.test("alice (passwordless sudo): replicates pull-push with sudo -n on both sides", async (l) => {
  const src = `${l.src}/alice`;
  const dst = `${l.dst}/alice`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  const args = [...logDirArgs(), "-v", "-v"];
  const r = await l.runCli({ src, dst, args, mode: "pull-push", user: "alice" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /alice@zfsvm/);
  assert.match(r.stderr, /sudo -n zfs receive/, "receive elevated");
  assert.match(r.stderr, /sudo -n zfs bookmark/, "bookmark elevated");
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
  await l.writeFiles(src, [{ path: "more.bin", size: 1 << 18 }], "more");
  await l.zfs("snapshot", `${src}@s2`);
  const incr = await l.runCli({ src, dst, args, mode: "pull-push", user: "alice" });
  assert.equal(incr.code, 0, incr.stderr);
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
});

lab.test("bob (zfs allow only, no sudo): replicates with --no-privilege-elevation", async (l) => {
  const src = `${l.src}/bob`;
  const parent = `${l.dst}/bobs`;
  const dst = `${parent}/bob`;
  await l.createDataset(src);
  await l.zfs("snapshot", `${src}@s1`);
  await l.zfs("create", parent);
  await l.zfs("allow", "-u", "bob", "send,snapshot,hold,bookmark,mount", src);
  await l.zfs(
    "allow",
    "-u",
    "bob",
    "create,receive,mount,rollback,destroy,hold,release,bookmark",
    parent,
  );
  const args = [...logDirArgs(), "-v", "-v", "--no-privilege-elevation"];
  const r = await l.runCli({ src, dst, args, mode: "pull-push", user: "bob" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /bob@zfsvm/);
  assert.doesNotMatch(r.stderr, /sudo -n/, "no elevation at all");
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
  await l.writeFiles(src, [{ path: "more.bin", size: 1 << 18 }], "more");
  await l.zfs("snapshot", `${src}@s2`);
  const incr = await l.runCli({ src, dst, args, mode: "pull-push", user: "bob" });
  assert.equal(incr.code, 0, incr.stderr);
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s2`), await l.checksum(`${src}@s2`));
});

lab.test("bob without --no-privilege-elevation fails cleanly: sudo needs a password", async (l) => {
  const src = `${l.src}/bob2`;
  await l.createDataset(src, { files: [{ path: "f", size: 4096 }] });
  await l.zfs("snapshot", `${src}@s1`);
  const dst = `${l.dst}/bob2`;
  const r = await l.runCli({ src, dst, args: logDirArgs(), mode: "pull-push", user: "bob" });
  assert.notEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /sudo/, r.stderr);
  assert.deepEqual(await l.datasets(dst), [], "nothing was received");
});
