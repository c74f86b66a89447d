/**
 * Runs generated sub-jobs on the parallel task tree (reference 3.4, 3.5): names sorted, `~`
 * barriers, fewest `/` first, at most `workers` at once, a failure skips its subtree, starts
 * spread over `--work-period-seconds` (plus a random initial delay with `--jitter`).
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { runTree } from "../sched/tree_scheduler.ts";
import { worstExitCode } from "./exit_status.ts";
import type { JobrunnerLog } from "./log.ts";
import type { SubJobRunner } from "./runner.ts";
import type { SubJob } from "./subjobs.ts";

/** Options of {@linkcode runSubJobs}. */
export interface RunSubJobsOptions {
  /** Maximum sub-jobs at once (>= 1). */
  workers: number;
  /** `--work-period-seconds`. @default 0 */
  workPeriodSeconds?: number;
  /** `--jitter`: sleep a random time in [0, interval] first. @default false */
  jitter?: boolean;
  /** Time source. @default the system clock */
  clock?: Clock;
  /** Random numbers in [0, 1). @default Math.random */
  random?: () => number;
  /** Stops new starts and is passed to running sub-jobs. */
  signal?: AbortSignal;
  /** Progress and failure lines. */
  log?: JobrunnerLog;
}

/** What happened to the sub-jobs of one pass. */
export interface RunSubJobsResult {
  /** Exit code of every sub-job that ran, by name. */
  readonly codes: ReadonlyMap<string, number>;
  /** The folded exit code (0 when all succeeded). */
  readonly worst: number;
  /** Sub-jobs never started (below a failure, or aborted). */
  readonly skipped: readonly string[];
  /** Pacing interval in milliseconds. */
  readonly intervalMs: number;
}

class SubJobFailed extends Error {
  constructor(readonly code: number) {
    super(`Sub-job exited with status ${code}`);
  }
}

/**
 * The pacing interval: `period / K` with K sub-jobs, or K+1 with jitter.
 *
 * @example
 * ```ts
 * import { pacingIntervalMs } from "./run_subjobs.ts";
 * console.log(pacingIntervalMs(60, 60, false)); // 1000
 * ```
 * @param workPeriodSeconds `--work-period-seconds`.
 * @param jobCount Number of sub-jobs.
 * @param jitter `--jitter`.
 * @returns Milliseconds between starts (0 without sub-jobs).
 */
export function pacingIntervalMs(
  workPeriodSeconds: number,
  jobCount: number,
  jitter: boolean,
): number {
  if (jobCount === 0) return 0;
  return Math.round(1000 * Math.max(0, workPeriodSeconds) / (jitter ? jobCount + 1 : jobCount));
}

/**
 * Runs the sub-jobs and folds their exit codes.
 *
 * @example
 * ```ts
 * import { runSubJobs } from "./run_subjobs.ts";
 * import { functionRunner } from "./runner.ts";
 * const jobs = [{ name: "000000src-host/create-src-snapshots", argv: ["bzfs"], action: "create-src-snapshots" as const, srcHost: "a", dstHost: "" }];
 * const r = await runSubJobs(jobs, functionRunner(() => Promise.resolve(0)), { workers: 2 });
 * console.log(r.worst); // 0
 * ```
 * @param jobs The sub-jobs (any order; names must be unique).
 * @param runner Executes one sub-job.
 * @param options Workers, pacing, jitter, seams.
 * @returns Codes per sub-job, the folded code and the skipped names.
 * @throws {RangeError} When names repeat or `workers` < 1.
 */
export async function runSubJobs(
  jobs: readonly SubJob[],
  runner: SubJobRunner,
  options: RunSubJobsOptions,
): Promise<RunSubJobsResult> {
  const clock = options.clock ?? systemClock;
  const byName = new Map(jobs.map((j) => [j.name, j]));
  if (byName.size !== jobs.length) throw new RangeError("Sub-job names must be unique");
  const names = [...byName.keys()].sort();
  const intervalMs = pacingIntervalMs(
    options.workPeriodSeconds ?? 0,
    jobs.length,
    !!options.jitter,
  );
  if (options.jitter && intervalMs > 0) {
    const delay = Math.floor((options.random ?? Math.random)() * (intervalMs + 1));
    options.log?.log("INFO", `Jitter: Delaying job start time by sleeping for ${delay}ms ...`);
    await clock.sleep(delay, options.signal);
  }
  const stats = new Progress(jobs.length, clock);
  const codes = new Map<string, number>();
  const started = new Set<string>();
  await runTree(names, async (name, signal) => {
    const job = byName.get(name) as SubJob;
    started.add(name);
    stats.start();
    if (options.log?.enabled("INFO")) options.log.log("INFO", `Progress: ${stats}`);
    if (options.log?.enabled("TRACE")) {
      options.log.log("TRACE", `Starting worker job: ${job.argv.join(" ")}`);
    }
    const t0 = clock.now();
    const code = await runner.run(job, signal);
    codes.set(name, code);
    const elapsed = clock.now() - t0;
    if (code !== 0) {
      options.log?.log(
        "ERROR",
        `Worker job failed with exit code ${code} in ${elapsed}ms: ${job.argv.join(" ")}`,
      );
    }
    stats.finish(code !== 0, elapsed);
    if (options.log?.enabled("INFO")) options.log.log("INFO", `Progress: ${stats}`);
    if (code !== 0) throw new SubJobFailed(code);
    return "continue";
  }, {
    workers: options.workers,
    skipOnError: "tree",
    barriers: true,
    priority: "depth",
    signal: options.signal,
    pacing: intervalMs > 0 ? { intervalMs, clock } : undefined,
  });
  const skipped = names.filter((n) => !started.has(n));
  options.log?.log("INFO", `Final Progress: ${stats}, skipped:${stats.percent(skipped.length)}`);
  return { codes, worst: worstExitCode(codes.values()), skipped, intervalMs };
}

class Progress {
  started = 0;
  completed = 0;
  failed = 0;
  running = 0;
  sumMs = 0;
  constructor(readonly all: number, readonly clock: Clock) {}
  start(): void {
    this.started++;
    this.running++;
  }
  finish(failed: boolean, elapsedMs: number): void {
    this.running--;
    this.completed++;
    if (failed) this.failed++;
    this.sumMs += elapsedMs;
  }
  percent(n: number): string {
    return `${n}/${this.all}=${this.all === 0 ? 0 : Math.round(100 * n / this.all)}%`;
  }
  toString(): string {
    const avg = Math.round(this.sumMs / Math.max(1, this.completed));
    return `all:${this.all}, started:${this.percent(this.started)}, completed:${
      this.percent(this.completed)
    }, failed:${this.percent(this.failed)}, running:${this.running}, avg_completion_time:${avg}ms`;
  }
}
