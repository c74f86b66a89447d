/**
 * Runs one parsed `bzfs` job: validates the timing options, sanitizes the environment, takes the
 * job lock, prepares executors and hosts, handles SIGINT/SIGTERM, then runs the enabled phases
 * for each root dataset pair — once, or repeatedly in daemon mode (`--daemon-lifetime`).
 *
 * Errors at the level of a root dataset pair follow upstream (semantics 9.3, 9.5, 9.10): with
 * `--skip-on-error=fail`, an unexpected error, or a `--timeout` outside daemon mode the run ends
 * at once; otherwise the error is logged and the next pair runs, and a non-daemon run ends by
 * re-raising the first tolerated error after an error summary.
 *
 * @module
 */
import type { BzfsConfig, DatasetPair } from "../cli/bzfs_config.ts";
import { type Clock, systemClock } from "../clock.ts";
import {
  BzfsError,
  InterruptedError,
  LockHeldError,
  RetryableError,
  UsageError,
} from "../errors.ts";
import { DryRunExecutor } from "../exec/dry_run_executor.ts";
import type { Executor } from "../exec/executor.ts";
import { RealExecutor } from "../exec/real_executor.ts";
import { ControlPathPool } from "../exec/control_path_pool.ts";
import { SshMux } from "../exec/ssh_mux.ts";
import { logger } from "../log/setup.ts";
import { humanReadableDuration } from "../monitor/human_readable.ts";
import { acquireJobLock, lockFilePath } from "../state/job_lock.ts";
import { DetectCache } from "../zfs/detect.ts";
import { type JobContext, prepareHost } from "./context.ts";
import { type JobTiming, jobTiming, runDaemon } from "./daemon.ts";
import { type MutableEnv, sanitizeEnv } from "./env_sanitize.ts";
import { Deadline, JobTimeoutError, withDeadline } from "./timeout.ts";
import { replicatePair } from "./replicate_pair.ts";
import type { ForceState } from "./replicate_dataset.ts";
import { createSrcSnapshotsPhase } from "./create_phase.ts";
import { deleteDstPhase, deletePhaseEnabled } from "./delete_phase.ts";
import { comparePhase } from "./compare_phase.ts";
import { monitorPhase } from "./monitor_phase.ts";
import type { SnapshotFilterGroup } from "../filter/snapshot_filter_types.ts";
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
  /** The environment that `--exclude-envvar-regex` cleans. @default Deno.env */
  env?: MutableEnv;
  /** Stops the run like SIGTERM does (for embedding and tests). */
  signal?: AbortSignal;
}

/** How many tolerated errors are kept for the summary (upstream: 10000). */
const MAX_ERRORS_KEPT = 10_000;

const SIGNAL_NUMBER: Readonly<Record<"SIGINT" | "SIGTERM", number>> = { SIGINT: 2, SIGTERM: 15 };

