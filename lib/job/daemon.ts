/**
 * Daemon mode (`--daemon-lifetime`, `--daemon-frequency`): the job's phases repeat in one process
 * until the lifetime has passed. After each iteration the process sleeps until the next period
 * boundary (aligned to the period anchors, in the `--create-src-snapshots-timezone`) after the
 * iteration's start, as upstream's `sleep_until_next_daemon_iteration` does: the schedule is
 * `--daemon-frequency`, or, with `--create-src-snapshots`, the nearest boundary of any period of
 * the snapshot plan. A signal wakes the sleep and ends the loop.
 *
 * Also parses the job's duration options once (`--daemon-lifetime`, `--timeout`,
 * `--daemon-remote-conf-cache-ttl`); bad values are fatal errors (exit status 3), as upstream
 * reports them after parsing.
 *
 * @module
 */
import type { BzfsOptionValues } from "../cli/option_values.ts";
import type { Clock } from "../clock.ts";
import { BzfsError, UsageError } from "../errors.ts";
import { parseDuration } from "../filter/duration.ts";
import {
  DEFAULT_PERIOD_ANCHORS,
  type PeriodAnchors,
  periodAnchors,
  roundUp,
} from "../lifecycle/period_anchors.ts";
import { resolveTimeZone } from "../lifecycle/time_zone.ts";
import { parsePeriod, type Period } from "../plan/period.ts";
import { parsePlan } from "../plan/plan.ts";

/**
 * A daemon or timeout option has an invalid value. Exit status 3.
 *
 * @example
 * ```ts
 * import { DaemonConfigError } from "./daemon.ts";
 * const e = new DaemonConfigError("Invalid --daemon-frequency: 2seconds");
 * console.log(e.message); // "Invalid --daemon-frequency: 2seconds"
 * ```
 */
export class DaemonConfigError extends BzfsError {}

/** When the daemon wakes up: period boundaries in a time zone. */
export interface DaemonSchedule {
  /**
   * The periods whose boundaries are wake-up times. A period of amount 0 (a plan label without
   * a duration, e.g. `adhoc`) wakes at once, as upstream.
   */
  readonly periods: readonly Period[];
  /** Temporal time zone id the boundaries are computed in. */
  readonly timeZone: string;
  /** The period anchors. */
  readonly anchors: PeriodAnchors;
}

/** The parsed duration options of a job. */
export interface JobTiming {
  /** `--daemon-lifetime` in ms; 0 = not a daemon. */
  readonly lifetimeMs: number;
  /** `--timeout` in ms, or undefined for none. */
  readonly timeoutMs: number | undefined;
  /** `--daemon-remote-conf-cache-ttl` in ms. */
  readonly remoteConfCacheTtlMs: number;
  /** The wake-up schedule. */
  readonly schedule: DaemonSchedule;
}

function duration(text: string, option: string): number {
  try {
    return parseDuration(text, option);
  } catch (e) {
    if (e instanceof UsageError) throw new DaemonConfigError(e.message, { cause: e });
    throw e;
  }
}

function anchorsOf(o: BzfsOptionValues): PeriodAnchors {
  const values: Partial<Record<keyof PeriodAnchors, number>> = {};
  const given = o as unknown as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(DEFAULT_PERIOD_ANCHORS) as (keyof PeriodAnchors)[]) {
    const v = given[key];
    if (typeof v === "number") values[key] = v;
  }
  return periodAnchors(values);
}

function schedulePeriods(o: BzfsOptionValues): Period[] {
  if (!o.createSrcSnapshots) {
    const p = parsePeriod(o.daemonFrequency);
    if (!p) throw new DaemonConfigError(`Invalid --daemon-frequency: ${o.daemonFrequency}`);
    return [p];
  }
  const plan = o.createSrcSnapshotsPlan ?? "{'bzfs': {'onsite': {'adhoc': 1}}}";
  return parsePlan(plan, "--create-src-snapshots-plan")
    .filter((e) => e.count > 0)
    .map((e) => parsePeriod(e.period) ?? { amount: 0, unit: "millisecondly" });
}

/**
 * Parses `--daemon-lifetime`, `--daemon-frequency` (or the snapshot plan's periods),
 * `--daemon-remote-conf-cache-ttl` and `--timeout`.
 *
 * @example
 * ```ts ignore
 * import { jobTiming } from "./daemon.ts";
 * const t = jobTiming(buildBzfsConfig(["--daemon-lifetime=60 seconds", "a", "b"]).options);
 * t.lifetimeMs; // 60000
 * ```
 * @param o The option values.
 * @param options The zone an empty `--create-src-snapshots-timezone` stands for.
 * @returns The parsed timing.
 * @throws {DaemonConfigError} If a duration or the frequency is invalid.
 */
