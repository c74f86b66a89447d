/**
 * The Clock seam: every schedule, retry, age and daemon loop reads time through it, so tests
 * run at fixed instants without sleeping.
 *
 * @module
 */

/**
 * A source of time.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const t0 = systemClock.now();
 * await systemClock.sleep(1);
 * console.log(systemClock.now() >= t0); // true
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds (or earlier if `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const id = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(id);
        signal?.removeEventListener("abort", done);
        resolve();
      }
    }),
};

/**
 * A clock for tests: time moves only when `sleep` or `advance` is called.
 *
 * @example
 * ```ts
 * import { FakeClock } from "./clock.ts";
 * const clock = new FakeClock(1_700_000_000_000);
 * await clock.sleep(5000);
 * console.log(clock.now()); // 1700000005000
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  /** Total milliseconds slept so far. */
  slept = 0;
  /**
   * Creates the instance.
   * @param startMs The starting instant in epoch milliseconds.
   */
  constructor(startMs: number) {
    this.#now = startMs;
  }
  /** The current fake instant. */
  now(): number {
    return this.#now;
  }
  /** Advances time by `ms` at once. */
  sleep(ms: number): Promise<void> {
    this.advance(ms);
    this.slept += Math.max(0, ms);
    return Promise.resolve();
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.#now += Math.max(0, ms);
  }
}
