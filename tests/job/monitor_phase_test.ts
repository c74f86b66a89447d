import assert from "node:assert/strict";
import { BzfsError, MonitorAlertError, UsageError } from "../../lib/errors.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";
import { monitorPhase } from "../../lib/job/monitor_phase.ts";
import {
  captureLogs,
  fakeExecutor,
  FakeHostTree,
  hostsFor,
  makeCtx,
  messages,
} from "./_phase_fixture.ts";

const NOW = 1_736_412_605_000; // 2025-01-09 09:30:05 UTC
const HOUR = 3600;
const NOW_S = NOW / 1000;
/** daily latest: warning 4 hours, critical 8 hours -> effective 28 h and 32 h. */
const DAILY =
  `{"prod": {"": {"daily": {"latest": {"warning": "4 hours", "critical": "8 hours"}}}}}`;

/** Both roots; `dataset` gets one daily snapshot `ageHours` old. */
function tree(dataset: string, ageHours: number): FakeHostTree {
  return new FakeHostTree().dataset("tank/src", "bak/dst").add(dataset, {
    name: "prod_2025-01-08_08:30:05_daily",
    guid: "1",
    creation: NOW_S - ageHours * HOUR,
  });
}

async function run(
  trees: { local: FakeHostTree; remote?: FakeHostTree },
  args: string[],
  pair = ["tank/src", "bak/dst"],
) {
  const executor = fakeExecutor(trees);
  const ctx = makeCtx([...pair, ...args], { executor, now: NOW });
  const out = await captureLogs(() => monitorPhase(ctx.config.pairs[0], ctx, hostsFor(ctx.config)));
  return {
    ...out,
    executor,
    msgs: messages(out.lines),
    code: out.error ? exitCodeOf(out.error) : 0,
  };
}

/** Adds a one-hour-old daily snapshot to the source root. */
function freshSrc(t: FakeHostTree): FakeHostTree {
  return t.add("tank/src", {
    name: "prod_2025-01-09_08:30:05_daily",
    guid: "9",
    creation: NOW_S - HOUR,
  });
}

