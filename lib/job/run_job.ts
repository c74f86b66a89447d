/**
 * Runs one parsed `bzfs` job: takes the job lock, prepares executors and hosts, handles
 * SIGINT/SIGTERM, then runs the enabled phases for each root dataset pair.
 *
 * @module
 */
import type { BzfsConfig } from "../cli/bzfs_config.ts";
import { type Clock, systemClock } from "../clock.ts";
import { InterruptedError } from "../errors.ts";
import { DryRunExecutor } from "../exec/dry_run_executor.ts";
import type { Executor } from "../exec/executor.ts";
import { RealExecutor } from "../exec/real_executor.ts";
import { SshMux } from "../exec/ssh_mux.ts";
import { logger } from "../log/setup.ts";
import { acquireJobLock, lockFilePath } from "../state/job_lock.ts";
import { DetectCache } from "../zfs/detect.ts";
import { type JobContext, prepareHost } from "./context.ts";
import { replicatePair } from "./replicate_pair.ts";
import { createSrcSnapshotsPhase } from "./create_phase.ts";
import { deleteDstPhase } from "./delete_phase.ts";
import { comparePhase } from "./compare_phase.ts";
import { monitorPhase } from "./monitor_phase.ts";
import { snapshotFilterGroups } from "../filter/snapshot_filter_groups.ts";

/** Seams of {@linkcode runJob}. */
export interface RunJobOptions {
  /** Runs commands. @default a RealExecutor (wrapped in a DryRunExecutor under --dryrun) */
  executor?: Executor;
  /** Time. @default the system clock */
  clock?: Clock;
  /** Log directory (for the lock file). @default $HOME/bzfs-logs */
  logDir?: string;
  /** Install SIGINT/SIGTERM handlers. @default true */
  handleSignals?: boolean;
  /** The run's log file (`--compare-snapshot-lists` writes its `.cmp` folder next to it). */
  logFile?: string;
}

/**
 * Runs the job described by a config.
 *
 * @example
 * ```ts ignore
 * import { runJob } from "./run_job.ts";
 * import { buildBzfsConfig } from "../cli/bzfs_config.ts";
 * await runJob(buildBzfsConfig(["tank/a", "backup/a"]));
 * ```
 * @param config The validated configuration.
 * @param options Executor, clock and signal seams.
 * @throws {LockHeldError} When another run of the same job is active.
 * @throws {InterruptedError} On SIGINT/SIGTERM.
 */
export async function runJob(config: BzfsConfig, options: RunJobOptions = {}): Promise<void> {
  const logDir = options.logDir ?? config.options.logDir ??
    `${Deno.env.get("HOME") ?? "/tmp"}/bzfs-logs`;
  const lock = acquireJobLock(lockFilePath(config, logDir));
  const controller = new AbortController();
  const log = logger();
  const mux = options.executor ? undefined : await SshMux.create({
    maxSessionsPerConnection: config.options.maxConcurrentSshSessionsPerTcpConnection,
  });
  const real = options.executor ?? new RealExecutor({
    mux,
    onCommand: (cmd) => log.trace("Executing: {cmd}", { cmd }),
  });
  const executor = config.options.dryrun
    ? new DryRunExecutor(real, { onSkipped: (cmd) => log.info("Would execute: {cmd}", { cmd }) })
    : real;
  let interrupted: Deno.Signal | null = null;
  const onSignal = (sig: Deno.Signal) => () => {
    if (interrupted) Deno.exit(128 + (sig === "SIGINT" ? 2 : 15));
    interrupted = sig;
    log.warn("Received {sig}; stopping", { sig });
    controller.abort();
    if (real instanceof RealExecutor) real.killAll("SIGTERM");
  };
  const handlers = (options.handleSignals ?? true)
    ? (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const)
    : [];
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const ctx: JobContext = {
      config,
      executor,
      pipelineExecutor: config.options.dryrun === "recv" ? real : executor,
      clock: options.clock ?? systemClock,
      signal: controller.signal,
      detectCache: new DetectCache({ ttlMs: 300_000 }),
      mux,
      startedAt: (options.clock ?? systemClock).now(),
      localUid: Deno.uid(),
      ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
    };
    await runPhases(ctx);
    if (interrupted) throw new InterruptedError(interrupted);
  } catch (e) {
    if (interrupted) throw new InterruptedError(interrupted);
    throw e;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    if (real instanceof RealExecutor) await real.killAll("SIGTERM");
    if (mux) await closeMasters(mux, config.options.sshProgram);
    lock.release();
  }
}

async function runPhases(ctx: JobContext): Promise<void> {
  const o = ctx.config.options;
  const groups = snapshotFilterGroups(ctx.config.snapshotFilterArgs);
  const force = { available: true };
  for (const pair of ctx.config.pairs) {
    if (ctx.signal.aborted) break;
    const [src, dst] = await Promise.all([prepareHost(pair.src, ctx), prepareHost(pair.dst, ctx)]);
    const hosts = { src, dst };
    // upstream's phase order per pair
    if (o.createSrcSnapshots) await createSrcSnapshotsPhase(pair, ctx, hosts);
    if (!o.skipReplication) await replicatePair(pair, ctx, force, groups, hosts);
    if (o.deleteDstDatasets || o.deleteDstSnapshots || o.deleteEmptyDstDatasets) {
      await deleteDstPhase(pair, ctx, hosts);
    }
    if (o.compareSnapshotLists) await comparePhase(pair, ctx, hosts);
    if (o.monitorSnapshots.trim() !== "{}" && o.monitorSnapshots.trim() !== "") {
      await monitorPhase(pair, ctx, hosts);
    }
  }
}

/** Tells every ssh master of this run to exit, then removes the socket directory. */
async function closeMasters(mux: SshMux, sshProgram: string): Promise<void> {
  const sockets: string[] = [];
  try {
    for (const e of Deno.readDirSync(mux.dir)) sockets.push(`${mux.dir}/${e.name}`);
  } catch {
    // directory already gone
  }
  await Promise.all(sockets.map((path) =>
    new Deno.Command(sshProgram, {
      args: ["-S", path, "-O", "exit", "bzfs-master"],
      stdout: "null",
      stderr: "null",
    }).output().catch(() => undefined)
  ));
  await mux.close();
}
