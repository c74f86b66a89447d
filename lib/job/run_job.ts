/**
 * Runs one parsed `bzfs` job: for each root dataset pair, the enabled phases in upstream's order.
 *
 * @module
 */
import { BzfsError } from "../errors.ts";
import type { BzfsConfig } from "../cli/bzfs_config.ts";

/**
 * Runs the job described by a config.
 *
 * @example
 * ```ts ignore
 * import { runJob } from "./run_job.ts";
 * import { buildBzfsConfig } from "../cli/bzfs_config.ts";
 * await runJob(buildBzfsConfig(["tank/a", "backup/a"]));
 * ```
 * @param config The validated configuration.
 * @throws {BzfsError} Until the replication engine lands.
 */
export function runJob(config: BzfsConfig): Promise<void> {
  return Promise.reject(
    new BzfsError(
      `Replication is not built yet (${config.pairs.length} dataset pair(s) were validated)`,
    ),
  );
}
