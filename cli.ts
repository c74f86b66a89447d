#!/usr/bin/env -S deno run --allow-run --allow-env --allow-read --allow-write --allow-sys=hostname,uid
/**
 * The `bzfs` command: replicate ZFS snapshots locally, push, pull or pull-push over ssh.
 *
 * Run it with `deno run --allow-run --allow-env --allow-read --allow-write cli.ts --help`, or
 * call {@linkcode main} from your own script. The heavy modules load lazily so that
 * `bzfs --version` starts fast.
 *
 * @example Run bzfs in-process
 * ```ts ignore
 * import { main } from "./cli.ts";
 * const code = await main(["--dryrun", "tank/a", "backup/a"]);
 * ```
 *
 * @module
 */
import type { MainOptions } from "./lib/cli/main.ts";
import { versionText } from "./lib/version.ts";

/**
 * Runs `bzfs` with the given arguments and returns the exit status.
 *
 * @example
 * ```ts
 * import { main } from "./cli.ts";
 * console.log(await main(["--version"])); // 0
 * ```
 * @param argv The arguments after the program name.
 * @param options I/O seams and the job runner (default: the real engine).
 * @returns The exit status.
 */
export async function main(
  argv: readonly string[],
  options: Partial<MainOptions> = {},
): Promise<number> {
  const cli = await import("./lib/cli/main.ts");
  const runJob = options.runJob ?? (await import("./lib/job/run_job.ts")).runJob;
  return await cli.main(argv, { ...options, runJob });
}

if (import.meta.main) {
  if (Deno.args.length === 1 && Deno.args[0] === "--version") {
    console.log(versionText("bzfs"));
    Deno.exit(0);
  }
  Deno.exit(await main(Deno.args));
}
