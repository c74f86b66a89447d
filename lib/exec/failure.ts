/**
 * How a finished command becomes an error: one place that decides what is retryable.
 *
 * @module
 */
import { CommandError, RetryableError } from "../errors.ts";
import type { RunResult } from "./executor.ts";

/**
 * A command ran past its timeout and its process group was killed. Not retryable (upstream
 * treats a subprocess timeout as fatal for the run). Exit status 3.
 *
 * @example
 * ```ts
 * import { CommandTimeoutError } from "./failure.ts";
 * const e = new CommandTimeoutError(["sleep", "9"], 1000);
 * console.log(e.message); // "Command timed out after 1000 ms: sleep 9"
 * ```
 */
export class CommandTimeoutError extends CommandError {
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Creates the instance.
   *
   * @param argv The command (as displayed).
   * @param timeoutMs The timeout that expired.
   */
  constructor(argv: readonly string[], timeoutMs: number) {
    super(`Command timed out after ${timeoutMs} ms: ${argv.join(" ")}`, {
      argv,
      exitCode: null,
      signal: "SIGTERM",
    });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A command was stopped on purpose: its abort signal fired, or the executor is terminating
 * (`killAll` on SIGINT/SIGTERM). Never retryable.
 *
 * @example
 * ```ts
 * import { InterruptedCommandError } from "./failure.ts";
 * const e = new InterruptedCommandError(["sleep", "9"], { code: 143, signal: "SIGTERM", stdout: "", stderr: "" });
 * console.log(e.signal); // "SIGTERM"
 * ```
 */
export class InterruptedCommandError extends CommandError {
  /**
   * Creates the instance.
   *
   * @param argv The command (as spawned).
   * @param result What it returned when it was stopped.
   */
  constructor(argv: readonly string[], result: RunResult) {
    super("Command was interrupted", {
      argv,
      exitCode: result.signal ? null : result.code,
      signal: result.signal,
      stderr: result.stderr.trim(),
    });
  }
}

/** Stderr beginnings that mean the ssh transport failed (not the remote command). */
const SSH_TRANSPORT =
  /^(ssh: |kex_exchange_identification: |Connection (closed|reset|timed out) |client_loop: |mux_client_)/m;

/** Options of {@linkcode failureOf}. */
export interface FailureOptions {
  /** Whether the command went over ssh (only then is exit 255 a transport failure). */
  viaSsh?: boolean;
  /** Whether every failure is retryable (send/receive pipelines are). @default {false} */
  alwaysRetryable?: boolean;
  /** Short description for the message. @default {"Command failed"} */
  what?: string;
}

/**
 * The error for a failed result: a CommandError, wrapped in a RetryableError when the failure is
 * transient (ssh exit 255 with a transport message such as `ssh: connect to host ...`).
 *
 * @example
 * ```ts
 * import { failureOf } from "./failure.ts";
 * import { RetryableError } from "../errors.ts";
 * const r = { code: 255, signal: null, stdout: "", stderr: "ssh: connect to host nas port 22: Connection refused" };
 * failureOf(["ssh", "nas", "zfs list"], r, { viaSsh: true }) instanceof RetryableError; // true
 * ```
 * @param argv The argv that ran (as spawned).
 * @param result Its result (non-zero code or a signal).
 * @param options Context that decides retryability.
 * @returns The error to throw.
 */
export function failureOf(
  argv: readonly string[],
  result: RunResult,
  options: FailureOptions = {},
): CommandError | RetryableError {
  const error = new CommandError(
    `${options.what ?? "Command failed"} with exit code ${result.code}`,
    {
      argv,
      exitCode: result.signal ? null : result.code,
      signal: result.signal,
      stderr: result.stderr.trim(),
    },
  );
  const transport = options.viaSsh === true && result.code === 255 &&
    SSH_TRANSPORT.test(result.stderr);
  if (options.alwaysRetryable || transport) {
    return new RetryableError(transport ? "ssh connection failed" : "Subprocess failed", {
      cause: error,
    });
  }
  return error;
}
