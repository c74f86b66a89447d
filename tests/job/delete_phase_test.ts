import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { checkImplemented } from "../../lib/cli/unimplemented.ts";
import { FakeClock } from "../../lib/clock.ts";
import { BzfsError } from "../../lib/errors.ts";
import { runJob } from "../../lib/job/run_job.ts";
import { LifecycleZfs } from "./_lifecycle_zfs.ts";

const quiet = { write: { out: () => {}, err: () => {} } };
const HOUR = 3600;
const T0 = Date.parse("2025-03-10T12:00:00Z");

function setup() {
  const clock = new FakeClock(T0);
  const zfs = new LifecycleZfs(clock);
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const run = async (argv: string[]) => {
    // positionals first: an option with an optional value would take a following dataset
    const positionals = argv.slice(-2); // every call ends with SRC DST
    const options = argv.slice(0, -2);
    const config = buildBzfsConfig(
      [...positionals, "--skip-replication", `--log-dir=${logDir}`, ...options],
      quiet,
    );
    checkImplemented(config.given);
    zfs.executor.commands.length = 0;
    await runJob(config, {
      executor: zfs.executor,
      clock,
      logDir,
      handleSignals: false,
    });
  };
  return { clock, zfs, run };
}

/** src and dst with s1..s3 in common (same GUIDs), and dst-only extras. */
function replicated(zfs: LifecycleZfs, extras: string[] = ["x1", "x2"]) {
  zfs.add("tank/a", "bak/a");
  for (const s of ["s1", "s2", "s3"]) {
    const e = zfs.snap("tank/a", s);
    zfs.snap("bak/a", s, { guid: e.guid, txg: e.txg });
  }
  for (const x of extras) zfs.snap("bak/a", x);
}

