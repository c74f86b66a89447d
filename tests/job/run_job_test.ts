import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { FakeClock } from "../../lib/clock.ts";
import { LockHeldError, ReplicationConflictError } from "../../lib/errors.ts";
import { runJob } from "../../lib/job/run_job.ts";
import { acquireJobLock, lockFilePath } from "../../lib/state/job_lock.ts";
import { FakeZfs } from "./_fake_zfs.ts";

const quiet = { write: { out: () => {}, err: () => {} } };

async function run(zfs: FakeZfs, argv: string[]) {
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const config = buildBzfsConfig(argv, quiet);
  await runJob(config, {
    executor: zfs.executor,
    clock: new FakeClock(0),
    logDir,
    handleSignals: false,
  });
}

Deno.test("full then incremental replication of one dataset", async () => {
  const zfs = new FakeZfs().add("tank", "").add("tank/a", "s1", "s2").add("backup");
  zfs.snaps.set("tank", []);
  zfs.props.set("tank/a", { compression: "lz4", "com.example:note": "x", mountpoint: "/mnt/a" });
  await run(zfs, ["tank/a", "backup/a"]);
  assert.deepEqual(zfs.guids("backup/a"), zfs.guids("tank/a"));
  assert.deepEqual(zfs.names("tank/a", "#").length, 2, "every sent snapshot was bookmarked");
  zfs.snapshot("tank/a", "s3");
  zfs.snapshot("tank/a", "s4");
  await run(zfs, ["tank/a", "backup/a"]);
  assert.deepEqual(zfs.names("backup/a"), ["s1", "s2", "s3", "s4"]);
  const sends = zfs.executor.pipelines.map((p) => p.display);
  assert.match(
    sends[0],
    /zfs send --raw --compressed tank\/a@s1 \| zfs receive -s -F -u -o compression=lz4 backup\/a/,
    "full sends copy upstream's default property list only",
  );
  assert.doesNotMatch(sends[1], /-o compression/, "incremental sends do not by default");
  assert.match(sends[1], /-i tank\/a@s1 tank\/a@s2/, "a single step is -i");
  assert.match(sends[2], /-I tank\/a@s2 tank\/a@s4/);
});

Deno.test("recursive replication with a dataset exclude and the tmp default", async () => {
  const zfs = new FakeZfs().add("backup");
  for (const d of ["tank", "tank/a", "tank/a/b", "tank/skip", "tank/skip/c", "tank/tmp"]) {
    zfs.add(d, "s1");
  }
  await run(zfs, ["-r", "tank", "backup/t", "--exclude-dataset", "skip"]);
  assert.deepEqual([...zfs.datasets].filter((d) => d.startsWith("backup/t")).sort(), [
    "backup/t",
    "backup/t/a",
    "backup/t/a/b",
  ]);
});

Deno.test("a diverged destination is a conflict unless a force option is given", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  await run(zfs, ["tank/a", "backup/a"]);
  zfs.snapshot("backup/a", "local");
  zfs.snapshot("tank/a", "s2");
  await assert.rejects(run(zfs, ["tank/a", "backup/a"]), (e: unknown) => {
    assert.ok(e instanceof ReplicationConflictError);
    assert.match(e.message, /backup\/a@local/);
    return true;
  });
  assert.deepEqual(zfs.names("backup/a"), ["s1", "local"], "nothing changed");
  await run(zfs, ["tank/a", "backup/a", "--force-rollback-to-latest-common-snapshot"]);
  assert.deepEqual(zfs.names("backup/a"), ["s1", "s2"]);
});

Deno.test("dry run sends nothing and changes nothing", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1", "s2").add("backup");
  await run(zfs, ["tank/a", "backup/a", "--dryrun"]);
  assert.equal(zfs.datasets.has("backup/a"), false);
  assert.equal(zfs.executor.pipelines.length, 0);
  assert.deepEqual(zfs.names("tank/a", "#"), []);
});

Deno.test("a failed transfer is retried and then succeeds", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  zfs.failTransfers.set(0, 1);
  await run(zfs, ["tank/a", "backup/a", "--retries=2"]);
  assert.deepEqual(zfs.guids("backup/a"), zfs.guids("tank/a"));
  assert.equal(zfs.executor.pipelines.length, 2);
});

Deno.test("a missing source dataset is an error naming it", async () => {
  const zfs = new FakeZfs().add("backup");
  await assert.rejects(
    run(zfs, ["tank/nope", "backup/a"]),
    /Source dataset does not exist: tank\/nope/,
  );
});

Deno.test("a second run of the same job is refused while the first holds the lock", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const config = buildBzfsConfig(["tank/a", "backup/a"], quiet);
  const held = acquireJobLock(lockFilePath(config, logDir));
  await assert.rejects(
    runJob(config, { executor: zfs.executor, logDir, handleSignals: false }),
    LockHeldError,
  );
  held.release();
  await runJob(config, { executor: zfs.executor, logDir, handleSignals: false });
  assert.deepEqual(zfs.guids("backup/a"), zfs.guids("tank/a"));
});

Deno.test("--zfs-recv-o/-x and --preserve-properties shape the receive options", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1", "s2").add("backup");
  zfs.props.set("tank/a", { compression: "lz4", "com.example:note": "x", mountpoint: "/mnt/a" });
  await run(zfs, [
    "tank/a",
    "backup/a",
    "--zfs-recv-o-include-regex",
    "com\\.example:.*",
    "compression",
    "--zfs-recv-x-include-regex=mountpoint",
    "--preserve-properties",
    "sharenfs",
  ]);
  const [full, incr] = zfs.executor.pipelines.map((p) => p.display);
  assert.match(
    full,
    /zfs receive -s -F -u -x sharenfs -o com.example:note=x -o compression=lz4 -x mountpoint backup\/a/,
  );
  assert.match(incr, /zfs receive -s -u -x sharenfs -x mountpoint backup\/a/);
});
