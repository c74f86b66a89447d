import assert from "node:assert/strict";
import { buildBzfsConfig } from "../../lib/cli/bzfs_config.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";
import { FakeClock, systemClock } from "../../lib/clock.ts";
import { InterruptedError, LockHeldError, ReplicationConflictError } from "../../lib/errors.ts";
import type { Executor } from "../../lib/exec/executor.ts";
import { CommandTimeoutError } from "../../lib/exec/failure.ts";
import { runJob, type RunJobOptions } from "../../lib/job/run_job.ts";
import { Deadline, JobTimeoutError, withDeadline } from "../../lib/job/timeout.ts";
import { RealExecutor } from "../../lib/exec/real_executor.ts";
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

// ---- daemon mode, --timeout, pair-level errors, signals, env (issue 9) ----

/** A clock whose sleeps run a hook first (e.g. new source snapshots between daemon iterations). */
class HookClock extends FakeClock {
  constructor(start: number, readonly onSleep: (ms: number) => void) {
    super(start);
  }
  override sleep(ms: number): Promise<void> {
    this.onSleep(ms);
    return super.sleep(ms);
  }
}

function setup(argv: string[], zfs: FakeZfs, extra: Partial<RunJobOptions> = {}) {
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const config = buildBzfsConfig(argv, quiet);
  const options: RunJobOptions = {
    executor: zfs.executor,
    clock: new FakeClock(Date.parse("2025-01-01T00:00:30Z")),
    logDir,
    handleSignals: false,
    ...extra,
  };
  return { config, options, logDir, lockFile: lockFilePath(config, logDir) };
}

function detections(zfs: FakeZfs): number {
  return zfs.executor.calls.filter((c) => c.argv[0] === "sh").length;
}

Deno.test("daemon: repeats on the frequency's boundaries, replicating new snapshots each time", async () => {
  const zfs = new FakeZfs().add("tank/a", "s0").add("backup");
  let n = 0;
  const clock = new HookClock(
    Date.parse("2025-01-01T00:00:30Z"),
    () => zfs.snapshot("tank/a", `s${++n}`),
  );
  const { config, options } = setup(
    ["tank/a", "backup/a", "--daemon-lifetime=3minutes", "--daemon-frequency=minutely"],
    zfs,
    { clock },
  );
  await runJob(config, options);
  // iterations at 00:00:30, 00:01, 00:02, 00:03 (the lifetime ends at 00:03:30)
  assert.equal(clock.now(), Date.parse("2025-01-01T00:03:30Z"));
  assert.deepEqual(zfs.names("backup/a"), ["s0", "s1", "s2", "s3"]);
  assert.equal(zfs.names("tank/a").length, 5, "the last sleep added s4, never replicated");
  assert.equal(detections(zfs), 1, "tool detection (local: one host key) cached for 300 s");
});

Deno.test("daemon: --daemon-remote-conf-cache-ttl=0seconds re-detects every iteration", async () => {
  const zfs = new FakeZfs().add("tank/a", "s0").add("backup");
  const { config, options } = setup([
    "tank/a",
    "backup/a",
    "--daemon-lifetime=2minutes",
    "--daemon-remote-conf-cache-ttl=0seconds",
  ], zfs);
  await runJob(config, options);
  // 3 iterations (00:00:30, 00:01, 00:02) x 2 prepared hosts, each detecting afresh
  assert.ok(detections(zfs) >= 2 * 3, `detections: ${detections(zfs)}`);
});

Deno.test("daemon: a failing pair is logged and tolerated; the run ends normally (exit 0)", async () => {
  const zfs = new FakeZfs().add("tank/b", "s1").add("backup");
  const { config, options, lockFile } = setup([
    "tank/nope",
    "backup/a",
    "tank/b",
    "backup/b",
    "--daemon-lifetime=1minutes",
  ], zfs);
  await runJob(config, options);
  assert.deepEqual(zfs.guids("backup/b"), zfs.guids("tank/b"));
  assert.equal(await Deno.stat(lockFile).then(() => true, () => false), false, "lock removed");
});

