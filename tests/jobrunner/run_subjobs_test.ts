import assert from "node:assert/strict";
import { FakeClock } from "../../lib/clock.ts";
import { pacingIntervalMs, runSubJobs } from "../../lib/jobrunner/run_subjobs.ts";
import type { SubJob } from "../../lib/jobrunner/subjobs.ts";
import { plan, RecordingRunner, workedExampleArgv } from "./_fixtures.ts";

const FIVE_DST = [
  "--dst-hosts={'d1': ['t'], 'd2': ['t'], 'd3': ['t'], 'd4': ['t'], 'd5': ['t']}",
  "--retain-dst-targets={'d1': ['t'], 'd2': ['t'], 'd3': ['t'], 'd4': ['t'], 'd5': ['t']}",
  "--dst-root-datasets={'d1': 'b', 'd2': 'b', 'd3': 'b', 'd4': 'b', 'd5': 'b'}",
  "--src-snapshot-plan={'p': {'t': {'hourly': 1}}}",
  "--src-bookmark-plan={'p': {'t': {'hourly': 1}}}",
  "--dst-snapshot-plan={'p': {'t': {'hourly': 2}}}",
  "--monitor-snapshot-plan={'p': {'t': {'hourly': {'warning': '1 hours'}}}}",
];

function oneSrcFiveDst(): string[] {
  return workedExampleArgv().filter((a) =>
    !/^--(dst-hosts|retain-dst-targets|dst-root-datasets|src-snapshot-plan|src-bookmark-plan|dst-snapshot-plan|monitor-snapshot-plan)=/
      .test(a)
  ).flatMap((a) => a === "--root-dataset-pairs" ? [...FIVE_DST, a] : [a]);
}

const C = "000000src-host/create-src-snapshots";
const B = `${C}/~/prune-src-snapshots/prune-src-bookmarks`;
const five = (prefix: string, tag: string) =>
  [0, 1, 2, 3, 4].map((j) => `${prefix}/00000${j}${tag}`);

Deno.test("1 src x 5 dst: names per the reference", async () => {
  const { jobs } = await plan(oneSrcFiveDst());
  assert.deepEqual(jobs.map((j) => j.name), [
    C,
    ...five(C, "replicate"),
    `${C}/~/prune-src-snapshots`,
    B,
    ...five(B, "prune-dst-snapshots"),
    `${B}/~/monitor-src-snapshots`,
    ...five(`${B}/~/monitor-src-snapshots`, "monitor-dst-snapshots"),
  ]);
  assert.deepEqual(jobs.filter((j) => j.action === "replicate").map((j) => j.dstHost), [
    "d1",
    "d2",
    "d3",
    "d4",
    "d5",
  ]);
});

Deno.test("1 src x 5 dst with --workers=3: never more than 3 at once, phases in order", async () => {
  const { jobs } = await plan(oneSrcFiveDst());
  const runner = new RecordingRunner();
  const result = await runSubJobs(jobs, runner, { workers: 3 });
  assert.equal(result.worst, 0);
  assert.equal(runner.started.length, 19);
  assert.equal(runner.maxRunning, 3, "the five replications fill all three workers");
  const pos = (name: string, list = runner.started) => list.indexOf(name);
  const replicas = five(C, "replicate");
  assert.ok(replicas.every((r) => pos(C, runner.finished) < pos(r)), "replicate waits for create");
  const prune = `${C}/~/prune-src-snapshots`;
  assert.ok(
    replicas.every((r) =>
      pos(r, runner.finished) < runner.finished.length &&
      runner.finished.indexOf(r) < runner.started.indexOf(prune)
    ),
    "the ~ barrier: prune-src starts after all five replications finished",
  );
  const groups = runner.overlaps.filter((o) => o.length > 1);
  assert.ok(
    groups.every((g) =>
      g.every((n) => n.endsWith("replicate")) ||
      g.every((n) => n.endsWith("prune-dst-snapshots")) ||
      g.every((n) => n.endsWith("monitor-dst-snapshots"))
    ),
    "only siblings overlap",
  );
  assert.deepEqual(runner.started.slice(1, 4), replicas.slice(0, 3), "fewest '/' then name order");
});

