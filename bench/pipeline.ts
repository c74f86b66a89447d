/**
 * Throughput of `RealExecutor.runPipeline` against the same `sh -c` pipeline spawned directly
 * with `Deno.Command` (the baseline), 1 GiB from /dev/zero through `cat`. The bulk data streams
 * inside the shell in both cases, so the ratio should be ~1 (target >= 0.95).
 *
 * Run: `deno run --frozen --allow-all bench/pipeline.ts [MiB] [rounds]`
 *
 * @module
 */
import { Pipeline } from "../lib/exec/pipeline.ts";
import { RealExecutor } from "../lib/exec/real_executor.ts";

const mib = Number(Deno.args[0] ?? 1024);
const rounds = Number(Deno.args[1] ?? 9);
const bytes = mib * 1024 * 1024;

const rendered = Pipeline.create()
  .send(["head", "-c", String(bytes), "/dev/zero"])
  .receive(["cat"])
  .render();
const script = `${rendered.display} > /dev/null`;
const viaExecutor = { argv: ["sh", "-c", script], display: script };

async function baseline(): Promise<void> {
  const out = await new Deno.Command("sh", { args: ["-c", script], stdout: "null", stderr: "null" })
    .output();
  if (!out.success) throw new Error(`baseline failed: ${out.code}`);
}

const executor = new RealExecutor();
async function executorRun(): Promise<void> {
  await executor.runPipeline(viaExecutor);
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

const base: number[] = [];
const exec: number[] = [];
await baseline(); // warm up
await executorRun();
for (let i = 0; i < rounds; i++) {
  base.push(await time(baseline));
  exec.push(await time(executorRun));
}
const best = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (secs: number) => (mib / secs).toFixed(0);
console.log(`pipeline: ${script}`);
console.log(`rounds: ${rounds}, ${mib} MiB each`);
console.log(
  `raw sh -c (Deno.Command):  best ${rate(best(base))} MiB/s, median ${rate(median(base))} MiB/s`,
);
console.log(
  `RealExecutor.runPipeline:  best ${rate(best(exec))} MiB/s, median ${rate(median(exec))} MiB/s`,
);
const byBest = best(base) / best(exec);
const byMedian = median(base) / median(exec);
console.log(
  `ratio executor/raw: best ${byBest.toFixed(3)}, median ${byMedian.toFixed(3)} (target >= 0.95)`,
);
console.log(
  byMedian >= 0.95
    ? "OK (by median)"
    : "BELOW TARGET by median (machine noise? rerun with more rounds)",
);