Deno.test("monitor: ages graded at a fixed instant: 0, 1 and 2", async () => {
  const ok = await run({ local: freshSrc(tree("bak/dst", 27)) }, ["--monitor-snapshots", DAILY]);
  assert.equal(ok.code, 0);
  assert.equal(ok.msgs.filter((m) => m.level === "W" || m.level === "E").length, 0);
  assert.ok(ok.msgs.some((m) =>
    m.level === "I" &&
    /^--monitor-snapshots done: tank\/src --> bak\/dst \.\.\. \[2 datasets; took /.test(m.text)
  ));
  const warn = await run({ local: freshSrc(tree("bak/dst", 29)) }, ["--monitor-snapshots", DAILY]);
  assert.equal(warn.code, 1);
  assert.ok(warn.error instanceof MonitorAlertError);
  assert.equal(
    (warn.error as Error).message,
    "--monitor_snapshots: Latest snapshot for bak/dst@prod_<timestamp>_daily is 1.21d old but should be " +
      "at most 1.17d old: @prod_2025-01-08_08:30:05_daily",
  );
  assert.ok(warn.msgs.some((m) => m.level === "W" && m.text === (warn.error as Error).message));
  assert.ok(!warn.msgs.some((m) => m.text.startsWith("--monitor-snapshots done")));
  const crit = await run({ local: freshSrc(tree("bak/dst", 33)) }, ["--monitor-snapshots", DAILY]);
  assert.equal(crit.code, 2);
  assert.match((crit.error as Error).message, /is 1\.38d old but should be at most 1\.33d old/);
});

Deno.test("monitor: an age equal to the threshold is OK (strictly greater fires)", async () => {
  const r = await run({
    local: tree("bak/dst", 28).add("tank/src", {
      name: "prod_2025-01-09_00:00:00_daily",
      guid: "9",
      creation: NOW_S,
    }),
  }, [
    "--monitor-snapshots",
    DAILY,
    "-v",
  ]);
  assert.equal(r.code, 0);
  assert.ok(r.msgs.some((m) =>
    m.level === "D" &&
    m.text ===
      "--monitor_snapshots: OK. Latest snapshot for bak/dst@prod_<timestamp>_daily is 1.17d old: " +
        "@prod_2025-01-08_08:30:05_daily"
  ));
});

Deno.test("monitor: both sides are checked; the worst finding of either wins", async () => {
  const t = tree("tank/src", 33).add("bak/dst", {
    name: "prod_2025-01-09_00:00:00_daily",
    guid: "5",
    creation: NOW_S - 29 * HOUR,
  });
  const r = await run({ local: t }, ["--monitor-snapshots", DAILY]);
  assert.equal(r.code, 2);
  assert.match((r.error as Error).message, /for tank\/src@/);
  const levels = r.msgs.filter((m) => m.text.startsWith("--monitor_snapshots:")).map((m) =>
    m.level
  );
  assert.deepEqual(levels, ["E", "W"], "the src critical and the dst warning are both logged");
});

Deno.test("monitor: no snapshot at all is CRITICAL for every selected dataset", async () => {
  const t = new FakeHostTree().dataset("tank/src", "tank/src/a", "bak/dst");
  const r = await run({ local: t }, ["-r", "--monitor-snapshots", DAILY]);
  assert.equal(r.code, 2);
  const crit = r.msgs.filter((m) => m.level === "E").map((m) => m.text);
  assert.deepEqual(crit, [
    "--monitor_snapshots: No snapshot exists for tank/src@prod_<timestamp>_daily",
    "--monitor_snapshots: No snapshot exists for tank/src/a@prod_<timestamp>_daily",
    "--monitor_snapshots: No snapshot exists for bak/dst@prod_<timestamp>_daily",
  ]);
});

Deno.test("monitor: --monitor-snapshots-dont-warn/-dont-crit mute the exit status only", async () => {
  const warn = await run({
    local: tree("bak/dst", 29).add("tank/src", {
      name: "prod_2025-01-09_00:00:00_daily",
      guid: "9",
      creation: NOW_S,
    }),
  }, [
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-dont-warn",
  ]);
  assert.equal(warn.code, 0);
  assert.ok(warn.msgs.some((m) => m.level === "W"));
  const crit = await run({ local: tree("bak/dst", 33) }, [
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-dont-crit",
  ]);
  assert.equal(crit.code, 0, "src has no snapshot (critical) and dst is critical: all muted");
  const critNotWarn = await run({ local: tree("bak/dst", 33) }, [
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-dont-warn",
  ]);
  assert.equal(critNotWarn.code, 2);
});

Deno.test("monitor: --monitor-snapshots-no-latest-check / -no-oldest-check drop those checks", async () => {
  const plan =
    `{"prod": {"": {"daily": {"latest": {"critical": "1 hours"}, "oldest": {"warning": "1 days"}}}}}`;
  const t = tree("bak/dst", 100).add("tank/src", {
    name: "prod_2025-01-05_00:00:00_daily",
    guid: "7",
    creation: NOW_S - 100 * HOUR,
  });
  const both = await run({ local: t }, ["--monitor-snapshots", plan]);
  assert.equal(both.code, 2);
  const noLatest = await run({ local: t }, [
    "--monitor-snapshots",
    plan,
    "--monitor-snapshots-no-latest-check",
  ]);
  assert.equal(noLatest.code, 1);
  assert.match((noLatest.error as Error).message, /Oldest snapshot for /);
  const none = await run({ local: t }, [
    "--monitor-snapshots",
    plan,
    "--monitor-snapshots-no-latest-check",
    "--monitor-snapshots-no-oldest-check",
  ]);
  assert.equal(none.code, 0);
  assert.equal(none.executor.commands.length, 0, "nothing left to monitor: nothing is listed");
});

Deno.test("monitor: one zfs list per side; userrefs only for oldest_skip_holds", async () => {
  const t = tree("bak/dst", 1);
  const r = await run({ local: t }, ["-r", "--monitor-snapshots", DAILY]);
  assert.deepEqual(r.executor.commands, [
    "zfs list -t filesystem,volume,snapshot -Hp -o name,createtxg,creation -r tank/src",
    "zfs list -t filesystem,volume,snapshot -Hp -o name,createtxg,creation -r bak/dst",
  ]);
  const holds =
    `{"prod": {"": {"daily": {"oldest": {"warning": "2 days", "oldest_skip_holds": True}}}}}`;
  const h = await run({ local: t }, ["--monitor-snapshots", holds]);
  assert.match(h.executor.commands[0], /-o name,createtxg,creation,userrefs -d 1 tank\/src$/);
});

Deno.test("monitor: oldest_skip_holds skips held snapshots when finding the oldest", async () => {
  const plan =
    `{"prod": {"": {"daily": {"oldest": {"warning": "2 days", "oldest_skip_holds": True}}}}}`;
  const t = new FakeHostTree()
    .dataset("tank/src")
    .add("bak/dst", {
      name: "prod_2025-01-01_00:00:00_daily",
      guid: "1",
      creation: NOW_S - 200 * HOUR,
      userrefs: 1,
    })
    .add("bak/dst", {
      name: "prod_2025-01-08_00:00:00_daily",
      guid: "2",
      creation: NOW_S - 30 * HOUR,
    });
  const r = await run({ local: t }, ["--monitor-snapshots", plan], ["dummy", "bak/dst"]);
  assert.equal(r.code, 0, "the held 200 h old snapshot is skipped; the next is 30 h < 72 h");
});

Deno.test("monitor: a dummy source monitors the destination only", async () => {
  const r = await run({ local: tree("bak/dst", 33) }, ["--monitor-snapshots", DAILY], [
    "dummy",
    "bak/dst",
  ]);
  assert.equal(r.executor.commands.length, 1);
  assert.match(r.executor.commands[0], /bak\/dst$/);
  assert.equal(r.code, 2);
  assert.deepEqual(r.msgs.filter((m) => m.level === "E").length, 1);
});

Deno.test("monitor: missing roots and a dummy destination are errors (exit 3)", async () => {
  const noSrc = await run({ local: new FakeHostTree().dataset("bak/dst") }, [
    "--monitor-snapshots",
    DAILY,
  ]);
  assert.equal((noSrc.error as Error).message, "Source dataset does not exist: tank/src");
  assert.equal(noSrc.code, 3);
  const noDst = await run({ local: new FakeHostTree().dataset("tank/src") }, [
    "--monitor-snapshots",
    DAILY,
  ]);
  assert.equal((noDst.error as Error).message, "Destination dataset does not exist: bak/dst");
  const dummyDst = await run({ local: tree("bak/dst", 1) }, ["--monitor-snapshots", DAILY], [
    "tank/src",
    "dummy",
  ]);
  assert.ok(dummyDst.error instanceof BzfsError);
  assert.equal(dummyDst.code, 3);
});

Deno.test("monitor: an invalid plan is refused before any work, naming the option", () => {
  // validated while the command line is parsed (exit 2), so no phase ever starts with it
  assert.throws(
    () =>
      makeCtx([
        "tank/src",
        "bak/dst",
        "--monitor-snapshots",
        `{"prod": {"": {"daily": {"newest": {}}}}}`,
      ], {
        executor: fakeExecutor({ local: tree("bak/dst", 1) }),
        now: NOW,
      }),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(exitCodeOf(e), 2);
      assert.match(
        (e as Error).message,
        /--monitor-snapshots.*'newest' must be 'latest' or 'oldest'/,
      );
      return true;
    },
  );
});

