/**
 * One `bzfs_jobrunner` run: plan the sub-jobs, pick the execution mode (in-process worker
 * pool, `--spawn-process-per-job`, or `--jobrunner-dryrun`), run passes until one fails, or
 * until a successful pass was fast enough (`--repeat-if-took-more-than-seconds`).
 *
 * @module
 */
import type { JobrunnerOptionValues } from "../cli/option_values.ts";
import { type Clock, systemClock } from "../clock.ts";
import { resolveThreads } from "../sched/threads.ts";
import { FleetError } from "./fleet_error.ts";
import { detectLocalIdentity, type LocalIdentity } from "./localhost.ts";
import { createJobrunnerLog, type JobrunnerLog } from "./log.ts";
import { planSubJobs } from "./plan_run.ts";
import { probeLocalPools } from "./pool_probe.ts";
import { processRunner } from "./process_runner.ts";
import { runSubJobs } from "./run_subjobs.ts";
import { dryRunner, type SubJobRunner } from "./runner.ts";
import type { SubJob } from "./subjobs.ts";
import { canStartWorkers, workerPoolRunner } from "./worker_pool_runner.ts";
import { isolateRunner } from "./isolate_runner.ts";

/** Seams of {@linkcode runJobrunner}; every field has a real default. */
export interface JobrunnerSeams {
  /** Writes to stderr. */
  writeErr?: (text: string) => void;
  /** Executes sub-jobs (overrides the mode options). */
  runner?: SubJobRunner;
  /** Time. */
  clock?: Clock;
  /** Randomness for `--jitter`. */
  random?: () => number;
  /** Reads stdin when `--src-hosts` is absent. */
  readStdin?: () => Promise<string>;
  /** This machine (skips detection). */
  identity?: LocalIdentity;
  /** Probes local pools. */
  probePools?: (pools: readonly string[]) => Promise<ReadonlySet<string>>;
  /** CPU count for `--workers=N%`. @default navigator.hardwareConcurrency */
  cpuCount?: number;
  /** Aborting it stops the run. */
  signal?: AbortSignal;
  /** Install SIGINT/SIGTERM handlers. @default true */
  handleSignals?: boolean;
  /** Reads environment variables. */
  env?: (name: string) => string | undefined;
  /** Told the sub-jobs of the run once they are planned. */
  onPlanned?: (jobs: readonly SubJob[]) => void;
}

/**
 * Runs the jobrunner for parsed options and returns the exit status.
 *
 * @example
 * ```ts ignore
 * const { options, forwarded } = parseJobrunnerArgs(argv);
 * const code = await runJobrunner(options, forwarded, { writeErr: (t) => console.error(t) });
 * ```
 * @param o The jobrunner's options.
 * @param forwarded Arguments for bzfs.
 * @param seams I/O seams.
 * @returns The exit status: 0, or the worst sub-job status.
 * @throws {FleetError} On an inconsistent fleet (exit status 3).
 */
