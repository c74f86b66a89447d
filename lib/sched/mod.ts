/**
 * Scheduling: `--threads` resolution, the parallel task tree (parents before children, N
 * workers, `--skip-on-error`, `~` barriers), plain parallel batches, and retries with
 * full-jitter backoff.
 *
 * @example Replicate a sorted dataset list with retries per dataset
 * ```ts
 * import { DEFAULT_RETRY_POLICY, resolveThreads, runTree, withRetries } from "./mod.ts";
 * const workers = resolveThreads({ number: 100, isPercent: true }, navigator.hardwareConcurrency);
 * const summary = await runTree(["tank/a", "tank/a/b"], (name, signal) =>
 *   withRetries(() => Promise.resolve("continue" as const), DEFAULT_RETRY_POLICY, { signal }),
 *   { workers, skipOnError: "dataset" });
 * if (summary.failed.length > 0) throw summary.failed[0].error;
 * ```
 *
 * @module
 */

export * from "./min_heap.ts";
export * from "./parallel_map.ts";
export * from "./retry.ts";
export * from "./round_half_even.ts";
export * from "./task_tree.ts";
export * from "./threads.ts";
export * from "./tree_progress.ts";
export * from "./tree_scheduler.ts";
