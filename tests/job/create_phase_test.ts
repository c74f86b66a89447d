import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { checkImplemented } from "../../lib/cli/unimplemented.ts";
import { FakeClock } from "../../lib/clock.ts";
import { BzfsError, UsageError } from "../../lib/errors.ts";
import { runJob } from "../../lib/job/run_job.ts";
import { LifecycleZfs } from "./_lifecycle_zfs.ts";

const quiet = { write: { out: () => {}, err: () => {} } };
const HOUR = 3_600_000;
const PLAN = "--create-src-snapshots-plan={'prod': {'': {'hourly': 36, 'daily': 7, 'adhoc': 1}}}";
const PERIODIC = "--create-src-snapshots-plan={'prod': {'onsite': {'hourly': 36, 'daily': 7}}}";

function setup(options: { version?: string; start?: string } = {}) {
  const clock = new FakeClock(Date.parse(options.start ?? "2025-03-03T10:30:00Z"));
  const zfs = new LifecycleZfs(clock, { version: options.version });
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const run = async (argv: string[]) => {
    const config = buildBzfsConfig([
      "--skip-replication",
      "--create-src-snapshots",
      "--create-src-snapshots-timezone=UTC",
      `--log-dir=${logDir}`,
      ...argv,
    ], quiet);
    checkImplemented(config.given);
    zfs.executor.commands.length = 0;
    await runJob(config, { executor: zfs.executor, clock, logDir, handleSignals: false });
  };
  return { clock, zfs, run, logDir };
}

const snapshotListings = (zfs: LifecycleZfs) =>
  zfs.executor.commands.filter((c) => c.startsWith("zfs list -t snapshot"));

Deno.test("create: first run snapshots every label, longest period first, one -r command each", async () => {
  const { zfs, run } = setup();
  zfs.add("tank", "tank/a", "tank/a/b");
  await run(["-r", PLAN, "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot -r tank@prod_2025-03-03_10:30:00_daily",
    "zfs snapshot -r tank@prod_2025-03-03_10:30:00_hourly",
    "zfs snapshot -r tank@prod_2025-03-03_10:30:00_adhoc",
  ]);
  assert.deepEqual(zfs.names("tank/a/b"), [
    "prod_2025-03-03_10:30:00_daily",
    "prod_2025-03-03_10:30:00_hourly",
    "prod_2025-03-03_10:30:00_adhoc",
  ]);
});

Deno.test("create: periodic labels only when due per the anchors; adhoc always", async () => {
  const { zfs, run, clock } = setup();
  zfs.add("tank");
  await run([PERIODIC, "tank", "dummy"]);
  assert.equal(zfs.mutations().length, 2);
  clock.advance(20 * 60_000); // 10:50: the 11:00 boundary has not passed
  await run([PERIODIC, "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), []);
  clock.advance(10 * 60_000); // 11:00 exactly: due
  await run([PERIODIC, "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), ["zfs snapshot tank@prod_onsite_2025-03-03_11:00:00_hourly"]);
  clock.advance(13 * HOUR); // 00:00 next day: daily and hourly
  await run([PERIODIC, "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot tank@prod_onsite_2025-03-04_00:00:00_daily",
    "zfs snapshot tank@prod_onsite_2025-03-04_00:00:00_hourly",
  ]);
  await run([PLAN.replace("'hourly': 36, 'daily': 7, ", ""), "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), ["zfs snapshot tank@prod_2025-03-04_00:00:00_adhoc"]);
});

Deno.test("create: anchors shift the schedule; a dataset excluded by a filter means no -r", async () => {
  const { zfs, run, clock } = setup();
  zfs.add("tank", "tank/a", "tank/b");
  await run(["-r", PERIODIC, "tank", "dummy", "--exclude-dataset=b"]);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot tank@prod_onsite_2025-03-03_10:30:00_daily tank/a@prod_onsite_2025-03-03_10:30:00_daily",
    "zfs snapshot tank@prod_onsite_2025-03-03_10:30:00_hourly tank/a@prod_onsite_2025-03-03_10:30:00_hourly",
  ]);
  assert.deepEqual(zfs.names("tank/b"), []);
  clock.advance(10 * 60_000); // 10:40: the hourly boundary with --hourly_minute=45 is 10:45
  await run(["-r", PERIODIC, "tank", "dummy", "--exclude-dataset=b", "--hourly_minute=45"]);
  assert.deepEqual(zfs.mutations(), []);
  clock.advance(5 * 60_000);
  await run(["-r", PERIODIC, "tank", "dummy", "--exclude-dataset=b", "--hourly_minute=45"]);
  assert.equal(zfs.mutations().length, 1);
  clock.advance(30 * 60_000); // 11:15: the default anchor (11:00) has passed, 11:45 has not
  await run(["-r", PERIODIC, "tank", "dummy", "--exclude-dataset=b", "--hourly_minute=45"]);
  assert.deepEqual(zfs.mutations(), []);
  await run(["-r", PERIODIC, "tank", "dummy", "--exclude-dataset=b"]);
  assert.equal(zfs.mutations().length, 1);
});

Deno.test("create: a dataset without snapshots of a label is due at once, others keep their schedule", async () => {
  const { zfs, run, clock } = setup();
  zfs.add("tank", "tank/a");
  await run(["-r", PERIODIC, "tank", "dummy"]);
  zfs.add("tank/new");
  clock.advance(60_000);
  await run(["-r", PERIODIC, "tank", "dummy"]);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot -r tank/new@prod_onsite_2025-03-03_10:31:00_daily",
    "zfs snapshot -r tank/new@prod_onsite_2025-03-03_10:31:00_hourly",
  ]);
});

Deno.test("create: --create-src-snapshots-even-if-not-due, time format and zone", async () => {
  const { zfs, run } = setup();
  zfs.add("tank");
  await run([PERIODIC, "tank", "dummy"]);
  await run([
    PERIODIC,
    "tank",
    "dummy",
    "--create-src-snapshots-even-if-not-due",
    "--create-src-snapshots-timeformat=%Y%m%dT%H%M%S%z",
    "--create-src-snapshots-timezone=+0530",
  ]);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot tank@prod_onsite_20250303T160000z0530_daily",
    "zfs snapshot tank@prod_onsite_20250303T160000z0530_hourly",
  ]);
});

