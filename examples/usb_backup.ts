#!/usr/bin/env -S deno run --allow-run=zfs,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Sam (home lab): back up `tank/media` and `tank/documents` to a ZFS-formatted USB drive that
 * is plugged in about once a week. A daily snapshot is taken every day; whenever the drive is
 * there, everything new is replicated incrementally and the drive keeps 90 dailies.
 *
 * Cron, on the home server itself (both ends local):
 *
 *     0 2 * * * /root/usb_backup.ts --create-src-snapshots --replicate --prune-src-snapshots --prune-dst-snapshots --monitor-dst-snapshots
 *
 * When the `usb` pool is not imported, the destination sub-jobs are skipped with a warning
 * ("local dst pool does not exist") and the source side still runs.
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

const host = "nas";
const target = "";

/** The fleet. */
export const config: JobConfig = {
  jobId: "usb-backup",
  localhost: host,
  srcHosts: [host],
  dstHosts: { [host]: [target] },
  retainDstTargets: { [host]: [target] },
  dstRootDatasets: { [host]: "" },
  rootDatasetPairs: [["tank/media", "usb/backups/media"], [
    "tank/documents",
    "usb/backups/documents",
  ]],
  srcSnapshotPlan: { bzfs: { [target]: { daily: 31, weekly: 12 } } },
  dstSnapshotPlan: { bzfs: { [target]: { daily: 90, weekly: 52 } } },
  monitorSnapshotPlan: {
    bzfs: { [target]: { daily: { warning: "8 days", critical: "15 days" } } },
  },
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
