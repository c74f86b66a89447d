/**
 * The retry loop settings every per-dataset step of a job shares: the policy from the
 * `--retry*` options, and the loop options (the run's clock and abort signal, `RetryableError`
 * as the retryable kind, and one warning per retry naming the dataset).
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import { RetryableError } from "../errors.ts";
import { logger } from "../log/setup.ts";
import type { RetryPolicy, WithRetriesOptions } from "../sched/retry.ts";
import type { JobContext } from "./context.ts";

/**
 * The retry policy of the `--retries`, `--retry-min-sleep-secs`, `--retry-initial-max-sleep-secs`,
 * `--retry-max-sleep-secs` and `--retry-max-elapsed-secs` options.
 *
 * @example
 * ```ts ignore
 * retryPolicyOf(config.options); // { retries: 2, minSleepSecs: 0, ... }
 * ```
 * @param o The run's options.
 * @returns The policy.
 */
export function retryPolicyOf(o: BzfsOptionValues): RetryPolicy {
  return {
    retries: o.retries,
    minSleepSecs: o.retryMinSleepSecs,
    initialMaxSleepSecs: o.retryInitialMaxSleepSecs,
    maxSleepSecs: o.retryMaxSleepSecs,
    maxElapsedSecs: o.retryMaxElapsedSecs,
  };
}

/**
 * Loop options for one dataset's step: retries `RetryableError`s only, sleeps on the run's clock,
 * stops with the run's signal, and logs `Retrying <dataset> (n/max) in <ms> ms: <error>` as a
 * warning of the given log category.
 *
 * @example
 * ```ts ignore
 * await withRetries(step, retryPolicyOf(o), datasetRetryOptions(ctx, "delete", "bak/a"));
 * ```
 * @param ctx The job's context.
 * @param category The log category (`replicate`, `delete`, ...).
 * @param dataset The dataset named in the warning.
 * @returns The options of `withRetries`.
 */
export function datasetRetryOptions(
  ctx: Pick<JobContext, "clock" | "signal">,
  category: string,
  dataset: string,
): WithRetriesOptions {
  return {
    clock: ctx.clock,
    signal: ctx.signal,
    isRetryable: (e) => e instanceof RetryableError,
    onRetry: (ev) =>
      logger(category).warn("Retrying {ds} ({n}/{max}) in {ms} ms: {err}", {
        ds: dataset,
        n: ev.retry,
        max: ev.retries,
        ms: Math.round(ev.sleepMs),
        err: ev.error instanceof Error ? ev.error.message : String(ev.error),
      }),
  };
}