Deno.test("monitor: dataset filters select what is monitored on both sides", async () => {
  const t = new FakeHostTree()
    .dataset("tank/src", "tank/src/skip", "bak/dst", "bak/dst/skip")
    .add("tank/src/a", { name: "prod_2025-01-09_00:00:00_daily", guid: "1", creation: NOW_S })
    .add("bak/dst/a", { name: "prod_2025-01-09_00:00:00_daily", guid: "1", creation: NOW_S });
  const r = await run({ local: t }, [
    "-r",
    "--monitor-snapshots",
    DAILY,
    "--skip-parent",
    "--exclude-dataset=skip",
  ]);
  assert.equal(r.code, 0);
  assert.match(r.msgs.at(-1)!.text, /\[2 datasets; took /);
});

/** Parses a Prometheus text exposition into `name{labels}` -> value, checking HELP/TYPE lines. */
function parseProm(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        assert.equal(meta[3], "gauge");
        typed.add(meta[2]);
      }
      continue;
    }
    const m = /^(\w+)\{((?:\w+="(?:[^"\\]|\\.)*",?)*)\} (\S+)$/.exec(line);
    assert.ok(m, `bad sample line: ${line}`);
    assert.ok(typed.has(m[1]), `sample before its TYPE: ${line}`);
    const labels = [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}=${v}`);
    const key = `${m[1]}{${labels.join(",")}}`;
    assert.ok(!out.has(key), `duplicate series ${key}`);
    out.set(key, Number(m[3]));
  }
  return out;
}

Deno.test("monitor: the Prometheus textfile is written atomically and parses back", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bzfs.prom`;
  const t = tree("bak/dst", 29).add("tank/src", {
    name: "prod_2025-01-09_00:00:00_daily",
    guid: "9",
    creation: NOW_S - HOUR,
  });
  const r = await run({ local: t }, [
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-prometheus-textfile",
    file,
  ]);
  assert.equal(r.code, 1, "the textfile is written before the alert is thrown");
  const prom = parseProm(await Deno.readTextFile(file));
  assert.deepEqual(Object.fromEntries(prom), {
    "bzfs_snapshot_latest_age_seconds{dataset=tank/src,org=prod,target=,period=daily}": HOUR,
    "bzfs_snapshot_latest_age_seconds{dataset=bak/dst,org=prod,target=,period=daily}": 29 * HOUR,
    "bzfs_monitor_status{dataset=tank/src,org=prod,target=,period=daily,check=latest}": 0,
    "bzfs_monitor_status{dataset=bak/dst,org=prod,target=,period=daily,check=latest}": 1,
  });
  const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.deepEqual(leftovers, ["bzfs.prom"]);
});

