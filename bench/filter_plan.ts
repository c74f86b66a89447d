/**
 * Benchmark: filtering and planning 100,000 snapshots of one dataset in-process, the work
 * `--create-src-snapshots` and `--delete-dst-snapshots-except-plan` do per dataset once the
 * listing is in memory: parse the `zfs list` text, find the latest snapshot per label and decide
 * what is due, evaluate the retention plan's filter groups, cross-check GUIDs against the source,
 * and build the `zfs destroy` batches. Target: under 200 ms of CPU.
 *
 * Baseline (same run): one `zfs list -t snapshot -r` on the lab VM when `BZFS_LAB_STATE` names a
 * running lab and `BZFS_BENCH_LIST_DATASET` names a dataset whose subtree holds about as many
 * snapshots (one dataset with 100,000 snapshots needs 100,000 txgs to create, hours on the
 * emulated lab; the tree of bench/create_cached.ts at 1,000 x 100 serves); otherwise parsing a
 * 100,000-line listing (the floor any implementation pays).
 *
 * Run: `deno run --frozen --allow-all bench/filter_plan.ts [count]`
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { buildBzfsConfig } from "../lib/cli/bzfs_config.ts";
import { filterSnapshots } from "../lib/filter/filter_snapshots.ts";
import { snapshotFilterGroups } from "../lib/filter/snapshot_filter_groups.ts";
import { planLabels } from "../lib/lifecycle/create_plan.ts";
import { destroyArgs, selectDstSnapshotsToDelete } from "../lib/lifecycle/delete_snapshots.ts";
import { latestCreationByLabel, snapshotsDue } from "../lib/lifecycle/due.ts";
import { parsePlan } from "../lib/plan/plan.ts";
import { listSnapshotsArgv, parseSnapshotList } from "../lib/zfs/list.ts";

const COUNT = Number(Deno.args[0] ?? 100_000);
const PLAN = "{'prod': {'onsite': {'hourly': 36, 'daily': 31, 'weekly': 12, 'monthly': 18}}}";
const END = Date.parse("2026-01-01T00:00:00Z");

/** A `zfs list -Hp -o guid,createtxg,creation,name` text: hourlies plus daily/weekly/monthly. */
function listing(count: number): string {
  const rows: string[] = [];
  const start = END / 1000 - count * 3600;
  for (let i = 0; rows.length < count; i++) {
    const t = start + i * 3600;
    const iso = new Date(t * 1000).toISOString();
    const ts = `${iso.slice(0, 10)}_${iso.slice(11, 19)}`;
    const labels = ["hourly"];
    if (iso.slice(11, 13) === "00") labels.push("daily");
    if (iso.slice(11, 13) === "00" && new Date(t * 1000).getUTCDay() === 0) labels.push("weekly");
    if (iso.slice(8, 13) === "01T00") labels.push("monthly");
    for (const l of labels) {
      rows.push(`${1e15 + rows.length}\t${1000 + i}\t${t}\ttank/bench@prod_onsite_${ts}_${l}`);
    }
  }
  return rows.slice(0, count).join("\n") + "\n";
}

function cpuMs<T>(fn: () => T): [T, number] {
  const c0 = cpuUsage();
  const v = fn();
  const c = cpuUsage(c0);
  return [v, (c.user + c.system) / 1000];
}

function best(xs: number[]): number {
  return Math.min(...xs);
}

const text = listing(COUNT);
const groups = snapshotFilterGroups(
  buildBzfsConfig(["dummy", "bak/x", `--delete-dst-snapshots-except-plan=${PLAN}`])
    .snapshotFilterArgs,
);
const plan = parsePlan(PLAN, "--create-src-snapshots-plan");
const labels = planLabels(plan);

function pipeline() {
  const t: Record<string, number> = {};
  const [recs, parse] = cpuMs(() => parseSnapshotList(text));
  t.parse = parse;
  const [, due] = cpuMs(() => {
    const latest = new Map([["tank/bench", latestCreationByLabel(recs, labels)]]);
    return snapshotsDue(["tank/bench"], latest, { plan, now: END, timeZone: "UTC" });
  });
  t.due = due;
  const [keep, filter] = cpuMs(() => filterSnapshots(recs, groups, { now: END }));
  t.filter = filter;
  const [decision, select] = cpuMs(() =>
    selectDstSnapshotsToDelete(recs, recs, { selected: keep, except: true })
  );
  t.select = select;
  const [argvs, destroy] = cpuMs(() =>
    destroyArgs("tank/bench", decision.toDelete.map((e) => e.name))
  );
  t.destroy = destroy;
  t.total = parse + due + filter + select + destroy;
  return { t, kept: keep.length, deleted: decision.toDelete.length, commands: argvs.length };
}

async function vmListMs(): Promise<number[] | undefined> {
  const state = Deno.env.get("BZFS_LAB_STATE");
  const ds = Deno.env.get("BZFS_BENCH_LIST_DATASET");
  if (!state || !ds) return undefined;
  const lab = JSON.parse(Deno.readTextFileSync(`${state}/lab.json`));
  const argv = listSnapshotsArgv(ds, { types: "snapshot", depth1: false });
  const out: number[] = [];
  const rounds = Number(Deno.env.get("BZFS_BENCH_LIST_ROUNDS") ?? 3);
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = await new Deno.Command(`${lab.wrapperDir}/zfs`, { args: argv.slice(1) }).output();
    out.push(performance.now() - t0);
    const n = new TextDecoder().decode(r.stdout).split("\n").length - 1;
    if (i === 0) console.log(`baseline: zfs list of ${n} snapshots of ${ds} on the lab VM`);
  }
  return out;
}

for (let i = 0; i < 2; i++) pipeline(); // warm up the JIT
const runs = Array.from({ length: 5 }, pipeline);
const r = runs[0];
console.log(
  `${COUNT} snapshots: keep ${r.kept}, delete ${r.deleted} in ${r.commands} zfs destroy commands`,
);
for (const stage of ["parse", "due", "filter", "select", "destroy", "total"]) {
  const xs = runs.map((x) => x.t[stage]);
  console.log(`  ${stage.padEnd(8)} best ${best(xs).toFixed(1)} ms CPU`);
}
const total = best(runs.map((x) => x.t.total));
const vm = await vmListMs();
const baseline = vm ? best(vm) : best(runs.map((x) => x.t.parse));
const what = vm ? "one zfs list on the lab VM (wall)" : "parsing the listing (CPU)";
console.log(`baseline ${what}: ${baseline.toFixed(1)} ms`);
console.log(`ratio filter+plan / baseline: ${(total / baseline).toPrecision(3)}`);
console.log(
  total < 200 ? `OK: ${total.toFixed(1)} ms < 200 ms CPU` : `ABOVE TARGET: ${total.toFixed(1)} ms`,
);
