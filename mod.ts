/**
 * bzfs for Deno: ZFS snapshot replication and fleet orchestration as composable primitives.
 *
 * - Errors and exit codes: {@linkcode BzfsError} and friends, {@linkcode exitCodeOf}.
 * - Command lines: {@linkcode buildBzfsConfig} parses and validates `bzfs` argv into an
 *   immutable config; {@linkcode BZFS_OPTIONS} is the option table behind it.
 * - Names: {@linkcode parseLocation} and the validators keep shell metacharacters out.
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
export { type ArgEvent } from "./lib/cli/parse_args.ts";
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
