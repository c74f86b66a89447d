/**
 * Progress and rate limiting against real OpenZFS: pv writes its status to the run's `.pv` file
 * (reachable as `current/current.pv`), `--bwlimit` slows a transfer measurably, the terminal
 * status line appears on stderr (forced with `bzfs_isatty=true`) but never in the log file, and
 * `--no-estimate-send-size` skips the `zfs send -nvP` estimate.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { type CliOptions, type Lab, labFile } from "../lab/helpers.ts";
import { repoRoot } from "../lab/paths.ts";
import { run } from "../lab/run.ts";
import { parsePvLine, splitPvRecords } from "../../lib/job/pv_output.ts";

const lab = labFile();
const MiB = 1 << 20;

/** Runs the CLI with a fresh log dir and extra environment variables. */
async function cli(l: Lab, opts: CliOptions, env: Record<string, string> = {}) {
  const logDir = Deno.makeTempDirSync({ suffix: "_bzfs-logs" });
  const argv = l.cliArgv({ ...opts, args: [`--log-dir=${logDir}`, ...(opts.args ?? [])] });
  const started = performance.now();
  const r = await run(argv, {
    env: { ...l.localEnv(), ...env },
    noThrow: true,
    cwd: repoRoot(),
  });
  const seconds = (performance.now() - started) / 1000;
  const read = (p: string) => Deno.readTextFile(`${logDir}/current/${p}`).catch(() => "");
  return { ...r, seconds, logDir, pv: await read("current.pv"), log: await read("current.log") };
}

/** pv's final timer (seconds) and bytes of each transfer in a .pv file. */
function finals(pv: string): { secs: number; bytes: number }[] {
  return pv.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim()).map((chunk) => {
    const records = splitPvRecords(`${chunk}\n`).records;
    const last = records.at(-1)!;
    const timer = /\s(\d+):(\d\d):(\d\d)\s/.exec(last.slice(last.indexOf(":") + 1));
    assert.ok(timer, `pv --timer column in ${JSON.stringify(last)}`);
    const [h, m, s] = timer.slice(1).map(Number);
    return { secs: h * 3600 + m * 60 + s, bytes: parsePvLine(last)?.bytes ?? -1 };
  });
}

lab.test("[smoke] the .pv file gets pv's output with the estimated size", async (l) => {
  const src = `${l.src}/pv_a`;
  const dst = `${l.dst}/pv_a`;
  await l.createDataset(src, { files: [{ path: "a.bin", size: 4 * MiB }] });
  await l.zfs("snapshot", `${src}@s1`);
  const r = await cli(l, { src, dst, args: ["-v", "-v"] });
  ok(r, "replication");
  assert.match(r.stderr, /zfs send -nvP --raw --compressed \S*pv_a@s1/);
  assert.match(r.stderr, /\| LC_ALL=C pv .* --force --name=4\.\d+MiB --size=\d+ 2>> \S+\.pv /);
  const transfers = finals(r.pv);
  assert.equal(transfers.length, 1, r.pv);
  const bytes = transfers[0].bytes;
  assert.ok(bytes > 3.9 * MiB && bytes < 4.3 * MiB, `pv counted ${bytes} bytes`);
  assert.match(r.pv, /100%/, "with --size pv shows the percentage");
  assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
});

lab.test("--bwlimit slows a transfer to the limit (pv's own timer and average rate)", async (l) => {
  // The emulated guest streams only ~0.6-1.5 MiB/s, so the limit must be well below that to
  // show: 1 MiB at 128 KiB/s takes >= 7 s, unlimited a fraction of that.
  await l.createDataset(`${l.src}/bw_a`, { files: [{ path: "a.bin", size: MiB }] });
  await l.zfs("snapshot", `${l.src}/bw_a@s1`);
  const args = ["--bwlimit=128k"];
  const limited = await cli(l, { src: `${l.src}/bw_a`, dst: `${l.dst}/bw_a`, args });
  ok(limited, "limited");
  const slow = finals(limited.pv);
  assert.equal(slow.length, 1);
  assert.ok(slow[0].secs >= 7, `1 MiB at 128 KiB/s took ${slow[0].secs} s`);
  const last = limited.pv.trimEnd().split("\r").at(-1)!;
  const average = /\] \[ *([^\]]+)\/s\] \[/.exec(last)?.[1] ?? "";
  assert.ok(average.endsWith("KiB") && parseFloat(average) <= 135, `average rate ${average}/s`);
  const free = await cli(l, { src: `${l.src}/bw_a`, dst: `${l.dst}/bw_b` });
  ok(free, "unlimited");
  const fast = finals(free.pv);
  assert.ok(fast[0].secs * 2 <= slow[0].secs, `unlimited ${fast[0].secs} s vs ${slow[0].secs} s`);
  assert.equal(await l.checksum(`${l.dst}/bw_a@s1`), await l.checksum(`${l.src}/bw_a@s1`));
});