export async function runJobrunner(
  o: JobrunnerOptionValues,
  forwarded: readonly string[],
  seams: JobrunnerSeams = {},
): Promise<number> {
  const enc = new TextEncoder();
  const writeErr = seams.writeErr ?? ((t: string) => Deno.stderr.writeSync(enc.encode(t)));
  const log = createJobrunnerLog(o.jobrunnerLogLevel, (line) => writeErr(line + "\n"));
  const env = seams.env ?? ((name: string) => safeEnv(name));
  const warn = (m: string) => log.log("WARN", m);
  const identity = seams.identity ??
    await detectLocalIdentity({ localhost: o.localhost, env, warn });
  log.log("DEBUG", `localhostname: ${identity.localhostName}`);
  const stdin = o.srcHosts === undefined ? await (seams.readStdin ?? readStdin)() : undefined;
  const planned = await planSubJobs(o, forwarded, {
    identity,
    stdin,
    random: seams.random,
    probePools: seams.probePools ?? ((p) => probeLocalPools(p, o.workerTimeoutSeconds)),
    defaultJobRun: crypto.randomUUID().replaceAll("-", ""),
    warn,
  });
  const { jobs, hosts, fleet } = planned;
  seams.onPlanned?.(jobs);
  log.log(
    "INFO",
    `Ready to run ${jobs.length} subjobs using ${hosts.srcHosts.length}/${fleet.srcHosts.length} ` +
      `src hosts: ${
        JSON.stringify(hosts.srcHosts)
      }, ${hosts.dstHosts.size}/${fleet.dstHosts.size} ` +
      `dst hosts: ${JSON.stringify([...hosts.dstHosts.keys()])}`,
  );
  if (log.enabled("TRACE")) {
    const map = Object.fromEntries(
      [...jobs].sort((a, b) => a.name < b.name ? -1 : 1).map((j) => [j.name, j.argv]),
    );
    log.log("TRACE", `subjobs: \n${JSON.stringify(map, null, 4)}`);
  }
  const workers = resolveThreads(
    { number: o.workers.value, isPercent: o.workers.percent },
    seams.cpuCount ?? navigator.hardwareConcurrency,
  );
  const runner = seams.runner ?? chooseRunner(o, workers, log);
  return await withSignals(
    seams,
    (signal) => runPasses(jobs, runner, o, { workers, log, signal, seams }),
  );
}

function chooseRunner(o: JobrunnerOptionValues, workers: number, log: JobrunnerLog): SubJobRunner {
  if (o.jobrunnerDryrun) return dryRunner();
  if (o.spawnProcessPerJob) {
    return processRunner({
      timeoutSeconds: o.workerTimeoutSeconds,
      onKill: (m) => log.log("ERROR", m),
    });
  }
  const timeoutSeconds = o.workerTimeoutSeconds;
  if (workers === 1) return isolateRunner({ timeoutSeconds });
  const can = canStartWorkers();
  if (!can.ok) {
    log.log(
      "WARN",
      `Running sub-jobs one at a time: ${workers} worker threads need ${can.missing} ` +
        "(read access to bzfs's own module files); add it, or use --spawn-process-per-job",
    );
    return isolateRunner({ timeoutSeconds });
  }
  return workerPoolRunner({ size: workers, timeoutSeconds });
}

async function runPasses(
  jobs: readonly SubJob[],
  runner: SubJobRunner,
  o: JobrunnerOptionValues,
  ctx: { workers: number; log: JobrunnerLog; signal: AbortSignal; seams: JobrunnerSeams },
): Promise<number> {
  const clock = ctx.seams.clock ?? systemClock;
  try {
    while (true) {
      const t0 = clock.now();
      const result = await runSubJobs(jobs, runner, {
        workers: ctx.workers,
        workPeriodSeconds: o.workPeriodSeconds,
        jitter: o.jitter,
        clock,
        random: ctx.seams.random,
        signal: ctx.signal,
        log: ctx.log,
      });
      if (ctx.signal.aborted) return 130;
      if (result.worst !== 0) return result.worst;
      const took = (clock.now() - t0) / 1000;
      if (took <= o.repeatIfTookMoreThanSeconds) break;
      ctx.log.log(
        "INFO",
        `Repeating as the pass took ${took}s, more than --repeat-if-took-more-than-seconds`,
      );
    }
    ctx.log.log("INFO", "Succeeded. Bye!");
    return 0;
  } finally {
    await runner.close();
  }
}

async function withSignals<T>(
  seams: JobrunnerSeams,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  seams.signal?.addEventListener("abort", stop, { once: true });
  const install = seams.handleSignals ?? true;
  if (install) { for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, stop); }
  try {
    return await body(controller.signal);
  } finally {
    if (install) {
      for (const s of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(s, stop);
    }
    seams.signal?.removeEventListener("abort", stop);
  }
}

function safeEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) {
    throw new FleetError(
      "Missing --src-hosts, and stdin is a terminal: give --src-hosts or pipe the list into stdin",
    );
  }
  return await new Response(Deno.stdin.readable).text();
}