Deno.test("delete snapshots: only selected dst snapshots whose GUID is not on the source, in one comma batch", async () => {
  const { zfs, run } = setup();
  replicated(zfs, ["x1", "x2", "y1"]);
  zfs.executor.commands.length = 0;
  await run(["--delete-dst-snapshots", "--include-snapshot-regex=x.*", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.mutations(), ["zfs destroy -v bak/a@x1,x2"]);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3", "y1"]);
  await run(["--delete-dst-snapshots", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3"]);
  await run(["--delete-dst-snapshots", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.mutations(), [], "nothing left to delete: no command");
});

Deno.test("delete snapshots: the crosscheck keeps a dst snapshot whose GUID the source has as a bookmark", async () => {
  const { zfs, run } = setup();
  replicated(zfs, []);
  const s1 = zfs.entries.get("tank/a")!.find((e) => e.name === "s1")!;
  zfs.snap("tank/a", "s1", { kind: "#", guid: s1.guid, txg: s1.txg });
  zfs.entries.set("tank/a", zfs.entries.get("tank/a")!.filter((e) => e !== s1));
  await run(["--delete-dst-snapshots", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3"], "GUID of s1 is on src as a bookmark");
  await run(["--delete-dst-snapshots", "--delete-dst-snapshots-no-crosscheck", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a"), ["s2", "s3"], "same kind only: the bookmark does not count");
});

Deno.test("delete snapshots: the latest common snapshot is never deleted, even if the rules choose it", async () => {
  const { zfs, run } = setup();
  replicated(zfs, []);
  await run([
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-except",
    "--include-snapshot-regex=nothing",
    "tank/a",
    "bak/a",
  ]);
  assert.deepEqual(zfs.names("bak/a"), ["s3"]);
});

Deno.test("delete snapshots: except mode with a real source keeps selected AND on source", async () => {
  const { zfs, run } = setup();
  replicated(zfs, ["s9", "x1"]); // s9 matches the keep filter but is not on the source
  zfs.snap("tank/a", "s4");
  await run([
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-except",
    "--include-snapshot-regex=s.*",
    "--include-snapshot-times-and-ranks",
    "notime",
    "latest 2",
    "tank/a",
    "bak/a",
  ]);
  // keep = latest 2 of s* on dst (s3, s9) that are also on src = s3; s1, s2, s9, x1 go
  assert.deepEqual(zfs.names("bak/a"), ["s3"]);
});

Deno.test("delete snapshots: dummy source with an except plan keeps exactly the plan", async () => {
  const { zfs, run } = setup();
  zfs.add("bak/a");
  // 48 hourlies (one per hour, newest at T0), 10 dailies, 3 other snapshots
  for (let h = 47; h >= 0; h--) {
    zfs.snap("bak/a", `prod_2025-03-10_h${String(47 - h).padStart(2, "0")}_hourly`, {
      creation: T0 / 1000 - h * HOUR,
    });
  }
  for (let d = 9; d >= 0; d--) {
    zfs.snap("bak/a", `prod_2025-03-10_d${9 - d}_daily`, {
      creation: T0 / 1000 - d * 24 * HOUR - 1,
    });
  }
  zfs.snap("bak/a", "manual1");
  zfs.snap("bak/a", "prod_onsite_d_daily");
  const before = zfs.names("bak/a");
  await run([
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-except-plan={'prod': {'': {'hourly': 24, 'daily': 3}}}",
    "--dryrun",
    "dummy",
    "bak/a",
  ]);
  assert.deepEqual(zfs.names("bak/a"), before, "dry run changes nothing");
  assert.ok(zfs.mutations().every((c) => c.startsWith("zfs destroy -n -v bak/a@")));
  await run([
    "--delete-dst-snapshots",
    "--delete-dst-snapshots-except-plan={'prod': {'': {'hourly': 24, 'daily': 3}}}",
    "dummy",
    "bak/a",
  ]);
  const left = zfs.names("bak/a");
  // hourly: created at or after 24 hours ago (h23 exactly at the bound .. h47), plus the latest 24
  assert.deepEqual(left.filter((n) => n.endsWith("_hourly")).length, 25);
  assert.equal(left.filter((n) => n.endsWith("_hourly"))[0], "prod_2025-03-10_h23_hourly");
  // daily: created within 3 days, plus the latest 3 = d7, d8, d9
  assert.deepEqual(left.filter((n) => n.endsWith("_daily")), [
    "prod_2025-03-10_d7_daily",
    "prod_2025-03-10_d8_daily",
    "prod_2025-03-10_d9_daily",
  ]);
  assert.ok(!left.includes("manual1"), "not in the plan: deleted (dummy source, except mode)");
  assert.ok(!left.includes("prod_onsite_d_daily"), "a target infix does not match an empty target");
});

Deno.test("delete snapshots: held snapshots are skipped silently", async () => {
  const { zfs, run } = setup();
  replicated(zfs, ["x1", "x2"]);
  zfs.entries.get("bak/a")!.find((e) => e.name === "x1")!.userrefs = 1;
  await run(["--delete-dst-snapshots", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3", "x1"]);
});

Deno.test("delete snapshots: bookmark mode deletes bookmarks only, filtered like snapshots", async () => {
  const { zfs, run } = setup();
  replicated(zfs, []);
  zfs.snap("bak/a", "b1", { kind: "#" });
  zfs.snap("bak/a", "b2", { kind: "#" });
  zfs.snap("bak/a", ".TMPBZFS.x", { kind: "#" });
  await run(["--delete-dst-snapshots=bookmarks", "--include-snapshot-regex=b1", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.mutations(), ["zfs destroy -v 'bak/a#b1'"]);
  await run(["--delete-dst-snapshots=bookmarks", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a", "#"), [".TMPBZFS.x"], "temporary bookmarks stay");
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3"]);
  // --force-delete-dst-tmp-bookmarks alone runs the bookmark mode with them as candidates;
  // a dry run runs no destroy at all (zfs has no `destroy -n` for bookmarks)
  await run(["--force-delete-dst-tmp-bookmarks", "--dryrun", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a", "#"), [".TMPBZFS.x"], "dry run");
  assert.ok(!zfs.mutations().some((m) => m.includes(".TMPBZFS.")), "no destroy in a dry run");
  await run(["--force-delete-dst-tmp-bookmarks", "tank/a", "bak/a"]);
  assert.deepEqual(zfs.names("bak/a", "#"), []);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3"]);
});

Deno.test("delete snapshots: many names are batched into few commands, never as % ranges", async () => {
  const { zfs, run } = setup();
  zfs.add("bak/a");
  for (let i = 0; i < 3000; i++) zfs.snap("bak/a", `snapshot_name_${String(i).padStart(5, "0")}`);
  zfs.snap("bak/a", "keep");
  await run(["--delete-dst-snapshots", "--exclude-snapshot-regex=keep", "dummy", "bak/a"]);
  const cmds = zfs.mutations();
  assert.ok(cmds.length >= 1 && cmds.length <= 2, `${cmds.length} commands`);
  assert.ok(cmds.every((c) => !c.includes("%") && c.length < 128 * 1024));
  assert.deepEqual(zfs.names("bak/a"), ["keep"]);
});

Deno.test("delete datasets: orphans go with -r, never a non-selected dataset or its ancestors", async () => {
  const { zfs, run } = setup();
  zfs.add("tank", "tank/a");
  zfs.add("bak", "bak/a", "bak/x", "bak/x/y", "bak/z", "bak/z/keep");
  await run(["-r", "--delete-dst-datasets", "--exclude-dataset=z/keep", "tank", "bak"]);
  assert.deepEqual(zfs.mutations(), ["zfs destroy -r -v bak/x"]);
  assert.deepEqual([...zfs.datasets.keys()].filter((d) => d.startsWith("bak")).sort(), [
    "bak",
    "bak/a",
    "bak/z",
    "bak/z/keep",
  ]);
});

Deno.test("delete datasets: a dummy source deletes every selected dataset; dry run changes nothing", async () => {
  const { zfs, run } = setup();
  zfs.add("bak", "bak/a", "bak/b");
  await run(["-r", "--delete-dst-datasets", "--skip-parent", "-n", "dummy", "bak"]);
  assert.deepEqual(zfs.mutations(), ["zfs destroy -r -n -v bak/a", "zfs destroy -r -n -v bak/b"]);
  assert.equal(zfs.datasets.size, 3);
  await run(["-r", "--delete-dst-datasets", "--skip-parent", "dummy", "bak"]);
  assert.deepEqual([...zfs.datasets.keys()], ["bak"]);
});

Deno.test("delete empty datasets: leaf-up, bookmarks count unless =snapshots", async () => {
  const { zfs, run } = setup();
  zfs.add("tank");
  zfs.add("bak", "bak/e", "bak/e/f", "bak/full", "bak/bm", "bak/p", "bak/p/c");
  zfs.snap("bak/full", "s1");
  zfs.snap("bak/bm", "b1", { kind: "#" });
  zfs.snap("bak/p/c", "s1");
  await run(["-r", "--delete-empty-dst-datasets", "--skip-parent", "tank", "bak"]);
  assert.deepEqual([...zfs.datasets.keys()].sort(), [
    "bak",
    "bak/bm",
    "bak/full",
    "bak/p",
    "bak/p/c",
    "tank",
  ]);
  await run(["-r", "--delete-empty-dst-datasets=snapshots", "--skip-parent", "tank", "bak"]);
  assert.ok(!zfs.datasets.has("bak/bm"));
  await run(["--delete-empty-dst-datasets", "tank", "bak/p"]);
  assert.deepEqual(zfs.mutations(), [], "a no-op without --recursive");
});

Deno.test("delete: the three phases run in upstream order within one run", async () => {
  const { zfs, run } = setup();
  zfs.add("tank", "tank/a");
  zfs.add("bak", "bak/a", "bak/gone", "bak/empty");
  zfs.snap("bak/a", "x");
  zfs.snap("bak/gone", "x");
  await run([
    "-r",
    "--skip-parent",
    "--delete-dst-datasets",
    "--delete-dst-snapshots",
    "--delete-empty-dst-datasets",
    "tank",
    "bak",
  ]);
  assert.deepEqual(zfs.mutations(), [
    "zfs destroy -r -v bak/empty",
    "zfs destroy -r -v bak/gone",
    "zfs destroy -v bak/a@x",
    "zfs destroy -r -v bak/a",
  ]);
});

Deno.test("delete: a missing real source, or a dummy destination, deletes nothing", async () => {
  const { zfs, run } = setup();
  zfs.add("bak", "bak/a");
  zfs.snap("bak/a", "x");
  const before = zfs.dump();
  await assert.rejects(
    run(["-r", "--delete-dst-datasets", "--delete-dst-snapshots", "tank/typo", "bak"]),
    /Source dataset does not exist: tank\/typo: nothing was deleted/,
  );
  await assert.rejects(run(["--delete-dst-snapshots", "bak", "dummy"]), BzfsError);
  assert.deepEqual(zfs.dump(), before);
  assert.deepEqual(zfs.mutations(), []);
});

Deno.test("delete snapshots: a missing destination is a warning, not an error", async () => {
  const { zfs, run } = setup();
  zfs.add("tank");
  await run(["--delete-dst-snapshots", "tank", "bak/none"]);
  assert.deepEqual(zfs.mutations(), []);
});

Deno.test("delete snapshots: an except plan alone does not enable deletion", async () => {
  const { zfs, run } = setup();
  replicated(zfs, ["x1"]);
  await run([
    "--delete-dst-snapshots-except-plan={'prod': {'': {'daily': 1}}}",
    "--delete-dst-datasets",
    "tank/a",
    "bak/a",
  ]);
  assert.deepEqual(zfs.mutations(), []);
  assert.deepEqual(zfs.names("bak/a"), ["s1", "s2", "s3", "x1"]);
});
