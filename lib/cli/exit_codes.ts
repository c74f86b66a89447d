/**
 * The one place where errors become process exit statuses (see the reference's "Exit codes").
 *
 * @module
 */
import {
  CommandError,
  InterruptedError,
  LockHeldError,
  MonitorAlertError,
  RetryableError,
  UsageError,
} from "../errors.ts";

/** Exit statuses used by bzfs, as in upstream. */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** `--monitor-snapshots` warning. */
  WARNING: 1,
  /** `--monitor-snapshots` critical; also usage errors. */
  CRITICAL: 2,
  /** Usage error (bad option or value). */
  USAGE: 2,
  /** Generic fatal error. */
  DIE: 3,
  /** Another run of the same job holds the lock. */
  STILL_RUNNING: 4,
} as const;

const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
};

/**
 * Maps an error to the exit status of the process.
 *
 * @example
 * ```ts
 * import { exitCodeOf } from "./exit_codes.ts";
 * import { UsageError } from "../errors.ts";
 * console.log(exitCodeOf(new UsageError("bad"))); // 2
 * ```
 * @param error Anything that was thrown.
 * @returns The exit status.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof RetryableError && error.cause !== undefined) return exitCodeOf(error.cause);
  if (error instanceof UsageError) return ExitCode.USAGE;
  if (error instanceof LockHeldError) return ExitCode.STILL_RUNNING;
  if (error instanceof MonitorAlertError) {
    return error.level === "critical" ? ExitCode.CRITICAL : ExitCode.WARNING;
  }
  if (error instanceof InterruptedError) return 128 + (SIGNAL_NUMBERS[error.signal] ?? 15);
  if (error instanceof CommandError) {
    const code = error.exitCode;
    if (code === null || code === 0 || (code >= 1 && code <= 4)) return ExitCode.DIE;
    return code;
  }
  return ExitCode.DIE;
}
