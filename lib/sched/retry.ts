/**
 * Retries with full-jitter exponential backoff (semantics 9.4): `--retries`,
 * `--retry-min-sleep-secs`, `--retry-initial-max-sleep-secs`, `--retry-max-sleep-secs`,
 * `--retry-max-elapsed-secs`. Time and randomness are injected, so tests never sleep.
 *
 * @module
 */

import { type Clock, systemClock } from "../clock.ts";
import { RetryableError } from "../errors.ts";
import { roundHalfEven } from "./round_half_even.ts";

/** How one operation is retried; the field names follow the `--retry*` options. */
export interface RetryPolicy {
  /** `--retries`: maximum number of extra attempts after the first (integer >= 0). */
  readonly retries: number;
  /** `--retry-min-sleep-secs`: lower bound of each backoff sleep. */
  readonly minSleepSecs: number;
  /** `--retry-initial-max-sleep-secs`: upper bound of the first backoff sleep. */
  readonly initialMaxSleepSecs: number;
  /** `--retry-max-sleep-secs`: cap of the doubling upper bound. */
  readonly maxSleepSecs: number;
  /** `--retry-max-elapsed-secs`: no retry once this much time passed since the first attempt. */
  readonly maxElapsedSecs: number;
}

/** The bzfs defaults: 2 retries, sleeps in [0, 0.125 s] doubling up to 300 s, 3600 s budget. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 2,
  minSleepSecs: 0,
  initialMaxSleepSecs: 0.125,
  maxSleepSecs: 300,
  maxElapsedSecs: 3600,
});

/** A policy that never retries. */
export const NO_RETRIES: RetryPolicy = Object.freeze({
  retries: 0,
  minSleepSecs: 0,
  initialMaxSleepSecs: 0,
  maxSleepSecs: 0,
  maxElapsedSecs: 0,
});

/** What the retried function is told about the current attempt. */
export interface RetryAttempt {
  /** 0 for the first attempt, 1 for the first retry, ... */
  readonly count: number;
  /** The abort signal given to {@linkcode withRetries}, if any. */
  readonly signal?: AbortSignal;
}

/** Passed to `onRetry` before each backoff sleep (for the `Retrying ... [1/2] in 8ms` log). */
export interface RetryEvent {
  /** Number of the retry about to happen, from 1. */
  readonly retry: number;
  /** The policy's maximum number of retries. */
  readonly retries: number;
  /** The error of the attempt that just failed. */
  readonly error: unknown;
  /** How long the loop sleeps before the retry. */
  readonly sleepMs: number;
  /** Time since the first attempt started. */
  readonly elapsedMs: number;
}

/** Options of {@linkcode withRetries}. */
export interface WithRetriesOptions {
  /** Time source and sleeper. Default: the system clock. */
  clock?: Clock;
  /** Aborting stops the loop at the next check (before a retry, or during the sleep). */
  signal?: AbortSignal;
  /** Which errors are retried. Default: instances of `RetryableError`. */
  isRetryable?: (error: unknown) => boolean;
  /** Whether an error asks to be retried once at once, without sleeping (only on the first
   * retry). Default: the error has a property `retryImmediatelyOnce === true`. */
  retryImmediately?: (error: unknown) => boolean;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
  /** Uniform random numbers in [0, 1). Default: `Math.random`. */
  random?: () => number;
}

const NANOS_PER_MS = 1e6;
const NANOS_PER_SEC = 1e9;

/**
 * Runs `fn` and retries it per `policy` while it throws a retryable error. Before retry k the
 * loop sleeps a uniformly random whole number of nanoseconds in `[min, curMax]`, then
 * `curMax = min(round(curMax * 2), max)`, starting from the initial max. It gives up when the
 * retries are used up, when the time since the first attempt reached `maxElapsedSecs`, when
 * that time plus the chosen sleep would reach it, or when `signal` aborts; then the last
 * error surfaces unwrapped (see {@linkcode unwrapRetryable}). Non-retryable errors surface at
 * once, unchanged.
 *
 * @param fn The operation; gets the attempt number and the signal.
 * @param policy Retry counts, sleep bounds and time budget.
 * @param options Clock, signal, classification, logging hook and randomness.
 * @returns What `fn` returned on its first successful attempt.
 * @throws The unwrapped last error when giving up; `signal.reason` if aborted before the first
 *   attempt; {@linkcode RangeError} for an invalid policy.
 *
 * @example Retry a flaky operation with a fake clock
 * ```ts
 * import { FakeClock } from "../clock.ts";
 * import { RetryableError } from "../errors.ts";
 * import { DEFAULT_RETRY_POLICY, withRetries } from "./retry.ts";
 * const clock = new FakeClock(0);
 * const result = await withRetries(({ count }) => {
 *   if (count < 2) throw new RetryableError("ssh dropped", { cause: new Error("exit 255") });
 *   return Promise.resolve("ok");
 * }, DEFAULT_RETRY_POLICY, { clock, random: () => 0.5 });
 * console.log(result, clock.slept); // ok 187.5 (62.5 ms, then 125 ms)
 * ```
 */
