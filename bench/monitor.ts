/**
 * `--monitor-snapshots` and `--compare-snapshot-lists` over a tree of BENCH_DATASETS datasets
 * (default 1,000) on each side of the real-OpenZFS lab: counts the `zfs list` commands in the
 * `-v -v` log (the target is one per side) and reports the wall time of our CLI against the
 * baseline of the two bare `zfs list` calls it has to make anyway, measured in the same run.
 *
 * Needs a running lab: `eval "$(deno task lab env)"` (or BZFS_LAB_STATE of a private lab). The
 * tree is created once (`zfs create` loop in one shell script, then `zfs send -R | zfs receive`
 * for the destination) and reused by later runs.
 *
 * Without a lab (and before the lab part) it measures the engine alone: both phases over an
 * in-memory tree of 1,000 datasets x 100 snapshots per side, with the `zfs list` output
 * rendered beforehand so only parsing, grading, comparing and writing are timed.
 *
 * @module
 */
import type { CommandSpec, Executor, RunResult } from "../lib/exec/executor.ts";
import { comparePhase } from "../lib/job/compare_phase.ts";
import { monitorPhase } from "../lib/job/monitor_phase.ts";
import type { Phase } from "../lib/job/phase.ts";
import { connectLab, labAvailable } from "../tests/lab/helpers.ts";
import {
  captureLogs,
  fakeExecutor,
  FakeHostTree,
  hostsFor,
  makeCtx,
} from "../tests/job/_phase_fixture.ts";

await engineOverhead();

