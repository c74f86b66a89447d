/**
 * `DryRunExecutor` (`--dryrun`): read-only commands run for real through a delegate; every other
 * command and every pipeline is only recorded and reported, and succeeds with empty output.
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
import { displayArgv, renderCommand } from "./render_command.ts";

const ZFS_READ_ONLY = new Set(["list", "get", "--version", "version", "holds"]);

/**
 * Whether an argv is read-only by its shape: `zfs`/`zpool` `list`, `get`, `holds`, `--version`.
 * Used when a CommandSpec does not say `readOnly` itself.
 *
 * @example
 * ```ts
 * import { isReadOnlyArgv } from "./dry_run_executor.ts";
 * isReadOnlyArgv(["zfs", "list", "-Hp", "tank"]); // true
 * isReadOnlyArgv(["zfs", "destroy", "tank@s1"]); // false
 * ```
 * @param argv The command on the target host.
 * @returns True when running it changes nothing.
 */
export function isReadOnlyArgv(argv: readonly string[]): boolean {
  const program = (argv[0] ?? "").split("/").pop();
  return (program === "zfs" || program === "zpool") && ZFS_READ_ONLY.has(argv[1] ?? "");
}

/** What a dry run did instead of running a command. */
export interface DryRunRecord {
  /** The command, as copy-pasteable shell text. */
  readonly rendered: string;
  /** A single command or a pipeline. */
  readonly kind: "command" | "pipeline";
}

/** Options of {@linkcode DryRunExecutor}. */
export interface DryRunExecutorOptions extends ExecutorHooks {
  /** Called for every command that is NOT run (the CLI logs `Would execute: ...`). */
  onSkipped?: (rendered: string) => void;
}

/**
 * Records state-changing commands instead of running them.
 *
 * @example
 * ```ts
 * import { DryRunExecutor } from "./dry_run_executor.ts";
 * import { FakeExecutor } from "./fake_executor.ts";
 * const dry = new DryRunExecutor(new FakeExecutor().on("zfs list", { stdout: "tank\n" }));
 * await dry.run({ argv: ["zfs", "list"] }); // runs through the delegate
 * await dry.run({ argv: ["zfs", "destroy", "tank@s1"] }); // recorded only
 * console.log(dry.skipped.map((r) => r.rendered)); // ["zfs destroy tank@s1"]
 * ```
 */
export class DryRunExecutor implements Executor {
  /** Everything that was not run, in order. */
  readonly skipped: DryRunRecord[] = [];
  readonly #delegate: Executor;
  readonly #options: DryRunExecutorOptions;

  /**
   * Creates the instance.
   *
   * @param delegate Runs the read-only commands (usually a RealExecutor).
   * @param options Hooks.
   */
  constructor(delegate: Executor, options: DryRunExecutorOptions = {}) {
    this.#delegate = delegate;
    this.#options = options;
  }

  /**
   * Runs a read-only command through the delegate, or records any other one.
   * @example
   * ```ts
   * import { DryRunExecutor } from "./dry_run_executor.ts";
   * import { FakeExecutor } from "./fake_executor.ts";
   * await new DryRunExecutor(new FakeExecutor()).run({ argv: ["zfs", "snapshot", "tank@s1"] });
   * ```
   * @param spec The command.
   * @returns The delegate's result, or a canned success.
   */
  run(spec: CommandSpec): Promise<RunResult> {
    if (spec.readOnly ?? isReadOnlyArgv(spec.argv)) return this.#delegate.run(spec);
    return Promise.resolve(this.#skip("command", displayArgv(renderCommand(spec))));
  }

  /**
   * Records a pipeline; nothing is spawned.
   * @example
   * ```ts
   * import { DryRunExecutor } from "./dry_run_executor.ts";
   * import { FakeExecutor } from "./fake_executor.ts";
   * await new DryRunExecutor(new FakeExecutor()).runPipeline({ argv: ["sh", "-c", "true"], display: "true" });
   * ```
   * @param p The pipeline.
   * @param _opts Ignored.
   * @returns A canned success.
   */
  runPipeline(p: RenderedPipeline, _opts?: PipelineRunOptions): Promise<RunResult> {
    return Promise.resolve(this.#skip("pipeline", p.display));
  }

  #skip(kind: DryRunRecord["kind"], rendered: string): RunResult {
    this.skipped.push({ kind, rendered });
    this.#options.onCommand?.(rendered);
    this.#options.onSkipped?.(rendered);
    return { code: 0, signal: null, stdout: "", stderr: "" };
  }
}
