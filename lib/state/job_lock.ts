/**
 * One run per job: an advisory exclusive lock on `<log-dir>/.locks/bzfs-lockfile-<sha256>.lock`,
 * where the hash covers the options that identify the job (upstream's rule: pairs, recursion,
 * dataset and snapshot filters, phases, plans, ssh endpoints; not --threads, --dryrun or -v).
 * The kernel drops the lock when a run dies, so a lock file left by a killed run is simply taken
 * over by the next run.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { LockHeldError } from "../errors.ts";
import type { BzfsConfig } from "../cli/bzfs_config.ts";

/** Option attributes that identify a job for locking (upstream's list). */
export const LOCK_KEY_ATTRS: readonly string[] = [
  "recursive",
  "includeDataset",
  "excludeDataset",
  "includeDatasetRegex",
  "excludeDatasetRegex",
  "excludeDatasetProperty",
  "skipReplication",
  "createSrcSnapshots",
  "createSrcSnapshotsPlan",
  "createSrcSnapshotsTimeformat",
  "createSrcSnapshotsTimezone",
  "deleteDstDatasets",
  "deleteDstSnapshots",
  "deleteDstSnapshotsExcept",
  "deleteEmptyDstDatasets",
  "compareSnapshotLists",
  "monitorSnapshots",
  "sshSrcUser",
  "sshDstUser",
  "sshSrcHost",
  "sshDstHost",
  "sshSrcPort",
  "sshDstPort",
  "sshSrcConfigFile",
  "sshDstConfigFile",
];

/**
 * The lock file path of a job.
 *
 * @example
 * ```ts
 * import { lockFilePath } from "./job_lock.ts";
 * import { buildBzfsConfig } from "../cli/bzfs_config.ts";
 * lockFilePath(buildBzfsConfig(["tank/a", "backup/a"]), "/root/bzfs-logs");
 * // "/root/bzfs-logs/.locks/bzfs-lockfile-<64 hex digits>.lock"
 * ```
 * @param config The job's configuration.
 * @param logDir The log directory.
 * @returns The path.
 */
export function lockFilePath(config: BzfsConfig, logDir: string): string {
  const o = config.options as unknown as Record<string, unknown>;
  const key = {
    pairs: config.pairs,
    options: Object.fromEntries(LOCK_KEY_ATTRS.map((a) => [a, o[a] ?? null])),
    snapshotFilters: config.snapshotFilterArgs,
    anchors: Object.fromEntries(Object.entries(o).filter(([k]) => /^[a-z]+ly_/.test(k))),
  };
  const hash = createHash("sha256").update(JSON.stringify(key)).digest("hex");
  return `${logDir.replace(/\/+$/, "")}/.locks/bzfs-lockfile-${hash}.lock`;
}

/** A held job lock. */
export interface JobLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file (still under the lock) and releases the lock. */
  release(): void;
}

/**
 * Takes the job lock without waiting.
 *
 * @example
 * ```ts
 * import { acquireJobLock } from "./job_lock.ts";
 * const dir = Deno.makeTempDirSync();
 * const lock = acquireJobLock(`${dir}/.locks/x.lock`);
 * lock.release();
 * ```
 * @param path The lock file.
 * @returns The held lock.
 * @throws {LockHeldError} When another run holds it.
 */
export function acquireJobLock(path: string): JobLock {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
  const file = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o600 });
  let locked = false;
  try {
    locked = file.tryLockSync(true);
  } finally {
    if (!locked) file.close();
  }
  if (!locked) throw new LockHeldError(path);
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        Deno.removeSync(path);
      } catch {
        // already gone: nothing to clean up
      }
      file.unlockSync();
      file.close();
    },
  };
}
