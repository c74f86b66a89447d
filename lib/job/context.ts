/**
 * What every phase of a run shares: the config, the executors, the clock, the abort signal, and
 * the per-host facts detected once.
 *
 * @module
 */
import type { BzfsConfig, Endpoint } from "../cli/bzfs_config.ts";
import type { Clock } from "../clock.ts";
import type { Executor } from "../exec/executor.ts";
import { createRemote, elevationPrefix, type Remote, runsAsRoot } from "../exec/remote.ts";
import type { SshMux } from "../exec/ssh_mux.ts";
import { type DetectCache, detectTools, type HostInfo } from "../zfs/detect.ts";

/** Shared state of one run. */
export interface JobContext {
  /** The validated configuration. */
  readonly config: BzfsConfig;
  /** Runs commands (a dry-run executor under `--dryrun`). */
  readonly executor: Executor;
  /** Runs bulk pipelines (the real executor under `--dryrun=recv`, where data really flows). */
  readonly pipelineExecutor: Executor;
  /** Time. */
  readonly clock: Clock;
  /** Aborted on SIGINT/SIGTERM or a fatal error. */
  readonly signal: AbortSignal;
  /** Per-host tool detection, cached for the run. */
  readonly detectCache: DetectCache;
  /** ssh connection multiplexing, if any. */
  readonly mux?: SshMux;
  /** The run's start in epoch milliseconds (relative snapshot times resolve against it). */
  readonly startedAt: number;
  /** The uid of this process, or null when unknown. */
  readonly localUid: number | null;
  /** The run's log file, if any (`--compare-snapshot-lists` writes next to it). */
  readonly logFile?: string;
}

/** A host ready for use: how to reach it, what it has, and whether zfs needs sudo there. */
export interface PreparedHost {
  /** The endpoint with the elevation prefix set. */
  readonly remote: Remote;
  /** Detected tools, zfs version, cpu count, uid. */
  readonly info: HostInfo;
  /** Whether state-changing zfs commands are prefixed with sudo/doas. */
  readonly elevate: boolean;
}

/**
 * Connects to an endpoint once: detects its tools and decides about sudo.
 *
 * @example
 * ```ts ignore
 * const src = await prepareHost(config.pairs[0].src, ctx);
 * ```
 * @param endpoint Where the dataset lives.
 * @param ctx The run.
 * @returns The prepared host.
 */
export async function prepareHost(endpoint: Endpoint, ctx: JobContext): Promise<PreparedHost> {
  const o = ctx.config.options;
  const base = {
    user: endpoint.user,
    host: endpoint.host,
    port: endpoint.port,
    configFile: endpoint.configFile,
    sshProgram: o.sshProgram,
    sshCipher: o.sshCipher,
    controlPersistSecs: o.sshControlPersistSecs,
  };
  const plain = createRemote(base);
  const info = await detectTools(ctx.executor, plain, {
    cache: ctx.detectCache,
    programs: {
      compression: o.compressionProgram,
      mbuffer: o.mbufferProgram,
      pv: o.pvProgram,
      ps: o.psProgram,
      shell: o.shellProgram,
      ssh: o.sshProgram,
      sudo: o.sudoProgram,
      zpool: o.zpoolProgram,
    },
  });
  const isRoot = info.uid !== undefined ? info.uid === 0 : runsAsRoot(plain, ctx.localUid);
  const sudo = elevationPrefix({
    isRoot,
    noPrivilegeElevation: o.noPrivilegeElevation,
    sudoProgram: o.sudoProgram,
  });
  return { remote: createRemote({ ...base, sudo }), info, elevate: sudo.length > 0 };
}