Deno.test("no daemon: the next pair still runs, then the first error is re-raised", async () => {
  const zfs = new FakeZfs().add("tank/b", "s1").add("backup");
  const { config, options } = setup(["tank/nope", "backup/a", "tank/b", "backup/b"], zfs);
  await assert.rejects(runJob(config, options), /Source dataset does not exist: tank\/nope/);
  assert.deepEqual(zfs.guids("backup/b"), zfs.guids("tank/b"), "pair 2 ran");
});

Deno.test("--skip-on-error=fail: the first failing pair ends the run", async () => {
  const zfs = new FakeZfs().add("tank/b", "s1").add("backup");
  const { config, options } = setup(
    ["tank/nope", "backup/a", "tank/b", "backup/b", "--skip-on-error=fail"],
    zfs,
  );
  await assert.rejects(runJob(config, options), /tank\/nope/);
  assert.equal(zfs.datasets.has("backup/b"), false, "pair 2 never ran");
});

Deno.test("an unexpected (non-bzfs) error ends the run at once, even in daemon mode", async () => {
  const zfs = new FakeZfs().add("tank/b", "s1").add("backup");
  const boom: Executor = {
    run: (spec) =>
      spec.argv[0] === "sh" ? Promise.reject(new TypeError("bug")) : zfs.executor.run(spec),
    runPipeline: (p, o) => zfs.executor.runPipeline(p, o),
  };
  const { config, options } = setup(["tank/b", "backup/b", "--daemon-lifetime=1minutes"], zfs, {
    executor: boom,
  });
  await assert.rejects(runJob(config, options), TypeError);
});

/** An executor whose pipelines hang until their timeout or abort, like a stuck zfs receive. */
function hangingPipelines(zfs: FakeZfs): Executor & { timeouts: (number | undefined)[] } {
  const timeouts: (number | undefined)[] = [];
  return {
    timeouts,
    run: (spec) => zfs.executor.run(spec),
    runPipeline: (p, opts = {}) => {
      timeouts.push(opts.timeoutMs);
      return new Promise((_, reject) => {
        const fail = () => reject(new CommandTimeoutError(p.argv, opts.timeoutMs ?? 0));
        const id = setTimeout(fail, opts.timeoutMs ?? 60_000);
        opts.signal?.addEventListener("abort", () => {
          clearTimeout(id);
          fail();
        });
      });
    },
  };
}

Deno.test("--timeout: a stuck transfer is killed at the deadline and the run fails with exit 3", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const executor = hangingPipelines(zfs);
  const { config, options } = setup(["tank/a", "backup/a", "--timeout=300milliseconds"], zfs, {
    executor,
    clock: systemClock,
  });
  const t0 = performance.now();
  await assert.rejects(runJob(config, options), (e: unknown) => {
    assert.ok(e instanceof JobTimeoutError, String(e));
    assert.match(e.message, /--timeout of 300 ms expired/);
    assert.equal(exitCodeOf(e), 3);
    return true;
  });
  assert.ok(performance.now() - t0 < 3000, "did not wait for the 60 s hang");
  assert.ok(executor.timeouts[0]! <= 300, "the pipeline got the remaining time as its timeout");
});

Deno.test("--timeout in daemon mode: logged and tolerated per pair; the daemon goes on", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const executor = hangingPipelines(zfs);
  const { config, options } = setup(
    [
      "tank/a",
      "backup/a",
      "--timeout=100milliseconds",
      "--daemon-lifetime=1seconds",
      "--daemon-frequency=500millisecondly",
    ],
    zfs,
    { executor, clock: systemClock },
  );
  await runJob(config, options);
  assert.ok(
    executor.timeouts.length >= 2,
    `one timed-out transfer per iteration: ${executor.timeouts.length}`,
  );
});

