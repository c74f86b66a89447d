#!/usr/bin/env -S deno run --allow-run=zfs,ssh,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Alex (SysAdmin): back up the home directories of the production hosts to two disaster
 * recovery sites: an on-premise one keeping 90 days and a cloud archive keeping 7 years.
 * Sources snapshot hourly, daily and weekly; only daily and weekly snapshots travel. Alert
 * (Nagios: exit 1 warning, 2 critical) when the latest replicated daily snapshot is older
 * than 25 hours.
 *
 * The same file goes to every host:
 *
 *     # each source host, hourly
 *     0 * * * * dr_two_sites.ts --src-host="$(hostname)" --create-src-snapshots --prune-src-snapshots --prune-src-bookmarks
 *     # each DR host, nightly (pull)
 *     1 2 * * * dr_two_sites.ts --dst-host="$(hostname)" --replicate --prune-dst-snapshots
 *     # each DR host, hourly
 *     0 * * * * dr_two_sites.ts --dst-host="$(hostname)" --monitor-dst-snapshots
 *
 * `^SRC_HOST` keeps the sources apart on the shared DR hosts; `jitter` and
 * `workPeriodSeconds` spread the 200 sub-jobs of a night over 30 minutes.
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

const srcHosts = Array.from({ length: 100 }, (_, i) => `prod${String(i + 1).padStart(3, "0")}`);

/** The fleet. */
export const config: JobConfig = {
  jobId: "home-dr",
  srcHosts,
  dstHosts: { "dr-onsite": ["onsite"], "dr-cloud": ["cloud"] },
  retainDstTargets: { "dr-onsite": ["onsite"], "dr-cloud": ["cloud"] },
  dstRootDatasets: { "dr-onsite": "backups/^SRC_HOST", "dr-cloud": "archives/^SRC_HOST" },
  rootDatasetPairs: [["tank/home", "home"]],
  recursive: true,
  srcSnapshotPlan: {
    prod: {
      onsite: { hourly: 48, daily: 14, weekly: 8 },
      cloud: { daily: 14, weekly: 8 },
    },
  },
  dstSnapshotPlan: {
    prod: {
      onsite: { hourly: 0, daily: 90, weekly: 13 },
      cloud: { daily: 90, weekly: 365, monthly: 84 },
    },
  },
  monitorSnapshotPlan: {
    prod: {
      onsite: { daily: { warning: "25 hours", critical: "26 hours" } },
      cloud: { daily: { warning: "25 hours", critical: "26 hours" } },
    },
  },
  jitter: true,
  workPeriodSeconds: 1800,
  workers: "50%",
  logDir: "/var/log/bzfs-logs",
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
