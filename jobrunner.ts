#!/usr/bin/env -S deno run --allow-run --allow-env --allow-read --allow-write --allow-sys=hostname,osRelease,uid
/**
 * The `bzfs_jobrunner` command: orchestrates bzfs sub-jobs across a fleet of hosts.
 *
 * @example
 * ```ts ignore
 * import { jobrunnerMain } from "./jobrunner.ts";
 * Deno.exit(await jobrunnerMain(["--version"]));
 * ```
 *
 * @module
 */
import { jobrunnerMain, parseJobrunnerArgs } from "./lib/cli/jobrunner_main.ts";

export { jobrunnerMain, parseJobrunnerArgs };

if (import.meta.main) {
  Deno.exit(await jobrunnerMain(Deno.args));
}
