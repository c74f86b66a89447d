/**
 * The jobrunner as a library: job configs ({@linkcode runJobConfig}), sub-job generation
 * ({@linkcode generateSubJobs}), scheduling ({@linkcode runSubJobs}) and the runners.
 *
 * @example A job config script
 * ```ts ignore
 * import { runJobConfig } from "jsr:@bzfs/bzfs";
 * Deno.exit(await runJobConfig({
 *   jobId: "standby",
 *   srcHosts: ["primary-db"],
 *   dstHosts: { "standby-db": ["standby"] },
 *   dstRootDatasets: { "standby-db": "" },
 *   rootDatasetPairs: [["data/postgres", "data/postgres"]],
 *   dstSnapshotPlan: { prod: { standby: { "10secondly": 2160 } } },
 * }));
 * ```
 *
 * @module
 */
export * from "./exit_status.ts";
export * from "./fleet.ts";
export * from "./fleet_error.ts";
export * from "./isolate_runner.ts";
export * from "./job_config.ts";
export * from "./localhost.ts";
export * from "./log.ts";
export * from "./plan_run.ts";
export * from "./pool_probe.ts";
export * from "./process_runner.ts";
export * from "./python_repr.ts";
export * from "./run_jobrunner.ts";
export * from "./run_subjobs.ts";
export * from "./runner.ts";
export * from "./select_hosts.ts";
export * from "./subjob_plans.ts";
export * from "./subjobs.ts";
export * from "./worker_pool_runner.ts";
// shared types this API exposes
export { BzfsError } from "../errors.ts";
export type { Clock } from "../clock.ts";
export type { JobrunnerOptionValues } from "../cli/option_values.ts";
export type { PercentValue } from "../cli/option_spec.ts";
export { PyFloat } from "../plan/python_literal.ts";
