#!/usr/bin/env -S deno run --allow-run=zfs,ssh,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Dana (DevOps): clone the sanitized production database to developer VMs, run from a bastion
 * host in pull-push mode (neither end needs bzfs installed), skipping datasets that hold PII.
 *
 * Run on the bastion (it is neither source nor destination, so both ends are remote):
 *
 *     pull_push_clone_no_pii.ts --replicate
 *     pull_push_clone_no_pii.ts --replicate --dst-host=dev-vm-2     # one developer only
 *
 * The jobrunner selects snapshots by plan, not by regex (`--include-snapshot-regex` is
 * reserved for the jobrunner), so the clone base is the plan's `prod_clone_<time>_daily`
 * series; `--no-stream` sends only its latest snapshot. `--exclude-dataset-regex` keeps the
 * PII datasets off the developer VMs.
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

const devVms = ["dev-vm-1", "dev-vm-2"];

/** The fleet. */
export const config: JobConfig = {
  jobId: "dev-clone",
  srcHosts: ["prod-db"],
  dstHosts: Object.fromEntries(devVms.map((h) => [h, ["clone"]])),
  dstRootDatasets: Object.fromEntries(devVms.map((h) => [h, "dev"])),
  rootDatasetPairs: [["sanitized_clones/main_db", "main_db"]],
  dstSnapshotPlan: { prod: { clone: { daily: 1 } } },
  recursive: true,
  sshDstUser: "dev-user",
  logDir: "/var/log/bzfs-logs",
  extraArgs: ["--no-stream", "--exclude-dataset-regex=(.*/)?(users|pii_data|credentials)"],
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
