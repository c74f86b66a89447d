#!/usr/bin/env -S deno run --allow-run=zfs,ssh,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Dana (DevOps): replicate a PostgreSQL dataset from the primary to a hot standby every 10
 * seconds (RPO under a minute); prune aggressively on the primary (1 hour), keep 6 hours on
 * the standby.
 *
 * The same file goes to both hosts. systemd timers (or a loop) call it with different flags:
 *
 *     every 10 s:  db_standby_10s.ts --create-src-snapshots --replicate
 *     every 60 s:  db_standby_10s.ts --monitor-src-snapshots --monitor-dst-snapshots
 *     every 5 min: db_standby_10s.ts --prune-src-snapshots --prune-src-bookmarks --prune-dst-snapshots
 *
 * Instead of a 10-second timer, one long-lived process can do it: add
 * `--daemon-lifetime=86400seconds` (forwarded to every bzfs sub-job, which then repeats at
 * `--daemon-replication-frequency`, set to `10secondly` below). Daemon mode is built in bzfs
 * separately; until it lands, bzfs answers `--daemon-lifetime` with "not implemented yet".
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

const target = "standby";
const org = "prod";

/** The fleet. */
export const config: JobConfig = {
  jobId: "postgres-standby",
  srcHosts: ["primary-db"],
  dstHosts: { "standby-db": [target] },
  retainDstTargets: { "standby-db": [target] },
  dstRootDatasets: { "standby-db": "" },
  rootDatasetPairs: [["data/postgres", "data/postgres"]],
  srcSnapshotPlan: { [org]: { [target]: { "10secondly": 360, minutely: 60 } } },
  dstSnapshotPlan: { [org]: { [target]: { "10secondly": 2160, minutely: 360 } } },
  monitorSnapshotPlan: {
    [org]: { [target]: { "10secondly": { warning: "30 seconds", critical: "120 seconds" } } },
  },
  logDir: "/var/log/bzfs-logs",
  extraArgs: ["--daemon-replication-frequency=10secondly", "--retries=3"],
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