export function jobTiming(
  o: BzfsOptionValues,
  options: { localTimeZone?: string } = {},
): JobTiming {
  const lifetimeMs = duration(o.daemonLifetime, "--daemon-lifetime");
  const timeoutMs = o.timeout === undefined ? undefined : duration(o.timeout, "--timeout");
  const remoteConfCacheTtlMs = duration(
    o.daemonRemoteConfCacheTtl,
    "--daemon-remote-conf-cache-ttl",
  );
  let schedule: DaemonSchedule;
  try {
    schedule = {
      periods: schedulePeriods(o),
      timeZone: resolveTimeZone(o.createSrcSnapshotsTimezone, options),
      anchors: anchorsOf(o),
    };
  } catch (e) {
    if (e instanceof UsageError) throw new DaemonConfigError(e.message, { cause: e });
    throw e;
  }
  return { lifetimeMs, timeoutMs, remoteConfCacheTtlMs, schedule };
}

/**
 * The next wake-up instant after an iteration that started at `iterationStartMs`: the smallest
 * boundary of any scheduled period strictly after that start (upstream adds one microsecond
 * before rounding up), or the start itself for a period without a duration.
 *
 * @example
 * ```ts
 * import { nextWakeMs } from "./daemon.ts";
 * import { DEFAULT_PERIOD_ANCHORS } from "../lifecycle/period_anchors.ts";
 * const schedule = { periods: [{ amount: 1, unit: "minutely" as const }], timeZone: "UTC", anchors: DEFAULT_PERIOD_ANCHORS };
 * nextWakeMs(Date.parse("2025-01-01T12:00:30Z"), schedule); // Date.parse("2025-01-01T12:01:00Z")
 * ```
 * @param iterationStartMs Epoch ms at which the iteration started.
 * @param schedule The schedule.
 * @returns Epoch ms of the next wake-up (10 years ahead when nothing is scheduled).
 */
export function nextWakeMs(iterationStartMs: number, schedule: DaemonSchedule): number {
  if (schedule.periods.length === 0) return iterationStartMs + 10 * 365 * 86_400_000;
  const after = Temporal.Instant.fromEpochMilliseconds(iterationStartMs).add({ microseconds: 1 });
  let best = Infinity;
  for (const period of schedule.periods) {
    if (period.amount === 0) return iterationStartMs;
    const next = roundUp(after, period, {
      anchors: schedule.anchors,
      timeZone: schedule.timeZone,
    });
    best = Math.min(best, next.epochMilliseconds);
  }
  return best;
}

/** Options of {@linkcode runDaemon}. */
export interface RunDaemonOptions {
  /** Time. */
  clock: Clock;
  /** Aborting it wakes the sleep and stops the loop (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Extra random delay in `[0, jitterMs]` added to each sleep (capped by the lifetime). @default 0 */
  jitterMs?: number;
  /** Uniform random numbers in [0, 1). @default Math.random */
  random?: () => number;
  /** Called before each sleep with its length in ms. */
  onSleep?: (ms: number) => void;
}

/**
 * Runs `iteration` once, then, while the lifetime has not passed and no signal arrived, sleeps
 * until the next scheduled boundary and runs it again. A lifetime of 0 runs exactly once.
 *
 * @example Three iterations of a 10secondly daemon with a lifetime of 25 seconds
 * ```ts
 * import { runDaemon } from "./daemon.ts";
 * import { FakeClock } from "../clock.ts";
 * import { DEFAULT_PERIOD_ANCHORS } from "../lifecycle/period_anchors.ts";
 * const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
 * const schedule = { periods: [{ amount: 10, unit: "secondly" as const }], timeZone: "UTC", anchors: DEFAULT_PERIOD_ANCHORS };
 * const n = await runDaemon(async () => {}, { lifetimeMs: 25_000, schedule }, { clock });
 * console.log(n); // 3
 * ```
 * @param iteration One pass over all root dataset pairs; receives the 0-based iteration number.
 * @param timing The lifetime and the schedule.
 * @param options Clock, stop signal and jitter.
 * @returns The number of iterations run.
 */
export async function runDaemon(
  iteration: (index: number) => Promise<void>,
  timing: Pick<JobTiming, "lifetimeMs" | "schedule">,
  options: RunDaemonOptions,
): Promise<number> {
  const { clock, signal } = options;
  const stopAt = clock.now() + timing.lifetimeMs;
  let index = 0;
  for (;;) {
    const startedAt = clock.now();
    await iteration(index++);
    const now = clock.now();
    if (now >= stopAt || signal?.aborted) break;
    const untilNext = Math.max(0, nextWakeMs(startedAt, timing.schedule) - now);
    const jitter = (options.jitterMs ?? 0) * (options.random ?? Math.random)();
    const sleepMs = Math.min(stopAt - now, untilNext + jitter);
    options.onSleep?.(sleepMs);
    await clock.sleep(sleepMs, signal);
    if (clock.now() >= stopAt || signal?.aborted) break;
  }
  return index;
}