export async function withRetries<T>(
  fn: (attempt: RetryAttempt) => Promise<T>,
  policy: RetryPolicy,
  options: WithRetriesOptions = {},
): Promise<T> {
  const limits = toNanos(policy);
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const isRetryable = options.isRetryable ?? isRetryableError;
  const immediately = options.retryImmediately ?? asksForImmediateRetry;
  const random = options.random ?? Math.random;
  signal?.throwIfAborted();
  const start = clock.now();
  let curMaxNs = limits.initialMaxNs;
  for (let count = 0;; count++) {
    try {
      return await fn({ count, signal });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const elapsedNs = (clock.now() - start) * NANOS_PER_MS;
      if (count >= policy.retries || elapsedNs >= limits.maxElapsedNs || signal?.aborted) {
        throw unwrapRetryable(error);
      }
      let sleepNs = 0;
      if (limits.maxNs > 0 && !(count === 0 && immediately(error))) {
        sleepNs = limits.minNs + Math.floor(random() * (curMaxNs - limits.minNs + 1));
        curMaxNs = Math.min(roundHalfEven(curMaxNs * 2), limits.maxNs);
      }
      if (elapsedNs + sleepNs >= limits.maxElapsedNs) throw unwrapRetryable(error);
      const sleepMs = sleepNs / NANOS_PER_MS;
      options.onRetry?.({
        retry: count + 1,
        retries: policy.retries,
        error,
        sleepMs,
        elapsedMs: elapsedNs / NANOS_PER_MS,
      });
      if (sleepNs > 0) await clock.sleep(sleepMs, signal);
      if (signal?.aborted) throw unwrapRetryable(error);
    }
  }
}

/**
 * The error that a caller should see for a retryable failure: the `cause` of a
 * `RetryableError` if it has one, else the error itself.
 *
 * @param error What was thrown.
 * @returns The underlying error.
 *
 * @example
 * ```ts
 * import { RetryableError } from "../errors.ts";
 * import { unwrapRetryable } from "./retry.ts";
 * const cause = new Error("exit 255");
 * console.log(unwrapRetryable(new RetryableError("ssh", { cause })) === cause); // true
 * ```
 */
export function unwrapRetryable(error: unknown): unknown {
  return error instanceof RetryableError && error.cause !== undefined ? error.cause : error;
}

function isRetryableError(error: unknown): boolean {
  return error instanceof RetryableError;
}

function asksForImmediateRetry(error: unknown): boolean {
  return typeof error === "object" && error !== null &&
    (error as { retryImmediatelyOnce?: unknown }).retryImmediatelyOnce === true;
}

interface NanoLimits {
  minNs: number;
  initialMaxNs: number;
  maxNs: number;
  maxElapsedNs: number;
}

/** Converts the policy like upstream: whole nanoseconds, min <= initial max <= max. */
function toNanos(policy: RetryPolicy): NanoLimits {
  if (!Number.isInteger(policy.retries) || policy.retries < 0) {
    throw new RangeError(`Invalid retries: ${policy.retries}: must be an integer >= 0`);
  }
  const secs = [
    policy.minSleepSecs,
    policy.initialMaxSleepSecs,
    policy.maxSleepSecs,
    policy.maxElapsedSecs,
  ];
  if (!secs.every((s) => Number.isFinite(s) && s >= 0)) {
    throw new RangeError(`Invalid retry sleep or time budget: ${secs.join(", ")}: must be >= 0`);
  }
  const [minNs, initialNs, maxSleepNs, maxElapsedNs] = secs.map((s) =>
    Math.trunc(s * NANOS_PER_SEC)
  );
  const maxNs = Math.max(minNs, maxSleepNs);
  const initialMaxNs = Math.min(maxNs, Math.max(minNs, initialNs));
  return { minNs, initialMaxNs, maxNs, maxElapsedNs };
}
