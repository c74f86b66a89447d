/**
 * Job configs: a fleet described as typed data in a small Deno script, turned into a
 * `bzfs_jobrunner` command line (plans rendered as Python-literal dicts, as upstream's
 * `bzfs_job_config.py` does) plus the script's own arguments, and run.
 *
 * @module
 */
import { jobrunnerMain } from "../cli/jobrunner_main.ts";
import { pythonRepr } from "./python_repr.ts";

/** A retention plan: `{org: {target: {period: count}}}`, e.g. `{prod: {onsite: {daily: 7}}}`. */
export type PlanSpec = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>
>;

/** Alert thresholds of one monitored period. */
export interface AlertSpec {
  /** Warn when the latest snapshot is older than period + this, e.g. `"30 minutes"`. */
  readonly warning?: string;
  /** Critical when older than period + this. */
  readonly critical?: string;
  /** Cycles for the oldest-snapshot check on sources (default: the source plan's count). */
  readonly src_snapshot_cycles?: number;
  /** Cycles for the oldest-snapshot check on destinations (default: the destination plan's count). */
  readonly dst_snapshot_cycles?: number;
  /** Passed to the oldest-snapshot check only. */
  readonly oldest_skip_holds?: string | number;
}

/** A monitor plan: `{org: {target: {period: alert}}}`. */
export type MonitorPlanSpec = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, AlertSpec>>>>>
>;

/** A fleet, as a job config declares it. Object key order is dict order. */
export interface JobConfig {
  /** Stable job name (`--job-id`). */
  readonly jobId: string;
  /** Every source host. */
  readonly srcHosts: readonly string[];
  /** Destination host -> targets it receives. */
  readonly dstHosts: Readonly<Record<string, readonly string[]>>;
  /** Destination host -> targets it keeps when pruning. @default dstHosts */
  readonly retainDstTargets?: Readonly<Record<string, readonly string[]>>;
  /** Destination host -> root dataset (`^SRC_HOST`, `^DST_HOST` allowed; `""` for none). */
  readonly dstRootDatasets: Readonly<Record<string, string>>;
  /** Source and destination datasets, without hosts. */
  readonly rootDatasetPairs: readonly (readonly [string, string])[];
  /** Snapshots to create and keep on sources. @default {} */
  readonly srcSnapshotPlan?: PlanSpec;
  /** Bookmarks to keep on sources. @default srcSnapshotPlan */
  readonly srcBookmarkPlan?: PlanSpec;
  /** Snapshots to replicate and keep on destinations. @default {} */
  readonly dstSnapshotPlan?: PlanSpec;
  /** Snapshot age alerts. @default {} */
  readonly monitorSnapshotPlan?: MonitorPlanSpec;
  /** Also process descendants (bzfs `--recursive`). @default false */
  readonly recursive?: boolean;
  /** bzfs `--log-dir` (its basename must contain `bzfs-logs`). */
  readonly logDir?: string;
  /** `--workers`: a count, or a percentage of cores such as `"50%"`. */
  readonly workers?: number | `${number}%`;
  /** `--work-period-seconds`. */
  readonly workPeriodSeconds?: number;
  /** `--jitter`. */
  readonly jitter?: boolean;
  /** `--worker-timeout-seconds`. */
  readonly workerTimeoutSeconds?: number;
  /** `--ssh-src-user`. */
  readonly sshSrcUser?: string;
  /** `--ssh-dst-user`. */
  readonly sshDstUser?: string;
  /** `--ssh-src-port`. */
  readonly sshSrcPort?: number;
  /** `--ssh-dst-port`. */
  readonly sshDstPort?: number;
  /** `--ssh-src-config-file`. */
  readonly sshSrcConfigFile?: string;
  /** `--ssh-dst-config-file`. */
  readonly sshDstConfigFile?: string;
  /** `--localhost`. */
  readonly localhost?: string;
  /** Any further jobrunner or bzfs options, e.g. `["--zfs-send-program-opts=--raw"]`. */
  readonly extraArgs?: readonly string[];
}

/**
 * The `bzfs_jobrunner` argv of a job config: fleet options, then `args` (the script's own
 * arguments, e.g. `--replicate`), then `--root-dataset-pairs` last.
 *
 * @example
 * ```ts
 * import { jobConfigArgv } from "./job_config.ts";
 * const argv = jobConfigArgv({
 *   jobId: "home", srcHosts: ["nas"], dstHosts: { nas: [""] }, dstRootDatasets: { nas: "" },
 *   rootDatasetPairs: [["tank/media", "usb/media"]], dstSnapshotPlan: { bzfs: { "": { daily: 90 } } },
 * }, ["--replicate"]);
 * console.log(argv.at(-3)); // "--root-dataset-pairs"
 * ```
 * @param config The fleet.
 * @param args The config script's own arguments.
 * @returns The jobrunner argv.
 */
