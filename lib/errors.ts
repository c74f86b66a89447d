/**
 * The error hierarchy of bzfs. Library code throws these; only `lib/cli/exit_codes.ts` maps
 * them to process exit statuses, and only the entry points (`cli.ts`, `jobrunner.ts`) exit.
 *
 * @module
 */

/** Options shared by every {@linkcode BzfsError}. */
export interface BzfsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error that bzfs raises on purpose.
 *
 * @example Catch any bzfs error
 * ```ts
 * import { BzfsError } from "./errors.ts";
 * try {
 *   throw new BzfsError("Something went wrong");
 * } catch (e) {
 *   if (e instanceof BzfsError) console.error(e.message);
 * }
 * ```
 */
export class BzfsError extends Error {
  /**
   * Creates the instance.
   * @param message What went wrong, starting with a capital letter, no final period.
   * @param options The cause, if any.
   */
  constructor(message: string, options: BzfsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** Details of a {@linkcode UsageError}. */
export interface UsageErrorOptions extends BzfsErrorOptions {
  /** The option (e.g. `--threads`) or argument that was wrong. */
  option?: string;
  /** The offending value, as the user typed it. */
  value?: string;
  /** What the user can do instead. */
  hint?: string;
}

/**
 * Bad input on the command line or in a job config: unknown options, bad values, invalid names.
 * Always detected before anything changes on any host. Exit status 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
 * const e = new UsageError("Invalid value", { option: "--threads", value: "0", hint: "Use 1..1600" });
 * console.log(e.message); // "--threads: Invalid value: '0'. Use 1..1600"
 * ```
 */
export class UsageError extends BzfsError {
  /** The option or argument that was wrong. */
  readonly option?: string;
  /** The offending value. */
  readonly value?: string;
  /** What to do instead. */
  readonly hint?: string;

  /**

   * Creates the instance.
   * @param message What is wrong.
   * @param options The option, value and hint; they are folded into the message.
   */
  constructor(message: string, options: UsageErrorOptions = {}) {
    super(formatUsage(message, options), options);
    this.option = options.option;
    this.value = options.value;
    this.hint = options.hint;
  }
}

function formatUsage(message: string, options: UsageErrorOptions): string {
  let text = options.option ? `${options.option}: ${message}` : message;
  if (options.value !== undefined) text += `: ${JSON.stringify(options.value)}`;
  if (options.hint) text += `. ${options.hint}`;
  return text;
}

/**
 * An option that is accepted by upstream bzfs but whose behaviour is not built here yet.
 * It is never silently ignored. Exit status 2.
 *
 * @example
 * ```ts
 * import { NotImplementedOptionError } from "./errors.ts";
 * throw new NotImplementedOptionError("--r2r");
 * ```
 */
export class NotImplementedOptionError extends UsageError {
  /**
   * Creates the instance.
   * @param option The option that is not built yet.
   */
  constructor(option: string) {
    super("This option is not implemented yet in bzfs for Deno", {
      option,
      hint: "Remove it from the command line, or use upstream bzfs for now",
    });
  }
}

/** Details of a failed external command. */
export interface CommandErrorOptions extends BzfsErrorOptions {
  /** The argv that ran (already rendered, as it would be typed in a shell). */
  argv: readonly string[];
  /** Exit code of the command, or null when it was killed by a signal. */
  exitCode: number | null;
  /** Signal name that killed it, if any. */
  signal?: string | null;
  /** Captured standard error (trimmed, possibly shortened). */
  stderr?: string;
}

/**
 * An external command (zfs, ssh, a pipeline) failed. The exit status is the command's own
 * status, except that 1..4 become 3 so they cannot be mistaken for bzfs's reserved codes.
 *
 * @example
 * ```ts
 * import { CommandError } from "./errors.ts";
 * const e = new CommandError("zfs list failed", { argv: ["zfs", "list"], exitCode: 1, stderr: "no pool" });
 * console.log(e.exitCode); // 1
 * ```
 */
export class CommandError extends BzfsError {
  /** The argv that ran. */
  readonly argv: readonly string[];
  /** Exit code, or null when killed by a signal. */
  readonly exitCode: number | null;
  /** Signal that killed the command, if any. */
  readonly signal: string | null;
  /** Captured standard error. */
  readonly stderr: string;

  /**

   * Creates the instance.
   * @param message Short description of what was attempted.
   * @param options The argv, exit code, signal and stderr.
   */
  constructor(message: string, options: CommandErrorOptions) {
    const detail = options.stderr ? `: ${options.stderr.trim()}` : "";
    super(`${message}${detail}`, options);
    this.argv = options.argv;
    this.exitCode = options.exitCode;
    this.signal = options.signal ?? null;
    this.stderr = options.stderr ?? "";
  }
}

/**
 * A failure that may pass if tried again (ssh drop, busy dataset). The scheduler retries these
 * with backoff; the `cause` is what surfaces when retries are exhausted.
 *
 * @example
 * ```ts
 * import { RetryableError } from "./errors.ts";
 * throw new RetryableError("ssh connection dropped", { cause: new Error("exit 255") });
 * ```
 */
export class RetryableError extends BzfsError {}

/**
 * Another run of the same job holds the lock file. Exit status 4.
 *
 * @example
 * ```ts
 * import { LockHeldError } from "./errors.ts";
 * throw new LockHeldError("/root/bzfs-logs/.locks/bzfs-lockfile-abc.lock");
 * ```
 */
export class LockHeldError extends BzfsError {
  /** Path of the lock file that is held. */
  readonly lockFile: string;
  /**
   * Creates the instance.
   * @param lockFile Path of the lock file that is held.
   */
  constructor(lockFile: string) {
    super(
      `Exiting as same previous periodic job is still running without completion yet per ${lockFile}`,
    );
    this.lockFile = lockFile;
  }
}

/**
 * Replication cannot proceed without destroying destination data the user did not ask to
 * destroy (diverged destination, no common snapshot). Exit status 3.
 *
 * @example
 * ```ts
 * import { ReplicationConflictError } from "./errors.ts";
 * throw new ReplicationConflictError("Destination has newer snapshot dst/a@s3", { dataset: "dst/a" });
 * ```
 */
export class ReplicationConflictError extends BzfsError {
  /** The destination dataset in conflict. */
  readonly dataset: string;
  /**
   * Creates the instance.
   * @param message What conflicts, naming the dataset and snapshot, and which option resolves it.
   * @param options The dataset in conflict.
   */
  constructor(message: string, options: BzfsErrorOptions & { dataset: string }) {
    super(message, options);
    this.dataset = options.dataset;
  }
}

/** Severity of a snapshot monitoring alert. */
export type AlertLevel = "warning" | "critical";

/**
 * `--monitor-snapshots` found a snapshot older than a threshold. Exit status 1 (warning) or
 * 2 (critical).
 *
 * @example
 * ```ts
 * import { MonitorAlertError } from "./errors.ts";
 * throw new MonitorAlertError("Latest snapshot is too old", "critical");
 * ```
 */
export class MonitorAlertError extends BzfsError {
  /** How bad it is. */
  readonly level: AlertLevel;
  /**
   * Creates the instance.
   * @param message One line per problem.
   * @param level Warning or critical.
   */
  constructor(message: string, level: AlertLevel) {
    super(message);
    this.level = level;
  }
}

/**
 * The run was interrupted by a signal (SIGINT, SIGTERM). Exit status 128 + signal number.
 *
 * @example
 * ```ts
 * import { InterruptedError } from "./errors.ts";
 * throw new InterruptedError("SIGTERM");
 * ```
 */
export class InterruptedError extends BzfsError {
  /** The signal received. */
  readonly signal: Deno.Signal;
  /**
   * Creates the instance.
   * @param signal The signal received.
   */
  constructor(signal: Deno.Signal) {
    super(`Interrupted by ${signal}`);
    this.signal = signal;
  }
}
