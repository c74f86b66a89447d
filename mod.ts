/**
 * bzfs for Deno: ZFS snapshot replication and fleet orchestration as composable primitives.
 *
 * - Errors and exit codes: {@linkcode BzfsError} and friends, {@linkcode exitCodeOf}.
 * - Command lines: {@linkcode buildBzfsConfig} parses and validates `bzfs` argv into an
 *   immutable config; {@linkcode BZFS_OPTIONS} is the option table behind it.
 * - Names: {@linkcode parseLocation} and the validators keep shell metacharacters out.
 * - Selection: {@linkcode buildDatasetFilter} / {@linkcode filterDatasets} (dataset trees),
 *   {@linkcode snapshotFilterGroups} / {@linkcode filterSnapshots} (filter groups), and
 *   {@linkcode parsePlan} / {@linkcode planFilterClauses} (plans translated to filters).
 * - Replication: {@linkcode planReplication} decides a dataset's steps from both listings;
 *   {@linkcode latestCommonSnapshot} and {@linkcode incrementalSendSteps} are its parts.
 * - Commands: {@linkcode Pipeline} renders `zfs send | ... | ssh ... 'zfs receive'` with sudo and
 *   ssh wrapping and every word quoted; {@linkcode RealExecutor}, {@linkcode SshMux} and
 *   {@linkcode ControlPathPool} run it; the `zfs` argv builders live alongside.
 * - Lifecycle and monitoring: {@linkcode snapshotsDue}, {@linkcode selectDstSnapshotsToDelete},
 *   {@linkcode compareDataset}, {@linkcode monitorDataset}.
 * - Scheduling: {@linkcode withRetries} and the dataset tree scheduler.
 * - Time: the {@linkcode Clock} seam.
 *
 * @example Validate a command line without running anything
 * ```ts
 * import { buildBzfsConfig } from "./mod.ts";
 * const config = buildBzfsConfig(["-r", "tank/data", "root@backup:pool/data"]);
 * console.log(config.pairs[0].dst.host); // "backup"
 * ```
 *
 * @module
 */
export * from "./lib/errors.ts";
export * from "./lib/clock.ts";
export * from "./lib/version.ts";
export * from "./lib/cli/exit_codes.ts";
export * from "./lib/cli/option_spec.ts";
export * from "./lib/cli/option_values.ts";
export { BZFS_OPTIONS } from "./lib/cli/bzfs_options.ts";
export { JOBRUNNER_OPTIONS } from "./lib/cli/jobrunner_options.ts";
export {
  buildBzfsConfig,
  type BzfsConfig,
  type DatasetPair,
  type Endpoint,
} from "./lib/cli/bzfs_config.ts";
export { bashCompletion } from "./lib/cli/completion.ts";
export { type ArgEvent, type ParseArgsOptions } from "./lib/cli/parse_args.ts";
export * from "./lib/names/location.ts";
export * from "./lib/names/dataset.ts";
export * from "./lib/names/host.ts";
export * from "./lib/names/property.ts";
export * from "./lib/zfs/types.ts";
export {
  type AlertSpec,
  type JobConfig,
  jobConfigArgv,
  type MonitorPlanSpec,
  type PlanSpec,
  runJobConfig,
  type RunJobConfigOptions,
} from "./lib/jobrunner/mod.ts";
export * from "./lib/filter/mod.ts";
export * from "./lib/plan/mod.ts";
export * from "./lib/exec/mod.ts";
export * from "./lib/lifecycle/mod.ts";
export * from "./lib/monitor/mod.ts";
export * from "./lib/replicate/mod.ts";
export * from "./lib/sched/mod.ts";
export * from "./lib/zfs/mod.ts";