Deno.test("worked example with --workers=2 runs 0; 1+2; 3; 4; 5+6; 7; 8+9", async () => {
  const { jobs } = await plan(workedExampleArgv());
  const runner = new RecordingRunner();
  await runSubJobs(jobs, runner, { workers: 2 });
  const index = new Map(jobs.map((j, i) => [j.name, i]));
  const concurrent = runner.overlaps.map((o) => o.map((n) => index.get(n)).sort().join("+"));
  assert.deepEqual(runner.started.map((n) => index.get(n)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(concurrent, ["0", "1", "1+2", "3", "4", "5", "5+6", "7", "8", "8+9"]);
});

Deno.test("a failed replication skips everything after the barrier; the sibling still runs", async () => {
  const { jobs } = await plan(workedExampleArgv());
  const runner = new RecordingRunner({ [`${C}/000000replicate`]: 3 });
  const result = await runSubJobs(jobs, runner, { workers: 4 });
  assert.deepEqual(runner.started, [C, `${C}/000000replicate`, `${C}/000001replicate`]);
  assert.equal(result.worst, 3);
  assert.equal(result.skipped.length, 7);
  assert.equal(result.codes.get(`${C}/000001replicate`), 0);
});

Deno.test("source hosts are independent: one failing source does not stop another", async () => {
  const argv = workedExampleArgv([], ["--create-src-snapshots", "--replicate"]).map((a) =>
    a === "--src-hosts=['src1']" ? "--src-hosts=['src1', 'src2']" : a
  ).map((a) => a.replace("'dstB': 'arch'", "'dstB': 'arch/^SRC_HOST'"));
  const { jobs } = await plan(argv);
  const runner = new RecordingRunner({ "000000src-host/create-src-snapshots": 1 });
  const result = await runSubJobs(jobs, runner, { workers: 1 });
  assert.deepEqual(runner.started, [
    "000000src-host/create-src-snapshots",
    "000001src-host/create-src-snapshots",
    "000001src-host/create-src-snapshots/000000replicate",
    "000001src-host/create-src-snapshots/000001replicate",
  ]);
  assert.equal(result.worst, 1);
});

Deno.test("exit status: fatal beats monitor beats still-running beats ok", async () => {
  const jobs: SubJob[] = ["a", "b", "c", "d"].map((name) => ({
    name,
    argv: ["bzfs"],
    action: "monitor-src-snapshots",
    srcHost: name,
    dstHost: "",
  }));
  const run = async (codes: number[]) =>
    (await runSubJobs(
      jobs,
      new RecordingRunner(Object.fromEntries(codes.map((c, i) => [jobs[i].name, c]))),
      { workers: 4 },
    )).worst;
  assert.equal(await run([0, 0, 0, 0]), 0);
  assert.equal(await run([4, 0, 0, 0]), 4);
  assert.equal(await run([4, 1, 0, 0]), 1);
  assert.equal(await run([1, 2, 4, 0]), 2);
  assert.equal(await run([2, 3, 1, 4]), 3);
  assert.equal(await run([5, 3, 2, 0]), 5);
});

Deno.test("--work-period-seconds spreads starts evenly; --jitter adds K+1 and an initial delay", async () => {
  const jobs: SubJob[] = Array.from({ length: 60 }, (_, i) => ({
    name: `${String(i).padStart(6, "0")}src-host/create-src-snapshots`,
    argv: ["bzfs"],
    action: "create-src-snapshots",
    srcHost: `h${i}`,
    dstHost: "",
  }));
  const clock = new FakeClock(0);
  const starts: number[] = [];
  const runner = new RecordingRunner({}, () => {
    starts.push(clock.now());
    return Promise.resolve();
  });
  const r = await runSubJobs(jobs, runner, { workers: 8, workPeriodSeconds: 60, clock });
  assert.equal(r.intervalMs, 1000);
  assert.deepEqual(starts, Array.from({ length: 60 }, (_, i) => i * 1000), "one start per second");
  assert.equal(pacingIntervalMs(60, 59, true), 1000);
  assert.equal(pacingIntervalMs(60, 0, true), 0);
  const jclock = new FakeClock(0);
  const jstarts: number[] = [];
  await runSubJobs(
    jobs.slice(0, 3),
    new RecordingRunner({}, () => {
      jstarts.push(jclock.now());
      return Promise.resolve();
    }),
    { workers: 3, workPeriodSeconds: 4, jitter: true, clock: jclock, random: () => 0.5 },
  );
  assert.deepEqual(jstarts, [500, 1500, 2500], "interval 4s/(3+1), initial delay 0.5 x 1000ms");
});

Deno.test("an aborted run starts nothing more", async () => {
  const { jobs } = await plan(workedExampleArgv());
  const controller = new AbortController();
  const runner = new RecordingRunner({}, () => {
    controller.abort();
    return Promise.resolve();
  });
  const r = await runSubJobs(jobs, runner, { workers: 2, signal: controller.signal });
  assert.deepEqual(runner.started, [C]);
  assert.equal(r.skipped.length, 9);
});
