/**
 * Benchmark of the parallel task tree: 1,000,000 datasets in a realistic tree (pools, depth up
 * to 6, varying fanout), a no-op async task, 8 workers. Prints elapsed time, peak RSS, bytes per
 * dataset, and the ratio against a baseline measured in the same run (a plain loop awaiting the
 * same no-op task once per dataset).
 *
 * Run: `deno run --frozen --allow-all --v8-flags=--expose-gc bench/scheduler.ts [count]`
 * (with `--expose-gc` the garbage of building the list is collected before measuring).
 *
 * @module
 */

import { runTree, type TaskOutcome } from "../lib/sched/tree_scheduler.ts";

/** Fanout ranges per depth: pools, then datasets below them. */
const FANOUT: readonly (readonly [number, number])[] = [
  [20, 60],
  [10, 40],
  [5, 20],
  [0, 10],
  [0, 5],
];

/** A small deterministic PRNG (mulberry32) so every run builds the same tree. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds `count` sorted dataset names: pools `tankN`, each a tree of depth up to 6.
 *
 * @example
 * ```ts
 * console.log(buildDatasets(3)); // ["tank0", "tank0/ds000", "tank0/ds000/ds000"]
 * ```
 */
export function buildDatasets(count: number): string[] {
  const random = prng(42);
  const names: string[] = [];
  const grow = (name: string, depth: number): void => {
    if (names.length >= count) return;
    names.push(name);
    if (depth >= FANOUT.length) return;
    const [lo, hi] = FANOUT[depth];
    const fanout = lo + Math.floor(random() * (hi - lo + 1));
    for (let i = 0; i < fanout && names.length < count; i++) {
      grow(`${name}/ds${String(i).padStart(3, "0")}`, depth + 1);
    }
  };
  for (let pool = 0; names.length < count; pool++) grow(`tank${pool}`, 0);
  return names.sort();
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const count = Number(Deno.args[0] ?? 1_000_000);
  const datasets = buildDatasets(count);
  const depth = datasets.reduce((m, n) => Math.max(m, n.split("/").length), 0);
  const pools = datasets.filter((n) => !n.includes("/")).length;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peak = Deno.memoryUsage().rss;
  const rssBefore = peak;
  const heapBefore = Deno.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  let calls = 0;
  const noop = (_name: string, _signal: AbortSignal): Promise<TaskOutcome> => {
    if (++calls % 4096 === 0) {
      const usage = Deno.memoryUsage();
      peak = Math.max(peak, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }
    return Promise.resolve("continue");
  };
  console.log(`datasets: ${datasets.length}, pools: ${pools}, max depth: ${depth}`);

  const signal = new AbortController().signal;
  let t0 = performance.now();
  for (const name of datasets) await noop(name, signal);
  const baselineMs = performance.now() - t0;

  calls = 0;
  gc?.();
  t0 = performance.now();
  const summary = await runTree(datasets, noop, { workers: 8, skipOnError: "dataset" });
  const treeMs = performance.now() - t0;
  peak = Math.max(peak, Deno.memoryUsage().rss);

  if (summary.completed !== datasets.length || calls !== datasets.length) {
    throw new Error(`Incomplete run: ${JSON.stringify(summary)}, calls ${calls}`);
  }
  console.log(`baseline (sequential await per dataset): ${baselineMs.toFixed(0)} ms`);
  console.log(`runTree workers=8: ${treeMs.toFixed(0)} ms`);
  console.log(`ratio runTree / baseline: ${(treeMs / baselineMs).toFixed(2)}`);
  console.log(`RSS before: ${mib(rssBefore)}, peak: ${mib(peak)}`);
  console.log(
    `JS heap used before: ${mib(heapBefore)} (the name list), peak: ${mib(peakHeap)}, ` +
      `peak - before per dataset: ${((peakHeap - heapBefore) / datasets.length).toFixed(0)} B`,
  );
  console.log(
    `scheduler bytes per dataset (peak - before): ${
      ((peak - rssBefore) / datasets.length).toFixed(0)
    }, total peak RSS per dataset: ${(peak / datasets.length).toFixed(0)}`,
  );
}

if (import.meta.main) await main();
