/**
 * `--monitor-snapshots` against real OpenZFS: exit statuses 0/1/2 through the CLI with
 * thresholds relative to the real creation times, exact ages in-process at a FakeClock instant
 * (through the lab's zfs wrappers on PATH), both sides vs a `dummy` source, one `zfs list` per
 * side in the `-v -v` log, bookmarks ignored, holds skipped, and the Prometheus textfile parsed
 * back.
 *
 * @module
 */
import assert from "node:assert/strict";
import { FakeClock } from "../../lib/clock.ts";
import { main } from "../../lib/cli/main.ts";
import { runJob } from "../../lib/job/run_job.ts";
import { type Lab, labFile, type RunResult } from "../lab/helpers.ts";

const lab = labFile();
const SMALL = [{ path: "f.bin", size: 4096 }];
const HOUR_MS = 3_600_000;

/** A plan for `prod_onsite_<timestamp>_daily` without the cycle slack (exact thresholds). */
function plan(latest: { warning?: string; critical?: string }, extra = ""): string {
  const keys = Object.entries(latest).map(([k, v]) => `"${k}": "${v}"`);
  return `{"prod": {"onsite": {"daily": {"latest": {${keys.join(", ")}, "cycles": 0}${extra}}}}}`;
}

async function tree(l: Lab, tag: string): Promise<{ src: string; dst: string }> {
  const src = `${l.src}/${tag}`;
  const dst = `${l.dst}/${tag}`;
  await l.createDataset(`${src}/a`, { files: SMALL });
  await l.createDataset(`${dst}/a`, { files: SMALL });
  await l.sh(
    `zfs snapshot -r ${src}@prod_onsite_2025-01-01_00:00:00_daily && ` +
      `zfs snapshot -r ${dst}@prod_onsite_2025-01-01_00:00:00_daily`,
  );
  return { src, dst };
}

async function monitor(l: Lab, src: string, dst: string, args: string[]): Promise<RunResult> {
  const logDir = `${await Deno.makeTempDir()}/bzfs-logs`;
  return await l.runCli({ src, dst, args: ["--skip-replication", "--log-dir", logDir, ...args] });
}

