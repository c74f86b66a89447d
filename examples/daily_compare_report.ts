#!/usr/bin/env -S deno run --allow-run=zfs,ssh,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Dana (DevOps): a daily audit that no snapshot is missing on the hot standby. bzfs compares
 * the snapshot lists of source and destination recursively and writes a TSV report
 * (`src`, `dst`, `all` per snapshot) into the run's log directory.
 *
 * Cron, on the standby (pull) or on a management host:
 *
 *     0 6 * * * /etc/bzfs/daily_compare_report.ts --replicate --dryrun
 *
 * The jobrunner has no compare action of its own: the compare runs inside each replicate
 * sub-job (`--compare-snapshot-lists` is forwarded to bzfs), and `--dryrun` makes the
 * replication half a no-op, so the job only reads. Without `--dryrun` the standby is first
 * brought up to date and then compared.
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

/** The fleet. */
export const config: JobConfig = {
  jobId: "postgres-audit",
  srcHosts: ["primary-db"],
  dstHosts: { "standby-db": ["standby"] },
  dstRootDatasets: { "standby-db": "" },
  rootDatasetPairs: [["data/postgres", "data/postgres"]],
  dstSnapshotPlan: { prod: { standby: { "10secondly": 2160, minutely: 360 } } },
  recursive: true,
  logDir: "/var/log/bzfs-logs",
  extraArgs: ["--compare-snapshot-lists=src+dst+all"],
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