Deno.test("monitor: no textfile under --dryrun; remote datasets are labelled host:dataset", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bzfs.prom`;
  const local = tree("tank/src", 1);
  const remote = new FakeHostTree().add("tank/src", {
    name: "prod_2025-01-09_00:00:00_daily",
    guid: "3",
    creation: NOW_S - 2 * HOUR,
  });
  const dry = await run({ local, remote }, [
    "--dryrun",
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-prometheus-textfile",
    file,
  ], ["tank/src", "nas:tank/src"]);
  assert.equal(dry.code, 0);
  await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
  const r = await run({ local, remote }, [
    "--monitor-snapshots",
    DAILY,
    "--monitor-snapshots-prometheus-textfile",
    file,
  ], ["tank/src", "nas:tank/src"]);
  assert.equal(r.code, 0);
  const prom = parseProm(await Deno.readTextFile(file));
  assert.equal(
    prom.get("bzfs_snapshot_latest_age_seconds{dataset=tank/src,org=prod,target=,period=daily}"),
    HOUR,
  );
  assert.equal(
    prom.get(
      "bzfs_snapshot_latest_age_seconds{dataset=nas:tank/src,org=prod,target=,period=daily}",
    ),
    2 * HOUR,
  );
});

Deno.test("monitor: the textfile accumulates the pairs of one run and restarts with the next", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bzfs.prom`;
  const t = freshSrc(tree("bak/dst", 1))
    .add("tank/b", {
      name: "prod_2025-01-09_00:00:00_daily",
      guid: "4",
      creation: NOW_S - 2 * HOUR,
    })
    .add("bak/b", {
      name: "prod_2025-01-09_00:00:00_daily",
      guid: "4",
      creation: NOW_S - 2 * HOUR,
    });
  const executor = fakeExecutor({ local: t });
  const args = ["--monitor-snapshots", DAILY, "--monitor-snapshots-prometheus-textfile", file];
  const ctx = makeCtx(["tank/src", "bak/dst", "tank/b", "bak/b", ...args], { executor, now: NOW });
  const [p1, p2] = ctx.config.pairs;
  const hosts = hostsFor(ctx.config);
  const datasetsIn = async () =>
    [...parseProm(await Deno.readTextFile(file)).keys()]
      .filter((k) => k.startsWith("bzfs_snapshot_latest_age_seconds"))
      .map((k) => /dataset=([^,]+)/.exec(k)![1]);
  await captureLogs(() => monitorPhase(p1, { ...ctx }, hosts));
  assert.deepEqual(await datasetsIn(), ["tank/src", "bak/dst"]);
  await captureLogs(() => monitorPhase(p2, { ...ctx }, hosts));
  assert.deepEqual(await datasetsIn(), ["tank/src", "bak/dst", "tank/b", "bak/b"]);
  await captureLogs(() => monitorPhase(p2, { ...ctx, startedAt: NOW + 60_000 }, hosts));
  assert.deepEqual(await datasetsIn(), ["tank/b", "bak/b"], "a new daemon iteration starts over");
});