Deno.test("abort (like SIGTERM) stops the run: InterruptedError (exit 143), lock released", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const controller = new AbortController();
  const executor = hangingPipelines(zfs);
  const { config, options, lockFile } = setup(
    ["tank/a", "backup/a", "--daemon-lifetime=1hours"],
    zfs,
    { executor, clock: systemClock, signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(runJob(config, options), (e: unknown) => {
    assert.ok(e instanceof InterruptedError);
    assert.equal(exitCodeOf(e), 143);
    return true;
  });
  assert.equal(await Deno.stat(lockFile).then(() => true, () => false), false);
  const again = acquireJobLock(lockFile);
  again.release();
});

Deno.test("invalid --daemon-frequency: exit 3 before the lock is taken or anything runs", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const { config, options, lockFile } = setup(
    ["tank/a", "backup/a", "--daemon-frequency=1second"],
    zfs,
  );
  await assert.rejects(runJob(config, options), (e: unknown) => exitCodeOf(e) === 3);
  assert.equal(zfs.executor.calls.length, 0);
  assert.equal(await Deno.stat(lockFile).then(() => true, () => false), false);
});

Deno.test("--exclude-envvar-regex cleans the environment before any command runs", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  const vars: Record<string, string> = { LD_PRELOAD: "/x.so", PATH: "/bin", LD_KEEP: "1" };
  let seenAtFirstCommand: string[] | undefined;
  const spy: Executor = {
    run: (spec) => {
      seenAtFirstCommand ??= Object.keys(vars).sort();
      return zfs.executor.run(spec);
    },
    runPipeline: (p, o) => zfs.executor.runPipeline(p, o),
  };
  const { config, options } = setup(
    [
      "tank/a",
      "backup/a",
      "--exclude-envvar-regex",
      "LD_.*",
      "--include-envvar-regex",
      "LD_KEEP",
    ],
    zfs,
    {
      executor: spy,
      env: { toObject: () => ({ ...vars }), delete: (n) => void delete vars[n] },
    },
  );
  await runJob(config, options);
  assert.deepEqual(seenAtFirstCommand, ["LD_KEEP", "PATH"]);
});

Deno.test("--timeout with the real executor: the child's whole process group is killed", async () => {
  const deadline = new Deadline(300, { clock: systemClock });
  deadline.arm();
  const executor = withDeadline(new RealExecutor({ killAfterMs: 500 }), deadline);
  const secs = (30 + Math.random()).toFixed(6); // an unusual duration names the grandchild
  const marker = `sleep ${secs}`;
  const t0 = performance.now();
  await assert.rejects(
    executor.run({ argv: ["sh", "-c", `${marker} & ${marker}; true`] }),
    CommandTimeoutError,
  );
  assert.ok(performance.now() - t0 < 3000);
  const ps = await new Deno.Command("ps", { args: ["-eo", "args"], stdout: "piped" }).output();
  assert.ok(!new TextDecoder().decode(ps.stdout).includes(marker), "grandchildren killed too");
  await assert.rejects(executor.run({ argv: ["true"] }), JobTimeoutError, "nothing starts after");
  deadline.disarm();
});

Deno.test("--preserve-properties leaves out what zfs receive -x refuses", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1").add("backup");
  await run(zfs, [
    "tank/a",
    "backup/a",
    "--preserve-properties=mountpoint",
    "--preserve-properties",
    "mountpoint",
    "volsize",
    "encryption",
    "keylocation",
    "sharenfs",
  ]);
  const full = zfs.executor.pipelines[0].display;
  assert.match(full, /zfs receive -s -F -u -x mountpoint -x sharenfs /);
  assert.doesNotMatch(full, /-x (volsize|encryption|keylocation)/);
});

Deno.test("--zpool-program=- treats bookmarks and resumable receives as unavailable", async () => {
  const zfs = new FakeZfs().add("tank/a", "s1", "s2").add("backup");
  await run(zfs, ["tank/a", "backup/a", "--zpool-program=-"]);
  assert.deepEqual(zfs.guids("backup/a"), zfs.guids("tank/a"));
  assert.deepEqual(zfs.names("tank/a", "#"), [], "no bookmarks created");
  for (const p of zfs.executor.pipelines) assert.doesNotMatch(p.display, /zfs receive -s /);
});