Deno.test("create: --dryrun lists but changes nothing", async () => {
  const { zfs, run } = setup();
  zfs.add("tank", "tank/a");
  const before = zfs.dump();
  await run(["-r", PLAN, "tank", "dummy", "--dryrun"]);
  assert.deepEqual(zfs.mutations(), []);
  assert.deepEqual(zfs.dump(), before);
  assert.ok(zfs.executor.commands.some((c) => c.startsWith("zfs list -t snapshot")));
});

Deno.test("create: a missing plan, a bad plan, a dummy or missing source are errors", async () => {
  const { zfs, run } = setup();
  zfs.add("tank");
  await assert.rejects(run(["tank", "dummy"]), UsageError);
  await assert.rejects(
    run(["tank", "dummy", "--create-src-snapshots-plan={'a_b': {'': {'daily': 1}}}"]),
    UsageError,
  );
  await assert.rejects(
    run(["tank", "dummy", "--create-src-snapshots-plan={'p': {'': {'7hourly': 1}}}"]),
    UsageError,
  );
  await assert.rejects(run([PLAN, "dummy", "backup"]), BzfsError);
  await assert.rejects(run([PLAN, "tank/missing", "dummy"]), /Source dataset does not exist/);
  assert.deepEqual(zfs.mutations(), []);
});

Deno.test("create: --cache-snapshots answers from the cache while snapshots_changed stands still", async () => {
  const { zfs, run, clock } = setup();
  zfs.add("tank", "tank/a");
  const args = ["-r", PERIODIC, "tank", "dummy", "--cache-snapshots"];
  await run(args);
  assert.equal(zfs.mutations().length, 2);
  clock.advance(60_000); // lists (the '=' files changed with the creation), then fills the cache
  await run(args);
  assert.equal(snapshotListings(zfs).length, 1);
  assert.ok(zfs.executor.commands[1].includes("-o snapshots_changed,name"));
  clock.advance(60_000);
  await run(args);
  assert.deepEqual(snapshotListings(zfs), [], "all hits");
  assert.deepEqual(zfs.mutations(), []);
  clock.advance(HOUR); // due from the cached creation time alone
  await run(args);
  assert.deepEqual(snapshotListings(zfs), []);
  assert.deepEqual(zfs.mutations(), [
    "zfs snapshot -r tank@prod_onsite_2025-03-03_11:32:00_hourly",
  ]);
  clock.advance(60_000);
  zfs.snap("tank/a", "prod_onsite_2025-03-03_11:33:00_hourly"); // a third party: a miss
  clock.advance(60_000);
  await run(args);
  assert.equal(snapshotListings(zfs).length, 1);
  assert.ok(snapshotListings(zfs)[0].endsWith("-d 1 tank tank/a"), "both: tank's label files lag");
  clock.advance(60_000);
  await run([...args, "--dryrun"]);
  assert.deepEqual(snapshotListings(zfs), []);
});

Deno.test("create: a snapshots_changed in the same second is not trusted (maturity)", async () => {
  const { zfs, run, clock } = setup();
  zfs.add("tank");
  const args = [PERIODIC, "tank", "dummy", "--cache-snapshots"];
  await run(args);
  clock.advance(60_000);
  await run(args); // lists and fills the cache
  clock.advance(60_000);
  zfs.snap("tank", "other"); // snapshots_changed = now
  await run(args);
  assert.equal(snapshotListings(zfs).length, 1);
});

Deno.test("create: without OpenZFS 2.2 --cache-snapshots is ignored", async () => {
  const { zfs, run, clock, logDir } = setup({ version: "zfs-2.1.11-1" });
  zfs.add("tank");
  for (let i = 0; i < 3; i++) {
    await run([PERIODIC, "tank", "dummy", "--cache-snapshots"]);
    assert.ok(!zfs.executor.commands.some((c) => c.includes("snapshots_changed")));
    assert.equal(snapshotListings(zfs).length, 1);
    clock.advance(60_000);
  }
  assert.throws(() => Deno.statSync(`${logDir}/.cache`), Deno.errors.NotFound);
});
