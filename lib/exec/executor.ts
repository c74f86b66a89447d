/**
 * The Executor seam: every external command bzfs runs (zfs, zpool, ssh, the send/receive
 * pipeline) goes through one of these. `RealExecutor` spawns processes, `DryRunExecutor` records
 * state-changing commands, `FakeExecutor` answers from a script in tests.
 *
 * @module
 */
import type { ConnectionKind } from "./ssh_mux.ts";
import type { Remote } from "./remote.ts";

/** One command to run, locally or on a remote host. */
export interface CommandSpec {
  /** The command on the target host, e.g. `["zfs", "list", "-Hp", "tank"]` (without ssh or sudo). */
  readonly argv: readonly string[];
  /** Where to run it; undefined or a local remote means this host. */
  readonly remote?: Remote;
  /** Prefix with the remote's elevation (`remote.sudo`, e.g. `sudo -n`). @default {false} */
  readonly sudo?: boolean;
  /** Bytes or text fed to standard input; otherwise stdin is `/dev/null`. */
  readonly stdin?: string | Uint8Array;
  /** Kill the command's whole process group after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Kill the command's whole process group when this aborts. */
  readonly signal?: AbortSignal;
  /** Throw on a non-zero exit (a CommandError, or a RetryableError for ssh transport failures). @default {true} */
  readonly check?: boolean;
  /** Read-only command (list, get, version): also run under `--dryrun`. @default {false} */
  readonly readOnly?: boolean;
  /** Which ssh connection to use for a remote command. @default {"shared"} */
  readonly connection?: ConnectionKind;
}

/** What a finished command produced. */
export interface RunResult {
  /** Exit code (128 + n when killed by signal n). */
  readonly code: number;
  /** The signal that killed it, or null. */
  readonly signal: Deno.Signal | null;
  /** Standard output, decoded as UTF-8. */
  readonly stdout: string;
  /** Standard error, decoded as UTF-8. */
  readonly stderr: string;
}

/** A pipeline rendered by the `Pipeline` builder: one `sh -c` process to spawn. */
export interface RenderedPipeline {
  /** The argv to spawn locally, `[shell, "-c", script]`. */
  readonly argv: readonly string[];
  /** The same as copy-pasteable shell text (the script), for logs and `--dryrun`. */
  readonly display: string;
}

/** Options of {@linkcode Executor.runPipeline}. */
export interface PipelineRunOptions {
  /** Kill the whole pipeline after this many milliseconds. */
  timeoutMs?: number;
  /** Kill the whole pipeline when this aborts. */
  signal?: AbortSignal;
  /** Throw on failure (a RetryableError wrapping the CommandError). @default {true} */
  check?: boolean;
}

/**
 * Runs commands. Implementations: `RealExecutor`, `DryRunExecutor`, `FakeExecutor`.
 *
 * @example Run a command through any executor
 * ```ts
 * import type { Executor } from "./executor.ts";
 * async function listPools(executor: Executor): Promise<string[]> {
 *   const r = await executor.run({ argv: ["zpool", "list", "-Ho", "name"], readOnly: true });
 *   return r.stdout.split("\n").filter(Boolean);
 * }
 * ```
 */
export interface Executor {
  /**
   * Runs one command and collects its output.
   * @throws {CommandError} On failure when `check` is true.
   * @throws {RetryableError} On an ssh transport failure (exit 255, stderr `ssh: ...`).
   */
  run(cmd: CommandSpec): Promise<RunResult>;
  /**
   * Runs a rendered bulk-data pipeline; data streams inside the spawned shell, never through JS.
   * @throws {RetryableError} Wrapping a CommandError when the pipeline fails.
   */
  runPipeline(p: RenderedPipeline, opts?: PipelineRunOptions): Promise<RunResult>;
}

/** Hooks shared by the executors. */
export interface ExecutorHooks {
  /** Called with every command as copy-pasteable shell text (ssh and sudo included) before it runs. */
  onCommand?: (rendered: string) => void;
}
