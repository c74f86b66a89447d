/**
 * Sub-jobs in this very isolate, one at a time: bzfs `main` is called directly. This is the
 * in-process mode for `--workers=1`, and the fallback when worker threads cannot be started
 * (they need read access to the module files). One at a time, because a bzfs run configures
 * logging for its whole isolate; concurrent runs in one isolate would share log files.
 *
 * @module
 */
import type { SubJobRunner } from "./runner.ts";
import { readableEnv } from "./worker_pool_runner.ts";

/** Options of {@linkcode isolateRunner}. */
export interface IsolateRunnerOptions {
  /** `--worker-timeout-seconds`: passed to bzfs as `--timeout=<ms>milliseconds`. */
  readonly timeoutSeconds?: number;
  /** The environment sub-jobs see. @default what this process may read */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Creates the runner; concurrent `run` calls are queued.
 *
 * @example
 * ```ts ignore
 * const runner = isolateRunner({});
 * const code = await runner.run(job, signal);
 * ```
 * @param options Timeout and environment.
 * @returns The runner.
 */
export function isolateRunner(options: IsolateRunnerOptions = {}): SubJobRunner {
  const env = options.env ?? readableEnv();
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (args: string[]): Promise<number> => {
    const [{ main }, { runJob }] = await Promise.all([
      import("../cli/main.ts"),
      import("../job/run_job.ts"),
    ]);
    try {
      return await main(args, { runJob: (config) => runJob(config), env });
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      Deno.stderr.writeSync(new TextEncoder().encode(`bzfs: error: ${text}\n`));
      return 3;
    }
  };
  return {
    run(job) {
      let args = job.argv.slice(1);
      if (options.timeoutSeconds !== undefined) {
        args = [`--timeout=${Math.round(1000 * options.timeoutSeconds)}milliseconds`, ...args];
      }
      const result = queue.then(() => runOne(args));
      queue = result.catch(() => undefined);
      return result;
    },
    close: () => Promise.resolve(),
  };
}