lab.test("bzfs_isatty=true draws the status line on stderr, never into the log file", async (l) => {
  const src = `${l.src}/tty_a`;
  await l.createDataset(src, { files: [{ path: "big.bin", size: 2 * MiB }] });
  await l.zfs("snapshot", `${src}@s1`);
  const r = await cli(l, { src, dst: `${l.dst}/tty_a`, args: ["--bwlimit=512k"] }, {
    bzfs_isatty: "true",
    bzfs_terminal_columns: "100",
  });
  ok(r, "replication");
  const drawn = r.stderr.split("\n").flatMap((l) => l.split("\r"))
    .filter((s) => / \[I\] zfs sent /.test(s));
  assert.ok(drawn.length >= 1, `status lines on stderr:\n${r.stderr}`);
  for (const s of drawn) assert.ok(s.length <= 99, `fits 100 columns: ${s.length}`);
  assert.match(drawn.at(-1)!, /zfs sent \d+(\.\d+)? MiB \d+:\d\d:\d\d \[\d/);
  assert.match(r.stderr, /\r {20,}\r/, "the line is blanked when the transfer ends");
  assert.doesNotMatch(r.log, /zfs sent/);
  const quiet = await cli(l, { src, dst: `${l.dst}/tty_b` }, { bzfs_isatty: "false" });
  ok(quiet, "no tty");
  assert.doesNotMatch(quiet.stderr, /zfs sent|\r/);
});

lab.test("--no-estimate-send-size: no zfs send -nvP in the -v -v log", async (l) => {
  const src = `${l.src}/est_a`;
  await l.createDataset(src, { files: [{ path: "a.bin", size: MiB }] });
  await l.zfs("snapshot", `${src}@s1`);
  const count = (log: string) => (log.match(/Executing: .*zfs send -nvP/g) ?? []).length;
  const sends = (log: string) => (log.match(/Executing: .*zfs send (?!-nvP)/g) ?? []).length;
  const full = await cli(l, { src, dst: `${l.dst}/est_a`, args: ["-v", "-v"] });
  ok(full, "full");
  assert.equal(count(full.stderr), 1);
  assert.equal(sends(full.stderr), 1);
  for (const s of ["s2", "s3"]) {
    await l.writeFiles(src, [{ path: `${s}.bin`, size: MiB / 4 }], s);
    await l.zfs("snapshot", `${src}@${s}`);
  }
  const skipped = await cli(l, {
    src,
    dst: `${l.dst}/est_a`,
    args: ["-v", "-v", "--no-estimate-send-size"],
  });
  ok(skipped, "incremental without estimate");
  assert.equal(count(skipped.stderr), 0);
  assert.equal(sends(skipped.stderr), 1, "the -I step still ran");
  assert.match(skipped.stderr, /pv .*--name=- 2>> /);
  assert.doesNotMatch(skipped.stderr, /--size=/);
  assert.equal(await l.checksum(`${l.dst}/est_a@s3`), await l.checksum(`${src}@s3`));
});

lab.test(
  "another zfs receive into the destination makes the step wait (ps busy check)",
  async (l) => {
    const src = `${l.src}/busy_a`;
    const dst = `${l.dst}/busy_a`;
    await l.createDataset(src, { files: [{ path: "a.bin", size: MiB / 4 }] });
    await l.zfs("snapshot", `${src}@s1`);
    const bg = await l.sh(
      `setsid sh -c 'sleep 120 | zfs receive -u ${dst}' >/dev/null 2>&1 < /dev/null & echo $!`,
    );
    const pgid = bg.stdout.trim();
    assert.match(pgid, /^\d+$/);
    try {
      const busy = await cli(l, { src, dst, mode: "push", args: ["--retries=0"] });
      assert.notEqual(busy.code, 0);
      assert.match(busy.stderr, /Destination is already busy with zfs receive operation .*busy_a/);
      assert.deepEqual(await l.datasets(dst), []);
    } finally {
      await l.sh(`kill -- -${pgid}`, { noThrow: true });
    }
    const free = await cli(l, { src, dst, mode: "push", args: ["--retries=0"] });
    ok(free, "after the other receive ended");
    assert.equal(await l.checksum(`${dst}@s1`), await l.checksum(`${src}@s1`));
  },
  { ssh: true },
);
