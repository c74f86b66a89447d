/**
 * How one sub-job is executed: the {@linkcode SubJobRunner} seam and the trivial runners
 * (`--jobrunner-dryrun`, and a function-backed runner for tests and embedding).
 *
 * @module
 */
import type { SubJob } from "./subjobs.ts";

/** Runs one sub-job and resolves to its exit code (never rejects for a failing bzfs). */
export interface SubJobRunner {
  /** Runs the sub-job; `signal` aborts when the jobrunner is told to stop. */
  run(job: SubJob, signal: AbortSignal): Promise<number>;
  /** Releases workers or other resources. */
  close(): Promise<void>;
}

/**
 * A runner that runs nothing and reports success (`--jobrunner-dryrun`).
 *
 * @example
 * ```ts
 * import { dryRunner } from "./runner.ts";
 * console.log(await dryRunner().run({ name: "a", argv: ["bzfs"], action: "replicate", srcHost: "s", dstHost: "d" }, new AbortController().signal)); // 0
 * ```
 * @returns The runner.
 */
export function dryRunner(): SubJobRunner {
  return { run: () => Promise.resolve(0), close: () => Promise.resolve() };
}

/**
 * A runner backed by a function of the argv (without the leading `bzfs`), e.g. the bzfs
 * `main` of `cli.ts` in the current isolate, or a fake in tests.
 *
 * @example
 * ```ts
 * import { functionRunner } from "./runner.ts";
 * const runner = functionRunner((argv) => Promise.resolve(argv.includes("--dryrun") ? 0 : 3));
 * ```
 * @param fn Runs bzfs with these arguments and resolves to the exit code.
 * @returns The runner.
 */
export function functionRunner(
  fn: (argv: readonly string[], job: SubJob, signal: AbortSignal) => Promise<number>,
): SubJobRunner {
  return {
    run: async (job, signal) => {
      try {
        return await fn(job.argv.slice(1), job, signal);
      } catch {
        return 3;
      }
    },
    close: () => Promise.resolve(),
  };
}
