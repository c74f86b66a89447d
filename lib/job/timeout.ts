/**
 * `--timeout DURATION`: a deadline for the run (or, in daemon mode, for each root dataset pair of
 * an iteration). Every command started through {@linkcode withDeadline} gets the remaining time as
 * its own timeout (its whole process group is killed when it expires); a command started after
 * the deadline fails at once. Upstream treats an expired timeout as fatal for a non-daemon run
 * (exit status 3); in daemon mode the error is logged and the next pair runs.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import { BzfsError } from "../errors.ts";
import type {
  CommandSpec,
  Executor,
  PipelineRunOptions,
  RenderedPipeline,
  RunResult,
} from "../exec/executor.ts";

/**
 * The `--timeout` deadline expired. Exit status 3 (as upstream's `TimeoutExpired`).
 *
 * @example
 * ```ts
 * import { JobTimeoutError } from "./timeout.ts";
 * const e = new JobTimeoutError(5000);
 * console.log(e.message); // "Timed out: --timeout of 5000 ms expired"
 * ```
 */
export class JobTimeoutError extends BzfsError {
  /** The --timeout duration in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Creates the error.
   *
   * @param timeoutMs The --timeout duration in milliseconds.
   * @param options The command that was cut short, if any.
   */
  constructor(timeoutMs: number, options: { cause?: unknown } = {}) {
    const what = options.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(`Timed out: --timeout of ${timeoutMs} ms expired${what}`, options);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A re-armable deadline: `arm()` starts a period of `durationMs`, `signal` aborts when it
 * expires, `expired` tells whether it did. Without a duration it never expires.
 *
 * @example
 * ```ts
 * import { Deadline } from "./timeout.ts";
 * import { FakeClock } from "../clock.ts";
 * const clock = new FakeClock(0);
 * const d = new Deadline(1000, { clock });
 * d.arm();
 * clock.advance(400);
 * console.log(d.remainingMs()); // 600
 * d.disarm();
 * ```
 */
export class Deadline {
  /** The --timeout duration, or undefined for none. */
  readonly durationMs: number | undefined;
  readonly #clock: Clock;
  #at: number | undefined;
  #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired = false;

  /**
   * Creates the instance (not armed).
   *
   * @param durationMs The --timeout duration, or undefined for none.
   * @param options The clock that decides the remaining time.
   */
  constructor(durationMs: number | undefined, options: { clock: Clock }) {
    this.durationMs = durationMs;
    this.#clock = options.clock;
  }

  /**
   * Starts a new period (a no-op without a duration); a previous period is forgotten.
   * @example
   * ```ts
   * import { Deadline } from "./timeout.ts";
   * import { systemClock } from "../clock.ts";
   * const d = new Deadline(50, { clock: systemClock });
   * d.arm();
   * d.disarm();
   * ```
   */
  arm(): void {
    this.disarm();
    if (this.durationMs === undefined) return;
    this.#controller = new AbortController();
    this.#expired = false;
    this.#at = this.#clock.now() + this.durationMs;
    this.#timer = setTimeout(() => this.#expire(), this.durationMs);
  }

  /**
   * Stops the timer of the current period (the state of an expired period stays readable).
   * @example
   * ```ts
   * import { Deadline } from "./timeout.ts";
   * import { systemClock } from "../clock.ts";
   * new Deadline(undefined, { clock: systemClock }).disarm();
   * ```
   */
  disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Aborts when the current period expires. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the current period has expired. */
  get expired(): boolean {
    if (!this.#expired && this.#at !== undefined && this.#clock.now() >= this.#at) this.#expire();
    return this.#expired;
  }

  /**
   * Milliseconds left in the current period, or undefined when there is no deadline.
   * @example
   * ```ts
   * import { Deadline } from "./timeout.ts";
   * import { systemClock } from "../clock.ts";
   * new Deadline(undefined, { clock: systemClock }).remainingMs(); // undefined
   * ```
   * @returns The remaining time (0 once expired).
   */
  remainingMs(): number | undefined {
    if (this.#at === undefined) return undefined;
    return Math.max(0, this.#at - this.#clock.now());
  }

  #expire(): void {
    this.#expired = true;
    this.#timer = undefined;
    this.#controller.abort();
  }
}

/**
 * Wraps an executor so that every command honours the deadline: its timeout becomes the smaller
 * of its own and the time left, and nothing starts once the deadline has passed.
 *
 * @example
 * ```ts
 * import { Deadline, withDeadline } from "./timeout.ts";
 * import { RealExecutor } from "../exec/real_executor.ts";
 * import { systemClock } from "../clock.ts";
 * const deadline = new Deadline(60_000, { clock: systemClock });
 * deadline.arm();
 * const executor = withDeadline(new RealExecutor(), deadline);
 * await executor.run({ argv: ["true"] });
 * deadline.disarm();
 * ```
 * @param inner The executor to wrap.
 * @param deadline The deadline.
 * @returns An executor with the same behaviour plus the deadline.
 * @throws {JobTimeoutError} From `run`/`runPipeline` when called after the deadline.
 */
export function withDeadline(inner: Executor, deadline: Deadline): Executor {
  const limit = (own: number | undefined): number | undefined => {
    const left = deadline.remainingMs();
    if (left === undefined) return own;
    if (deadline.expired || left <= 0) throw new JobTimeoutError(deadline.durationMs ?? 0);
    return own === undefined ? left : Math.min(own, left);
  };
  return {
    run(spec: CommandSpec): Promise<RunResult> {
      try {
        return inner.run({ ...spec, timeoutMs: limit(spec.timeoutMs) });
      } catch (e) {
        return Promise.reject(e);
      }
    },
    runPipeline(p: RenderedPipeline, opts: PipelineRunOptions = {}): Promise<RunResult> {
      try {
        return inner.runPipeline(p, { ...opts, timeoutMs: limit(opts.timeoutMs) });
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