export function jobConfigArgv(config: JobConfig, args: readonly string[]): string[] {
  const c = config;
  const argv = [
    `--job-id=${c.jobId}`,
    `--src-hosts=${pythonRepr(c.srcHosts)}`,
    `--dst-hosts=${pythonRepr(c.dstHosts)}`,
    `--retain-dst-targets=${pythonRepr(c.retainDstTargets ?? c.dstHosts)}`,
    `--dst-root-datasets=${pythonRepr(c.dstRootDatasets)}`,
    `--src-snapshot-plan=${pythonRepr(c.srcSnapshotPlan ?? {})}`,
    `--src-bookmark-plan=${pythonRepr(c.srcBookmarkPlan ?? c.srcSnapshotPlan ?? {})}`,
    `--dst-snapshot-plan=${pythonRepr(c.dstSnapshotPlan ?? {})}`,
    `--monitor-snapshot-plan=${pythonRepr(monitorRepr(c.monitorSnapshotPlan ?? {}))}`,
  ];
  const opt = (name: string, v: string | number | undefined) => {
    if (v !== undefined) argv.push(`--${name}=${v}`);
  };
  opt("workers", c.workers);
  opt("work-period-seconds", c.workPeriodSeconds);
  opt("worker-timeout-seconds", c.workerTimeoutSeconds);
  opt("ssh-src-user", c.sshSrcUser);
  opt("ssh-dst-user", c.sshDstUser);
  opt("ssh-src-port", c.sshSrcPort);
  opt("ssh-dst-port", c.sshDstPort);
  opt("ssh-src-config-file", c.sshSrcConfigFile);
  opt("ssh-dst-config-file", c.sshDstConfigFile);
  opt("localhost", c.localhost);
  opt("log-dir", c.logDir);
  if (c.jitter) argv.push("--jitter");
  if (c.recursive) argv.push("--recursive");
  argv.push(...(c.extraArgs ?? []), ...args, "--root-dataset-pairs");
  for (const [src, dst] of c.rootDatasetPairs) argv.push(src, dst);
  return argv;
}

function monitorRepr(plan: MonitorPlanSpec) {
  return Object.fromEntries(
    Object.entries(plan).map(([org, targets]) => [
      org,
      Object.fromEntries(
        Object.entries(targets).map(([t, periods]) => [
          t,
          Object.fromEntries(
            Object.entries(periods).map(([p, alert]) => [
              p,
              Object.fromEntries(
                Object.entries(alert).filter((e): e is [string, string | number] =>
                  e[1] !== undefined
                ),
              ),
            ]),
          ),
        ]),
      ),
    ]),
  );
}

/** Options of {@linkcode runJobConfig}. */
export interface RunJobConfigOptions {
  /** The script's own arguments. @default Deno.args */
  readonly args?: readonly string[];
  /** Writes usage and error text. @default stderr */
  readonly writeErr?: (text: string) => void;
  /** Runs the jobrunner argv. @default the jobrunner, in this process */
  readonly run?: (argv: readonly string[]) => Promise<number>;
}

/** Exit status of a job config called without arguments (as upstream's sample script). */
export const JOB_CONFIG_USAGE_STATUS = 5;

/**
 * Runs a job config: builds the jobrunner argv from the fleet and the script's arguments and
 * runs it in this process. Without arguments it prints a usage line and returns 5.
 *
 * @example A job config script
 * ```ts ignore
 * import { runJobConfig } from "jsr:@bzfs/bzfs";
 * Deno.exit(await runJobConfig({
 *   jobId: "usb-backup",
 *   srcHosts: ["nas"],
 *   dstHosts: { nas: [""] },
 *   dstRootDatasets: { nas: "" },
 *   rootDatasetPairs: [["tank/media", "usb/media"]],
 *   srcSnapshotPlan: { bzfs: { "": { daily: 31 } } },
 *   dstSnapshotPlan: { bzfs: { "": { daily: 90 } } },
 * }));
 * ```
 * @param config The fleet.
 * @param options Arguments and seams.
 * @returns The exit status.
 */
export async function runJobConfig(
  config: JobConfig,
  options: RunJobConfigOptions = {},
): Promise<number> {
  const args = options.args ?? Deno.args;
  const enc = new TextEncoder();
  const writeErr = options.writeErr ?? ((t: string) => Deno.stderr.writeSync(enc.encode(t)));
  if (args.length === 0) {
    writeErr(
      "usage: <job config> [--create-src-snapshots] [--replicate] [--prune-src-snapshots] " +
        "[--prune-src-bookmarks] [--prune-dst-snapshots] [--monitor-src-snapshots] " +
        "[--monitor-dst-snapshots] [--src-host=HOST] [--dst-host=HOST] [other jobrunner or bzfs " +
        "options]\nerror: Missing action arguments\n",
    );
    return JOB_CONFIG_USAGE_STATUS;
  }
  const argv = jobConfigArgv(config, args);
  return await (options.run ?? ((a) => jobrunnerMain(a, { writeErr })))(argv);
}
