#!/usr/bin/env -S deno run --allow-run=zfs,ssh,sudo,sh,hostname --allow-sys=hostname,uid --allow-env --allow-read --allow-write
/**
 * Chris (storage architect): replicate an encrypted dataset to a DR site without ever loading
 * its key there (`zfs send --raw`), and keep the DR site's own `mountpoint`, `sharenfs` and
 * key settings instead of taking them from the source.
 *
 * Cron, on the source (push):
 *
 *     0,15,30,45 * * * * raw_encrypted_offsite.ts --src-host=fin-db --create-src-snapshots --replicate --prune-src-snapshots
 *     0 3 * * *    raw_encrypted_offsite.ts --dst-host=dr-vault --prune-dst-snapshots
 *
 * @module
 */
import { type JobConfig, runJobConfig } from "../mod.ts";

/** The fleet. */
export const config: JobConfig = {
  jobId: "vault-offsite",
  srcHosts: ["fin-db"],
  dstHosts: { "dr-vault": ["offsite"] },
  dstRootDatasets: { "dr-vault": "vault/^SRC_HOST" },
  rootDatasetPairs: [["secure/ledger", "ledger"]],
  recursive: true,
  srcSnapshotPlan: { fin: { offsite: { "15minutely": 96, daily: 30 } } },
  dstSnapshotPlan: { fin: { offsite: { "15minutely": 96, daily: 365 } } },
  extraArgs: [
    "--zfs-send-program-opts=--raw",
    "--preserve-properties",
    "mountpoint",
    "sharenfs",
    "encryption",
    "keyformat",
    "keylocation",
    "volsize",
  ],
  logDir: "/var/log/bzfs-logs",
};

if (import.meta.main) Deno.exit(await runJobConfig(config));
