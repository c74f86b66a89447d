/**
 * Fault injection against real OpenZFS (issue 9): SIGKILL mid-send then resume, an ssh connection
 * cut mid-send then retry, a full destination pool, two concurrent runs of one job, and SIGTERM
 * during a recursive run leaving no orphan process on either side.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Lab, labFile } from "../lab/helpers.ts";
import { fillRandom, guestMatching, hostMatching, killTree, settle, spawnCli } from "./_procs.ts";

const lab = labFile();

function logDirArgs(): string[] {
  return ["--log-dir", `${Deno.makeTempDirSync({ prefix: "faults." })}/bzfs-logs`];
}

async function snapshotIds(l: Lab, ds: string, types = "snapshot"): Promise<string[]> {
  return (await l.snapshots(ds, { types })).map((s) =>
    `${s.name.replace(/^[^@#]*/, "")} ${s.guid}`
  );
}

async function resumeToken(l: Lab, ds: string): Promise<string> {
  const r = await l.exec(["zfs", "get", "-H", "-o", "value", "receive_resume_token", ds], {
    noThrow: true,
  });
  return r.code === 0 ? r.stdout.trim() : "";
}

for (
  const [variant, sendOpts] of [
    ["default send options (--raw --compressed)", []],
    ["--zfs-send-program-opts=--compressed", ["--zfs-send-program-opts=--compressed"]],
  ] as const
) {
  lab.test(`SIGKILL of the whole job mid-send, then zfs send -t resumes; ${variant}`, async (l) => {
    const name = sendOpts.length === 0 ? "kill" : "killc";
    const src = `${l.src}/${name}`;
    const dst = `${l.dst}/${name}`;
    await l.zfs("create", src);
    await fillRandom(l, src, 200); // 200 MiB, as the issue asks
    await l.zfs("snapshot", `${src}@s1`);
    // paced so the kill lands mid-stream however fast the machine is (200 MiB at <= 8 MiB/s)
    const args = [...logDirArgs(), "-v", "-v", "--bwlimit=8m", ...sendOpts];
    const cli = spawnCli(l, { src, dst, args, mode: "pull" });
    await cli.waitFor(/zfs send .*@s1.*\| .*zfs receive/);
    // let some data arrive, then cut power to this job: the CLI and every descendant at once
    // a resume token needs received data synced in a txg (every 5 s): kill after 10 s
    await new Promise((r) => setTimeout(r, 10000));
    const killed = killTree(cli.pid);
    const first = await cli.done();
    assert.equal(first.signal, "SIGKILL", first.stderr);
    assert.ok(killed.length > 2, `killed the whole tree: ${killed}`);
    const token = await settleToken(l, dst);
    assert.notEqual(token, "", "the interrupted receive left a resume token");
    const again = await l.runCli({ src, dst, args, mode: "pull" });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /deleting partially received state/, again.stderr);
    assert.match(again.stderr, /zfs send -t 1-/, `resumed from the token:\n${again.stderr}`);
    assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
    assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
    assert.equal(await resumeToken(l, dst), "-");
  });
}

/** The receive in the guest may still be winding down; wait until the token shows. */
async function settleToken(l: Lab, ds: string): Promise<string> {
  const until = Date.now() + 20_000;
  for (;;) {
    const t = await resumeToken(l, ds);
    if ((t !== "" && t !== "-") || Date.now() > until) return t === "-" ? "" : t;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The ControlPath of the dedicated (send/receive) connection, from the -v -v pipeline line:
 * `~/.ssh/bzfs/<ns>/c/d<id>` (pooled), or `<run dir>/<n>d<n>` (per run).
 */
function dedicatedControlPath(stderr: string): string {
  const m = /-S (\/\S+\/(?:c\/d[\w-]{11}|\d+d\d+)) .*zfs receive/.exec(stderr);
  if (!m) throw new Error(`No dedicated control path in:\n${stderr}`);
  return m[1];
}

/** A regex matching any process that mentions one of the run's ControlPaths, or `extra`. */
function runProcesses(stderr: string, extra: string): RegExp {
  const paths = new Set([...stderr.matchAll(/-S (\/\S+)/g)].map((m) => m[1]));
  const escaped = [...paths].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp([...escaped, extra].join("|"));
}

lab.test("ssh connection cut mid-send: the transfer is retried and completes", async (l) => {
  const src = `${l.src}/cut`;
  const dst = `${l.dst}/cut`;
  await l.zfs("create", src);
  await fillRandom(l, src, 24);
  await l.zfs("snapshot", `${src}@s1`);
  // paced (24 MiB at <= 2 MiB/s) so the cut lands mid-stream however fast the machine is
  const args = [...logDirArgs(), "-v", "-v", "--bwlimit=2m"];
  const cli = spawnCli(l, { src, dst, args, mode: "push" });
  await cli.waitFor(/zfs send .*@s1.*\| .*zfs receive/);
  await new Promise((r) => setTimeout(r, 4000));
  const path = dedicatedControlPath(cli.stderr);
  // the master process of the dedicated connection carries the TCP connection: kill it
  const masters = hostMatching(new RegExp(`ssh: ${path.replaceAll(".", "\\.")} \\[mux\\]`));
  assert.equal(masters.length, 1, `one master for ${path}: ${masters}`);
  Deno.kill(Number(masters[0].split(" ")[0]), "SIGKILL");
  const r = await cli.done();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Retrying src\/cut \(1\/2\)/, "the failure was retried");
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
});

lab.test("destination pool full: clear error, source untouched, later run succeeds", async (l) => {
  const img = "/var/tmp/pools/tiny.img";
  await l.sh(`zpool destroy tiny 2>/dev/null; rm -f ${img}; truncate -s 256M ${img}`);
  await l.sh(`zpool create -O compression=off -O mountpoint=/tiny tiny ${img}`);
  try {
    const src = `${l.src}/full`;
    await l.zfs("create", src);
    await fillRandom(l, src, 12);
    await l.zfs("snapshot", `${src}@s1`);
    // a filler reservation (instant; writing that much into a nearly full pool takes minutes)
    // leaves 4 MiB: less room than the 12 MiB stream needs
    const avail = Number(await l.zfs("get", "-Hp", "-o", "value", "available", "tiny"));
    await l.zfs("create", "-o", `reservation=${avail - 4 * (1 << 20)}`, "tiny/filler");
    const before = await snapshotIds(l, src);
    const sum = await l.checksum(`${src}@s1`);
    const args = [...logDirArgs(), "--retries=1"];
    const r = await l.runCli({ src, dst: "tiny/full", args });
    assert.equal(r.code, 3, r.stderr); // zfs receive's exit 1 is reported as 3
    assert.match(r.stderr, /out of space/, r.stderr);
    assert.match(r.stderr, /Exiting bzfs with status code \d+\. Cause: .*out of space/);
    assert.deepEqual(await snapshotIds(l, src), before, "source snapshots unchanged");
    assert.equal(await l.checksum(`${src}@s1`), sum, "source content unchanged");
    await l.zfs("destroy", "tiny/filler");
    const again = await l.runCli({ src, dst: "tiny/full", args });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await snapshotIds(l, "tiny/full"), before);
    assert.equal(await l.checksum("tiny/full@s1"), sum);
  } finally {
    await l.sh(`zpool destroy -f tiny; rm -f ${img}`);
  }
});

lab.test("two concurrent runs of one job: exactly one runs, the other exits 4", async (l) => {
  const src = `${l.src}/twice`;
  const dst = `${l.dst}/twice`;
  await l.zfs("create", src);
  await fillRandom(l, src, 16);
  await l.zfs("snapshot", `${src}@s1`);
  // paced (16 MiB at <= 2 MiB/s) so the signals land mid-stream however fast the machine is
  const args = [...logDirArgs(), "-v", "-v", "--bwlimit=2m"];
  const first = spawnCli(l, { src, dst, args, mode: "pull" });
  await first.waitFor(/zfs send .*@s1.*\| .*zfs receive/);
  const second = await l.runCli({ src, dst, args, mode: "pull" });
  assert.equal(second.code, 4, second.stderr);
  assert.match(
    second.stderr,
    /Exiting as same previous periodic job is still running without completion yet per \S+\.lock/,
  );
  assert.doesNotMatch(second.stderr, /zfs send/, "the second run started nothing");
  const r = await first.done();
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
});

lab.test("SIGTERM during a recursive run: exit 143, no orphans on host or guest, lock released", async (l) => {
  const src = `${l.src}/term9x`;
  const dst = `${l.dst}/term9x`;
  await l.zfs("create", src);
  for (const c of ["c1", "c2", "c3", "c4"]) {
    await l.zfs("create", `${src}/${c}`);
    await fillRandom(l, `${src}/${c}`, 8);
  }
  await l.zfs("snapshot", "-r", `${src}@s1`);
  const logDir = `${Deno.makeTempDirSync({ prefix: "faults." })}/bzfs-logs`;
  // paced so the SIGTERM lands mid-stream however fast the machine is
  const args = ["--log-dir", logDir, "-v", "-v", "-r", "--threads=2", "--bwlimit=2m"];
  const cli = spawnCli(l, { src, dst, args, mode: "pull" });
  await cli.waitFor(/zfs send .*term9x\/c\d@s1.*\| .*zfs receive/);
  await new Promise((r) => setTimeout(r, 3000));
  dedicatedControlPath(cli.stderr); // the transfer runs over a dedicated master
  Deno.kill(cli.pid, "SIGTERM");
  const r = await cli.done();
  assert.equal(r.code, 143, r.stderr);
  assert.match(r.stderr, /Received SIGTERM; stopping/);
  assert.match(r.stderr, /Exiting bzfs with status code 143/);
  const ours = runProcesses(r.stderr, "term9x");
  assert.deepEqual(await settle(() => hostMatching(ours)), [], "no orphan on the host");
  assert.deepEqual(
    await settle(() => guestMatching(l, /zfs (send|receive)|term9x|mbuffer|zstd/)),
    [],
    "no orphan in the guest",
  );
  const locks = [...Deno.readDirSync(`${logDir}/.locks`)].map((e) => e.name);
  assert.deepEqual(locks, [], "lock file removed");
  // the interrupted job can run again at once and completes
  const again = await l.runCli({ src, dst, args, mode: "pull" });
  assert.equal(again.code, 0, again.stderr);
  for (const c of ["c1", "c2", "c3", "c4"]) {
    assert.deepEqual(await snapshotIds(l, `${dst}/${c}`), await snapshotIds(l, `${src}/${c}`));
  }
});

lab.test("daemon mode: repeats every 10 s on one ssh master and one detection; SIGTERM ends it", async (l) => {
  const src = `${l.src}/daemon`;
  const dst = `${l.dst}/daemon`;
  await l.createDataset(src, { files: [{ path: "f", size: 1 << 16 }] });
  await l.zfs("snapshot", `${src}@s1`);
  const args = [
    ...logDirArgs(),
    "-v",
    "-v",
    "--daemon-lifetime=10minutes",
    "--daemon-frequency=10secondly",
  ];
  const cli = spawnCli(l, { src, dst, args, mode: "pull" });
  await cli.waitFor(/Daemon sleeping for/);
  const detect = /Executing: .*command -v sudo/g;
  const firstDetections = cli.stderr.match(detect)?.length ?? 0;
  assert.equal(firstDetections, 2, "src (ssh) and dst (local) detected once");
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  await l.zfs("snapshot", `${src}@s2`);
  const iterations = () => cli.stderr.match(/Daemon sleeping for/g)?.length ?? 0;
  const until = Date.now() + 60_000;
  while (iterations() < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  assert.ok(iterations() >= 3, cli.stderr);
  Deno.kill(cli.pid, "SIGTERM");
  const r = await cli.done();
  assert.equal(r.code, 143, r.stderr);
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src), "s2 replicated");
  const detections = r.stderr.match(detect) ?? [];
  assert.equal(detections.length, firstDetections, "tool detection cached across iterations");
  const shared = new Set(r.stderr.match(/-S \S+\/(?:c\/s[\w-]{11}|1s\d+)/g));
  assert.equal(shared.size, 1, `one shared ssh master: ${[...shared]}`);
  const sleeps = [...r.stderr.matchAll(/\[I\] Daemon sleeping for: ([\d.]+)(ms|s)/g)];
  for (const [, n, unit] of sleeps) {
    assert.ok(Number(n) * (unit === "s" ? 1000 : 1) <= 10_000, `sleep ${n}${unit} within a period`);
  }
});

lab.test("Ctrl-C twice mid-send: exit 130 at once, no orphan, the job runs again", async (l) => {
  const src = `${l.src}/int2x`;
  const dst = `${l.dst}/int2x`;
  await l.zfs("create", src);
  await fillRandom(l, src, 16);
  await l.zfs("snapshot", `${src}@s1`);
  // paced (16 MiB at <= 2 MiB/s) so the signals land mid-stream however fast the machine is
  const args = [...logDirArgs(), "-v", "-v", "--bwlimit=2m"];
  const cli = spawnCli(l, { src, dst, args, mode: "pull" });
  await cli.waitFor(/zfs send .*@s1.*\| .*zfs receive/);
  await new Promise((r) => setTimeout(r, 2000));
  dedicatedControlPath(cli.stderr); // the transfer runs over a dedicated master
  const t0 = Date.now();
  Deno.kill(cli.pid, "SIGINT");
  await new Promise((r) => setTimeout(r, 30));
  try {
    Deno.kill(cli.pid, "SIGINT");
  } catch (e) {
    // the first Ctrl-C may already have finished the job (exit 130): nothing left to interrupt
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const r = await cli.done();
  assert.equal(r.code, 130, r.stderr);
  assert.ok(Date.now() - t0 < 5000, `exited within ${Date.now() - t0} ms`);
  const ours = runProcesses(r.stderr, "int2x");
  assert.deepEqual(await settle(() => hostMatching(ours)), [], "no orphan on the host");
  assert.deepEqual(
    await settle(() => guestMatching(l, /zfs (send|receive)|int2x|mbuffer|zstd/)),
    [],
    "no orphan in the guest",
  );
  const again = await l.runCli({ src, dst, args, mode: "pull" });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await snapshotIds(l, dst), await snapshotIds(l, src));
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
});