/** Both phases over an in-memory tree; prints the time of the second (warm) run of each. */
async function engineOverhead(): Promise<void> {
  const now = 1_736_412_605_000;
  const tree = new FakeHostTree().dataset("tank/src", "bak/dst");
  let guid = 1;
  for (let d = 0; d < 1000; d++) {
    for (let s = 0; s < 100; s++) {
      const name = `prod_onsite_2025-01-01_00:00:${String(s).padStart(2, "0")}_daily`;
      const spec = { name, creation: now / 1000 - 3600 * (100 - s), txg: s + 1 };
      tree.add(`tank/src/d${d}`, { ...spec, guid: String(guid) });
      tree.add(`bak/dst/d${d}`, { ...spec, guid: String(guid++) });
    }
  }
  const outputs = new Map<string, string>();
  const rendered: Executor = {
    run: (spec: CommandSpec): Promise<RunResult> => {
      const key = spec.argv.join(" ");
      if (!outputs.has(key)) outputs.set(key, tree.list(spec).stdout ?? "");
      return Promise.resolve({ code: 0, signal: null, stdout: outputs.get(key)!, stderr: "" });
    },
    runPipeline: () => Promise.reject(new Error("no pipelines here")),
  };
  const plan = `{"prod": {"onsite": {"daily": {"latest": {"warning": "100 years"}, ` +
    `"oldest": {"warning": "100 years"}}}}}`;
  const cases: [string, Phase, string[]][] = [
    ["--monitor-snapshots", monitorPhase, ["--monitor-snapshots", plan]],
    ["--compare-snapshot-lists", comparePhase, ["--compare-snapshot-lists=src+dst+all"]],
  ];
  console.log("monitor: engine only, 1,000 datasets x 100 snapshots per side (200,000 records)");
  for (const [name, phase, args] of cases) {
    const logFile = `${await Deno.makeTempDir()}/run.log`;
    const ctx = makeCtx(["tank/src", "bak/dst", "-r", ...args], {
      executor: fakeExecutor({ local: tree }),
      now,
      logFile,
    });
    const run = () =>
      phase(ctx.config.pairs[0], { ...ctx, executor: rendered }, hostsFor(ctx.config));
    await captureLogs(run);
    const t0 = performance.now();
    const r = await captureLogs(run);
    if (r.error) throw r.error;
    console.log(`  ${name}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
}

if (!labAvailable()) {
  console.log('monitor: no lab (set BZFS_LAB_STATE, e.g. eval "$(deno task lab env)"); skipped');
  Deno.exit(0);
}
const N = Number(Deno.env.get("BENCH_DATASETS") ?? 1000);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
const lab = await connectLab();
const src = `${lab.src}/bench_mon`;
const dst = `${lab.dst}/bench_mon`;
const snap = "prod_onsite_2025-01-01_00:00:00_daily";

const existing = await lab.exec(["zfs", "list", "-H", "-o", "name", "-r", dst], { noThrow: true });
if (existing.stdout.trim().split("\n").filter((x) => x).length !== N) {
  const t0 = performance.now();
  await lab.sh(
    `zfs destroy -r ${src} 2>/dev/null; zfs destroy -r ${dst} 2>/dev/null; ` +
      `zfs create -o canmount=off ${src} && ` +
      `i=1; while [ $i -lt ${N} ]; do zfs create -o canmount=off ${src}/d$i || exit 1; ` +
      `i=$((i+1)); done && zfs snapshot -r ${src}@${snap} && ` +
      `zfs send -R ${src}@${snap} | zfs receive -u ${dst}`,
  );
  console.log(`monitor: created ${N} datasets per side in ${elapsed(t0)} s`);
}

const env = lab.localEnv();
const cli = [
  Deno.execPath(),
  "run",
  "--frozen",
  "-A",
  new URL("../cli.ts", import.meta.url).pathname,
];

async function run(argv: string[]): Promise<{ seconds: number; code: number; stderr: string }> {
  const t0 = performance.now();
  const r = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  return {
    seconds: (performance.now() - t0) / 1000,
    code: r.code,
    stderr: new TextDecoder().decode(r.stderr),
  };
}

function elapsed(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(1);
}

const logDir = `${await Deno.makeTempDir()}/bzfs-logs`;
const plan = `{"prod": {"onsite": {"daily": {"latest": {"warning": "100 years"}}}}}`;
const cases = [
  { name: "--monitor-snapshots", args: ["--monitor-snapshots", plan] },
  { name: "--compare-snapshot-lists", args: ["--compare-snapshot-lists=src+dst+all"] },
];
const baselineArgv = (
  root: string,
) => [
  "zfs",
  "list",
  "-t",
  "filesystem,volume,snapshot",
  "-Hp",
  "-o",
  "name,createtxg,creation",
  "-r",
  root,
];
let baseline = Infinity;
for (let i = 0; i < ROUNDS; i++) {
  const t0 = performance.now();
  await Promise.all([
    new Deno.Command("zfs", { args: baselineArgv(src).slice(1), env, stdout: "null" }).output(),
    new Deno.Command("zfs", { args: baselineArgv(dst).slice(1), env, stdout: "null" }).output(),
  ]);
  baseline = Math.min(baseline, (performance.now() - t0) / 1000);
}
console.log(
  `monitor: ${N} datasets per side; baseline (both bare zfs list -r in parallel): ${
    baseline.toFixed(2)
  } s`,
);
for (const c of cases) {
  let best = Infinity;
  let lists = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await run([
      ...cli,
      "-r",
      "--skip-replication",
      "-v",
      "-v",
      "--log-dir",
      logDir,
      ...c.args,
      src,
      dst,
    ]);
    if (r.code !== 0) throw new Error(`${c.name} failed (${r.code}):\n${r.stderr.slice(-2000)}`);
    lists = r.stderr.split("\n").filter((l) => /Executing: .*zfs list /.test(l)).length;
    best = Math.min(best, r.seconds);
  }
  console.log(
    `  ${c.name}: ${best.toFixed(2)} s wall (best of ${ROUNDS}), zfs list commands: ${lists} ` +
      `(target 2), ratio baseline/ours ${(baseline / best).toFixed(3)}`,
  );
}