/** What the phases of all pairs and iterations share. */
interface RunShared {
  readonly groups: readonly SnapshotFilterGroup[];
  readonly force: ForceState;
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
 * @throws {DaemonConfigError} When a duration or `--daemon-frequency` is invalid (exit 3).
 * @throws {EnvvarRegexError} When an envvar regex is invalid (exit 3).
 * @throws {LockHeldError} When another run of the same job is active.
 * @throws {InterruptedError} On SIGINT/SIGTERM.
 * @throws {JobTimeoutError} When `--timeout` expires outside daemon mode.
 */
export async function runJob(config: BzfsConfig, options: RunJobOptions = {}): Promise<void> {
  const o = config.options;
  const log = logger();
  const logDir = options.logDir ?? o.logDir ?? `${Deno.env.get("HOME") ?? "/tmp"}/bzfs-logs`;
  const timing = jobTiming(o);
  const removed = sanitizeEnv(
    { include: o.includeEnvvarRegex, exclude: o.excludeEnvvarRegex },
    { env: options.env },
  );
  for (const name of removed) log.debug("Unsetting b/c envvar regex: {name}", { name });
  const lock = acquireJobLock(lockFilePath(config, logDir));
  const controller = new AbortController();
  let mux: SshMux | undefined;
  let real: Executor | undefined;
  let interrupted: "SIGINT" | "SIGTERM" | null = null;
  const stop = (sig: "SIGINT" | "SIGTERM") => {
    if (interrupted) {
      // a second signal: no more waiting for a graceful stop
      if (real instanceof RealExecutor) real.killAll("SIGKILL");
      if (mux) closeMastersInBackground(mux, o.sshProgram);
      Deno.exit(128 + SIGNAL_NUMBER[sig]);
    }
    interrupted = sig;
    log.warn("Received {sig}; stopping", { sig });
    controller.abort();
    if (real instanceof RealExecutor) real.killAll("SIGTERM");
  };
  const handlers = (options.handleSignals ?? true)
    ? (["SIGINT", "SIGTERM"] as const).map((s) => [s, () => stop(s)] as const)
    : [];
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  const onExternalAbort = () => stop("SIGTERM");
  options.signal?.addEventListener("abort", onExternalAbort, { once: true });
  try {
    if (options.signal?.aborted) stop("SIGTERM");
    mux = options.executor ? undefined : await SshMux.create({
      maxSessionsPerConnection: o.maxConcurrentSshSessionsPerTcpConnection,
      pool: openControlPathPool(o.sshControlPersistSecs, options.env),
    });
    real = options.executor ?? new RealExecutor({
      mux,
      onCommand: (cmd) => log.trace("Executing: {cmd}", { cmd }),
    });
    if (interrupted && real instanceof RealExecutor) real.killAll("SIGTERM");
    await runIterations(config, { ...options, timing, real, mux, signal: controller.signal });
    if (interrupted) throw new InterruptedError(interrupted);
  } catch (e) {
    if (interrupted) throw new InterruptedError(interrupted);
    throw e;
  } finally {
    options.signal?.removeEventListener("abort", onExternalAbort);
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    if (real instanceof RealExecutor) real.killAll("SIGTERM");
    if (mux) {
      // pooled masters stay for the next run unless asked otherwise; an interrupted run leaves
      // nothing behind
      const exitPooled = o.sshExitOnShutdown || interrupted !== null;
      if (mux.poolError) log.debug("ssh masters not reused across runs: {e}", { e: mux.poolError });
      if (real instanceof RealExecutor) await real.closeConnections({ pooled: exitPooled });
      await mux.close();
    }
    lock.release();
  }
}

interface IterationSetup extends RunJobOptions {
  readonly timing: JobTiming;
  readonly real: Executor;
  readonly mux: SshMux | undefined;
  readonly signal: AbortSignal;
}

/** The daemon loop (one iteration without --daemon-lifetime) over all root pairs. */
async function runIterations(config: BzfsConfig, s: IterationSetup): Promise<void> {
  const o = config.options;
  const log = logger();
  const clock = s.clock ?? systemClock;
  const daemon = s.timing.lifetimeMs > 0;
  const deadline = new Deadline(s.timing.timeoutMs, { clock });
  const dry = o.dryrun
    ? new DryRunExecutor(s.real, { onSkipped: (cmd) => log.info("Would execute: {cmd}", { cmd }) })
    : s.real;
  const executor = withDeadline(dry, deadline);
  const pipelineExecutor = o.dryrun === "recv" ? withDeadline(s.real, deadline) : executor;
  const detectCache = new DetectCache({
    clock,
    ttlMs: daemon ? s.timing.remoteConfCacheTtlMs : Infinity,
  });
  const shared: RunShared = {
    groups: snapshotFilterGroups(config.snapshotFilterArgs),
    force: { available: true },
  };
  const errors: BzfsError[] = []; // the first MAX_ERRORS_KEPT; a daemon may run for years
  let errorCount = 0;
  const tolerate = (e: unknown, pair: DatasetPair): void => {
    if (s.signal.aborted) throw e;
    let error = e instanceof RetryableError && e.cause !== undefined ? e.cause : e;
    if (deadline.expired && !(error instanceof JobTimeoutError)) {
      error = new JobTimeoutError(deadline.durationMs ?? 0, { cause: error });
    }
    if (
      !(error instanceof BzfsError) || error instanceof UsageError ||
      error instanceof LockHeldError || error instanceof InterruptedError ||
      o.skipOnError === "fail" || (error instanceof JobTimeoutError && !daemon)
    ) {
      throw error;
    }
    errorCount++;
    if (errors.length < MAX_ERRORS_KEPT) errors.push(error);
    log.error("{msg}", { msg: error.message });
    log.error("#{n}: Done with task: {task}", { n: errorCount, task: describePair(pair, o) });
  };
  try {
    await runDaemon(
      async () => {
        const startedAt = clock.now();
        if (!daemon) deadline.arm();
        for (const pair of config.pairs) {
          if (s.signal.aborted) break;
          if (daemon) deadline.arm();
          if (config.pairs.length > 1) {
            log.info("Starting task: {task} ...", { task: describePair(pair, o) });
          }
          const ctx: JobContext = {
            config,
            executor,
            pipelineExecutor,
            clock,
            signal: AbortSignal.any([s.signal, deadline.signal]),
            detectCache,
            mux: s.mux,
            startedAt,
            localUid: Deno.uid(),
            ...(s.logFile === undefined ? {} : { logFile: s.logFile }),
          };
          try {
            if (deadline.expired) throw new JobTimeoutError(deadline.durationMs ?? 0);
            await runPhases(pair, ctx, shared);
            if (deadline.expired) throw new JobTimeoutError(deadline.durationMs ?? 0);
          } catch (e) {
            tolerate(e, pair);
          }
        }
      },
      s.timing,
      {
        clock,
        signal: s.signal,
        onSleep: (ms) =>
          log.info("Daemon sleeping for: {d} ...", { d: humanReadableDuration(ms, "ms") }),
      },
    );
  } finally {
    deadline.disarm();
  }
  if (errorCount > 0 && !daemon) {
    log.error("Tolerated {n} errors. Error Summary:", { n: errorCount });
    errors.forEach((e, i) =>
      log.error("{i}/{n}: {msg}", { i: i + 1, n: errorCount, msg: e.message })
    );
    throw errors[0];
  }
}

function describePair(pair: DatasetPair, o: BzfsConfig["options"]): string {
  const side = (e: DatasetPair["src"]) =>
    e.host ? `${e.user ? `${e.user}@` : ""}${e.host}:${e.dataset}` : e.dataset;
  return `${side(pair.src)} ${o.recursive ? "--recursive " : ""}--> ${side(pair.dst)}`;
}

/** Runs the enabled phases of one root dataset pair, in upstream's order. */
async function runPhases(pair: DatasetPair, ctx: JobContext, shared: RunShared): Promise<void> {
  const o = ctx.config.options;
  const { groups, force } = shared;
  const [src, dst] = await Promise.all([prepareHost(pair.src, ctx), prepareHost(pair.dst, ctx)]);
  const hosts = { src, dst };
  // upstream's phase order per pair
  if (o.createSrcSnapshots) await createSrcSnapshotsPhase(pair, ctx, hosts);
  if (!o.skipReplication) await replicatePair(pair, ctx, { force, groups, hosts });
  if (deletePhaseEnabled(o)) await deleteDstPhase(pair, ctx, hosts);
  if (o.compareSnapshotLists) await comparePhase(pair, ctx, hosts);
  if (o.monitorSnapshots.trim() !== "{}" && o.monitorSnapshots.trim() !== "") {
    await monitorPhase(pair, ctx, hosts);
  }
}
/**
 * The pool of ssh sockets that outlive the run, below `~/.ssh/bzfs` (upstream's place), or
 * undefined (per-run sockets) when there is no home or the directory is not safe to use.
 */
function openControlPathPool(
  controlPersistSecs: number,
  env: MutableEnv | undefined,
): ControlPathPool | undefined {
  const home = env ? env.toObject().HOME : Deno.env.get("HOME");
  if (!home) return undefined;
  return ControlPathPool.open({ rootDir: `${home}/.ssh/bzfs`, controlPersistSecs });
}

/** The sockets of this run that have a master listening. */
function liveSockets(mux: SshMux): string[] {
  return mux.controlPaths().map((p) => p.controlPath).filter((path) => {
    try {
      return Deno.lstatSync(path).isSocket;
    } catch {
      return false;
    }
  });
}

/**
 * For an immediate exit: a detached shell tells every master of this run to exit and removes the
 * per-run directory after this process is gone, so no ssh master is left behind.
 */
function closeMastersInBackground(mux: SshMux, sshProgram: string): void {
  const script = 'd=$1; p=$2; shift 2; for s in "$@"; do [ -S "$s" ] && "$p" -S "$s" -O exit ' +
    'bzfs-master; done; rm -rf "$d"';
  try {
    new Deno.Command("sh", {
      args: ["-c", script, "sh", mux.dir, sshProgram, ...liveSockets(mux)],
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn().unref();
  } catch {
    // best effort: exiting matters more
  }
}
