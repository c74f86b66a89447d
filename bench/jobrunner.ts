/**
 * Benchmark of the jobrunner's planning and scheduling: 2,000 source hosts x 3 destination
 * hosts, all seven actions (26,000 sub-jobs), generated from the command line and run through
 * the tree scheduler with 8 workers and a fake runner that succeeds at once. Budget: 2 s.
 * Prints the figure and the ratio against a baseline measured in the same run (a plain loop
 * awaiting the same fake runner once per sub-job).
 *
 * Run: `deno run --frozen --allow-all bench/jobrunner.ts [srcHosts]`
 *
 * @module
 */
import { parseJobrunnerArgs } from "../lib/cli/jobrunner_main.ts";
import { planSubJobs } from "../lib/jobrunner/plan_run.ts";
import { runSubJobs } from "../lib/jobrunner/run_subjobs.ts";
import { functionRunner } from "../lib/jobrunner/runner.ts";

const BUDGET_MS = 2000;
const srcCount = Number(Deno.args[0] ?? 2000);
const srcHosts = Array.from({ length: srcCount }, (_, i) => `src${String(i).padStart(5, "0")}`);
const dst = ["dr1", "dr2", "dr3"];
const dict = (f: (h: string, i: number) => string) =>
  `{${dst.map((h, i) => `'${h}': ${f(h, i)}`).join(", ")}}`;
const argv = [
  "--job-id=bench",
  "--job-run=r1",
  "--localhost=mgmt",
  `--src-hosts=[${srcHosts.map((h) => `'${h}'`).join(", ")}]`,
  `--dst-hosts=${dict((_, i) => `['t${i}']`)}`,
  `--retain-dst-targets=${dict((_, i) => `['t${i}']`)}`,
  `--dst-root-datasets=${dict((h) => `'bak/${h}/^SRC_HOST'`)}`,
  "--src-snapshot-plan={'prod': {'t0': {'hourly': 36, 'daily': 31}, 't1': {'daily': 31}, 't2': {'daily': 31}}}",
  "--src-bookmark-plan={'prod': {'t0': {'hourly': 36, 'daily': 31}, 't1': {'daily': 31}, 't2': {'daily': 31}}}",
  "--dst-snapshot-plan={'prod': {'t0': {'hourly': 72, 'daily': 62}, 't1': {'daily': 62}, 't2': {'weekly': 52}}}",
  "--monitor-snapshot-plan={'prod': {'t0': {'hourly': {'warning': '30 minutes', 'critical': '300 minutes'}}}}",
  "--create-src-snapshots",
  "--replicate",
  "--prune-src-snapshots",
  "--prune-src-bookmarks",
  "--prune-dst-snapshots",
  "--monitor-src-snapshots",
  "--monitor-dst-snapshots",
  "--recursive",
  "--root-dataset-pairs",
  "tank/data",
  "data",
  "tank/home",
  "home",
];
const identity = {
  localhostName: "mgmt",
  loopbackIds: new Set(["mgmt", "localhost"]),
  username: "root",
  loopbackAddress: "127.0.0.1",
};
let calls = 0;
const fake = functionRunner(() => {
  calls++;
  return Promise.resolve(0);
});

async function measure(): Promise<
  { planMs: number; runMs: number; jobs: number; maxDepth: number }
> {
  const t0 = performance.now();
  const { options, forwarded } = parseJobrunnerArgs(argv);
  const { jobs } = await planSubJobs(options, forwarded, { identity, defaultJobRun: "x" });
  const t1 = performance.now();
  const result = await runSubJobs(jobs, fake, { workers: 8 });
  const t2 = performance.now();
  if (result.worst !== 0 || result.skipped.length !== 0) throw new Error("Bench run failed");
  const maxDepth = Math.max(...jobs.map((j) => j.name.split("/").length));
  return { planMs: t1 - t0, runMs: t2 - t1, jobs: jobs.length, maxDepth };
}

async function baseline(n: number): Promise<number> {
  const job = {
    name: "x",
    argv: ["bzfs"],
    action: "replicate" as const,
    srcHost: "s",
    dstHost: "d",
  };
  const signal = new AbortController().signal;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fake.run(job, signal);
  return performance.now() - t0;
}

await measure(); // warm-up
calls = 0;
const m = await measure();
const runs = calls;
const base = await baseline(m.jobs);
const total = m.planMs + m.runMs;
console.log(
  `jobrunner: ${srcCount} src x ${dst.length} dst hosts, all 7 actions: ${m.jobs} sub-jobs ` +
    `(names up to ${m.maxDepth} levels), ${runs} runs`,
);
console.log(`  generate (parse + validate + plan): ${m.planMs.toFixed(0)} ms`);
console.log(`  schedule + run (fake runner, 8 workers): ${m.runMs.toFixed(0)} ms`);
console.log(
  `  total: ${total.toFixed(0)} ms (budget ${BUDGET_MS} ms: ${
    total < BUDGET_MS ? "OK" : "OVER"
  }); ` +
    `baseline loop: ${base.toFixed(0)} ms, ratio ${(total / Math.max(1, base)).toFixed(1)}x`,
);
if (total >= BUDGET_MS) Deno.exitCode = 1;
