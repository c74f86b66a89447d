/**
 * `FakeExecutor`: a scripted executor for unit tests. Rules map argv patterns to canned results;
 * every call is recorded. Failures go through the same classification as the real executor, so
 * error paths can be tested without processes.
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
import { failureOf } from "./failure.ts";
import { shellJoin } from "./quote.ts";
import { isLocal } from "./remote.ts";
import { displayArgv, renderCommand } from "./render_command.ts";

/**
 * Which commands a rule answers. A string matches the shell-joined argv (without ssh and sudo)
 * exactly or as a prefix followed by a space; a RegExp is tested against it; a function gets the spec.
 */
export type FakeMatch = string | RegExp | ((spec: CommandSpec) => boolean);

/** The canned answer: missing fields default to code 0 and empty output. */
export type FakeAnswer = Partial<RunResult> | ((spec: CommandSpec) => Partial<RunResult>);

/** One rule of a {@linkcode FakeExecutor}. */
export interface FakeRule {
  /** Which commands it answers. */
  match: FakeMatch;
  /** What they return. */
  result: FakeAnswer;
  /** Answer only this many times, then fall through to later rules. @default {Infinity} */
  times?: number;
}

/** Options of {@linkcode FakeExecutor}. */
export interface FakeExecutorOptions extends ExecutorHooks {
  /** Answer for commands no rule matches; without it such a command throws an Error (a test bug). */
  fallback?: FakeAnswer;
  /** Answer for every pipeline. @default {{ code: 0 }} */
  pipelineResult?: FakeAnswer;
}

/**
 * A scripted executor for tests.
 *
 * @example Answer `zfs list` and check what ran
 * ```ts
 * import { FakeExecutor } from "./fake_executor.ts";
 * const fake = new FakeExecutor()
 *   .on("zfs list -t snapshot", { stdout: "1\t10\t1700000000\ttank@s1\n" })
 *   .on(/^zfs destroy /, { code: 1, stderr: "cannot destroy" });
 * await fake.run({ argv: ["zfs", "list", "-t", "snapshot", "tank"] });
 * console.log(fake.commands); // ["zfs list -t snapshot tank"]
 * ```
 */
export class FakeExecutor implements Executor {
  /** Every command spec run, in order. */
  readonly calls: CommandSpec[] = [];
  /** Every command as the shell-joined argv on the target host (without ssh and sudo). */
  readonly commands: string[] = [];
  /** Every pipeline run, in order. */
  readonly pipelines: RenderedPipeline[] = [];
  readonly #rules: { rule: FakeRule; used: number }[] = [];
  readonly #options: FakeExecutorOptions;

  /**
   * Creates the instance.
   *
   * @param rules Initial rules, tried in order.
   * @param options Fallback, pipeline answer, hooks.
   */
  constructor(rules: readonly FakeRule[] = [], options: FakeExecutorOptions = {}) {
    for (const rule of rules) this.#rules.push({ rule, used: 0 });
    this.#options = options;
  }

  /**
   * Adds a rule (after the existing ones) and returns this executor, for chaining.
   * @example
   * ```ts
   * import { FakeExecutor } from "./fake_executor.ts";
   * new FakeExecutor().on("zfs --version", { stdout: "zfs-2.3.2-1\n" }, 1);
   * ```
   * @param match Which commands.
   * @param result What they return.
   * @param times How many times the rule answers.
   * @returns This executor.
   */
  on(match: FakeMatch, result: FakeAnswer, times?: number): this {
    this.#rules.push({ rule: { match, result, times }, used: 0 });
    return this;
  }

  /**
   * Answers from the first matching rule; throws like the real executor on failure.
   * @example
   * ```ts
   * import { FakeExecutor } from "./fake_executor.ts";
   * const r = await new FakeExecutor([], { fallback: {} }).run({ argv: ["true"] });
   * console.log(r.code); // 0
   * ```
   * @param spec The command.
   * @returns The canned result.
   * @throws {CommandError} For a non-zero canned code when `check` is not false.
   * @throws {RetryableError} For canned ssh transport failures (code 255, `ssh: ...`) on a remote.
   * @throws {Error} When no rule matches and there is no fallback.
   */
  run(spec: CommandSpec): Promise<RunResult> {
    this.calls.push(spec);
    const joined = shellJoin(spec.argv);
    this.commands.push(joined);
    const argv = renderCommand(spec);
    this.#options.onCommand?.(displayArgv(argv));
    const answer = this.#find(spec, joined) ?? this.#options.fallback;
    if (answer === undefined) {
      return Promise.reject(new Error(`FakeExecutor: no rule for command: ${joined}`));
    }
    const result = complete(typeof answer === "function" ? answer(spec) : answer);
    if (result.code !== 0 && spec.check !== false) {
      const viaSsh = spec.remote !== undefined && !isLocal(spec.remote);
      return Promise.reject(failureOf(argv, result, { viaSsh }));
    }
    return Promise.resolve(result);
  }

  /**
   * Records the pipeline and returns the pipeline answer.
   * @example
   * ```ts
   * import { FakeExecutor } from "./fake_executor.ts";
   * const fake = new FakeExecutor();
   * await fake.runPipeline({ argv: ["sh", "-c", "true"], display: "true" });
   * console.log(fake.pipelines.length); // 1
   * ```
   * @param p The pipeline.
   * @param opts Only `check` is used.
   * @returns The canned result.
   * @throws {RetryableError} When the canned code is non-zero and `check` is not false.
   */
  runPipeline(p: RenderedPipeline, opts: PipelineRunOptions = {}): Promise<RunResult> {
    this.pipelines.push(p);
    this.#options.onCommand?.(p.display);
    const answer = this.#options.pipelineResult ?? {};
    const result = complete(typeof answer === "function" ? answer({ argv: p.argv }) : answer);
    if (result.code !== 0 && opts.check !== false) {
      return Promise.reject(
        failureOf(p.argv, result, {
          alwaysRetryable: true,
          what: "zfs send/receive pipeline failed",
        }),
      );
    }
    return Promise.resolve(result);
  }

  #find(spec: CommandSpec, joined: string): FakeAnswer | undefined {
    for (const entry of this.#rules) {
      if (entry.used >= (entry.rule.times ?? Infinity)) continue;
      if (!matches(entry.rule.match, spec, joined)) continue;
      entry.used++;
      return entry.rule.result;
    }
    return undefined;
  }
}

function matches(match: FakeMatch, spec: CommandSpec, joined: string): boolean {
  if (typeof match === "string") return joined === match || joined.startsWith(`${match} `);
  if (match instanceof RegExp) return match.test(joined);
  return match(spec);
}

function complete(partial: Partial<RunResult>): RunResult {
  return {
    code: partial.code ?? 0,
    signal: partial.signal ?? null,
    stdout: partial.stdout ?? "",
    stderr: partial.stderr ?? "",
  };
}
