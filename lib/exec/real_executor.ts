/**
 * `RealExecutor`: spawns processes with `Deno.Command`, each in a process group of its own, and
 * keeps a registry so `killAll` can stop every tree it started (SIGINT/SIGTERM handling).
 *
 * @module
 */
import type {
  CommandSpec,
  Executor,
  ExecutorHooks,
  PipelineRunOptions,
  RenderedPipeline,
  RunResult,
} from "./executor.ts";
import { CommandTimeoutError, failureOf, InterruptedCommandError } from "./failure.ts";
import { isLocal, sshExitArgv } from "./remote.ts";
import { displayArgv, renderCommand } from "./render_command.ts";
import { ProcessGroups, spawnCollect, type SpawnResult } from "./spawn.ts";
import type { SshMux } from "./ssh_mux.ts";

/** Options of {@linkcode RealExecutor}. */
export interface RealExecutorOptions extends ExecutorHooks {
  /** Leases ControlPath sockets for remote commands; without it ssh connects afresh each time. */
  mux?: SshMux;
  /** Grace period for pipes held open by stray descendants. @default {250} */
  graceMs?: number;
  /** Delay between SIGTERM and SIGKILL on timeout or abort. @default {3000} */
  killAfterMs?: number;
}

/**
 * Runs commands for real.
 *
 * @example Run locally, then stop everything on SIGTERM
 * ```ts
 * import { RealExecutor } from "./real_executor.ts";
 * const executor = new RealExecutor({ onCommand: (cmd) => console.log(`Executing: ${cmd}`) });
 * Deno.addSignalListener("SIGTERM", () => executor.killAll("SIGTERM"));
 * const r = await executor.run({ argv: ["echo", "hello"] });
 * console.log(r.stdout); // "hello\n"
 * ```
 */
export class RealExecutor implements Executor {
  readonly #groups = new ProcessGroups();
  readonly #options: RealExecutorOptions;
  #terminating = false;

  /**
   * Creates the instance.
   *
   * @param options Hooks, ssh mux and kill timings.
   */
  constructor(options: RealExecutorOptions = {}) {
    this.#options = options;
  }

  /** Number of process groups currently running. */
  get liveCount(): number {
    return this.#groups.size;
  }

  /**
   * Runs one command (see {@linkcode Executor.run}).
   * @example
   * ```ts
   * import { RealExecutor } from "./real_executor.ts";
   * const r = await new RealExecutor().run({ argv: ["sh", "-c", "exit 3"], check: false });
   * console.log(r.code); // 3
   * ```
   * @param spec The command.
   * @returns Its result.
   * @throws {CommandError} On failure (CommandTimeoutError on timeout) when `check` is not false.
   * @throws {RetryableError} On an ssh transport failure.
   */
  async run(spec: CommandSpec): Promise<RunResult> {
    const viaSsh = spec.remote !== undefined && !isLocal(spec.remote);
    const lease = viaSsh && this.#options.mux
      ? this.#options.mux.acquire(spec.remote!, spec.connection)
      : undefined;
    try {
      const argv = renderCommand(spec, { controlPath: lease?.controlPath });
      this.#refuseIfTerminating(argv);
      const result = await this.#spawn(argv, spec);
      this.#throwIfStopped(argv, result, spec.timeoutMs);
      if (result.code !== 0 && spec.check !== false) throw failureOf(argv, result, { viaSsh });
      return plain(result);
    } finally {
      lease?.release();
    }
  }

  /**
   * Runs a rendered pipeline (one `sh -c` process); see {@linkcode Executor.runPipeline}.
   * @example
   * ```ts
   * import { RealExecutor } from "./real_executor.ts";
   * const script = "head -c 1000000 /dev/zero | cat > /dev/null";
   * await new RealExecutor().runPipeline({ argv: ["sh", "-c", script], display: script });
   * ```
   * @param p The pipeline.
   * @param opts Timeout, abort, check.
   * @returns The result.
   * @throws {RetryableError} Wrapping a CommandError when the pipeline fails.
   * @throws {CommandError} When interrupted, or CommandTimeoutError on timeout (not retryable).
   */
  async runPipeline(p: RenderedPipeline, opts: PipelineRunOptions = {}): Promise<RunResult> {
    this.#refuseIfTerminating(p.argv);
    const result = await this.#spawn(p.argv, { ...opts, displayText: p.display });
    this.#throwIfStopped(p.argv, result, opts.timeoutMs);
    if (result.code !== 0 && opts.check !== false) {
      throw failureOf(p.argv, result, {
        alwaysRetryable: true,
        what: "zfs send/receive pipeline failed",
      });
    }
    return plain(result);
  }

  /**
   * Signals every process group this executor started and marks it as terminating: failures of
   * running commands are reported as interruptions (not retryable), and new commands are refused
   * with an InterruptedCommandError instead of being started.
   * @example
   * ```ts
   * import { RealExecutor } from "./real_executor.ts";
   * new RealExecutor().killAll("SIGTERM"); // 0
   * ```
   * @param signal The signal to send. @default {"SIGTERM"}
   * @returns How many groups were signalled.
   */
  killAll(signal: Deno.Signal = "SIGTERM"): number {
    this.#terminating = true;
    return this.#groups.killAll(signal);
  }

  /**
   * Tells the multiplexed masters opened through the mux to exit (`ssh -O exit`): those of
   * per-run sockets always, pooled ones (which later runs could reuse) unless `pooled` is false;
   * masters that are not running are skipped.
   * @example
   * ```ts
   * import { RealExecutor } from "./real_executor.ts";
   * await new RealExecutor().closeConnections({ pooled: false });
   * ```
   * @param options `pooled`: also end the masters of pooled sockets. @default {true}
   */
  async closeConnections(options: { pooled?: boolean } = {}): Promise<void> {
    const all = this.#options.mux?.controlPaths() ?? [];
    const paths = all.filter((p) => !p.pooled || (options.pooled ?? true));
    await Promise.all(paths.map(async ({ remote, controlPath }) => {
      const exists = await Deno.lstat(controlPath).then(() => true, () => false);
      if (!exists) return;
      await this.#spawn(sshExitArgv(remote, controlPath), { timeoutMs: 10_000 });
    }));
  }

  /** After killAll nothing new may start: a shutdown must never launch a zfs command. */
  #refuseIfTerminating(argv: readonly string[]): void {
    if (!this.#terminating) return;
    throw new InterruptedCommandError(argv, {
      code: 143,
      signal: null,
      stdout: "",
      stderr: "Not started: terminating",
    });
  }

  #spawn(
    argv: readonly string[],
    spec: Pick<CommandSpec, "stdin" | "timeoutMs" | "signal"> & { displayText?: string },
  ): Promise<SpawnResult> {
    this.#options.onCommand?.(spec.displayText ?? displayArgv(argv));
    return spawnCollect(argv, {
      groups: this.#groups,
      stdin: spec.stdin,
      timeoutMs: spec.timeoutMs,
      signal: spec.signal,
      graceMs: this.#options.graceMs,
      killAfterMs: this.#options.killAfterMs,
    });
  }

  #throwIfStopped(argv: readonly string[], r: SpawnResult, timeoutMs: number | undefined): void {
    if (r.timedOut) throw new CommandTimeoutError(argv, timeoutMs ?? 0);
    if (r.aborted || (this.#terminating && r.code !== 0)) {
      throw new InterruptedCommandError(argv, r);
    }
  }
}

function plain(r: SpawnResult): RunResult {
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