lab.test("[smoke] monitor CLI: exit 0, 1 and 2 by the real age; dont-warn/dont-crit give 0", async (l) => {
  const { src, dst } = await tree(l, "mon_cli");
  const r = (args: string[]) => monitor(l, src, dst, ["-r", ...args]);
  const ok = await r(["--monitor-snapshots", plan({ warning: "1 days", critical: "2 days" })]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /--monitor-snapshots done: .* \[4 datasets; took /);
  const warn = await r([
    "--monitor-snapshots",
    plan({ warning: "1 milliseconds", critical: "1 days" }),
  ]);
  assert.equal(warn.code, 1, warn.stderr);
  assert.match(
    warn.stderr,
    /\[W\] --monitor_snapshots: Latest snapshot for .*@prod_onsite_<timestamp>_daily is .* old but should be at most 1ms old: @prod_onsite_2025-01-01_00:00:00_daily/,
  );
  assert.match(warn.stderr, /Exiting bzfs with status code 1\. Cause: --monitor_snapshots: /);
  const crit = await r(["--monitor-snapshots", plan({ critical: "1 milliseconds" })]);
  assert.equal(crit.code, 2, crit.stderr);
  const criticals = new Set(
    crit.stderr.split("\n").filter((x) => /\[E\] --monitor_snapshots: Latest/.test(x))
      .map((x) => x.replace(/^.*\[E\] /, "")),
  );
  assert.equal(criticals.size, 4, "every dataset on both sides is reported");
  const mutedWarn = await r([
    "--monitor-snapshots",
    plan({ warning: "1 milliseconds" }),
    "--monitor-snapshots-dont-warn",
  ]);
  assert.equal(mutedWarn.code, 0, mutedWarn.stderr);
  const mutedCrit = await r([
    "--monitor-snapshots",
    plan({ critical: "1 milliseconds" }),
    "--monitor-snapshots-dont-crit",
  ]);
  assert.equal(mutedCrit.code, 0, mutedCrit.stderr);
  assert.match(mutedCrit.stderr, /\[E\] --monitor_snapshots: Latest/, "still logged");
});

lab.test("monitor in-process at a FakeClock instant: exact ages for 0, 1 and 2", async (l) => {
  const { src, dst } = await tree(l, "mon_clock");
  const creation = Number(
    (await l.zfs(
      "get",
      "-Hp",
      "-o",
      "value",
      "creation",
      `${dst}/a@prod_onsite_2025-01-01_00:00:00_daily`,
    )).trim(),
  );
  const srcCreation = Number(
    (await l.zfs(
      "get",
      "-Hp",
      "-o",
      "value",
      "creation",
      `${src}/a@prod_onsite_2025-01-01_00:00:00_daily`,
    )).trim(),
  );
  const newest = Math.max(creation, srcCreation);
  const oldest = Math.min(creation, srcCreation);
  const path = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", l.localEnv().PATH);
  try {
    // daily latest: warning 4 hours, critical 8 hours, default cycles 1 -> 28 h and 32 h
    const daily =
      `{"prod": {"onsite": {"daily": {"latest": {"warning": "4 hours", "critical": "8 hours"}}}}}`;
    const at = async (nowMs: number) => {
      let err = "";
      const code = await main(
        [
          `${src}/a`,
          `${dst}/a`,
          "--skip-replication",
          "--log-dir",
          `${await Deno.makeTempDir()}/bzfs-logs`,
          "--monitor-snapshots",
          daily,
        ],
        {
          runJob: (config, info) =>
            runJob(config, { ...info, clock: new FakeClock(nowMs), handleSignals: false }),
          writeErr: (t) => (err += t),
        },
      );
      return { code, err };
    };
    const equal = await at(oldest * 1000 + 28 * HOUR_MS);
    assert.equal(equal.code, 0, equal.err);
    const warn = await at(newest * 1000 + 28 * HOUR_MS + 1);
    assert.equal(warn.code, 1, warn.err);
    assert.match(
      warn.err,
      /\[W\] --monitor_snapshots: Latest snapshot for .*\/a@prod_onsite_<timestamp>_daily is 1\.17d old but should be at most 1\.17d old: @prod_onsite_2025-01-01_00:00:00_daily/,
    );
    const crit = await at(newest * 1000 + 32 * HOUR_MS + 1);
    assert.equal(crit.code, 2, crit.err);
    assert.match(
      crit.err,
      /Exiting bzfs with status code 2\. Cause: --monitor_snapshots: Latest snapshot for .* is 1\.33d old but should be at most 1\.33d old/,
    );
  } finally {
    Deno.env.set("PATH", path);
  }
});

lab.test("monitor: one zfs list per side (-v -v); a dummy source checks the destination only", async (l) => {
  const { src, dst } = await tree(l, "mon_count");
  const p = plan({ warning: "1 days" });
  const both = await monitor(l, src, dst, ["-r", "-v", "-v", "--monitor-snapshots", p]);
  assert.equal(both.code, 0, both.stderr);
  const lists = (r: RunResult) =>
    r.stderr.split("\n").filter((x) => /Executing: .*zfs list /.test(x));
  assert.equal(lists(both).length, 2, lists(both).join("\n"));
  const dummy = await monitor(l, "dummy", dst, ["-r", "-v", "-v", "--monitor-snapshots", p]);
  assert.equal(dummy.code, 0, dummy.stderr);
  assert.equal(lists(dummy).length, 1);
  assert.match(dummy.stderr, /\[2 datasets; took /);
});

lab.test("monitor: bookmarks do not count; held snapshots are skipped for oldest_skip_holds", async (l) => {
  const src = `${l.src}/mon_bm`;
  await l.createDataset(src, { files: SMALL });
  await l.zfs("snapshot", `${src}@prod_onsite_2025-01-01_00:00:00_daily`);
  await l.zfs(
    "bookmark",
    `${src}@prod_onsite_2025-01-01_00:00:00_daily`,
    `${src}#prod_onsite_2025-01-02_00:00:00_daily`,
  );
  await l.zfs("destroy", `${src}@prod_onsite_2025-01-01_00:00:00_daily`);
  const bm = await monitor(l, "dummy", src, ["--monitor-snapshots", plan({ critical: "1 days" })]);
  assert.equal(bm.code, 2, bm.stderr);
  assert.match(bm.stderr, /No snapshot exists for src\/mon_bm@prod_onsite_<timestamp>_daily/);
  await l.zfs("snapshot", `${src}@prod_onsite_2025-01-03_00:00:00_daily`);
  await new Promise((r) => setTimeout(r, 1100));
  await l.zfs("snapshot", `${src}@prod_onsite_2025-01-04_00:00:00_daily`);
  await l.zfs("hold", "keep", `${src}@prod_onsite_2025-01-03_00:00:00_daily`);
  const oldest = (skip: string) =>
    `{"prod": {"onsite": {"daily": {"oldest": {"warning": "1 days", "cycles": 0, "oldest_skip_holds": ${skip}}}}}}`;
  const held = await monitor(l, "dummy", src, ["-v", "--monitor-snapshots", oldest("True")]);
  assert.equal(held.code, 0, held.stderr);
  assert.match(
    held.stderr,
    /OK\. Oldest snapshot for src\/mon_bm@prod_onsite_<timestamp>_daily is .* old: @prod_onsite_2025-01-04_00:00:00_daily/,
  );
  const notSkipped = await monitor(l, "dummy", src, ["-v", "--monitor-snapshots", oldest("False")]);
  assert.match(
    notSkipped.stderr,
    /OK\. Oldest snapshot for .* old: @prod_onsite_2025-01-03_00:00:00_daily/,
  );
  await l.zfs("release", "keep", `${src}@prod_onsite_2025-01-03_00:00:00_daily`);
});

/** Parses a Prometheus text exposition: `name{k=v,...}` -> value; checks HELP/TYPE and uniqueness. */
function parseProm(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split("\n").filter((x) => x !== "")) {
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") typed.add(meta[2]);
      continue;
    }
    const m = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    assert.ok(m && typed.has(m[1]), `bad sample line: ${line}`);
    const labels = [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}=${v}`);
    const key = `${m[1]}{${labels.join(",")}}`;
    assert.ok(!out.has(key), `duplicate series ${key}`);
    out.set(key, Number(m[3]));
  }
  return out;
}

lab.test("monitor: the Prometheus textfile lists every dataset of both sides, parsed back", async (l) => {
  const { src, dst } = await tree(l, "mon_prom");
  const file = `${await Deno.makeTempDir()}/bzfs.prom`;
  const r = await monitor(l, src, dst, [
    "-r",
    "--monitor-snapshots",
    plan({ warning: "1 milliseconds", critical: "1 days" }),
    "--monitor-snapshots-prometheus-textfile",
    file,
  ]);
  assert.equal(r.code, 1, r.stderr);
  const prom = parseProm(await Deno.readTextFile(file));
  const datasets = [src, `${src}/a`, dst, `${dst}/a`];
  for (const ds of datasets) {
    const labels = `dataset=${ds},org=prod,target=onsite,period=daily`;
    const age = prom.get(`bzfs_snapshot_latest_age_seconds{${labels}}`);
    assert.ok(age !== undefined && age > 0 && age < 3600, `age of ${ds}: ${age}`);
    assert.equal(prom.get(`bzfs_monitor_status{${labels},check=latest}`), 1);
  }
  assert.equal(prom.size, 8);
  const dry = await monitor(l, src, dst, [
    "-r",
    "--dryrun",
    "--monitor-snapshots",
    plan({ warning: "1 days" }),
    "--monitor-snapshots-prometheus-textfile",
    `${file}.dry`,
  ]);
  assert.equal(dry.code, 0, dry.stderr);
  await assert.rejects(Deno.stat(`${file}.dry`), Deno.errors.NotFound);
});
