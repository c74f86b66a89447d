/**
 * From parsed jobrunner options to the list of sub-jobs: fleet parsing and validation, host
 * selection, `--jitter` shuffling, localhost detection, the local pool probe, generation.
 *
 * @module
 */
import type { JobrunnerOptionValues } from "../cli/option_values.ts";
import { type Fleet, parseFleet } from "./fleet.ts";
import { type HostResolver, hostResolver, type LocalIdentity } from "./localhost.ts";
import { type SelectedHosts, selectHosts, substituteRoot } from "./select_hosts.ts";
import { type Action, ACTIONS, generateSubJobs, type SubJob } from "./subjobs.ts";

/** Inputs of {@linkcode planSubJobs} that come from the outside world. */
export interface PlanContext {
  /** This machine. */
  readonly identity: LocalIdentity;
  /** Text read from stdin when `--src-hosts` is absent. */
  readonly stdin?: string;
  /** Random numbers in [0, 1) for `--jitter`. @default Math.random */
  readonly random?: () => number;
  /** Probes local pools; called at most once, with every local destination pool. */
  readonly probePools?: (pools: readonly string[]) => Promise<ReadonlySet<string>>;
  /** `--job-run` when the option is empty. */
  readonly defaultJobRun: string;
  /** Warnings (skipped destinations). */
  readonly warn?: (message: string) => void;
}

/** The planned run. */
export interface PlannedRun {
  /** The fleet. */
  readonly fleet: Fleet;
  /** The selected (possibly shuffled) hosts. */
  readonly hosts: SelectedHosts;
  /** The sub-jobs in creation order. */
  readonly jobs: readonly SubJob[];
}

/**
 * Plans the sub-jobs of a run.
 *
 * @example
 * ```ts ignore
 * const { jobs } = await planSubJobs(parseJobrunnerArgs(argv).options, forwarded, context);
 * ```
 * @param o The jobrunner's options.
 * @param forwarded Unknown arguments, for bzfs.
 * @param context Identity, stdin, randomness and the pool probe.
 * @returns Fleet, hosts and sub-jobs.
 * @throws {FleetError} On an inconsistent fleet.
 */
export async function planSubJobs(
  o: JobrunnerOptionValues,
  forwarded: readonly string[],
  context: PlanContext,
): Promise<PlannedRun> {
  const fleet = parseFleet(o, context.stdin);
  let hosts = selectHosts(fleet, { srcHost: o.srcHost ?? [], dstHost: o.dstHost ?? [] });
  if (o.jitter) {
    const random = context.random ?? Math.random;
    hosts = {
      srcHosts: shuffle(hosts.srcHosts, random),
      dstHosts: new Map(shuffle([...hosts.dstHosts], random)),
    };
  }
  const base = {
    actions: enabledActions(o),
    jobId: o.jobId ?? "",
    jobRun: o.jobRun || context.defaultJobRun,
    localhostName: context.identity.localhostName,
    resolveHost: hostResolver(context.identity, { src: o.sshSrcUser, dst: o.sshDstUser }),
    ssh: {
      src: { user: o.sshSrcUser, port: o.sshSrcPort, configFile: o.sshSrcConfigFile },
      dst: { user: o.sshDstUser, port: o.sshDstPort, configFile: o.sshDstConfigFile },
    },
    daemon: {
      replication: o.daemonReplicationFrequency,
      pruneSrc: o.daemonPruneSrcFrequency,
      pruneDst: o.daemonPruneDstFrequency,
      monitor: o.daemonMonitorSnapshotsFrequency,
    },
    forwarded,
  };
  const localPools = localDstPools(fleet, hosts, base.resolveHost);
  const existing = localPools.size > 0 && context.probePools
    ? await context.probePools([...localPools])
    : undefined;
  const jobs = generateSubJobs(fleet, hosts, {
    ...base,
    poolExists: existing ? (pool) => existing.has(pool.slice(2)) : undefined,
    onSkip: (dst) =>
      context.warn?.(`Skipping dst dataset for which local dst pool does not exist: ${dst}`),
  });
  return { fleet, hosts, jobs };
}

/**
 * The actions enabled by the seven action flags, in run order.
 *
 * @example
 * ```ts ignore
 * enabledActions(options); // Set { "replicate", "prune-dst-snapshots" }
 * ```
 * @param o The jobrunner's options.
 * @returns The actions.
 */
export function enabledActions(o: JobrunnerOptionValues): Set<Action> {
  const flags: Record<Action, boolean> = {
    "create-src-snapshots": o.createSrcSnapshots,
    "replicate": o.replicate,
    "prune-src-snapshots": o.pruneSrcSnapshots,
    "prune-src-bookmarks": o.pruneSrcBookmarks,
    "prune-dst-snapshots": o.pruneDstSnapshots,
    "monitor-src-snapshots": o.monitorSrcSnapshots,
    "monitor-dst-snapshots": o.monitorDstSnapshots,
  };
  return new Set(ACTIONS.filter((a) => flags[a]));
}

/**
 * The pools of all destination datasets that are local to this machine (written `-:`), which
 * the removable-drive check must probe.
 *
 * @example
 * ```ts ignore
 * localDstPools(fleet, hosts, resolveHost); // Set { "usb" }
 * ```
 * @param fleet The fleet (roots and pairs).
 * @param hosts The selected hosts.
 * @param resolveHost Localhost detection.
 * @returns Pool names without `-:`.
 */
export function localDstPools(
  fleet: Fleet,
  hosts: SelectedHosts,
  resolveHost: HostResolver,
): Set<string> {
  const pools = new Set<string>();
  for (const dst of hosts.dstHosts.keys()) {
    if (resolveHost(dst, "dst") !== "-") continue;
    for (const src of hosts.srcHosts) {
      const root = substituteRoot(fleet.dstRootDatasets.get(dst) ?? "", src, dst);
      for (const [, d] of fleet.rootDatasetPairs) {
        pools.add((root ? `${root}/${d}` : d).split("/", 1)[0]);
      }
    }
  }
  return pools;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
